import RealModule

/// How an interval for the population size is computed.
public enum IntervalMethod: String, Sendable, Hashable, CaseIterable {
  /// `N̂ ± z·SE(N̂)`, the lower limit raised to the observed total `n` when below it.
  case wald
  /// Log-normal on the unobserved count (Chao 1987, Biometrics 43:783): with `f̂₀ = N̂ − n` and
  /// `C = exp(z √log(1 + SE²/f̂₀²))`, the interval is `[n + f̂₀/C, n + f̂₀·C]`.
  case logNormal
  /// Inverts the multinomial profile-likelihood ratio test for `N` (Cormack 1992, Biometrics
  /// 48:567), as Rcapture's `closedpCI.t`.
  case profileLikelihood
  /// Normal on the log of the unobserved count with the standard error of `β̂₀`:
  /// `n + exp(β̂₀ ± z·SE(β̂₀))`, SparseMSE's `estimatepopulation.0` (log-linear fits only).
  case logWald
}

/// One end of an interval: a number, or unbounded when the likelihood never drops far enough.
public enum IntervalLimit: Sendable, Hashable, CustomStringConvertible {
  /// A finite limit.
  case finite(Double)
  /// No finite limit exists (the profile likelihood stays above the cut-off as `N → ∞`).
  case unbounded

  /// The limit's value, `nil` when unbounded.
  public var value: Double? {
    if case .finite(let value) = self { return value }
    return nil
  }

  /// The number, or `∞`.
  public var description: String {
    switch self {
    case .finite(let value): return String(value)
    case .unbounded: return "∞"
    }
  }
}

/// `n + exp(β̂₀ ± z·SE(β̂₀))` (SparseMSE's `estimatepopulation.0`).
enum LogWaldInterval {
  static func make(observed: Double, logUnobserved: Double, variance: Double, level: Double)
    -> ConfidenceInterval
  {
    let z = Normal.quantile(0.5 + level / 2)
    let spread = z * variance.squareRoot()
    return ConfidenceInterval(
      method: .logWald, level: level, lower: .finite(observed + .exp(logUnobserved - spread)),
      upper: .finite(observed + .exp(logUnobserved + spread)),
      estimate: observed + .exp(logUnobserved), notes: [])
  }
}

/// A confidence interval for the population size `N`.
public struct ConfidenceInterval: Sendable, Hashable {
  /// How it was computed.
  public let method: IntervalMethod
  /// The nominal coverage, in (0, 1).
  public let level: Double
  /// The lower limit.
  public let lower: IntervalLimit
  /// The upper limit.
  public let upper: IntervalLimit
  /// The point estimate the method goes with (for the profile likelihood: the multinomial MLE of
  /// `N`, which differs slightly from the Poisson `N̂`).
  public let estimate: Double
  /// Caveats: a limit set to the observed total, an unbounded limit.
  public let notes: [IntervalNote]
}

/// A caveat on an interval.
public enum IntervalNote: Sendable, Hashable, CustomStringConvertible {
  /// The lower limit fell below the observed total `n` and was set to `n`.
  case lowerLimitSetToObserved
  /// The upper limit does not exist: the likelihood is flat towards `N = ∞`.
  case upperLimitUnbounded

  /// One sentence for a person.
  public var description: String {
    switch self {
    case .lowerLimitSetToObserved:
      return "the lower limit was below the number observed and is set to it."
    case .upperLimitUnbounded:
      return "the profile likelihood never drops to the cut-off as N grows: no finite upper limit exists."
    }
  }
}
