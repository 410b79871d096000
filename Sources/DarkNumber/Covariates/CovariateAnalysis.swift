/// A whole analysis with covariates, as a rapporteur publishes it, from one call: the model
/// (given, or chosen by ``CovariateSelection``), the estimate of the total with every interval the
/// fit can give, a table per covariate (level, observed, `N̂`, SE, intervals, rate per 100,000),
/// the active/passive verdicts, optional strata comparisons and bootstrap, small-cell suppression
/// of the published observed counts, and every warning as a sentence. `estimate --covariates`,
/// `select --covariates` and the covariate `report` render this value and compute nothing.
///
/// Missing covariate values are handled as ``Settings/missing`` says: EM (``CovariateModel/fitByEM(to:options:tolerance:maximumIterations:)``; the
/// profile interval is then withheld, and the bootstrap reruns EM), complete cases (the records
/// left out counted in a warning), or refusal. With a fixed model the bootstrap holds it fixed
/// (``CovariateBootstrap``); with selection it re-runs the selection in every replicate
/// (``CovariateSelectionBootstrap``), which needs complete records.
public struct CovariateAnalysis: Sendable {
  /// How the model is obtained.
  public enum ModelChoice: Sendable {
    /// This model.
    case fixed(CovariateModel)
    /// Stepwise selection from `start` by `criterion` over `candidates`.
    case selected(start: CovariateModel, criterion: InformationCriterion, candidates: CovariateSelection.Candidates)
    /// Cruyff's search path from `start` over `candidates` (``CovariateSearchPath``).
    case path(start: CovariateModel, candidates: CovariateSelection.Candidates)
  }

  /// What to do with records whose covariate values are partly missing.
  public enum MissingValues: String, Sendable, Hashable, CaseIterable {
    /// Refuse the data (``EstimationError/missingCovariateValues(covariate:individuals:)``).
    case fail
    /// Expectation–maximisation over the missing levels (fixed models only).
    case expectationMaximization = "em"
    /// Leave out the incomplete records.
    case completeCases = "complete-cases"
  }

  /// The analysis's settings.
  public struct Settings: Sendable {
    /// The model, or how it is chosen.
    public var model: ModelChoice
    /// Missing covariate values.
    public var missing: MissingValues = .fail
    /// The coverage of the intervals.
    public var level: Double = 0.95
    /// Bootstrap replicates (0: none), their seed and how many run at once.
    public var bootstrapReplicates: Int = 0
    /// The bootstrap's seed; replicate `i` uses stream `(seed, i)`.
    public var seed: UInt64 = 1234
    /// Replicates (and jackknife deletions) run at once.
    public var concurrency: Int = 2
    /// The covariates (indices) with a table; `nil`: all of them.
    public var breakdownCovariates: [Int]?
    /// Population sizes per level, by covariate index, for rates per 100,000.
    public var denominators: [Int: PopulationDenominators] = [:]
    /// Whether to compare separate lists-only fits per level of each breakdown covariate.
    public var compareStrata = false
    /// Hide published observed counts from 1 to `k − 1` (and counts that would reveal them).
    public var suppressBelow: Int?

    /// Settings for `model`, with the defaults above.
    public init(model: ModelChoice) { self.model = model }
  }

  /// One level of one covariate in a published table.
  public struct LevelRow: Sendable {
    /// The estimate (observed, unobserved, total, SE, existence).
    public let estimate: CovariateLevelEstimate
    /// Wald and log-normal, then bootstrap intervals when run (none without an estimate).
    public let intervals: [IntervalEstimate]
    /// The level's population size, when given.
    public let population: Double?
    /// Whether the observed count is suppressed in publication.
    public let observedSuppressed: Bool

    /// `100,000 · N̂ / population`, when a population is given and the level has an estimate.
    public var rate: Double? {
      guard estimate.estimateExists, let population else { return nil }
      return 100_000 * estimate.total / population
    }

    /// The intervals of the rate, the count's scaled.
    public var rateIntervals: [IntervalEstimate] {
      guard estimate.estimateExists, let population else { return [] }
      return intervals.map { $0.scaled(by: 100_000 / population) }
    }
  }

  /// One covariate's table.
  public struct Table: Sendable {
    /// The covariate.
    public let covariate: String
    /// Its index among the data's covariates.
    public let covariateIndex: Int
    /// One row per level, in level order.
    public let rows: [LevelRow]
  }

