/// Settings of the latent-class sampler (Manrique-Vallier 2016), defaults as R `LCMCR`'s `lcmCR`
/// and `lcmCR_PostSampl` examples: K = 10 classes, `a = b = 0.25`, 10,000 burn-in sweeps, 10,000
/// draws kept one in 10.
public struct LatentClassOptions: Sendable, Hashable {
  /// The truncation level `K` of the stick-breaking prior (≥ 1).
  public var classes: Int
  /// The shape `a` of the Gamma(a, b) prior on the concentration α.
  public var concentrationShape: Double
  /// The rate `b` of the Gamma(a, b) prior on the concentration α (prior mean a/b).
  public var concentrationRate: Double
  /// Sweeps discarded after the warm-up, per chain.
  public var burnIn: Int
  /// Draws kept per chain.
  public var draws: Int
  /// Sweeps per kept draw: draw `s` is the state after sweep `burnIn + s·thinning`.
  public var thinning: Int
  /// LCMCR's initial sweeps with α fixed at `0.3/K`, after which classes are relabelled by
  /// decreasing weight (500 in LCMCR).
  public var warmUp: Int
  /// Independent chains, run in parallel; chain `c` draws from `SplitMix64.stream(seed:index: c)`.
  public var chains: Int
  /// The seed of every chain's stream.
  public var seed: UInt64
  /// The number of unobserved individuals is kept at or below `missingBound · n`, as LCMCR does
  /// (20); a bound that binds is reported as a warning.
  public var missingBound: Int

  /// Options with LCMCR's defaults and four chains.
  public init(
    classes: Int = 10, concentrationShape: Double = 0.25, concentrationRate: Double = 0.25,
    burnIn: Int = 10_000, draws: Int = 10_000, thinning: Int = 10, warmUp: Int = 500,
    chains: Int = 4, seed: UInt64 = 1, missingBound: Int = 20
  ) {
    self.classes = classes
    self.concentrationShape = concentrationShape
    self.concentrationRate = concentrationRate
    self.burnIn = burnIn
    self.draws = draws
    self.thinning = thinning
    self.warmUp = warmUp
    self.chains = chains
    self.seed = seed
    self.missingBound = missingBound
  }

  /// The first invalid setting, in words, or nil when all are valid.
  public var problem: String? {
    if classes < 1 { return "the number of latent classes must be at least 1" }
    if classes > 1_000 { return "the number of latent classes must be at most 1,000" }
    if !(concentrationShape > 0 && concentrationShape.isFinite) {
      return "the concentration prior's shape must be a positive number"
    }
    if !(concentrationRate > 0 && concentrationRate.isFinite) {
      return "the concentration prior's rate must be a positive number"
    }
    if burnIn < 0 { return "the burn-in must not be negative" }
    if draws < 4 { return "at least 4 draws per chain are needed" }
    if thinning < 1 { return "the thinning interval must be at least 1" }
    if warmUp < 0 { return "the warm-up must not be negative" }
    if chains < 1 || chains > 256 { return "the number of chains must be between 1 and 256" }
    if missingBound < 1 { return "the bound on unobserved individuals must be at least 1 × n" }
    let (sweeps, overflow) = draws.multipliedReportingOverflow(by: thinning)
    if overflow || sweeps > 1_000_000_000 { return "draws × thinning must be at most 10⁹ sweeps" }
    return nil
  }
}
