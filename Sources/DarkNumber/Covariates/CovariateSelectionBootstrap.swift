/// The nonparametric bootstrap of a selection with covariates that re-runs the selection on every
/// replicate, so the intervals for the total and for every covariate level carry the uncertainty
/// of the model choice (Chan, Silverman & Vincent 2021, JASA 116:1297, §3.3, for lists; here for
/// the stepwise search of ``CovariateSelection``).
///
/// Replicate `i` redraws the `n` observed individuals from the observed records (a multinomial
/// with the records' shares, their covariate levels kept; the ``ListCoverage`` is the same in every
/// replicate, so nobody is drawn onto a list that did not operate for them) from its own stream
/// ``SplitMix64/stream(seed:index:)``, re-runs the selection from the same starting model with the
/// same criterion and candidates, and records `N̂` in total and per level, and the model chosen.
/// The jackknife deletes one individual of each distinct record (history and levels) in turn and
/// re-selects too; its deviations give each target's acceleration for the BCa interval
/// (Efron 1987), computed as ``SelectionBootstrap``'s. The replicates' and deletions' candidates
/// start from the fits of the same candidates in the selection on the data
/// (see ``CovariateSelection``), which changes the numbers only within the convergence
/// tolerance and halves the iterations. Percentile limits are R's
/// `quantile(type = 8)`. Nonparametric rather than parametric: a parametric bootstrap would draw
/// from the model selected on the data, understating the chance that another model is chosen.
/// The output does not depend on `concurrency`.
public struct CovariateSelectionBootstrap: Sendable {
  /// How the bootstrap runs.
  public struct Options: Sendable, Hashable {
    /// Bootstrap replicates `B`.
    public var replicates: Int = 1000
    /// The seed; replicate `i` uses stream `(seed, i)`.
    public var seed: UInt64 = 1234
    /// Replicates selected at once.
    public var concurrency: Int = 2
    /// Whether to run the jackknife, which the BCa intervals need (one selection per distinct
    /// record).
    public var jackknife = true
    /// How the replicates' and deletions' models are fitted: R `glm.fit`'s settings, as
    /// ``SelectionBootstrap``; the selection on the data keeps its own.
    public var fitOptions = FitOptions.glmCompatible

    /// The defaults: 1,000 replicates, seed 1234, two at a time, with the jackknife.
    public init() {}
  }

  /// What is estimated: the total (`covariate == nil`) or one level of one covariate.
  public struct Target: Sendable, Hashable {
    /// The covariate, or `nil` for the total.
    public let covariate: String?
    /// The level, or `nil` for the total.
    public let level: String?
  }

  /// The selection re-run on every replicate.
  public enum Procedure: Sendable, Hashable {
    /// Forward–backward stepwise by one criterion (``CovariateSelection``).
    case stepwise(InformationCriterion)
    /// Cruyff's three-stage path, the smallest BIC on it (``CovariateSearchPath``).
    case path
  }

  /// How often one model was selected across the replicates.
  public struct ModelFrequency: Sendable, Hashable {
    /// The model, as ``CovariateModel/description`` spells it.
    public let model: String
    /// The number of replicates that selected it.
    public let count: Int
  }

  /// The procedure.
  public let procedure: Procedure
  /// The selection on the data (stepwise).
  public let selection: CovariateSelection?
  /// The path on the data (Cruyff's search).
  public let path: CovariateSearchPath?
  /// The selected model's fit on the data.
  public let fit: CovariateFit
  /// The targets: the total, then every level of every covariate in order.
  public let targets: [Target]
  /// The selected fit's estimate of each target on the data (NaN where it has none).
  public let estimates: [Double]
  /// Per replicate, one estimate per target (NaN where a target has no estimate); `nil` where
  /// the re-selection found no model with an estimate.
  public let replicates: [[Double]?]
  /// Per replicate, the model selected.
  public let replicateModels: [String?]
  /// How often each model was selected, most frequent first.
  public let modelFrequencies: [ModelFrequency]
  /// The jackknife acceleration of each target; `nil` without the jackknife, or where a deletion
  /// had no estimate.
  public let accelerations: [Double?]
  /// The settings used.
  public let options: Options

  /// The replicates with an estimate.
  public var successfulReplicates: Int { replicates.count { $0 != nil } }

  /// The index of the target for `level` of `covariate`, or of the total when both are `nil`.
  public func targetIndex(covariate: String?, level: String?) -> Int? {
    targets.firstIndex { $0.covariate == covariate && $0.level == level }
  }

  /// The sorted finite replicates of target `index`.
  public func sortedReplicates(target index: Int) -> [Double] {
    replicates.compactMap { $0?[index] }.filter(\.isFinite).sorted()
  }

  /// The ``IntervalMethod/bootstrapBCa`` or ``IntervalMethod/bootstrapPercentile`` interval of
  /// target `index` at coverage `level`.
  /// - Throws: ``EstimationError/bootstrapDegenerate`` when fewer than two replicates have an
  ///   estimate of the target, or for BCa with every replicate on one side of the estimate;
  ///   ``EstimationError/intervalNotAvailable(_:reason:)`` for BCa without an acceleration (a
  ///   jackknife deletion had no estimate) and for the other methods.
  public func interval(_ method: IntervalMethod, target index: Int, level: Double = 0.95)
    throws(EstimationError) -> IntervalEstimate
  {
    guard estimates[index].isFinite else { throw .bootstrapDegenerate }
    return try SelectionBootstrap.interval(
      method, sorted: sortedReplicates(target: index), estimate: estimates[index],
      acceleration: accelerations[index], level: level)
  }

