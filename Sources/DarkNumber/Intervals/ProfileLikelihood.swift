import DarkNumberLinearAlgebra
import RealModule

/// The multinomial profile log-likelihood of the population size `N` under a log-linear model
/// (Cormack 1992, Biometrics 48:567–576), as Rcapture's `closedpCI.t` computes it.
///
/// For a given real `N`, the all-zero cell gets the count `n₀ = N − n` and the model (with the
/// all-zero row: intercept only) is refitted by Poisson IRLS on all `2ᴷ` cells, giving deviance
/// `D(N)`. Then `ℓ(N) = −D(N)/2 + c(N)` with Cormack's correction
/// `c(N) = n₀ log n₀ + log N! − N log N − log n₀!`; like Rcapture, for `N > 100` Stirling's form
/// `c(N) = n₀ − N − ½ log(n₀/N)` (or `−N + ½ log(2πN)` when `n₀ ∈ {0, 1}`) is used, so limits agree
/// with Rcapture's to its root-finding tolerance.
public struct ProfileLikelihood: Sendable {
  /// The observed total `n`.
  public let observedTotal: Double
  private var engine: PoissonIRLS
  private var counts: [Double]
  private let options: FitOptions
  /// Units in `n` outside the fitted rows (number-of-captures data truncated at `t₀`).
  private let excluded: Double

  /// The profile for `model` on `data`.
  /// - Throws: ``EstimationError`` when LAPACK fails.
  public init(model: LogLinearModel, data: CaptureData, options: FitOptions = FitOptions())
    throws(EstimationError)
  {
    let design = DesignMatrix(model: model, listNames: data.listNames, includesUnobservedCell: true)
    // On all 2ᴷ cells a hierarchical log-linear design has full column rank.
    try self.init(
      design: design.matrix, observedCounts: data.denseCounts(), observedTotal: data.observedTotal,
      knownFullRank: true, options: options)
  }

  /// The profile for a fitted closed-population model, with the design columns it kept (Chao's
  /// dropped `η` stay dropped; Rcapture re-selects them for every `N`).
  /// - Throws: ``EstimationError/profileNotAvailable(model:)`` for `Mb` and `Mbh`, whose all-zero
  ///   cell is not a log-linear extension of the design (Rcapture's `closedpCI.t` omits them too).
  ///   Number-of-captures fits profile as Rcapture's `closedpCI.0`: the `k = 0` row, offset 0.
  public init(fit: ClosedPopulationFit, options: FitOptions = FitOptions()) throws(EstimationError) {
    guard fit.model.unobservedIsIntercept else {
      throw .profileNotAvailable(model: fit.model.description)
    }
    var design: Matrix
    var names: [String]
    var offset: [Double] = []
    let observed: [Double]
    var excluded = 0
    if let layout = fit.frequencyLayout {
      // Rcapture's closedpCI.0: the k = 0 row (offset 0) joins rows k = t₀…1.
      (design, names, offset) = layout.design(model: fit.model, includesUnobservedCell: true)
      observed = layout.counts
      excluded = layout.excluded
    } else if let data = fit.data {
      (design, names) = fit.model.design(listNames: data.listNames, includesUnobservedCell: true)
      observed = data.denseCounts()
    } else {
      throw .profileNotAvailable(model: fit.model.description)
    }
    for dropped in fit.droppedHeterogeneityTerms {
      if let column = names.firstIndex(of: dropped) {
        design = design.removingColumn(column)
        names.remove(at: column)
      }
    }
    try self.init(
      design: design, observedCounts: observed, observedTotal: fit.observedTotal, excluded: excluded,
      offset: offset, knownFullRank: false, options: options)
  }

  /// The profile for any design whose row 0 is the unobserved cell and whose other rows have the
  /// `observedCounts`; `excluded` units (caught more than `t₀` times) count in `n` but not in the fit.
  init(
    design: Matrix, observedCounts: [Double], observedTotal: Int, excluded: Int = 0,
    offset: [Double] = [], knownFullRank: Bool, options: FitOptions
  ) throws(EstimationError) {
    // Parameters at −∞ (zero sufficient statistic) leave the fit with the cells they cover; the
    // unobserved cell (row 0) carries no such term and always stays, as row 0.
    let allCounts = [0] + observedCounts
    let reduction = BoundaryReduction(design: design, counts: allCounts, protectedRows: [0])
    engine = try PoissonIRLS(
      design: reduction.design, rankTolerance: options.rankTolerance,
      knownFullRank: knownFullRank && reduction.boundaryColumns.isEmpty,
      offset: offset.isEmpty ? [] : reduction.keptRows.map { offset[$0] })
    guard engine.rank == reduction.design.columns else { throw .interceptNotIdentifiable }
    counts = reduction.keptRows.map { allCounts[$0] }
    self.observedTotal = Double(observedTotal)
    self.excluded = Double(excluded)
    self.options = options
  }

