public import DarkNumber
internal import RealModule

/// Bayesian thresholding (Silverman 2020, *JRSS A* 183:691; MultipleSystemsEstimation's
/// `estimate_population_bayesthresh`).
///
/// A Poisson log-linear model on every observable cell (zero counts included) with flat priors on
/// the intercept and main effects and, on the interactions, independent `N(0, v)` priors (proper)
/// or flat ones (improper). All two-list interactions are fitted by MCMC and those whose
/// |posterior mean| / posterior sd is below the threshold are dropped. With maximum order 3, a
/// three-list interaction is eligible when its three pairs were retained; the model of retained
/// pairs and eligible triples is fitted, triples are thresholded the same way, and the resulting
/// hierarchical model is refitted. N = n + e^{β₀} for every draw; the estimate is its posterior
/// median.
///
/// With improper priors an interaction whose sufficient statistic is zero has its posterior at
/// −∞: it is set aside with its cells before sampling and reported in ``minusInfinite``. The model
/// with every pair must pass the Fienberg–Rinaldo existence check (`ExistenceCheck`) or the
/// procedure stops (``BayesError/thresholdingStartFails(model:code:)``); with maximum order 3, a
/// failing extension by the eligible triples reverts to the pairwise analysis (``revertedToPairs``).
/// With proper priors no check is needed (Forster 2010): the posterior is proper. As in the
/// package, the flat priors of the intercept and main effects are `N(0, 10⁴)` when the
/// interactions' priors are proper.
///
/// The sampler is `PoissonPosteriorSampler`'s independence chain (MCMCpack's random walk is
/// the package's); 1,000 burn-in and 10,000 kept draws by default, as `MCMCpoisson`.
public struct BayesianThresholding: Sendable {
  /// The prior of the interaction parameters.
  public enum Prior: Sendable, Hashable {
    /// Independent `N(0, variance)`.
    case proper(variance: Double)
    /// Flat on the real line.
    case improper
  }

  /// The settings of the procedure.
  public struct Options: Sendable {
    /// The interactions' prior (the package's default: proper with variance 1).
    public var prior = Prior.proper(variance: 1)
    /// An interaction is kept when |posterior mean| / posterior sd ≥ this (default 2).
    public var threshold = 2.0
    /// 2 (pairs only) or 3 (also three-list interactions).
    public var maximumOrder = 2
    /// Draws kept per fit.
    public var draws = 10_000
    /// Draws discarded first per fit.
    public var burnIn = 1_000
    /// The seed; fit `k` of the procedure draws from stream `(seed, k)`.
    public var seed: UInt64 = 1

    /// The package's defaults.
    public init() {}
  }

  /// One interaction's threshold statistic |posterior mean| / posterior sd.
  public struct Statistic: Sendable, Hashable {
    /// The interaction, as a bitmask of zero-based lists.
    public let term: UInt32
    /// The statistic.
    public let value: Double
  }

  /// The two-list interactions retained (bitmasks, in the package's order 12, 13, 23, 14, …).
  public let retained: [UInt32]
  /// The statistics of the pairs in the first fit.
  public let thresholdStatistics: [Statistic]
  /// With maximum order 3: the triples all of whose pairs were retained.
  public let eligibleTriples: [UInt32]
  /// The triples retained, when the three-list step ran (`nil` otherwise).
  public let retainedTriples: [UInt32]?
  /// The statistics of the eligible triples, when the three-list step ran.
  public let tripleThresholdStatistics: [Statistic]
  /// Improper priors: the interactions whose posterior sits at −∞ (sufficient statistic 0).
  public let minusInfinite: [UInt32]
  /// Whether the three-list extension failed the existence check and the pairwise analysis was
  /// kept (improper priors only).
  public let revertedToPairs: Bool
  /// The final model (its interactions, including any at −∞).
  public let model: LogLinearModel
  /// The posterior of N from the final fit.
  public let posterior: PosteriorSummary
  /// N for every kept draw of the final fit.
  public let totals: [Double]
  /// The share of proposals accepted in the final fit.
  public let acceptanceRate: Double
  /// Split-R̂ and effective sample size of N in the final fit.
  public let diagnostics: ConvergenceDiagnostics
  /// The options used.
  public let options: Options

