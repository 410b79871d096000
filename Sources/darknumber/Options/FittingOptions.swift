import ArgumentParser
import DarkNumber

/// `--glm-compatible`: R `glm`'s stopping rule, for R's digits.
struct FittingOptions: ParsableArguments {
  @Flag(
    help:
      "Stop the iterations as R's glm does (deviance change < 1e-8, at most 25 steps) and take the covariance from the last step, to reproduce R's standard errors digit for digit."
  )
  var glmCompatible = false

  /// The library's fit settings this flag selects.
  var fitOptions: FitOptions { glmCompatible ? .glmCompatible : FitOptions() }
}
