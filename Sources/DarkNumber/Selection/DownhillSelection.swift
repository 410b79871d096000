/// Downhill search among hierarchical log-linear models from the main-effects model, as
/// MultipleSystemsEstimation's `downhill_fit` (Silverman, Chan & Vincent 2024, *Statistics and
/// Computing* 34:44).
///
/// At each step the neighbours of the current model not yet considered are fitted: every model
/// one term smaller (a maximal interaction removed; main effects are kept) and one term larger (an
/// interaction added whose every subset is already in the model, up to the maximum order). Models
/// whose MLE does not exist or is not identifiable (``ExistenceCheck``) are ignored. The search
/// moves to the best neighbour while that improves the criterion, for at most
/// ``maximumSteps`` steps, and stops at a local minimum.
public struct DownhillSelection: Sendable {
  /// The selected model (a local minimum of the criterion).
  public let model: LogLinearModel
  /// Its fit.
  public let fit: LogLinearFit
  /// The models moved through, from main effects to ``model``.
  public let path: [LogLinearModel]
  /// Models fitted along the way.
  public let modelsConsidered: Int
  /// The criterion.
  public let criterion: InformationCriterion
  /// The maximum interaction order.
  public let maximumOrder: Int
  /// The step limit (MultipleSystemsEstimation's `niter`).
  public let maximumSteps: Int

  /// MultipleSystemsEstimation's `niter = 20`: at most 20 moves.
  public static let defaultMaximumSteps = 20

  /// Searches on `data`.
  /// - Parameters:
  ///   - data: the table.
  ///   - criterion: the information criterion minimised.
  ///   - maximumOrder: the largest interaction (default `K − 1`, as `downhill_fit`).
  ///   - maximumSteps: at most this many moves (``defaultMaximumSteps``).
  ///   - fitOptions: the IRLS settings.
  ///   - cache: answers repeated existence checks.
  /// - Throws: ``EstimationError/noModelHasAnEstimate(maximumOrder:)`` when the main-effects
  ///   model itself has no estimate; errors of the final fit.
  public init(
    data: CaptureData, criterion: InformationCriterion = .bic, maximumOrder: Int? = nil,
    maximumSteps: Int = defaultMaximumSteps, fitOptions: FitOptions = FitOptions(),
    cache: ExistenceCache = ExistenceCache()
  ) throws(EstimationError) {
    guard data.listCount <= LogLinearModel.maximumFittedListCount else {
      throw .tooManyLists(data.listCount, limit: LogLinearModel.maximumFittedListCount)
    }
    let order = maximumOrder ?? data.listCount - 1
    let scorer = ModelScorer(
      criterion: criterion, listNames: data.listNames, observedTotal: data.observedTotal,
      fitOptions: fitOptions)
    var workspace = ModelScorer.Workspace(listCount: data.listCount)
    guard
      let outcome = Self.search(
        counts: [0] + data.denseCounts(), scorer: scorer, maximumOrder: order,
        maximumSteps: maximumSteps, cache: cache, workspace: &workspace)
    else { throw .noModelHasAnEstimate(maximumOrder: 1) }
    model = outcome.path[outcome.path.count - 1]
    fit = try model.fit(to: data, options: fitOptions)
    path = outcome.path
    modelsConsidered = outcome.considered
    self.criterion = criterion
    self.maximumOrder = order
    self.maximumSteps = maximumSteps
  }

  /// The search on `counts` (indexed by history, `2ᴷ` entries, entry 0 unused): the path and the
  /// final model's `N̂`, or `nil` when the main-effects model has no estimate.
  static func search(
    counts y: [Double], scorer: ModelScorer, maximumOrder: Int, maximumSteps: Int,
    cache: ExistenceCache, workspace: inout ModelScorer.Workspace
  ) -> (path: [LogLinearModel], total: Double, considered: Int)? {
    let listCount = scorer.listNames.count
    let exists = { (model: LogLinearModel) -> Bool in
      (try? cache.code(model: model, counts: y, listNames: scorer.listNames)) == 0
    }
    scorer.prepare(counts: y, workspace: &workspace)
    var current = LogLinearModel.mainEffects(listCount: listCount)
    guard
      let start = scorer.score(terms: current.latticeTerms, counts: y, workspace: &workspace),
      exists(current)
    else { return nil }
    var best = start
    var considered: Set<LogLinearModel> = [current]
    var path = [current]
    for _ in 0..<maximumSteps {
      let neighbours = Self.neighbours(of: current, maximumOrder: maximumOrder)
        .filter { !considered.contains($0) }
      if neighbours.isEmpty { break }
      considered.formUnion(neighbours)
      var scored: [(index: Int, score: ModelScorer.Score)] = []
      for (index, neighbour) in neighbours.enumerated() {
        if let score = scorer.score(
          terms: neighbour.latticeTerms, counts: y, workspace: &workspace)
        {
          scored.append((index, score))
        }
      }
      scored.sort { $0.score.value != $1.score.value ? $0.score.value < $1.score.value : $0.index < $1.index }
      guard let move = scored.first(where: { exists(neighbours[$0.index]) }),
        move.score.value < best.value
      else { break }
      current = neighbours[move.index]
      best = move.score
      path.append(current)
    }
    return (path, best.total, considered.count)
  }

  /// The hierarchical models one term smaller (a maximal interaction removed) and one term larger
  /// (an interaction of at most `maximumOrder` lists added whose subsets are all present), in that
  /// order, each group in R's term order.
  static func neighbours(of model: LogLinearModel, maximumOrder: Int) -> [LogLinearModel] {
    let present = Set(model.interactions)
    var result = model.generatingClass.map { root in
      LogLinearModel(listCount: model.listCount, closedInteractions: model.interactions.filter { $0 != root })
    }
    var additions: Set<UInt32> = []
    if maximumOrder >= 2 {
      for i in 0..<model.listCount {
        for j in (i + 1)..<max(model.listCount, i + 1) {
          let pair = UInt32(1) << UInt32(i) | UInt32(1) << UInt32(j)
          if !present.contains(pair) { additions.insert(pair) }
        }
      }
    }
    for term in model.interactions where term.nonzeroBitCount < maximumOrder {
      for list in 0..<model.listCount where term & (1 << UInt32(list)) == 0 {
        let larger = term | (1 << UInt32(list))
        if present.contains(larger) { continue }
        var rest = larger
        var subsetsPresent = true
        while rest != 0 {
          let bit = rest & (~rest &+ 1)
          rest &= rest &- 1
          if !present.contains(larger & ~bit) { subsetsPresent = false }
        }
        if subsetsPresent { additions.insert(larger) }
      }
    }
    for term in additions.sorted(by: LogLinearModel.rOrder) {
      result.append(
        LogLinearModel(listCount: model.listCount, closedInteractions: model.interactions + [term]))
    }
    return result
  }
}