  /// The posterior median of N.
  public var estimate: Double { posterior.median }

  /// Runs the procedure on `data`.
  /// - Throws: ``BayesError/invalidOption(_:)`` for settings out of range;
  ///   ``BayesError/thresholdingStartFails(model:code:)`` when, with improper priors, the model
  ///   with every pair fails the existence check; ``BayesError/posteriorModeNotFound(model:)``
  ///   when a fit's posterior has no mode.
  public static func run(data: CaptureData, options: Options = Options()) throws(BayesError)
    -> BayesianThresholding
  {
    let k = data.listCount
    guard options.maximumOrder == 2 || options.maximumOrder == 3 else {
      throw .invalidOption("the maximum order of Bayesian thresholding is 2 or 3")
    }
    guard options.maximumOrder == 2 || k >= 3 else {
      throw .invalidOption("three-list interactions need at least three lists")
    }
    guard options.threshold.isFinite && options.threshold >= 0 else {
      throw .invalidOption("the threshold must be a number of at least 0")
    }
    if case .proper(let variance) = options.prior, !(variance > 0 && variance.isFinite) {
      throw .invalidOption("the prior variance must be positive")
    }
    guard options.draws >= 10 && options.burnIn >= 0 else {
      throw .invalidOption("at least 10 draws are needed, and a burn-in of 0 or more")
    }
    guard k <= 10 else { throw .invalidOption("Bayesian thresholding takes 2 to 10 lists") }
    let improper = options.prior == .improper
    var counts = [Double](repeating: 0, count: 1 << k)
    for cell in data.cells { counts[Int(cell.history.rawValue)] = Double(cell.count) }
    let all = Array(1..<(1 << k))
    let pairs = (1..<UInt32(1 << k)).filter { $0.nonzeroBitCount == 2 }
    let checks = ExistenceCache()
    func passes(_ interactions: [UInt32]) throws(BayesError) -> (Bool, Int) {
      let model = LogLinearModel(listCount: k, generators: interactions)
      do {
        let code = try checks.code(model: model, data: data)
        return (code == 0, code)
      } catch {
        throw .invalidOption("the existence check failed: \(error)")
      }
    }
    if improper {
      let (ok, code) = try passes(pairs)
      if !ok {
        throw .thresholdingStartFails(model: LogLinearModel(listCount: k, generators: pairs).description, code: code)
      }
    }
    var fitIndex: UInt64 = 0
    func fit(cells: [Int], effects: [UInt32], prune: Bool) throws(BayesError) -> Fit {
      defer { fitIndex += 1 }
      return try Fit(
        counts: counts, cells: cells, listCount: k, effects: effects, prune: prune && improper,
        options: options, stream: fitIndex)
    }
    // Pruning happens only under the improper prior: otherwise the cells stay all of them and
    // nothing is removed.
    let first = try fit(cells: all, effects: pairs, prune: true)
    let pairStatistics = first.statistics(order: 2)
    let kept = pairStatistics.filter { $0.value >= options.threshold }.map(\.term)
    var eligible: [UInt32] = []
    if options.maximumOrder == 3 {
      eligible = (1..<UInt32(1 << k)).filter { triple in
        triple.nonzeroBitCount == 3
          && pairs.allSatisfy { pair in pair & triple != pair || kept.contains(pair) }
      }
    }
    var reverted = false
    if improper && !eligible.isEmpty {
      reverted = !(try passes(kept + eligible).0)
    }
    let final: Fit
    var retainedTriples: [UInt32]?
    var tripleStatistics: [Statistic] = []
    var removed = first.removed
    if !eligible.isEmpty && !reverted {
      let third = try fit(cells: first.cells, effects: kept + eligible, prune: true)
      removed += third.removed.filter { $0.nonzeroBitCount == 3 }
      tripleStatistics = third.statistics(order: 3)
      let triples = tripleStatistics.filter { $0.value >= options.threshold }.map(\.term)
      retainedTriples = triples
      final = try fit(cells: third.cells, effects: kept + triples, prune: false)
    } else {
      final = try fit(cells: first.cells, effects: kept, prune: false)
    }
    let n = Double(data.observedTotal)
    let totals = final.draws.map { n + Double.exp($0[0]) }
    return BayesianThresholding(
      retained: kept, thresholdStatistics: pairStatistics, eligibleTriples: eligible,
      retainedTriples: retainedTriples, tripleThresholdStatistics: tripleStatistics,
      minusInfinite: Array(Set(removed)).sorted(), revertedToPairs: reverted,
      model: LogLinearModel(listCount: k, generators: final.effects + removed),
      posterior: PosteriorSummary(draws: totals), totals: totals, acceptanceRate: final.acceptance,
      diagnostics: ConvergenceDiagnostics(chains: [totals]), options: options)
  }

