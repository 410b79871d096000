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
  ///   - selection: that criterion's selection on the data over every candidate model, when
  ///     already made (else it is made here).
  ///   - cache: answers repeated existence checks.
  ///   - progress: called with the number of replicates done.
  /// - Throws: ``EstimationError/intervalNotAvailable(_:reason:)`` when the procedure is not a
  ///   criterion or a requested `n` is below 1; ``EstimationError`` from the selection on the
  ///   data; ``EstimationError/cancelled``.
  public static func run(
    data: CaptureData, tops: [Int?], options: SelectionBootstrap.Options = SelectionBootstrap.Options(),
    selection: CriterionSelection? = nil, cache: ExistenceCache = ExistenceCache(),
    progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(EstimationError) -> TopModelsBootstrap {
    guard case .criterion(let criterion, let maximumOrder, _) = options.procedure else {
      throw .intervalNotAvailable(
        .bootstrapBCa, reason: "varying the number of top models needs a criterion's selection (bic, aic or aicc)")
    }
    guard tops.allSatisfy({ ($0 ?? 1) >= 1 }), !tops.isEmpty else {
      throw .intervalNotAvailable(.bootstrapBCa, reason: "the numbers of top models must be at least 1")
    }
    let selection =
      if let selection { selection } else {
        try await criterionSelection(
          data: data, criterion: criterion, maximumOrder: maximumOrder, options: options, cache: cache)
      }
    // One model more than the largest `n` asked for tells whether that `n` is every candidate.
    let largest = tops.contains(where: { $0 == nil }) ? nil : tops.compactMap { $0 }.max()
    let ranked = try selection.candidates(limit: largest.map { $0 + 1 }).map(\.model)
    let models = largest.map { Array(ranked.prefix($0)) } ?? ranked
    let isExhausted = ranked.count == models.count
    let scorer = ModelScorer(
      criterion: criterion, listNames: data.listNames, observedTotal: data.observedTotal,
      fitOptions: options.fitOptions)
    let candidates = CandidateSet(models: models, scorer: scorer, counts: [0] + data.denseCounts())
    let prefixes = Array(Set(tops.map { min($0 ?? models.count, models.count) })).sorted()
    let (outcomes, deletions) = try await SelectionBootstrap.resample(
      data: data, options: options, progress: progress
    ) { counts, workspace in
      candidates.select(counts: counts, prefixes: prefixes, cache: cache, workspace: &workspace).map { $0?.total }
    }
    let rows = prefixes.enumerated().map { p, top in
      let jackknife = deletions.compactMap { deletion in deletion.outcome[p].map { (deletion.count, $0) } }
      return Row(
        top: top, isAll: isExhausted && top == models.count, replicates: outcomes.map { $0[p] },
        acceleration: jackknife.count == deletions.count ? SelectionBootstrap.acceleration(jackknife) : nil,
        estimate: selection.fit.total)
    }
    return TopModelsBootstrap(selection: selection, rows: rows)
  }

  /// The criterion's selection on `data` over every candidate model.
  private static func criterionSelection(
    data: CaptureData, criterion: InformationCriterion, maximumOrder: Int?, options: SelectionBootstrap.Options,
    cache: ExistenceCache
  ) async throws(EstimationError) -> CriterionSelection {
    guard
      case .criterion(let selection) = try await ModelSelection.run(
        .criterion(criterion, maximumOrder: maximumOrder, candidateLimit: nil), data: data,
        concurrency: options.concurrency, cache: cache)
    else { preconditionFailure("a criterion procedure gives a criterion selection") }
    return selection
  }
}