  /// Selects on `data` (complete records) from `start` by `criterion` over `candidates`, then
  /// bootstraps that selection.
  ///
  /// - Parameters:
  ///   - data: the records (complete).
  ///   - start: the starting model; its terms are never removed.
  ///   - criterion: the information criterion.
  ///   - candidates: the kinds of two-factor terms that may enter.
  ///   - options: replicates, seed, concurrency, the jackknife and the replicates' fit settings.
  ///   - progress: called with the number of replicates done (from any task).
  /// - Throws: ``EstimationError`` when the selection on the data itself fails (missing covariate
  ///   values included).
  public static func run(
    data: CovariateCaptureData, start: CovariateModel, criterion: InformationCriterion = .bic,
    candidates: CovariateSelection.Candidates = .all, options: Options = Options(),
    progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(EstimationError) -> CovariateSelectionBootstrap {
    try await run(
      data: data, start: start, procedure: .stepwise(criterion), candidates: candidates, options: options,
      progress: progress)
  }

  /// Selects on `data` by `procedure` (stepwise by a criterion, or Cruyff's path), then
  /// bootstraps that selection.
  /// - Throws: ``EstimationError`` when the selection on the data itself fails.
  public static func run(
    data: CovariateCaptureData, start: CovariateModel, procedure: Procedure,
    candidates: CovariateSelection.Candidates = .all, options: Options = Options(),
    progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(EstimationError) -> CovariateSelectionBootstrap {
    precondition(options.replicates >= 1, "at least one replicate")
    let designs = CovariateDesignCache(coverage: data.coverageRules)
    /// The fit the procedure selects on `data` fitted with `fitOptions`.
    /// Candidates start from `references` (the selection on the data's); that selection records
    /// them.
    @Sendable func select(
      _ data: CovariateCaptureData, _ fitOptions: FitOptions, references: CovariateCandidateStarts?
    ) throws(EstimationError) -> (fit: CovariateFit, selection: CovariateSelection?, path: CovariateSearchPath?) {
      let record = references == nil
      switch procedure {
      case .stepwise(let criterion):
        let selection = try CovariateSelection(
          data: data, start: start, criterion: criterion, candidates: candidates, maximumSteps: 100,
          options: fitOptions, designs: designs, references: references, recordStarts: record)
        return (selection.fit, selection, nil)
      case .path:
        let path = try CovariateSearchPath(
          data: data, start: start, candidates: candidates, options: fitOptions, designs: designs,
          references: references, recordStarts: record)
        return (path.fit, nil, path)
      }
    }
    let onData = try select(data, FitOptions(), references: nil)
    let references = onData.selection?.recordedStarts ?? onData.path?.recordedStarts
    let fitOptions = options.fitOptions
    let reselect: @Sendable (CovariateCaptureData) -> (estimates: [Double], model: String)? = { replicate in
      guard let chosen = try? select(replicate, fitOptions, references: references) else { return nil }
      return (chosen.fit.targetEstimates, chosen.fit.model.description)
    }
    let outcomes = try await CovariateBootstrap.replicates(
      of: data, count: options.replicates, concurrency: options.concurrency, seed: options.seed,
      progress: progress, reselect)
    let records = data.records
    var frequencies: [String: Int] = [:]
    for outcome in outcomes { if let model = outcome?.model { frequencies[model, default: 0] += 1 } }
    let ordered = frequencies.sorted { a, b in a.value != b.value ? a.value > b.value : a.key < b.key }
    let estimates = onData.fit.targetEstimates
    var accelerations = [Double?](repeating: nil, count: estimates.count)
    if options.jackknife {
      let deletions = await ParallelWork.cancellableMap(count: records.count, width: options.concurrency) {
        index, _ -> [Double]? in
        var reduced = records
        reduced[index] = .init(
          history: records[index].history, levels: records[index].levels, count: records[index].count - 1)
        guard let replicate = try? data.replacingRecords(reduced) else { return nil }
        return reselect(replicate)?.estimates
      }
      guard let deletions else { throw .cancelled }
      if deletions.allSatisfy({ $0 != nil }) {
        for target in estimates.indices where estimates[target].isFinite {
          let values = zip(records, deletions).map { (Double($0.count), $1![target]) }
          if values.allSatisfy({ $0.1.isFinite }) {
            accelerations[target] = SelectionBootstrap.acceleration(values.map { (count: $0.0, estimate: $0.1) })
          }
        }
      }
    }
    let targets = CovariateBootstrap.targets(of: data.covariates).map {
      Target(covariate: $0.covariate, level: $0.level)
    }
    return CovariateSelectionBootstrap(
      procedure: procedure, selection: onData.selection, path: onData.path, fit: onData.fit,
      targets: targets, estimates: estimates,
      replicates: outcomes.map { $0?.estimates }, replicateModels: outcomes.map { $0?.model },
      modelFrequencies: ordered.map { ModelFrequency(model: $0.key, count: $0.value) },
      accelerations: accelerations, options: options)
  }
}