  /// The settings used.
  public let settings: Settings
  /// The data fitted (complete cases only when asked).
  public let data: CovariateCaptureData
  /// How many people the data given held (before complete cases).
  public let loadedTotal: Int
  /// The fit of the model.
  public let fit: CovariateFit
  /// The EM fit, when missing values were completed by EM.
  public let em: CovariateEMFit?
  /// The selection, when the model was chosen stepwise.
  public let selection: CovariateSelection?
  /// The search path, when the model was chosen on Cruyff's path.
  public let path: CovariateSearchPath?
  /// The re-selecting bootstrap (selection with `bootstrapReplicates > 0`).
  public let reselection: CovariateSelectionBootstrap?
  /// The fixed-model bootstrap (a fixed model with `bootstrapReplicates > 0`).
  public let bootstrap: CovariateBootstrap?
  /// The intervals of the total (none when the total has no estimate).
  public let totalIntervals: [IntervalEstimate]
  /// One table per breakdown covariate.
  public let tables: [Table]
  /// Active/passive verdicts (not for EM fits).
  public let verdicts: [CovariateCollapsibility.Verdict]
  /// Separate fits per level, when asked.
  public let strata: [StratifiedComparison]
  /// Whether the total's observed count is suppressed in publication.
  public let totalObservedSuppressed: Bool
  /// Every caveat as a sentence: the fit's, the intervals', missing values, bootstrap failures.
  public let warnings: [String]

  /// The number of individuals left out as incomplete cases.
  public var completeCasesDropped: Int { loadedTotal - data.observedTotal }

