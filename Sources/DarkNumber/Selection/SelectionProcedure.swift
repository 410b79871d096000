/// A model-selection procedure, as a bootstrap re-runs it on every replicate.
public enum SelectionProcedure: Sendable, Hashable {
  /// SparseMSE's stepwise addition of two-list interactions by Poisson p-values below
  /// `threshold` (``StepwiseSelection``).
  case stepwise(threshold: Double)
  /// The best model by `criterion` among the hierarchical models up to `maximumOrder` (`nil`:
  /// ``CriterionSelection/defaultMaximumOrder(listCount:)``), re-selected among the best
  /// `candidateLimit` models on the data that pass the existence check (`nil`: all of them) —
  /// ``CriterionSelection``, MultipleSystemsEstimation's `ntopmodels`.
  case criterion(InformationCriterion, maximumOrder: Int?, candidateLimit: Int?)
  /// Downhill search by `criterion` up to `maximumOrder` (`nil`: `K − 1`) in at most
  /// `maximumSteps` moves (``DownhillSelection``).
  case downhill(InformationCriterion, maximumOrder: Int?, maximumSteps: Int)
  /// No selection: the model is held fixed and refitted to every replicate
  /// (MultipleSystemsEstimation's `estimate_population_fixed`).
  case fixed(LogLinearModel)

  /// MultipleSystemsEstimation's `estimate_population(method = "auto")`: the criterion route by
  /// BIC for up to five lists, stepwise with `threshold` from six (where exhaustive search is
  /// impractical in R).
  public static func automatic(
    listCount: Int, threshold: Double = StepwiseSelection.defaultThreshold, maximumOrder: Int? = nil,
    candidateLimit: Int?
  ) -> SelectionProcedure {
    listCount <= 5
      ? .criterion(.bic, maximumOrder: maximumOrder, candidateLimit: candidateLimit)
      : .stepwise(threshold: threshold)
  }
}
