/// A caveat on a fit that still produced an estimate.
public enum FitWarning: Sendable, Hashable, CustomStringConvertible {
  /// IRLS stopped before the relative deviance change reached the tolerance.
  case didNotConverge(iterations: Int, relativeChange: Double)
  /// These parameters' maximum-likelihood estimates are −∞ (their sufficient statistic is zero,
  /// for example an interaction of two lists that never overlap); the fitted counts of the cells
  /// containing them are zero.
  case infiniteParameters([String])
  /// Some observable cells have fitted counts numerically 0 (R: "fitted rates numerically 0
  /// occurred"): a parameter is at the boundary of the parameter space.
  case fittedValuesNumericallyZero(cells: Int)
  /// The design is not of full column rank; these parameters are aliased and set aside.
  case rankDeficient(rank: Int, parameters: Int, aliased: [String])
  /// The estimate of the unobserved count is 0 at the boundary (`β̂₀ → −∞`): the model says
  /// everybody was observed, so `N̂ = n`; its standard error is not meaningful.
  case unobservedCountAtZero
  /// Rcapture's asymptotic bias exceeds 10% of `N̂` ("the asymptotic bias is large").
  case largeAsymptoticBias(bias: Double, total: Double)
  /// The data carry a caveat (for example an empty list).
  case data(DataWarning)
  /// These coefficients cannot be estimated once the structural zeros of a ``ListCoverage`` are
  /// left out (a list × level interaction where the list never operated, or one aliased with the
  /// others); they were dropped from the model.
  case notEstimableUnderCoverage([String])
  /// Fewer than two lists operated for these combinations of covariate levels: their unobserved
  /// counts, and every total that includes them, have no estimate.
  case tooFewOperatingLists(strata: [String])

  /// One sentence for a person.
  public var description: String {
    switch self {
    case .didNotConverge(let iterations, let change):
      return "the fit did not converge in \(iterations) iterations (last relative deviance change \(change))."
    case .infiniteParameters(let names):
      return
        "the estimates of \(names.joined(separator: ", ")) are −∞ (no individual in the cells they describe); those cells were removed from the fit and their fitted counts are 0."
    case .fittedValuesNumericallyZero(let cells):
      return
        "\(cells) cell\(cells == 1 ? " has a" : "s have") fitted count numerically 0: if a parameter is at the boundary the estimate does not exist; the existence check (darknumber check, ExistenceCheck) decides."
    case .rankDeficient(let rank, let parameters, let aliased):
      return "the design has rank \(rank) for \(parameters) parameters; aliased: \(aliased.joined(separator: ", "))."
    case .unobservedCountAtZero:
      return
        "the estimated number of unobserved individuals is 0 (the intercept runs off to −∞): the model says everybody was observed, and the standard error is not meaningful."
    case .largeAsymptoticBias(let bias, let total):
      return "the asymptotic bias of N̂ (\(bias)) is more than 10% of N̂ (\(total)); the estimate is unreliable."
    case .data(let warning):
      return warning.description
    case .notEstimableUnderCoverage(let names):
      return
        "the coverage (lists that did not operate everywhere) leaves \(names.joined(separator: ", ")) inestimable; dropped from the model."
    case .tooFewOperatingLists(let strata):
      return
        "fewer than two lists operated for \(strata.joined(separator: "; ")): no estimate there, nor for any total that includes \(strata.count == 1 ? "it" : "them")."
    }
  }
}