  /// Runs the analysis on `data`.
  ///
  /// - Parameters:
  ///   - loaded: the data as read (records with missing values included).
  ///   - settings: the model or selection, missing values, intervals and bootstrap.
  ///   - progress: called with the number of bootstrap replicates done.
  /// - Throws: ``EstimationError`` when the model (or the selection's start) has no estimate or
  ///   the data have missing values the settings refuse; ``DataError`` when a strata comparison
  ///   meets an empty level.
  public static func run(
    data loaded: CovariateCaptureData, settings: Settings, progress: (@Sendable (Int) -> Void)? = nil
  ) async throws -> CovariateAnalysis {
    try EstimationError.checkLevel(settings.level)
    let level = settings.level
    let data = settings.missing == .completeCases && loaded.hasMissingValues ? try loaded.completeCases() : loaded
    var em: CovariateEMFit?
    var selection: CovariateSelection?
    var path: CovariateSearchPath?
    var reselection: CovariateSelectionBootstrap?
    var bootstrap: CovariateBootstrap?
    let fit: CovariateFit
    var bootstrapOptions = CovariateBootstrap.Options()
    bootstrapOptions.replicates = settings.bootstrapReplicates
    bootstrapOptions.seed = settings.seed
    bootstrapOptions.concurrency = settings.concurrency
    switch settings.model {
    case .fixed(let model):
      if settings.missing == .expectationMaximization && data.hasMissingValues {
        em = try model.fitByEM(to: data)
        fit = em!.fit
        if settings.bootstrapReplicates > 0 {
          bootstrap = try await CovariateBootstrap.run(emFit: em!, options: bootstrapOptions, progress: progress)
        }
      } else {
        fit = try model.fit(to: data)
        if settings.bootstrapReplicates > 0 {
          bootstrap = try await CovariateBootstrap.run(fit: fit, options: bootstrapOptions, progress: progress)
        }
      }
    case .selected(let start, _, let candidates), .path(let start, let candidates):
      let procedure: CovariateSelectionBootstrap.Procedure
      if case .selected(_, let criterion, _) = settings.model {
        procedure = .stepwise(criterion)
      } else {
        procedure = .path
      }
      if settings.bootstrapReplicates > 0 {
        var options = CovariateSelectionBootstrap.Options()
        options.replicates = settings.bootstrapReplicates
        options.seed = settings.seed
        options.concurrency = settings.concurrency
        let result = try await CovariateSelectionBootstrap.run(
          data: data, start: start, procedure: procedure, candidates: candidates, options: options,
          progress: progress)
        reselection = result
        selection = result.selection
        path = result.path
        fit = result.fit
      } else if case .stepwise(let criterion) = procedure {
        selection = try CovariateSelection(data: data, start: start, criterion: criterion, candidates: candidates)
        fit = selection!.fit
      } else {
        path = try CovariateSearchPath(data: data, start: start, candidates: candidates)
        fit = path!.fit
      }
    }
    var notes: [String] = []
    let total = fit.totalEstimate
    var totalIntervals: [IntervalEstimate] = []
    if total.strataWithTooFewLists.isEmpty {
      totalIntervals = [
        try total.interval(.wald, level: level), try total.interval(.logNormal, level: level),
      ]
      if em == nil {
        do {
          totalIntervals.append(try fit.profileLikelihoodInterval(level: level))
        } catch {
          notes.append("no profile-likelihood interval: \(error.description)")
        }
      }
    }
    /// The bootstrap intervals of one target (the total: both `nil`); an interval that cannot be
    /// formed is a note saying why.
    func resampled(covariate: String?, level name: String?, estimate: Double) -> [IntervalEstimate] {
      let target = covariate.map { "\($0) = \(name ?? "")" } ?? "the total"
      var intervals: [IntervalEstimate] = []
      func add(_ method: IntervalMethod, _ make: (IntervalMethod) throws(EstimationError) -> IntervalEstimate) {
        do {
          intervals.append(try make(method))
        } catch {
          notes.append("no \(method.displayName) interval for \(target): \(error.description)")
        }
      }
      if let bootstrap, let index = bootstrap.targetIndex(covariate: covariate, level: name) {
        add(.bootstrapPercentile) { method throws(EstimationError) in
          try bootstrap.interval(method, target: index, estimate: estimate, level: level)
        }
      } else if let reselection, let index = reselection.targetIndex(covariate: covariate, level: name) {
        for method in [IntervalMethod.bootstrapPercentile, .bootstrapBCa] {
          add(method) { method throws(EstimationError) in try reselection.interval(method, target: index, level: level)
          }
        }
      }
      return intervals
    }
    if total.strataWithTooFewLists.isEmpty {
      totalIntervals += resampled(covariate: nil, level: nil, estimate: total.total)
    }
    let covariates = settings.breakdownCovariates ?? Array(data.covariates.indices)
    // Small-cell suppression of the observed counts published: the total and each level shown.
    var hidden = Set<String>()
    if let threshold = settings.suppressBelow {
      let combinations = fit.cells.indices
      var counts = [
        SmallCellSuppression.Count(name: "*", cells: Array(combinations), value: data.observedTotal, isTotal: true)
      ]
      for index in covariates {
        for (level, name) in data.covariates[index].levels.enumerated() {
          let cells = combinations.filter { fit.cells[$0].levels[index] == level }
          let value = cells.reduce(0.0) { $0 + fit.cells[$1].observed }
          counts.append(
            .init(name: "\(data.covariates[index].name)=\(name)", cells: cells, value: Int(value.rounded())))
        }
      }
      let suppressed = SmallCellSuppression.suppress(counts, cellCount: fit.cells.count, below: threshold)
      hidden = Set(suppressed.map { counts[$0].name })
    }
    var tables: [Table] = []
    for index in covariates {
      let covariate = data.covariates[index]
      var rows: [LevelRow] = []
      for (levelIndex, estimate) in fit.breakdown(covariate: index).enumerated() {
        var intervals: [IntervalEstimate] = []
        if estimate.estimateExists {
          intervals = [
            try estimate.interval(.wald, level: level), try estimate.interval(.logNormal, level: level),
          ]
          intervals += resampled(covariate: covariate.name, level: estimate.level, estimate: estimate.total)
        }
        rows.append(
          LevelRow(
            estimate: estimate, intervals: intervals, population: settings.denominators[index]?.sizes[levelIndex],
            observedSuppressed: hidden.contains("\(covariate.name)=\(estimate.level ?? "")")))
      }
      tables.append(Table(covariate: covariate.name, covariateIndex: index, rows: rows))
    }
    var strata: [StratifiedComparison] = []
    if settings.compareStrata {
      for index in covariates { strata.append(try StratifiedComparison(fit: fit, covariate: index)) }
    }
    // Every caveat as a sentence.
    var warnings = fit.warnings.map(\.description) + notes
    if let poorFit = fit.goodnessOfFit.warning { warnings.append(poorFit) }
    let dropped = loaded.observedTotal - data.observedTotal
    if dropped > 0 {
      warnings.append(
        "\(dropped) individuals with missing covariate values were left out (complete cases); the estimate covers only people like those with complete values."
      )
    }
    if let em {
      warnings.append(
        "\(em.incompleteIndividuals) individuals had missing covariate values, spread over the levels by EM (\(em.iterations) iterations); per-level observed counts are expected counts, and only bootstrap intervals reflect the missing information."
      )
    }
    // Levels without an estimate because of the coverage are named by the fit's warning.
    for row in tables.flatMap(\.rows) where !row.estimate.estimateExists && row.estimate.strataWithTooFewLists.isEmpty {
      warnings.append(
        "\(row.estimate.covariate ?? "") = \(row.estimate.level ?? ""): no finite estimate exists (the unobserved count runs off to infinity); its numbers are not meaningful."
      )
    }
    if let bootstrap, bootstrap.successfulReplicates < bootstrap.replicates.count {
      warnings.append(
        "\(bootstrap.replicates.count - bootstrap.successfulReplicates) of \(bootstrap.replicates.count) bootstrap replicates had no estimate and were left out."
      )
    }
    if let reselection {
      if reselection.successfulReplicates < reselection.replicates.count {
        warnings.append(
          "\(reselection.replicates.count - reselection.successfulReplicates) of \(reselection.replicates.count) bootstrap replicates found no model with an estimate and were left out."
        )
      }
      if reselection.accelerations.allSatisfy({ $0 == nil }) {
        warnings.append("no BCa intervals: a jackknife deletion had no estimate.")
      }
    }
    for interval in totalIntervals {
      for note in interval.notes { warnings.append("\(interval.method.displayName): \(note)") }
    }
    return CovariateAnalysis(
      settings: settings, data: data, loadedTotal: loaded.observedTotal, fit: fit, em: em,
      selection: selection, path: path, reselection: reselection, bootstrap: bootstrap, totalIntervals: totalIntervals,
      tables: tables, verdicts: em == nil ? CovariateCollapsibility(fit: fit).verdicts : [], strata: strata,
      totalObservedSuppressed: hidden.contains("*"), warnings: warnings)
  }
}
