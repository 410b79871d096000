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

  /// The defaults.
  public init() {}
}
