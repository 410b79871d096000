/// Everything the lists report (`darknumber report`) shows about the estimate, computed by one
/// call, with each part that can fail held as a `Result` rather than dropped:
///
/// - the selection by ``Settings/procedure`` and its fit;
/// - the profile-likelihood (Cormack 1992), log-normal (Chao 1987), Wald and log-Wald intervals;
/// - with replicates, the re-selecting bootstrap (``SelectionBootstrap``) and its BCa interval;
/// - Rcapture's 12 standard models (``ClosedPopulationTable``, two lists or more);
/// - every hierarchical model by BIC with its `N̂` (``ModelSearch``; two-factor models for 6 or 7
///   lists, none beyond 7), the data of Rcapture's `plot.closedpMS`;
/// - the profile log-likelihood of `N` around its interval (``ProfileCurve``);
/// - the sensitivity of `N̂` to the selection (``SensitivityAnalysis``, with the
///   ``Settings/sensitivityTopModels`` best models of the search). Its Bayesian rows come from
///   `DarkNumberBayes` (`SensitivityAnalysis.bayesianRows`);
/// - the internal-consistency check of the log-linear methods, each list held out as a population
///   of known size (``ListValidation``).
public struct ListsReportAnalysis: Sendable {
  /// What to run.
  public struct Settings: Sendable {
    /// The selection (default SparseMSE's stepwise at 0.02).
    public var procedure: SelectionProcedure = .stepwise(threshold: StepwiseSelection.defaultThreshold)
    /// Bootstrap replicates (0: none).
    public var bootstrapReplicates = 0
    /// The bootstrap seed.
    public var seed: UInt64 = 1234
    /// Tasks run at once.
    public var concurrency = 2
    /// The intervals' level.
    public var level = 0.95
    /// The best models by BIC that the sensitivity analysis lists besides its other rows.
    public var sensitivityTopModels = SensitivityAnalysis.defaultTopModels

    /// The defaults: stepwise at 0.02, no bootstrap, seed 1234, two tasks, 95%, five top models.
    public init() {}

    /// The analysis a statistician starts with (`darknumber analyze`): SparseMSE's stepwise
    /// selection at 0.02 with ``recommendedReplicates`` bootstrap replicates that re-run the
    /// selection, so that the BCa interval carries the uncertainty of choosing the model (Chan,
    /// Silverman & Vincent 2021); 95%, seed 1234.
    public static var recommended: Settings {
      var settings = Settings()
      settings.bootstrapReplicates = recommendedReplicates
      return settings
    }

    /// The replicates of ``recommended``: 1,000, as SparseMSE's `estimatepopulation` and
    /// the published analyses of the Dutch and UK tables.
    public static let recommendedReplicates = 1000
  }

  /// The profile log-likelihood of `N` on an even grid around its interval: from 30% of the
  /// interval's width below the lower limit (not below `n`) to 30% above the upper one (three
  /// times `N̂` when unbounded), with the cut-off it crosses at the limits.
  public struct ProfileCurve: Sendable {
    /// `(N, ℓ(N))` where the profile exists.
    public let points: [(populationSize: Double, logLikelihood: Double)]
    /// The log-likelihood at the interval's limits.
    public let cutoff: Double
    /// Grid points where the profile could not be evaluated.
    public let omitted: Int
  }

  /// The interval methods, in the report's order.
  public static let intervalMethods: [IntervalMethod] = [.profileLikelihood, .logNormal, .wald, .logWald]
  /// Points of the profile curve.
  public static let profilePoints = 61

  /// The settings used.
  public let settings: Settings
  /// The selection on the data.
  public let selection: ModelSelection
  /// Each of ``intervalMethods`` with its interval or why there is none.
  public let intervals: [(method: IntervalMethod, result: Result<IntervalEstimate, EstimationError>)]
  /// The bootstrap, with replicates.
  public let bootstrap: SelectionBootstrap?
  /// Its BCa interval, or why there is none.
  public let bootstrapInterval: Result<IntervalEstimate, EstimationError>?
  /// The standard models (two lists or more).
  public let standardModels: ClosedPopulationTable?
  /// Every hierarchical model by BIC (up to 7 lists), or why the search failed.
  public let search: Result<ModelSearch.Result, EstimationError>?
  /// The sensitivity of `N̂` to the selection: thresholds, criteria, the top models, leaving out
  /// each list.
  public let sensitivity: SensitivityAnalysis
  /// The profile curve, when the profile interval has a finite lower limit.
  public let profileCurve: ProfileCurve?
  /// Each list held out as a population of known size, under ``ListValidation/defaultMethods``.
  public let validation: ListValidation

