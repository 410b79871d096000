/// How well a fitted model reproduces the observed cells: the deviance and Pearson's X², each
/// with its χ² p-value on the residual degrees of freedom.
///
/// `G² = 2 Σ [y log(y/μ̂) − (y − μ̂)]` and `X² = Σ (y − μ̂)²/μ̂` over the observable cells
/// fitted; both are approximately χ² with `cells − parameters` degrees of freedom when the
/// model holds and every fitted count is large (Bishop, Fienberg & Holland 1975, *Discrete
/// Multivariate Analysis*, §4.2). Capture–recapture tables are sparse — many cells have counts
/// of 0–5 — and there the approximation is poor, so the p-values are only indicative: a tiny
/// p-value still says the model misses the data, a large one does not prove it fits. Comparing
/// models (``ModelSelection``, ``ModelSearch``) is the better guide.
public struct GoodnessOfFit: Sendable, Hashable {
  /// The p-value below which ``warning`` speaks.
  public static let poorFitLevel = 0.001

  /// The deviance `G²`.
  public let deviance: Double
  /// Residual degrees of freedom: cells fitted minus parameters (rank).
  public let degreesOfFreedom: Int
  /// `P(χ²_df > G²)`, or `nil` when the model is saturated (no degrees of freedom left).
  public let pValue: Double?
  /// Pearson's `X² = Σ (y − μ̂)²/μ̂`.
  public let pearson: Double
  /// `P(χ²_df > X²)`, or `nil` when the model is saturated.
  public let pearsonPValue: Double?

  /// The statistics of a fit with deviance `deviance`, Pearson statistic `pearson` and
  /// `degreesOfFreedom` residual degrees of freedom.
  public init(deviance: Double, pearson: Double, degreesOfFreedom: Int) {
    self.deviance = deviance
    self.pearson = pearson
    self.degreesOfFreedom = degreesOfFreedom
    pValue = Self.tail(deviance, degreesOfFreedom)
    pearsonPValue = Self.tail(pearson, degreesOfFreedom)
  }

  /// Whether the deviance's p-value is below ``poorFitLevel``.
  public var isPoor: Bool { (pValue ?? 1) < Self.poorFitLevel }

  /// A sentence for a person when the fit is poor (``isPoor``), else `nil`.
  public var warning: String? {
    guard isPoor, let pValue else { return nil }
    return "the model does not fit the data: deviance \(oneDecimal(deviance)) on \(degreesOfFreedom) "
      + "degrees of freedom (p = \(Self.probabilityText(pValue))). An estimate from a model the data reject "
      + "is not to be trusted; choose the model from the data (darknumber select, or ModelSelection)."
  }

  /// The χ² tail, `nil` without degrees of freedom or for a statistic that is not a number.
  private static func tail(_ statistic: Double, _ degreesOfFreedom: Int) -> Double? {
    guard degreesOfFreedom >= 1, statistic.isFinite else { return nil }
    return ChiSquared.survival(max(statistic, 0), degreesOfFreedom: degreesOfFreedom)
  }

  /// A p-value as reports print it: three decimals from 0.001 up (`0.209`), two significant
  /// digits below (`1.1e-62`), and `< 1e-300` where the tail underflows.
  package static func probabilityText(_ p: Double) -> String {
    if p >= 0.001 { return "\((p * 1000).rounded() / 1000)" }
    if p < 1e-300 { return "< 1e-300" }
    var exponent = 0
    var mantissa = p
    while mantissa < 1 {
      mantissa *= 10
      exponent -= 1
    }
    var digits = (mantissa * 10).rounded() / 10
    if digits >= 10 {
      digits = 1
      exponent += 1
    }
    return "\(digits)e\(exponent)"
  }
}
