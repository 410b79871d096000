import ArgumentParser
import DarkNumber
import DarkNumberLinearAlgebra
import Foundation

/// `darknumber estimate`: fit one log-linear model and report N̂ with its intervals.
struct EstimateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "estimate",
    abstract: "Fit a log-linear model and estimate the population size with intervals.",
    discussion: """
      Models: "[12,13,3]" (Rcapture digits, 1-based list positions, up to 9 lists), "LA:NG, LA:PF" \
      (list names), "Mt" (main effects, the default) or "all:2" (every interaction up to order 2).
      With --covariates the model names lists and covariates: "LA:NG, age:PF, year" (every \
      covariate's main effect is always in).
      """)

  @OptionGroup var input: InputOptions

  @Option(help: "The log-linear model (default: main effects, Mt).")
  var model: String = "Mt"

  @Option(
    parsing: .upToNextOption,
    help: "Interval methods: wald, lognormal, profile, logwald (default: all four).")
  var interval: [IntervalOption] = IntervalOption.allCases

  @OptionGroup(title: "Covariates") var covariates: CovariateOptions

  @Option(
    help:
      "With --covariates: hide observed counts from 1 to k − 1 in the breakdowns (and counts that would reveal them) as \"<k\"."
  )
  var suppressBelow: Int?

  @Option(
    help: "With --covariates: bootstrap replicates for percentile intervals of the total and every level (0: none).")
  var bootstrap: Int = 0

  @OptionGroup var rendering: OutputOptions
  @OptionGroup var execution: RunOptions
  @OptionGroup var randomness: SeedOptions

  /// The seed given, or this command's default.
  private var seed: UInt64 { randomness.seed(default: 1234) }
  @OptionGroup var confidence: LevelOptions

  func validate() throws {
    if let suppressBelow, suppressBelow < 2 { throw ValidationError("--suppress-below must be at least 2.") }
    if suppressBelow != nil && !covariates.isActive {
      throw ValidationError(
        "--suppress-below needs --covariates here (for lists only, use describe or report --suppress-below).")
    }
    guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be 0 or more replicates.") }
    if bootstrap > 0 && !covariates.isActive {
      throw ValidationError(
        "--bootstrap on estimate needs --covariates; for lists only use `select --method fixed --model M --bootstrap R`."
      )
    }
  }

  func run() async throws {
    if covariates.isActive {
      try await CommandFailure.reporting { try await runWithCovariates() }
      return
    }
    try CommandFailure.reporting {
      let data = try input.load()
      let report = try EstimateReport.make(
        data: data, source: input.sourceDescription, modelSpecification: model,
        methods: interval.map(\.method), level: confidence.level)
      print(try report.rendered(as: rendering.format), terminator: "")
    }
  }

  /// The covariate model: fit (by EM when asked), breakdown, verdicts, optional bootstrap — one
  /// library call, rendered.
  private func runWithCovariates() async throws {
    let data = try covariates.load(input)
    let model = try CovariateModel(specification: self.model, data: data, trends: try covariates.trends())
    BLASThreads.setSingleThreadedStoppingWorkers()
    let settings = try covariates.settings(
      model: .fixed(model), data: data, level: confidence.level, bootstrap: bootstrap, seed: seed,
      threads: execution.threads,
      suppressBelow: suppressBelow)
    let progress = execution.reporter(label: "bootstrap", count: bootstrap)
    let analysis = try await CovariateAnalysis.run(data: data, settings: settings, progress: progress)
    execution.finish(progress)
    let report = CovariateReport(command: "estimate", source: input.sourceDescription, analysis: analysis)
    print(try report.rendered(as: rendering.format), terminator: "")
  }
}

/// Everything `estimate` prints, computed once and rendered as text, JSON or CSV.
struct EstimateReport: Report {
  let source: String
  let data: CaptureData
  let fit: LogLinearFit
  let intervals: [IntervalEstimate]
  /// The two-list estimators with their Wald and log-normal intervals (two lists only).
  let twoList: [TwoListEstimate.Row]
  let level: Double

  static func make(
    data: CaptureData, source: String, modelSpecification: String, methods: [IntervalMethod],
    level: Double
  ) throws -> EstimateReport {
    let model = try LogLinearModel(specification: modelSpecification, listNames: data.listNames)
    return try make(data: data, source: source, fit: try model.fit(to: data), methods: methods, level: level)
  }

  /// The report of an existing fit.
  static func make(
    data: CaptureData, source: String, fit: LogLinearFit, methods: [IntervalMethod], level: Double
  ) throws -> EstimateReport {
    var intervals: [IntervalEstimate] = []
    for method in methods where !intervals.contains(where: { $0.method == method }) {
      intervals.append(try fit.interval(method, level: level))
    }
    let twoList = data.listCount == 2 ? try TwoListEstimate.all(data: data, level: level) : []
    return EstimateReport(
      source: source, data: data, fit: fit, intervals: intervals, twoList: twoList, level: level)
  }

  /// The two-list estimates that exist.
  var twoListEstimates: [(estimate: TwoListEstimate, intervals: [IntervalEstimate])] {
    twoList.compactMap { row in
      guard case .success(let estimate) = row.outcome else { return nil }
      return (estimate, row.intervals)
    }
  }

  /// Every warning as a sentence: the fit's, the intervals', and why a two-list estimator has none.
  var warnings: [String] {
    var result = fit.warnings.map(\.description)
    for interval in intervals {
      for note in interval.notes { result.append("\(interval.method.displayName): \(note)") }
    }
    for row in twoList {
      if case .failure(let error) = row.outcome { result.append("\(row.estimator.displayName): \(error)") }
    }
    return result
  }
}

extension TwoListEstimate.Estimator {
  /// The estimator's name in reports.
  var displayName: String { self == .chapman ? "Chapman" : "Lincoln–Petersen" }
}

extension IntervalMethod {
  /// The method's name in JSON and CSV.
  var key: String {
    switch self {
    case .wald: "wald"
    case .logNormal: "lognormal"
    case .profileLikelihood: "profile"
    case .logWald: "logwald"
    case .bootstrapPercentile: "bootstrap-percentile"
    case .bootstrapBCa: "bootstrap-bca"
    case .credible: "credible"
    }
  }
}
