import DarkNumberLinearAlgebra

/// Why no estimate exists for this data and model.
public enum EstimationError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The model was built for a different number of lists than the data have.
  case modelDoesNotMatchData(modelLists: Int, dataLists: Int)
  /// A full-table fit over this many lists is too large (the limit is stated).
  case tooManyLists(Int, limit: Int)
  /// The intercept (the log of the unobserved count) is not identifiable from the design.
  case interceptNotIdentifiable
  /// The model has at least as many parameters as observable cells and cannot be fitted.
  case saturatedModel(parameters: Int, cells: Int)
  /// The computation failed numerically where no fallback recovers (a factorisation of the
  /// weighted normal equations or a rank check broke down, or the existence check's linear
  /// program could not be solved); the reason is one sentence for a person.
  case numericalFailure(reason: String)
  /// The interval method is not available for this estimate; the reason says why and what gives
  /// it instead.
  case intervalNotAvailable(IntervalMethod, reason: String)
  /// The confidence level is not strictly between 0 and 1.
  case invalidLevel(Double)
  /// The iterations produced a non-finite deviance.
  case nonFiniteDeviance
  /// The maximum-likelihood estimate of the unobserved count does not exist (it runs off to
  /// infinity): the standard error of its logarithm is beyond any meaning.
  case estimateDoesNotExist(standardErrorOfLogUnobserved: Double)
  /// The model needs at least `minimum` lists.
  case needsMoreLists(model: String, minimum: Int, found: Int)
  /// The model needs per-list capture histories, not only numbers of captures.
  case needsHistories(model: String)
  /// The truncation `t₀` must lie in `2…t`.
  case truncationOutOfRange(Int, occasions: Int)
  /// No bias correction is defined for this model (Rcapture's `closedp.bc` has none).
  case biasCorrectionNotAvailable(model: String)
  /// Every bootstrap replicate lies on one side of the estimate (or too few replicates have an
  /// estimate), so no BCa interval exists.
  case bootstrapDegenerate
  /// A single-source estimator needs units seen once and twice.
  case needsRepeatedCaptures(once: Int, twice: Int)
  /// The profile likelihood is not available for this model.
  case profileNotAvailable(model: String)
  /// Two lists are needed for this estimator.
  case needsTwoLists(Int)
  /// The two lists have no individual in common, so the estimator is infinite.
  case noOverlap
  /// Two-list counts where the overlap is negative or exceeds a list.
  case invalidListCounts(firstList: Int, secondList: Int, overlap: Int)
  /// No model searched has an estimate whose MLE exists and is identifiable.
  case noModelHasAnEstimate(maximumOrder: Int)
  /// The table of histories by covariate levels has more cells than a fit handles.
  case covariateTableTooLarge(cells: Int, limit: Int)
  /// Some covariate values are missing; the fit needs complete records (use the EM fit, or
  /// complete cases).
  case missingCovariateValues(covariate: String, individuals: Int)
  /// The unobserved cells of some covariate levels are not identifiable (the design is rank
  /// deficient in a direction they depend on).
  case unobservedCellsNotIdentifiable
  /// The EM iterations did not converge.
  case expectationMaximizationDidNotConverge(iterations: Int)
  /// Fewer than two lists operated for these combinations of covariate levels (a
  /// ``ListCoverage``), so a total that includes them has no estimate.
  case tooFewOperatingLists(strata: [String])
  /// The coverage (which lists operated) depends on this covariate, so the table cannot be summed
  /// over it.
  case coverageDependsOnCovariate(String)
  /// Different lists operated within this stratum (the coverage depends on another covariate), so
  /// a lists-only fit of the stratum is not possible.
  case coverageVariesWithinStratum(covariate: String, level: String)
  /// The task running the computation was cancelled; the work stopped between replicates (or
  /// models) and no result exists.
  case cancelled
  /// An exhaustive search over this many lists up to this order would fit too many models: at
  /// most ``ModelSearch/maximumListsAllOrders`` lists with every order, and
  /// ``ModelSearch/maximumListsTwoFactor`` with two-factor models.
  case searchTooLarge(lists: Int, maximumOrder: Int)
  /// Number-of-captures data would fit this many capture counts `k = 1…t₀`; the limit is stated.
  case tooManyOccasions(Int, limit: Int)

  /// One sentence for a person.
  public var description: String {
    switch self {
    case .modelDoesNotMatchData(let modelLists, let dataLists):
      return "the model is for \(modelLists) lists but the data have \(dataLists)."
    case .tooManyLists(let count, let limit):
      return "a fit over all cells of \(count) lists is too large; the limit is \(limit) lists."
    case .interceptNotIdentifiable:
      return "the number of unobserved individuals is not identifiable under this model."
    case .saturatedModel(let parameters, let cells):
      return
        "the model has \(parameters) parameters for \(cells) observable cells; the unobserved count is not identifiable."
    case .numericalFailure(let reason):
      return "the fit failed numerically: \(reason)."
    case .intervalNotAvailable(let method, let reason):
      return "no \(method.displayName) interval here: \(reason)."
    case .invalidLevel(let level):
      return "the confidence level must lie strictly between 0 and 1; got \(level)."
    case .nonFiniteDeviance:
      return "the fit diverged (non-finite deviance)."
    case .estimateDoesNotExist(let standardError):
      let spread =
        standardError.isFinite
        ? "standard error of its logarithm \(oneDecimal(standardError))"
        : "the standard error of its logarithm is not finite"
      return
        "no finite estimate exists for this model and data: the unobserved count runs off to infinity (\(spread)); the data do not identify it — choose a smaller model."
    case .needsMoreLists(let model, let minimum, let found):
      return "model \(model) needs at least \(minimum) lists; the data have \(found)."
    case .needsHistories(let model):
      return "model \(model) needs capture histories per list; number-of-captures data support M0 and Mh only."
    case .truncationOutOfRange(let t0, let occasions):
      return "the truncation t0 = \(t0) must lie between 2 and the number of occasions, \(occasions)."
    case .biasCorrectionNotAvailable(let model):
      return "no bias-corrected estimator is defined for model \(model) (Mth: Chao, Poisson2 or Darroch only)."
    case .bootstrapDegenerate:
      return
        "the bootstrap replicates all lie on one side of the estimate (or too few have an estimate); no BCa interval exists."
    case .needsRepeatedCaptures(let once, let twice):
      return "single-source estimators need units seen once and twice; f1 = \(once), f2 = \(twice)."
    case .profileNotAvailable(let model):
      return
        "no profile-likelihood interval for model \(model): its unobserved cell is not part of a log-linear design; use a Wald or log-normal interval."
    case .needsTwoLists(let count):
      return "this estimator needs exactly two lists; the data have \(count)."
    case .noOverlap:
      return "the two lists have no individual in common, so no finite estimate exists."
    case .invalidListCounts(let first, let second, let overlap):
      return
        "an overlap of \(overlap) is impossible for lists of \(first) and \(second): it must lie between 0 and the smaller list."
    case .noModelHasAnEstimate(let order):
      return
        "no hierarchical model up to order \(order) has a maximum-likelihood estimate that exists and is identifiable on these data."
    case .covariateTableTooLarge(let cells, let limit):
      return
        "the table of histories by covariate levels has \(cells) cells; the limit is \(limit) — use fewer covariates or group their levels."
    case .missingCovariateValues(let covariate, let individuals):
      return
        "\(individuals) individual\(individuals == 1 ? " has" : "s have") no value of \(covariate); fit with --missing em (expectation–maximization) or --missing complete-cases."
    case .unobservedCellsNotIdentifiable:
      return
        "the unobserved counts of some covariate levels are not identifiable under this model (the design is rank deficient); choose a smaller model."
    case .expectationMaximizationDidNotConverge(let iterations):
      return "the EM iterations for missing covariate values did not converge in \(iterations) steps."
    case .tooFewOperatingLists(let strata):
      return
        "fewer than two lists operated for \(strata.joined(separator: "; ")), so the number missed there cannot be estimated."
    case .coverageDependsOnCovariate(let covariate):
      return "which lists operated depends on \(covariate), so the table cannot be summed over it."
    case .coverageVariesWithinStratum(let covariate, let level):
      return
        "different lists operated within \(covariate) = \(level) (the coverage depends on another covariate), so it has no separate lists-only fit."
    case .cancelled:
      return "the computation was cancelled."
    case .tooManyOccasions(let count, let limit):
      return
        "fitting the numbers of units caught 1 to \(count) times is too large (at most \(limit)); fit k ≤ t0 with a truncation (--truncation), as units caught more often still count in n."
    case .searchTooLarge(let lists, let order):
      return
        "an exhaustive search of every hierarchical model of \(lists) lists up to order \(order) is too large: it is done for at most \(ModelSearch.maximumListsAllOrders) lists with every order and \(ModelSearch.maximumListsTwoFactor) with two-factor models (maximum order 2); choose by stepwise or downhill selection instead."
    }
  }
}

