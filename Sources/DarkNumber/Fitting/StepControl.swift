/// R `glm.fit`'s step control and convergence rule, shared by every IRLS in the package
/// (``PoissonIRLS``, the hierarchical lattice IRLS and the covariate lattice IRLS).
enum StepControl {
  /// The relative change of the deviance, `|D − D₀| / (|D| + 0.1)`, which `glm.fit` compares with
  /// its tolerance.
  @inline(__always)
  static func relativeChange(_ deviance: Double, from previous: Double) -> Double {
    abs(deviance - previous) / (abs(deviance) + 0.1)
  }

  /// The deviance after step halving: while `deviance` is not finite, or rose from `previous` by
  /// more than the tolerance relative to its size (a rise within rounding noise near a zero
  /// deviance is not a reason to halve), `halve()` moves the coefficients halfway back to the
  /// previous ones and returns the deviance there — at most `options.maximumStepHalvings` times.
  @inline(__always)
  static func halvingSteps(
    deviance: Double, previous: Double, tolerance: Double, maximumHalvings: Int, halve: () -> Double
  ) -> Double {
    var current = deviance
    var halvings = 0
    while !current.isFinite || (current - previous) / (abs(current) + 0.1) > tolerance {
      guard halvings < maximumHalvings else { break }
      halvings += 1
      current = halve()
    }
    return current
  }
}
