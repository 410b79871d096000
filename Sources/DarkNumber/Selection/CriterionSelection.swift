/// Selection of the hierarchical log-linear model with the smallest information criterion among
/// all models up to a maximum interaction order whose MLE exists and is identifiable —
/// MultipleSystemsEstimation's `estimate_population_bic` (`assemble_bic` with `checkexist = TRUE`,
/// Silverman, Chan & Vincent 2024, *Statistics and Computing* 34:44), for any criterion and any
/// number of lists.
///
/// Every model is fitted (``ModelSearch``) and ranked; the ranked models are then checked in
/// order (``ExistenceCheck``) and those whose MLE does not exist or is not identifiable are passed
/// over. The first that passes is the selection; ``candidates(limit:)`` are the first that pass,
/// among which a bootstrap re-selects (MultipleSystemsEstimation's `ntopmodels`).
public struct CriterionSelection: Sendable {
  /// What to search and rank.
  public struct Options: Sendable {
    /// The ranking criterion (MultipleSystemsEstimation: BIC).
    public var criterion: InformationCriterion = .bic
    /// The largest interaction order (`nil`: ``CriterionSelection/defaultMaximumOrder(listCount:)``).
    public var maximumOrder: Int?
    /// How each model is fitted.
    public var fitOptions = FitOptions()
    /// Parallel tasks for the search.
    public var concurrency = 2

    /// The defaults: BIC, MultipleSystemsEstimation's order.
    public init() {}
  }

  /// MultipleSystemsEstimation's default maximum order: 1, 2, 3, 3, 2 for 2…6 lists (2 beyond),
  /// so that the number of models stays practical in R.
  public static func defaultMaximumOrder(listCount: Int) -> Int {
    switch listCount {
    case ...2: 1
    case 3: 2
    case 4, 5: 3
    default: 2
    }
  }

  /// MultipleSystemsEstimation's default `ntopmodels` for a bootstrap: every model for 2–3 lists,
  /// 20 for 4, 100 for 5 or more.
  public static func defaultCandidateLimit(listCount: Int) -> Int? {
    switch listCount {
    case ...3: nil
    case 4: 20
    default: 100
    }
  }

  /// The selected model.
  public let model: LogLinearModel
  /// Its fit.
  public let fit: LogLinearFit
  /// Its row of the search.
  public let entry: ModelSearch.Entry
  /// Every model with an estimate, best first (whether or not its MLE passes the check).
  public let ranked: [ModelSearch.Entry]
  /// Better-ranked models passed over because their MLE does not exist or is not identifiable,
  /// with SparseMSE's code (1 no MLE, 2 not identifiable, 3 both).
  public let passedOver: [(model: LogLinearModel, code: Int)]
  /// Models enumerated.
  public let modelCount: Int
  /// The maximum order searched.
  public let maximumOrder: Int
  /// The options used.
  public let options: Options
  private let data: CaptureData
  private let cache: ExistenceCache

  /// Selects on `data`.
  /// - Parameters:
  ///   - data: the table.
  ///   - options: the criterion, the largest interaction order and the fit settings.
  ///   - cache: answers repeated existence checks.
  /// - Throws: ``EstimationError/noModelHasAnEstimate(maximumOrder:)`` when no model passes; other
  ///   ``EstimationError``s from the search (``EstimationError/cancelled`` among them).
  public static func run(
    data: CaptureData, options: Options = Options(), cache: ExistenceCache = ExistenceCache()
  ) async throws(EstimationError) -> CriterionSelection {
    try await CriterionSelection(data: data, options: options, cache: cache)
  }

  private init(data: CaptureData, options: Options, cache: ExistenceCache) async throws(EstimationError) {
    let order = options.maximumOrder ?? Self.defaultMaximumOrder(listCount: data.listCount)
    var search = ModelSearch.Options()
    search.maximumOrder = order
    search.criterion = options.criterion
    search.keep = nil
    search.concurrency = options.concurrency
    search.fitOptions = options.fitOptions
    let result = try await ModelSearch.run(data: data, options: search)
    var passedOver: [(model: LogLinearModel, code: Int)] = []
    var selected: ModelSearch.Entry?
    for entry in result.best {
      let code = try cache.code(model: entry.model, data: data)
      if code == 0 {
        selected = entry
        break
      }
      passedOver.append((entry.model, code))
    }
    guard let best = selected else { throw .noModelHasAnEstimate(maximumOrder: order) }
    self.model = best.model
    self.fit = try best.model.fit(to: data, options: options.fitOptions)
    self.entry = best
    self.ranked = result.best
    self.passedOver = passedOver
    self.modelCount = result.modelCount
    self.maximumOrder = order
    self.options = options
    self.data = data
    self.cache = cache
  }

  /// The best-ranked models whose MLE exists and is identifiable, at most `limit` (`nil`: all) —
  /// the models a bootstrap re-selects among.
  /// - Throws: ``EstimationError`` when an existence check fails.
  public func candidates(limit: Int?) throws(EstimationError) -> [ModelSearch.Entry] {
    var candidates: [ModelSearch.Entry] = []
    for entry in ranked where candidates.count < (limit ?? Int.max) {
      if try cache.code(model: entry.model, data: data) == 0 { candidates.append(entry) }
    }
    return candidates
  }
}
