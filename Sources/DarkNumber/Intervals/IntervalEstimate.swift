import RealModule

/// How an interval for the population size (or a rate derived from it) is computed: every
/// interval the library returns is an ``IntervalEstimate`` carrying one of these.
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
  /// Percentiles of bootstrap replicates of `N̂` (R's `quantile(type = 8)`), from
  /// ``SelectionBootstrap``, ``ParametricBootstrap``, ``CovariateBootstrap`` or
  /// ``CovariateSelectionBootstrap`` — never from a single fit.
  case bootstrapPercentile
  /// Bias-corrected and accelerated bootstrap percentiles (Efron 1987, JASA 82:171), SparseMSE's:
  /// the probabilities `Φ(z₀ + (z₀ + z_α)/(1 − â(z₀ + z_α)))` with `z₀ = Φ⁻¹(share of replicates
  /// below N̂)` and `â` the jackknife acceleration.
  case bootstrapBCa
  /// An equal-tailed posterior credible interval (the `(1 − level)/2` and `(1 + level)/2`
  /// posterior quantiles) from a Bayesian estimator in `DarkNumberBayes`.
  case credible

  /// The methods a single fitted model can give from its likelihood; the bootstrap and credible
  /// intervals come from resampling or a posterior instead.
  public static let modelBased: [IntervalMethod] = [.wald, .logNormal, .profileLikelihood, .logWald]

  /// Whether a fitted model gives this interval by itself (see ``modelBased``).
  public var isModelBased: Bool { Self.modelBased.contains(self) }

  /// The method's name in reports: "Wald", "log-normal", "profile likelihood", …
  public var displayName: String {
    switch self {
    case .wald: "Wald"
    case .logNormal: "log-normal"
    case .profileLikelihood: "profile likelihood"
    case .logWald: "Wald on log scale"
    case .bootstrapPercentile: "bootstrap percentile"
    case .bootstrapBCa: "bootstrap BCa"
    case .credible: "credible"
    }
  }
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
    -> IntervalEstimate
  {
    let z = Normal.quantile(0.5 + level / 2)
    let spread = z * variance.squareRoot()
    return IntervalEstimate(
      method: .logWald, level: level, lower: .finite(observed + .exp(logUnobserved - spread)),
      upper: .finite(observed + .exp(logUnobserved + spread)),
      estimate: observed + .exp(logUnobserved), notes: [])
  }
}

/// An interval for the population size `N` — confidence (Wald, log-normal, profile likelihood,
/// bootstrap) or credible (Bayesian) — with the method that made it. Rates per 100,000 are the
/// same intervals scaled (``scaled(by:)``).
public struct IntervalEstimate: Sendable, Hashable {
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

  /// An interval from its parts (for estimators outside this module, such as the Bayesian ones).
  /// An upper limit that is not a finite number (a limit `exp(…)` overflowed) is ``IntervalLimit/unbounded``
  /// with the note ``IntervalNote/upperLimitOverflows``: one convention for "no finite limit",
  /// never `∞` or NaN as a number.
  public init(
    method: IntervalMethod, level: Double, lower: IntervalLimit, upper: IntervalLimit, estimate: Double,
    notes: [IntervalNote] = []
  ) {
    self.method = method
    self.level = level
    self.lower = lower
    self.estimate = estimate
    if case .finite(let value) = upper, !value.isFinite {
      self.upper = .unbounded
      self.notes = notes + [.upperLimitOverflows]
    } else {
      self.upper = upper
      self.notes = notes
    }
  }

  /// The interval, its estimate and its finite limits multiplied by `factor` (a rate per 100,000
  /// from a count: `factor = 100,000 / population`).
  public func scaled(by factor: Double) -> IntervalEstimate {
    func scale(_ limit: IntervalLimit) -> IntervalLimit { limit.value.map { .finite($0 * factor) } ?? .unbounded }
    return IntervalEstimate(
      method: method, level: level, lower: scale(lower), upper: scale(upper), estimate: estimate * factor,
      notes: notes)
  }

  /// The interval, its estimate and its finite limits less `count`, limits not below 0 (the
  /// interval of the people no list registered from the interval of `N`: `count = n`).
  public func lessCount(_ count: Double) -> IntervalEstimate {
    func shift(_ limit: IntervalLimit) -> IntervalLimit {
      limit.value.map { .finite(max($0 - count, 0)) } ?? .unbounded
    }
    return IntervalEstimate(
      method: method, level: level, lower: shift(lower), upper: shift(upper), estimate: estimate - count, notes: notes)
  }
}

/// A caveat on an interval.
public enum IntervalNote: Sendable, Hashable, CustomStringConvertible {
  /// The lower limit fell below the observed total `n` and was set to `n`.
  case lowerLimitSetToObserved
  /// The upper limit does not exist: the likelihood is flat towards `N = ∞`.
  case upperLimitUnbounded
  /// The upper limit is too large to be a number (its formula overflowed): it is reported as
  /// unbounded.
  case upperLimitOverflows

  /// One sentence for a person.
  public var description: String {
    switch self {
    case .lowerLimitSetToObserved:
      return "the lower limit was below the number observed and is set to it."
    case .upperLimitUnbounded:
      return "the profile likelihood never drops to the cut-off as N grows: no finite upper limit exists."
    case .upperLimitOverflows:
      return "the upper limit is too large to represent (its formula overflows): the data set no upper limit."
    }
  }
}