  /// The intervals that exist, in the report's order.
  public var availableIntervals: [IntervalEstimate] {
    intervals.compactMap { try? $0.result.get() }
  }

  /// Runs every part on `data`.
  /// - Throws: ``EstimationError`` when the selection on the data, or its bootstrap, fails, or
  ///   for a level outside (0, 1); ``EstimationError/cancelled`` when the calling task is cancelled.
  public static func run(
    data: CaptureData, settings: Settings = Settings(), progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(EstimationError) -> ListsReportAnalysis {
    try EstimationError.checkLevel(settings.level)
    let selection = try await ModelSelection.run(settings.procedure, data: data, concurrency: settings.concurrency)
    let fit = selection.fit
    let intervals = intervalMethods.map { method in
      (method: method, result: Result { () throws(EstimationError) in try fit.interval(method, level: settings.level) })
    }
    var bootstrap: SelectionBootstrap?
    var bootstrapInterval: Result<IntervalEstimate, EstimationError>?
    if settings.bootstrapReplicates > 0 {
      var options = SelectionBootstrap.Options()
      options.replicates = settings.bootstrapReplicates
      options.seed = settings.seed
      options.procedure = settings.procedure
      options.concurrency = settings.concurrency
      let resampled = try await SelectionBootstrap.run(
        data: data, options: options, selection: selection, progress: progress)
      bootstrap = resampled
      bootstrapInterval = Result { () throws(EstimationError) in
        try resampled.interval(.bootstrapBCa, level: settings.level)
      }
    }
    let standardModels = data.listCount >= 2 ? try ClosedPopulationTable(data: data) : nil
    var search: Result<ModelSearch.Result, EstimationError>?
    if let options = ModelSearch.Options.overview(
      listCount: data.listCount, keep: nil, concurrency: settings.concurrency)
    {
      do {
        search = .success(try await ModelSearch.run(data: data, options: options))
      } catch {
        search = .failure(error)
      }
    }
    let sensitivity = try await SensitivityAnalysis.run(
      data: data, procedure: settings.procedure, topModels: settings.sensitivityTopModels, level: settings.level,
      concurrency: settings.concurrency, search: try? search?.get())
    let validation = try await ListValidation.run(data: data, level: settings.level, concurrency: settings.concurrency)
    let profile = intervals.first { $0.method == .profileLikelihood }.flatMap { try? $0.result.get() }
    // Parts that failed are reported in place, but a cancellation is no part's failure.
    if Task.isCancelled { throw .cancelled }
    return ListsReportAnalysis(
      settings: settings, selection: selection, intervals: intervals, bootstrap: bootstrap,
      bootstrapInterval: bootstrapInterval, standardModels: standardModels, search: search,
      sensitivity: sensitivity, profileCurve: profile.flatMap { curve(fit: fit, data: data, interval: $0) },
      validation: validation)
  }

  /// The profile curve around `interval` (`nil` without a finite lower limit or a profile).
  static func curve(fit: LogLinearFit, data: CaptureData, interval: IntervalEstimate) -> ProfileCurve? {
    guard case .finite(let lower) = interval.lower,
      var likelihood = try? ProfileLikelihood(model: fit.model, data: data),
      let cutoff = try? likelihood.logLikelihood(at: interval.upper.value ?? lower)
    else { return nil }
    let upper = interval.upper.value ?? fit.total * 3
    let a = max(Double(data.observedTotal), lower - 0.3 * (upper - lower))
    let b = upper + 0.3 * (upper - lower)
    var points: [(populationSize: Double, logLikelihood: Double)] = []
    var omitted = 0
    for step in 0..<profilePoints {
      let n = a + (b - a) * Double(step) / Double(profilePoints - 1)
      if let value = try? likelihood.logLikelihood(at: n) { points.append((n, value)) } else { omitted += 1 }
    }
    return ProfileCurve(points: points, cutoff: cutoff, omitted: omitted)
  }
}
