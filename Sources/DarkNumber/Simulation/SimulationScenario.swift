import RealModule

/// A population to draw capture data from, for simulation studies of MSE methods (Chan,
/// Silverman & Vincent 2021; Whitehead et al. 2021).
///
/// Each of `populationSize` individuals is recorded on list `j` with probability
/// `p_ij = logistic(logit(captureProbabilities[j]) + s_ij)`, independently given `s_ij`, the sum of
///
/// - **heterogeneity**: the shift of the individual's latent class (`latentClasses`, drawn with
///   their shares) or a normal frailty `σ·zᵢ` common to all lists (`logNormal`, a continuous
///   heterogeneity, as Mh models assume);
/// - **covariates**: the shift `effects[level][j]` of the individual's level of each covariate
///   (levels drawn with their shares).
///
/// Then, in order: **referrals** (on `from` ⇒ also on `to` with probability `q`: positive
/// dependence, a referral chain), **exclusions** (on both ⇒ removed from `to` with probability `q`:
/// negative dependence), and **disjoint** pairs (on both ⇒ removed from the second: lists that
/// never overlap).
public struct SimulationScenario: Sendable, Hashable {
  /// A latent class: its share of the population and its log-odds shift on each list.
  public struct LatentClass: Sendable, Hashable {
    /// The share (shares are normalised to sum to 1).
    public var share: Double
    /// The log-odds shift on each list.
    public var shifts: [Double]
    /// A class.
    public init(share: Double, shifts: [Double]) {
      self.share = share
      self.shifts = shifts
    }
  }

  /// How capture probabilities vary between individuals.
  public enum Heterogeneity: Sendable, Hashable {
    /// None: everybody has the lists' probabilities.
    case none
    /// Latent classes.
    case latentClasses([LatentClass])
    /// A normal frailty on the log-odds scale with this standard deviation, shared by all lists.
    case logNormal(standardDeviation: Double)
  }

  /// A categorical covariate that moves capture probabilities.
  public struct Covariate: Sendable, Hashable {
    /// Its name.
    public var name: String
    /// The shares of its levels.
    public var shares: [Double]
    /// `effects[level][list]`: the log-odds shift of each level on each list.
    public var effects: [[Double]]
    /// A covariate.
    public init(name: String, shares: [Double], effects: [[Double]]) {
      self.name = name
      self.shares = shares
      self.effects = effects
    }
  }

  /// A directed link between two lists with a probability.
  public struct Link: Sendable, Hashable {
    /// The list that acts.
    public var from: Int
    /// The list acted on.
    public var to: Int
    /// The probability.
    public var probability: Double
    /// A link.
    public init(from: Int, to: Int, probability: Double) {
      self.from = from
      self.to = to
      self.probability = probability
    }
  }

  /// A name for reports.
  public var name: String
  /// The true population size `N`.
  public var populationSize: Int
  /// The lists' names.
  public var listNames: [String]
  /// Each list's baseline capture probability.
  public var captureProbabilities: [Double]
  /// Heterogeneity between individuals.
  public var heterogeneity: Heterogeneity = .none
  /// Covariates.
  public var covariates: [Covariate] = []
  /// Positive dependence.
  public var referrals: [Link] = []
  /// Negative dependence.
  public var exclusions: [Link] = []
  /// Pairs of lists that never share anybody.
  public var disjointPairs: [[Int]] = []
  /// When set, the individuals are spread over the `2ᴷ` histories multinomially with these
  /// probabilities (entry `h` for bitmask `h`; entry 0 is "on no list") and every other mechanism
  /// is ignored — for scenarios taken from a fitted log-linear model (``fittedModel(_:name:populationSize:)``),
  /// as Chan, Silverman & Vincent (2021) simulated from models fitted to real tables.
  public var historyProbabilities: [Double]?

  /// The scenario whose history probabilities are those of `fit`: `μ̂_h / N̂` for every history,
  /// the unobserved cell included, with `populationSize` individuals.
  public static func fittedModel(_ fit: LogLinearFit, name: String, populationSize: Int) -> SimulationScenario {
    let k = fit.data.listCount
    var scenario = SimulationScenario(
      name: name, populationSize: populationSize, listNames: fit.data.listNames,
      captureProbabilities: [Double](repeating: 0.5, count: k))
    scenario.historyProbabilities = [fit.unobserved / fit.total] + fit.fittedValues.map { $0 / fit.total }
    return scenario
  }

  /// A scenario of independent, homogeneous lists.
  public init(name: String, populationSize: Int, listNames: [String], captureProbabilities: [Double]) {
    self.name = name
    self.populationSize = populationSize
    self.listNames = listNames
    self.captureProbabilities = captureProbabilities
  }

