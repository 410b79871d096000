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

  /// The profile for `model` on `data`.
  /// - Throws: ``EstimationError`` when LAPACK fails.
  public init(model: LogLinearModel, data: CaptureData, options: FitOptions = FitOptions())
    throws(EstimationError)
  {
    let design = DesignMatrix(model: model, listNames: data.listNames, includesUnobservedCell: true)
    // On all 2ᴷ cells a hierarchical log-linear design has full column rank.
    engine = try PoissonIRLS(
      design: design.matrix, rankTolerance: options.rankTolerance, knownFullRank: true)
    counts = [0] + data.denseCounts()
    observedTotal = Double(data.observedTotal)
    self.options = options
  }

  /// `ℓ(N)` for `N ≥ n`.
  public mutating func logLikelihood(at total: Double) throws(EstimationError) -> Double {
    precondition(total >= observedTotal, "N cannot be below the observed total")
    let unobserved = total - observedTotal
    counts[0] = unobserved
    let deviance = try engine.fit(counts: counts, options: options).deviance
    return -deviance / 2 + Self.cormackCorrection(total: total, unobserved: unobserved)
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
  /// `closedpCI.t`, with a tighter and more robust search.
  ///
  /// The multinomial estimate `Ñ` maximises ``ProfileLikelihood/logLikelihood(at:)`` (searched on
  /// `[n, 1.5 N̂]`, widened while the maximum sits at the upper end). The limits solve
  /// `ℓ(N) = ℓ(Ñ) − χ²₁(level)/2`: the lower on `[n, Ñ]` — when `ℓ(n)` is still above the cut-off
  /// the lower limit is `n` (noted) — and the upper on `[Ñ, 3N̂]`, doubled up to 60 times; if the
  /// likelihood never drops to the cut-off the upper limit is ``IntervalLimit/unbounded``.
  /// Roots and the maximum are found to `1e-7` relative accuracy (Rcapture: `1e-4` absolute).
  public func profileLikelihoodInterval(level: Double = 0.95) throws(EstimationError)
    -> ConfidenceInterval
  {
    var profile = try ProfileLikelihood(model: model, data: data, options: options)
    let n = Double(data.observedTotal)
    let cutoffDrop = Normal.quantile(0.5 + level / 2)
    let drop = cutoffDrop * cutoffDrop / 2
    var upperSearch = max(1.5 * total, n + 1)
    var best = (x: n, value: -Double.infinity)
    for _ in 0..<60 {
      let tolerance = 1e-9 * upperSearch
      best = try Brent.maximum(in: (n, upperSearch), tolerance: tolerance) {
        (N: Double) throws(EstimationError) -> Double in try profile.logLikelihood(at: N)
      }
      if best.x < upperSearch - 1e-3 * (upperSearch - n) { break }
      upperSearch *= 4
    }
    let cutoff = best.value - drop
    let maximiser = best.x
    var notes: [IntervalNote] = []
    let f = { (N: Double) throws(EstimationError) -> Double in
      try profile.logLikelihood(at: N) - cutoff
    }
    let lower: IntervalLimit
    if try f(n) >= 0 {
      lower = .finite(n)
      notes.append(.lowerLimitSetToObserved)
    } else {
      lower = .finite(try Brent.root(in: (n, maximiser), tolerance: 1e-7 * maximiser, f))
    }
    var upper = IntervalLimit.unbounded
    var bracketEnd = max(3 * total, maximiser * 1.5)
    var bracketStart = maximiser
    for _ in 0..<60 {
      if try f(bracketEnd) < 0 {
        upper = .finite(
          try Brent.root(in: (bracketStart, bracketEnd), tolerance: 1e-7 * bracketStart, f))
        break
      }
      bracketStart = bracketEnd
      bracketEnd *= 2
    }
    if upper == .unbounded { notes.append(.upperLimitUnbounded) }
    return ConfidenceInterval(
      method: .profileLikelihood, level: level, lower: lower, upper: upper, estimate: maximiser,
      notes: notes)
  }
}
