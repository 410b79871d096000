/// The outcome of a ``SelectionProcedure`` on data: the selection with its details.
public enum ModelSelection: Sendable {
  /// SparseMSE's stepwise selection.
  case stepwise(StepwiseSelection)
  /// The best model by an information criterion whose MLE exists.
  case criterion(CriterionSelection)
  /// Downhill search.
  case downhill(DownhillSelection)
  /// A model held fixed, and its fit.
  case fixed(LogLinearFit)

  /// Runs `procedure` on `data` (a criterion's `candidateLimit` concerns only a bootstrap and is
  /// not used here).
  /// - Parameters:
  ///   - procedure: the selection.
  ///   - data: the table.
  ///   - fitOptions: the IRLS settings.
  ///   - concurrency: parallel tasks for a criterion's search.
  ///   - cache: answers repeated existence checks.
  /// - Throws: ``EstimationError/tooManyLists(_:limit:)`` beyond ``ExistenceCheck/maximumListCount``
  ///   lists for a selection (it checks existence) or ``LogLinearModel/maximumFittedListCount`` for
  ///   a fixed model; ``EstimationError`` from the selection.
  public static func run(
    _ procedure: SelectionProcedure, data: CaptureData, fitOptions: FitOptions = FitOptions(),
    concurrency: Int = 2, cache: ExistenceCache = ExistenceCache()
  ) async throws(EstimationError) -> ModelSelection {
    // Every procedure fits all `2ᴷ − 1` cells; the selections also check existence.
    let limit =
      if case .fixed = procedure { LogLinearModel.maximumFittedListCount } else { ExistenceCheck.maximumListCount }
    guard data.listCount <= limit else { throw .tooManyLists(data.listCount, limit: limit) }
    switch procedure {
    case .stepwise(let threshold):
      return .stepwise(
        try StepwiseSelection(data: data, threshold: threshold, options: fitOptions, cache: cache))
    case .criterion(let criterion, let maximumOrder, _):
      var options = CriterionSelection.Options()
      options.criterion = criterion
      options.maximumOrder = maximumOrder
      options.fitOptions = fitOptions
      options.concurrency = concurrency
      return .criterion(try await CriterionSelection.run(data: data, options: options, cache: cache))
    case .downhill(let criterion, let maximumOrder, let maximumSteps):
      return .downhill(
        try DownhillSelection(
          data: data, criterion: criterion, maximumOrder: maximumOrder, maximumSteps: maximumSteps,
          fitOptions: fitOptions, cache: cache))
    case .fixed(let model):
      return .fixed(try model.fit(to: data, options: fitOptions))
    }
  }

  /// The selected model.
  public var model: LogLinearModel {
    switch self {
    case .stepwise(let selection): selection.model
    case .criterion(let selection): selection.model
    case .downhill(let selection): selection.model
    case .fixed(let fit): fit.model
    }
  }

  /// The selected model's fit.
  public var fit: LogLinearFit {
    switch self {
    case .stepwise(let selection): selection.fit
    case .criterion(let selection): selection.fit
    case .downhill(let selection): selection.fit
    case .fixed(let fit): fit
    }
  }
}