  /// Why the scenario cannot be simulated, or `nil`.
  public var problem: String? {
    let k = listNames.count
    guard (2...CaptureHistory.maximumListCount).contains(k) else { return "a scenario needs 2 to 30 lists; found \(k)" }
    guard populationSize >= 1 && populationSize <= 100_000_000 else {
      return "the population size must be between 1 and 100,000,000"
    }
    guard captureProbabilities.count == k else {
      return "one capture probability per list: \(k) lists, \(captureProbabilities.count) probabilities"
    }
    for p in captureProbabilities where !(p > 0 && p < 1) {
      return "capture probabilities must lie strictly between 0 and 1; found \(p)"
    }
    switch heterogeneity {
    case .none: break
    case .latentClasses(let classes):
      guard !classes.isEmpty else { return "latent-class heterogeneity needs at least one class" }
      for c in classes {
        guard c.share > 0 && c.share.isFinite else { return "latent-class shares must be positive" }
        guard c.shifts.count == k, c.shifts.allSatisfy(\.isFinite) else {
          return "each latent class needs one finite shift per list"
        }
      }
    case .logNormal(let sd):
      guard sd >= 0 && sd.isFinite else { return "the frailty's standard deviation must be ≥ 0" }
    }
    for covariate in covariates {
      guard !covariate.shares.isEmpty, covariate.shares.allSatisfy({ $0 > 0 && $0.isFinite }) else {
        return "covariate \(covariate.name): level shares must be positive"
      }
      guard covariate.effects.count == covariate.shares.count,
        covariate.effects.allSatisfy({ $0.count == k && $0.allSatisfy(\.isFinite) })
      else { return "covariate \(covariate.name): one row of \(k) effects per level" }
    }
    for link in referrals + exclusions {
      guard (0..<k).contains(link.from), (0..<k).contains(link.to), link.from != link.to else {
        return "a referral or exclusion needs two different lists"
      }
      guard link.probability >= 0 && link.probability <= 1 else {
        return "referral and exclusion probabilities must lie in [0, 1]"
      }
    }
    for pair in disjointPairs {
      guard pair.count == 2, pair.allSatisfy({ (0..<k).contains($0) }), pair[0] != pair[1] else {
        return "a disjoint pair needs two different lists"
      }
    }
    if let probabilities = historyProbabilities {
      guard k <= 20, probabilities.count == 1 << k, probabilities.allSatisfy({ $0 >= 0 && $0.isFinite }),
        probabilities.reduce(0, +) > 0
      else { return "history probabilities need 2^K non-negative entries (at most 20 lists)" }
    }
    return nil
  }

  /// The capture data of replicate `replicate`, drawn from the stream `(seed, replicate)`; `nil`
  /// when nobody was recorded.
  public func generate(seed: UInt64, replicate: Int) -> CaptureData? {
    precondition(problem == nil, "invalid scenario: \(problem ?? "")")
    var generator = SplitMix64.stream(seed: seed, index: UInt64(replicate))
    let k = listNames.count
    if let probabilities = historyProbabilities {
      let counts = Multinomial(weights: probabilities).sample(count: populationSize, using: &generator)
      let observed = (1..<counts.count).filter { counts[$0] > 0 }.map {
        (CaptureHistory(rawValue: UInt32($0))!, counts[$0])
      }
      return observed.isEmpty ? nil : try? CaptureData(listNames: listNames, counts: observed)
    }
    let base = captureProbabilities.map { Double.log($0 / (1 - $0)) }
    let classCumulative: [Double]
    let classShifts: [[Double]]
    switch heterogeneity {
    case .latentClasses(let classes):
      let total = classes.reduce(0) { $0 + $1.share }
      var running = 0.0
      classCumulative = classes.map {
        running += $0.share / total; return running
      }
      classShifts = classes.map(\.shifts)
    default:
      classCumulative = []
      classShifts = []
    }
    let covariateCumulative = covariates.map { covariate -> [Double] in
      let total = covariate.shares.reduce(0, +)
      var running = 0.0
      return covariate.shares.map {
        running += $0 / total; return running
      }
    }
    func pick(_ cumulative: [Double], _ u: Double) -> Int {
      cumulative.firstIndex { u < $0 } ?? cumulative.count - 1
    }
    var counts: [UInt32: Int] = [:]
    var logOdds = [Double](repeating: 0, count: k)
    for _ in 0..<populationSize {
      for j in 0..<k { logOdds[j] = base[j] }
      switch heterogeneity {
      case .none: break
      case .latentClasses:
        let c = pick(classCumulative, generator.uniform())
        for j in 0..<k { logOdds[j] += classShifts[c][j] }
      case .logNormal(let sd):
        let z = sd * generator.standardNormal()
        for j in 0..<k { logOdds[j] += z }
      }
      for (index, covariate) in covariates.enumerated() {
        let level = pick(covariateCumulative[index], generator.uniform())
        for j in 0..<k { logOdds[j] += covariate.effects[level][j] }
      }
      var mask: UInt32 = 0
      for j in 0..<k where generator.uniform() < 1 / (1 + .exp(-logOdds[j])) { mask |= 1 << UInt32(j) }
      for link in referrals where mask & (1 << UInt32(link.from)) != 0 {
        if generator.uniform() < link.probability { mask |= 1 << UInt32(link.to) }
      }
      for link in exclusions where mask & (1 << UInt32(link.from)) != 0 && mask & (1 << UInt32(link.to)) != 0 {
        if generator.uniform() < link.probability { mask &= ~(1 << UInt32(link.to)) }
      }
      for pair in disjointPairs where mask & (1 << UInt32(pair[0])) != 0 {
        mask &= ~(1 << UInt32(pair[1]))
      }
      if mask != 0 { counts[mask, default: 0] += 1 }
    }
    guard !counts.isEmpty else { return nil }
    return try? CaptureData(
      listNames: listNames, counts: counts.map { (CaptureHistory(rawValue: $0.key)!, $0.value) })
  }
}
