import RealModule

extension LogLinearFit {
  /// A confidence interval for `N` at coverage `level`.
  ///
  /// - ``IntervalMethod/wald``: `N̂ ± z SE(N̂)`, lower limit at least `n`.
  /// - ``IntervalMethod/logNormal``: Chao (1987) on the unobserved count.
  /// - ``IntervalMethod/profileLikelihood``: Cormack (1992), see ``profileLikelihoodInterval(level:)``.
  /// - ``IntervalMethod/logWald``: `n + exp(β̂₀ ± z·SE(β̂₀))` (SparseMSE).
  ///
  /// - Throws: ``EstimationError/invalidLevel(_:)`` unless `level` lies in (0, 1);
  ///   ``EstimationError`` when the profile likelihood cannot be computed.
  public func interval(_ method: IntervalMethod, level: Double = 0.95) throws(EstimationError)
    -> IntervalEstimate
  {
    try EstimationError.checkModelBased(method, level: level)
    switch method {
    case .wald:
      return WaldInterval.make(
        total: total, observed: Double(data.observedTotal), standardError: standardError,
        level: level)
    case .logNormal:
      return LogNormalInterval.make(
        total: total, observed: Double(data.observedTotal), standardError: standardError,
        level: level)
    case .profileLikelihood:
      return try profileLikelihoodInterval(level: level)
    case .logWald:
      return LogWaldInterval.make(
        observed: Double(data.observedTotal), logUnobserved: logUnobserved,
        variance: interceptVariance, level: level)
    case .bootstrapPercentile, .bootstrapBCa, .credible:
      throw .notModelBased(method)
    }
  }
}

/// `N̂ ± z_{(1+level)/2} · SE`, the lower limit raised to `n` when below it.
enum WaldInterval {
  static func make(total: Double, observed: Double, standardError: Double, level: Double)
    -> IntervalEstimate
  {
    let z = Normal.quantile(0.5 + level / 2)
    var lower = total - z * standardError
    var notes: [IntervalNote] = []
    if lower < observed {
      lower = observed
      notes.append(.lowerLimitSetToObserved)
    }
    return IntervalEstimate(
      method: .wald, level: level, lower: .finite(lower), upper: .finite(total + z * standardError),
      estimate: total, notes: notes)
  }
}

/// Chao (1987, Biometrics 43:783–791): `log(N̂ − n)` approximately normal. With `f̂₀ = N̂ − n` and
/// `C = exp(z √log(1 + SE²/f̂₀²))`, the interval is `[n + f̂₀/C, n + f̂₀·C]`.
enum LogNormalInterval {
  static func make(total: Double, observed: Double, standardError: Double, level: Double)
    -> IntervalEstimate
  {
    let z = Normal.quantile(0.5 + level / 2)
    let unobserved = total - observed
    guard unobserved > 0 else {
      return IntervalEstimate(
        method: .logNormal, level: level, lower: .finite(observed), upper: .finite(observed),
        estimate: total, notes: [])
    }
    let ratio = standardError / unobserved
    let factor = Double.exp(z * Double.log(1 + ratio * ratio).squareRoot())
    return IntervalEstimate(
      method: .logNormal, level: level, lower: .finite(observed + unobserved / factor),
      upper: .finite(observed + unobserved * factor), estimate: total, notes: [])
  }
}
