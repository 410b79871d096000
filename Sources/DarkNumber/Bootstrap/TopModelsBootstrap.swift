/// BCa intervals when a criterion's bootstrap re-selects only among the top `n` models, for
/// several `n` at once: MultipleSystemsEstimation's `vary_ntop_bca` (Silverman, Chan & Vincent
/// 2024, *Statistics and Computing* 34:44, §2.5), which shows whether the interval has settled
/// as `n` grows.
///
/// The point estimate minimises the criterion over every candidate model. The candidates are
/// ranked by the criterion on the data, keeping those whose MLE exists and is identifiable there;
/// each replicate and jackknife deletion scores them in that order once, and the selection among
/// the first `n` is the best of those `n` (``SelectionBootstrap``'s rule). Replicate `i` is the
/// same draw as ``SelectionBootstrap``'s replicate `i` at the same seed, so the row with `n` equal
/// to a `candidateLimit` is exactly that bootstrap's result.
public struct TopModelsBootstrap: Sendable {
  /// The bootstrap restricted to the top ``top`` models.
  public struct Row: Sendable {
    /// `n`: how many top-ranked models the replicates re-select among.
    public let top: Int
    /// Whether ``top`` is every candidate model.
    public let isAll: Bool
    /// `N̂*ᵢ` for each replicate, `nil` where no model among the top `n` has an estimate.
    public let replicates: [Double?]
    /// The jackknife acceleration `â` (`nil` when a deletion had no estimate).
    public let acceleration: Double?
    /// The point estimate (the criterion's choice over every model).
    public let estimate: Double

    /// The finite replicates, sorted.
    public var sortedReplicates: [Double] { replicates.compactMap { $0 }.sorted() }

    /// The percentile or BCa interval at `level` (``SelectionBootstrap/interval(_:level:)``'s
    /// formulas).
    /// - Throws: as ``SelectionBootstrap/interval(_:level:)``.
    public func interval(_ method: IntervalMethod, level: Double = 0.95) throws(EstimationError)
      -> IntervalEstimate
    {
      try SelectionBootstrap.interval(
        method, sorted: sortedReplicates, estimate: estimate, acceleration: acceleration, level: level)
    }
  }

  /// The selection on the data over every candidate model.
  public let selection: CriterionSelection
  /// The point estimate.
  public var estimate: Double { selection.fit.total }
  /// One row per requested `n`, in increasing `n` (requests beyond the number of candidates
  /// become "all").
  public let rows: [Row]

  /// Runs the bootstrap on `data` for the top `n` of every `n` in `tops` (`nil`: all models).
  /// - Parameters:
  ///   - data: the table.
  ///   - tops: the numbers of top-ranked models, each at least 1; `nil` for all of them.
  ///   - options: replicates, seed, fit settings and concurrency; `options.procedure` must be
  ///     ``SelectionProcedure/criterion(_:maximumOrder:candidateLimit:)`` (its limit is unused).
  ///   - cache: answers repeated existence checks.
  ///   - progress: called with the number of replicates done.
  /// - Throws: ``EstimationError/intervalNotAvailable(_:reason:)`` when the procedure is not a
  ///   criterion or a requested `n` is below 1; ``EstimationError`` from the selection on the
  ///   data; ``EstimationError/cancelled``.
  public static func run(
    data: CaptureData, tops: [Int?], options: SelectionBootstrap.Options = SelectionBootstrap.Options(),
    cache: ExistenceCache = ExistenceCache(), progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(EstimationError) -> TopModelsBootstrap {
    guard case .criterion(let criterion, let maximumOrder, _) = options.procedure else {
      throw .intervalNotAvailable(
        .bootstrapBCa, reason: "varying the number of top models needs a criterion's selection (bic, aic or aicc)")
    }
    guard tops.allSatisfy({ ($0 ?? 1) >= 1 }), !tops.isEmpty else {
      throw .intervalNotAvailable(.bootstrapBCa, reason: "the numbers of top models must be at least 1")
    }
    guard
      case .criterion(let selection) = try await ModelSelection.run(
        .criterion(criterion, maximumOrder: maximumOrder, candidateLimit: nil), data: data,
        concurrency: options.concurrency, cache: cache)
    else { preconditionFailure("a criterion procedure gives a criterion selection") }
    let largest = tops.contains(where: { $0 == nil }) ? nil : tops.compactMap { $0 }.max()
    let models = try selection.candidates(limit: largest).map(\.model)
    let scorer = ModelScorer(
      criterion: criterion, listNames: data.listNames, observedTotal: data.observedTotal,
      fitOptions: options.fitOptions)
    let candidates = CandidateSet(models: models, scorer: scorer, counts: [0] + data.denseCounts())
    let prefixes = Array(Set(tops.map { min($0 ?? models.count, models.count) })).sorted()

    let resampling = Multinomial(weights: data.cells.map { Double($0.count) })
    let histories = data.cells.map { Int($0.history.rawValue) }
    let n = data.observedTotal
    let listCount = data.listCount
    let outcomes = try await Replicates.map(
      count: options.replicates, concurrency: options.concurrency, seed: options.seed,
      progress: progress, state: { ModelScorer.Workspace(listCount: listCount) }
    ) { _, generator, workspace -> [Double?] in
      let draw = resampling.sample(count: n, using: &generator)
      var counts = [Double](repeating: 0, count: 1 << listCount)
      for (history, count) in zip(histories, draw) { counts[history] = Double(count) }
      return candidates.select(counts: counts, prefixes: prefixes, cache: cache, workspace: &workspace)
        .map { $0?.total }
    }
    // Jackknife: delete one individual of each observed history.
    var jackknife = [[(count: Double, estimate: Double)]](repeating: [], count: prefixes.count)
    var complete = [Bool](repeating: true, count: prefixes.count)
    var workspace = ModelScorer.Workspace(listCount: listCount)
    var counts = [0] + data.denseCounts()
    for cell in data.cells {
      if Task.isCancelled { throw .cancelled }
      let h = Int(cell.history.rawValue)
      counts[h] -= 1
      let choices = candidates.select(counts: counts, prefixes: prefixes, cache: cache, workspace: &workspace)
      for (p, choice) in choices.enumerated() {
        if let choice { jackknife[p].append((Double(cell.count), choice.total)) } else { complete[p] = false }
      }
      counts[h] += 1
    }
    // Every candidate was ranked when no limit was asked for or fewer passed than the limit.
    let exhausted = largest.map { models.count < $0 } ?? true
    let rows = prefixes.enumerated().map { p, top in
      Row(
        top: top, isAll: exhausted && top == models.count, replicates: outcomes.map { $0[p] },
        acceleration: complete[p] ? SelectionBootstrap.acceleration(jackknife[p]) : nil,
        estimate: selection.fit.total)
    }
    return TopModelsBootstrap(selection: selection, rows: rows)
  }
}