  /// `ℓ(N)` for `N ≥ n`.
  public mutating func logLikelihood(at total: Double) throws(EstimationError) -> Double {
    precondition(total >= observedTotal, "N cannot be below the observed total")
    let unobserved = total - observedTotal
    counts[0] = unobserved
    let deviance = try engine.fit(counts: counts, options: options).deviance
    // Rcapture uses the total of the fitted cells, N minus units outside them.
    return -deviance / 2 + Self.cormackCorrection(total: total - excluded, unobserved: unobserved)
  }

  /// Cormack's `c(N)` in Rcapture's piecewise form (exact up to `N = 100`, Stirling above).
  static func cormackCorrection(total: Double, unobserved: Double) -> Double {
    if total > 100 {
      if unobserved == 0 || unobserved == 1 {
        return -total + 0.5 * Double.log(2 * Double.pi * total)
      }
      return unobserved - total - 0.5 * Double.log(unobserved / total)
    }
    let unobservedTerm = unobserved > 0 ? unobserved * Double.log(unobserved) : 0
    return unobservedTerm + Double.logGamma(total + 1) - total * Double.log(total)
      - Double.logGamma(unobserved + 1)
  }
}

extension LogLinearFit {
  /// The multinomial profile-likelihood interval for `N` (Cormack 1992), as Rcapture's
  /// `closedpCI.t`; see ``ProfileLikelihood/interval(level:poissonTotal:)``.
  public func profileLikelihoodInterval(level: Double = 0.95) throws(EstimationError)
    -> IntervalEstimate
  {
    var profile = try ProfileLikelihood(model: model, data: data, options: options)
    return try profile.interval(level: level, poissonTotal: total)
  }
}

extension ProfileLikelihood {
  /// The multinomial profile-likelihood interval for `N` at coverage `level`; see
  /// `ProfileIntervalSearch`.
  public mutating func interval(level: Double = 0.95, poissonTotal: Double) throws(EstimationError)
    -> IntervalEstimate
  {
    try ProfileIntervalSearch.interval(
      observedTotal: observedTotal, poissonTotal: poissonTotal, level: level
    ) { (total: Double) throws(EstimationError) -> Double in try self.logLikelihood(at: total) }
  }
}

/// The search that turns a profile log-likelihood `ℓ(N)` into an interval, with a tighter and more
/// robust search than Rcapture's.
///
/// The multinomial estimate `Ñ` maximises `ℓ` (searched on `[n, 1.5 N̂]`, `N̂ = poissonTotal`,
/// widened while the maximum sits at the upper end). The limits solve `ℓ(N) = ℓ(Ñ) − χ²₁(level)/2`:
/// the lower on `[n, Ñ]` — when `ℓ(n)` is still above the cut-off the lower limit is `n` (noted) —
/// and the upper on `[Ñ, 3N̂]`, doubled up to 60 times; if the likelihood never drops to the
/// cut-off the upper limit is ``IntervalLimit/unbounded``. Roots and the maximum are found to
/// `1e-7` relative accuracy (Rcapture: `1e-4` absolute).
enum ProfileIntervalSearch {
  static func interval(
    observedTotal n: Double, poissonTotal: Double, level: Double,
    logLikelihood: (Double) throws(EstimationError) -> Double
  ) throws(EstimationError) -> IntervalEstimate {
    try EstimationError.checkLevel(level)
    let z = Normal.quantile(0.5 + level / 2)
    let drop = z * z / 2
    var upperSearch = max(1.5 * poissonTotal, n + 1)
    var best = (x: n, value: -Double.infinity)
    for _ in 0..<60 {
      best = try Brent.maximum(in: (n, upperSearch), tolerance: 1e-9 * upperSearch, logLikelihood)
      if best.x < upperSearch - 1e-3 * (upperSearch - n) { break }
      upperSearch *= 4
    }
    let cutoff = best.value - drop
    let maximiser = best.x
    var notes: [IntervalNote] = []
    let lower: IntervalLimit
    if try logLikelihood(n) >= cutoff {
      lower = .finite(n)
      notes.append(.lowerLimitSetToObserved)
    } else {
      lower = .finite(
        try Brent.root(in: (n, maximiser), tolerance: 1e-7 * maximiser) {
          (total: Double) throws(EstimationError) -> Double in try logLikelihood(total) - cutoff
        })
    }
    var upper = IntervalLimit.unbounded
    var bracketStart = maximiser
    var bracketEnd = max(3 * poissonTotal, maximiser * 1.5)
    for _ in 0..<60 {
      if try logLikelihood(bracketEnd) < cutoff {
        let start = bracketStart
        upper = .finite(
          try Brent.root(in: (start, bracketEnd), tolerance: 1e-7 * start) {
            (total: Double) throws(EstimationError) -> Double in try logLikelihood(total) - cutoff
          })
        break
      }
      bracketStart = bracketEnd
      bracketEnd *= 2
    }
    if upper == .unbounded { notes.append(.upperLimitUnbounded) }
    return IntervalEstimate(
      method: .profileLikelihood, level: level, lower: lower, upper: upper, estimate: maximiser,
      notes: notes)
  }
}