extension EstimationError {
  /// The failure `error` of the linear-algebra layer, told without its routines.
  static func numerical(_ error: LinearAlgebraError) -> EstimationError {
    switch error {
    case .illegalArgument:
      return .numericalFailure(reason: "an internal argument was invalid (a defect: please report it)")
    case .notPositiveDefinite:
      return .numericalFailure(reason: "the weighted normal equations are not numerically positive definite")
    case .singular:
      return .numericalFailure(reason: "the design is numerically singular")
    case .linearProgramFailed(let code):
      return .numericalFailure(reason: "the existence check's linear program could not be solved (GLPK code \(code))")
    }
  }

  /// Throws ``invalidLevel(_:)`` unless `level` lies in (0, 1).
  package static func checkLevel(_ level: Double) throws(EstimationError) {
    guard level > 0 && level < 1 else { throw .invalidLevel(level) }
  }

  /// Throws ``intervalNotAvailable(_:reason:)`` when a single fit is asked for a bootstrap or
  /// credible interval (``IntervalMethod/isModelBased``), then checks `level`.
  static func checkModelBased(_ method: IntervalMethod, level: Double) throws(EstimationError) {
    if !method.isModelBased { throw notModelBased(method) }
    try checkLevel(level)
  }

  /// The refusal of a bootstrap or credible interval by a single fit, saying where it comes from.
  static func notModelBased(_ method: IntervalMethod) -> EstimationError {
    .intervalNotAvailable(
      method,
      reason: method == .credible
        ? "a credible interval comes from a posterior (DarkNumberBayes)"
        : "a bootstrap interval comes from resampling: ask SelectionBootstrap or CovariateBootstrap for it")
  }
}
