/// How a Poisson log-linear model is fitted by iteratively reweighted least squares.
public struct FitOptions: Sendable, Hashable {
  /// Convergence when `|D − D_old| / (|D| + 0.1) ≤ tolerance` for the deviance `D` — R `glm`'s
  /// criterion, whose default is `1e-8`; ours is tighter because iterations are cheap.
  public var tolerance: Double = 1e-10
  /// At most this many IRLS iterations (R `glm`: 25). Parameters running off to −∞ need more.
  public var maximumIterations: Int = 100
  /// At most this many step halvings in one iteration when the deviance rises or is not finite.
  public var maximumStepHalvings: Int = 30
  /// The relative rank rule of the pivoted-QR fallback: `|Rᵢᵢ| > rankTolerance · |R₁₁|`.
  public var rankTolerance: Double = 1e-10
  /// A fitted count below this is "numerically zero" (R `glm` uses `10 · ε`); it signals a
  /// parameter at the boundary of the parameter space.
  public var zeroFittedValue: Double = 1e-10

  /// Above this standard error of `log(unobserved)` = `β̂₀` the estimate is declared
  /// non-existent: the intercept is running off to +∞ (for example a saturated model with empty
  /// cells, Fienberg & Rinaldo 2012), and a 95% interval would span a factor above 10¹⁷.
  public var maximumLogUnobservedStandardError: Double = 10

  /// Where the covariance `(XᵀWX)⁻¹` is evaluated.
  public var covarianceWeights: CovarianceWeights = .atEstimate

  /// The defaults.
  public init() {}

  /// Whether `β̂₀` = log(unobserved) with variance `interceptVariance` gives an estimate: `false`
  /// when it runs to −∞ (N̂ = n, a boundary to report); throws when it runs to +∞.
  /// - Throws: ``EstimationError/estimateDoesNotExist(standardErrorOfLogUnobserved:)``.
  func unobservedCountIsZero(intercept: Double, interceptVariance: Double) throws(EstimationError)
    -> Bool
  {
    let standardError = interceptVariance.squareRoot()
    guard standardError > maximumLogUnobservedStandardError else { return false }
    guard intercept < 0 else {
      throw .estimateDoesNotExist(standardErrorOfLogUnobserved: standardError)
    }
    return true
  }

  /// R `glm`'s settings: tolerance `1e-8`, at most 25 iterations, covariance from the last
  /// iteration's weights. Use it to reproduce R's standard errors digit for digit.
  public static var glmCompatible: FitOptions {
    var options = FitOptions()
    options.tolerance = 1e-8
    options.maximumIterations = 25
    options.covarianceWeights = .lastIteration
    return options
  }
}

/// Which weights `W = diag(μ)` the covariance `(XᵀWX)⁻¹` uses.
public enum CovarianceWeights: Sendable, Hashable {
  /// The fitted values at the final estimate (the inverse Fisher information at `β̂`).
  case atEstimate
  /// The fitted values before the last IRLS update, as R's `glm.fit`, whose `vcov` comes from the
  /// last weighted least-squares step. The two differ by the last step's size (≈1e-3 relative for
  /// a coefficient resting on a single individual, as `IO:K` in `Ned_5`).
  case lastIteration
}
