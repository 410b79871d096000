import DarkNumber

/// The posterior of N under the latent-class model (``LatentClassModel``), with the draws of
/// every chain and their convergence diagnostics.
public struct LatentClassResult: Sendable {
  /// One chain's kept draws (after burn-in, one every `thinning` sweeps).
  public struct Chain: Sendable, Hashable {
    /// The population size `N = n + n₀` at each kept draw.
    public let totals: [Int]
    /// The concentration α at each kept draw.
    public let concentrations: [Double]
    /// The number of classes with members at each kept draw (a trace for label and mixing
    /// checks: it should wander, not stick at K).
    public let occupiedClasses: [Int]
    /// Sweeps after burn-in in which the bound on unobserved individuals was enforced.
    public let boundHits: Int
  }

  /// The lists' names.
  public let listNames: [String]
  /// The number of individuals observed, `n`.
  public let observedTotal: Int
  /// The settings used (seed included).
  public let options: LatentClassOptions
  /// The chains, in chain order.
  public let chains: [Chain]
  /// The summary of all chains' draws of N together.
  public let summary: PosteriorSummary
  /// Split-R̂ and effective sample size of N.
  public let diagnostics: ConvergenceDiagnostics
  /// Caveats in words: mixing, sample size, truncation at the bound.
  public let warnings: [BayesWarning]

  init(data: CaptureData, options: LatentClassOptions, chains: [Chain]) {
    listNames = data.listNames
    observedTotal = data.observedTotal
    self.options = options
    self.chains = chains
    let draws = chains.map { $0.totals.map(Double.init) }
    summary = PosteriorSummary(draws: draws.flatMap { $0 })
    diagnostics = ConvergenceDiagnostics(chains: draws)
    var warnings: [BayesWarning] = []
    let hits = chains.reduce(0) { $0 + $1.boundHits }
    if hits > 0 {
      let sweeps = Double(chains.count * options.draws * options.thinning)
      warnings.append(.missingBoundBinding(fraction: Double(hits) / sweeps, bound: options.missingBound))
    }
    if diagnostics.splitRhat > 1.01 { warnings.append(.poorMixing(rhat: diagnostics.splitRhat)) }
    if diagnostics.effectiveSampleSize < 400 {
      warnings.append(.smallEffectiveSampleSize(diagnostics.effectiveSampleSize))
    }
    self.warnings = warnings
  }
}