  /// One MCMC fit of the model with main effects and `effects` on the cells `cells`.
  private struct Fit {
    /// The cells fitted (histories), after pruning.
    let cells: [Int]
    /// The interactions fitted, after pruning.
    let effects: [UInt32]
    /// Interactions set aside at −∞ (improper priors).
    let removed: [UInt32]
    /// Kept draws: intercept, main effects, then `effects`.
    let draws: [[Double]]
    let acceptance: Double
    let listCount: Int

    init(
      counts: [Double], cells startCells: [Int], listCount k: Int, effects startEffects: [UInt32], prune: Bool,
      options: Options, stream: UInt64
    ) throws(BayesError) {
      listCount = k
      var cells = startCells
      var effects = startEffects
      var removed: [UInt32] = []
      if prune {
        // Zero sufficient statistic: the interaction's posterior is at −∞; its cells go, and so
        // do higher interactions containing it.
        let zero = effects.filter { term in cells.allSatisfy { $0 & Int(term) != Int(term) || counts[$0] == 0 } }
        if !zero.isEmpty {
          cells = cells.filter { h in zero.allSatisfy { h & Int($0) != Int($0) } }
          removed = zero
          let higher = effects.filter { term in !zero.contains(term) && zero.contains { $0 & term == $0 } }
          removed += higher
          effects = effects.filter { !removed.contains($0) }
        }
      }
      self.cells = cells
      self.effects = effects
      self.removed = removed
      let columns = 1 + k + effects.count
      var design = [Double](repeating: 0, count: cells.count * columns)
      for (row, h) in cells.enumerated() {
        design[row * columns] = 1
        for list in 0..<k where h & (1 << list) != 0 { design[row * columns + 1 + list] = 1 }
        for (j, term) in effects.enumerated() where h & Int(term) == Int(term) {
          design[row * columns + 1 + k + j] = 1
        }
      }
      var precisions = [Double](repeating: 0, count: columns)
      if case .proper(let variance) = options.prior {
        for j in 0..<columns { precisions[j] = j <= k ? 1e-4 : 1 / variance }
      }
      let y = cells.map { counts[$0] }
      let sampler = PoissonPosteriorSampler(
        design: design, rows: cells.count, columns: columns, counts: y, precisions: precisions)
      // The package's start: log(5n), log(nⱼ/(5n)), interactions 0.
      let n = y.reduce(0, +)
      var start = [Double.log(5 * n)]
      for list in 0..<k {
        let total = zip(cells, y).reduce(0) { $0 + ($1.0 & (1 << list) != 0 ? $1.1 : 0) }
        start.append(Double.log(max(total, 0.5) / (5 * n)))
      }
      start += [Double](repeating: 0, count: effects.count)
      guard let mode = sampler.mode(start: start) else {
        throw .posteriorModeNotFound(
          model: LogLinearModel(listCount: k, generators: effects).description)
      }
      var generator = SplitMix64.stream(seed: options.seed, index: stream)
      (draws, acceptance) = sampler.sample(
        mode: mode.beta, precision: mode.precision, draws: options.draws, burnIn: options.burnIn, using: &generator)
    }

    /// |mean| / sd of the draws of each interaction of `order`, in the package's order.
    func statistics(order: Int) -> [Statistic] {
      effects.enumerated().filter { $0.element.nonzeroBitCount == order }.map { j, term in
        let values = draws.map { $0[1 + listCount + j] }
        let count = Double(values.count)
        let mean = values.reduce(0, +) / count
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1)
        return Statistic(term: term, value: abs(mean) / variance.squareRoot())
      }.sorted { $0.term < $1.term }
    }
  }
}
