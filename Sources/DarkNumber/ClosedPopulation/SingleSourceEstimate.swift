import RealModule

/// Estimators of the population size from one source: how many units were seen once (`f₁`) and
/// twice (`f₂`), for registers in which individuals can appear repeatedly.
///
/// - Chao's lower bound (Chao 1987, *Biometrics* 43:783, doi:10.2307/2531532):
///   `N̂ = n + f₁²/(2f₂)`, `Var = f₂[¼(f₁/f₂)⁴ + (f₁/f₂)³ + ½(f₁/f₂)²]`.
/// - Zelterman (1988, *J. Stat. Plan. Inference* 18:225, doi:10.1016/0378-3758(88)90007-9):
///   `λ̂ = 2f₂/f₁`, `N̂ = n/(1 − e^{−λ̂})`, with the variance of Böhning & van der Heijden (2009,
///   *Ann. Appl. Stat.* 3:595, doi:10.1214/08-AOAS214):
///   `n e^{−λ}/(1 − e^{−λ})² + [n λ e^{−λ}/(1 − e^{−λ})²]² (1/f₁ + 1/f₂)`.
///
/// Both use only `f₁` and `f₂` and are robust to heterogeneity in the higher counts (van der
/// Heijden, Cruyff & van Houwelingen 2003, *Stat. Neerl.* 57:289, on illegal immigrants in the
/// Netherlands). Chao's estimate equals Rcapture's `closedp.0(t = Inf)` `Mh Chao (LB)` with `t₀ = 3`.
public struct SingleSourceEstimate: Sendable, Hashable {
  /// Which estimator.
  public enum Estimator: String, Sendable, Hashable, CaseIterable {
    /// Chao's lower bound `n + f₁²/(2f₂)`.
    case chao
    /// Zelterman's `n/(1 − e^{−2f₂/f₁})`.
    case zelterman
  }

  /// The estimator.
  public let estimator: Estimator
  /// `n`.
  public let observedTotal: Int
  /// `f₁`.
  public let once: Int
  /// `f₂`.
  public let twice: Int
  /// `N̂`.
  public let total: Double
  /// `√Var(N̂)`.
  public let standardError: Double

  /// The estimate from `data`'s `f₁`, `f₂` and `n`.
  /// - Throws: ``EstimationError/needsRepeatedCaptures(once:twice:)`` when `f₁` or `f₂` is zero.
  public init(estimator: Estimator, data: CaptureFrequencies) throws(EstimationError) {
    let f1 = data.frequency(1)
    let f2 = data.frequency(2)
    guard f1 > 0 && f2 > 0 else { throw .needsRepeatedCaptures(once: f1, twice: f2) }
    let n = Double(data.observedTotal)
    let (a, b) = (Double(f1), Double(f2))
    switch estimator {
    case .chao:
      let ratio = a / b
      total = n + a * a / (2 * b)
      standardError = (b * (ratio * ratio * ratio * ratio / 4 + ratio * ratio * ratio + ratio * ratio / 2))
        .squareRoot()
    case .zelterman:
      let lambda = 2 * b / a
      let missed = Double.exp(-lambda)
      let caught = 1 - missed
      total = n / caught
      let sampling = n * missed / (caught * caught)
      let derivative = n * lambda * missed / (caught * caught)
      standardError = (sampling + derivative * derivative * (1 / a + 1 / b)).squareRoot()
    }
    self.estimator = estimator
    observedTotal = data.observedTotal
    once = f1
    twice = f2
  }

  /// A Wald or log-normal (Chao 1987) interval at `level`.
  /// - Throws: ``EstimationError/intervalNotAvailable(_:reason:)`` for the profile-likelihood
  ///   and log-Wald intervals (a single-source estimator has no likelihood for them);
  ///   ``EstimationError/invalidLevel(_:)``.
  public func interval(_ method: IntervalMethod, level: Double = 0.95) throws(EstimationError)
    -> IntervalEstimate
  {
    try EstimationError.checkModelBased(method, level: level)
    guard method == .wald || method == .logNormal else {
      throw .intervalNotAvailable(method, reason: "a single-source estimator gives Wald and log-normal intervals only")
    }
    let n = Double(observedTotal)
    return method == .wald
      ? WaldInterval.make(total: total, observed: n, standardError: standardError, level: level)
      : LogNormalInterval.make(total: total, observed: n, standardError: standardError, level: level)
  }
}
