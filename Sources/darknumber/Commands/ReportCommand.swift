import ArgumentParser
import DarkNumber
import DarkNumberReports
import DarkNumberLinearAlgebra
import Foundation

/// `darknumber report`: one self-contained HTML file with the data, the models, the estimate and
/// its intervals, and the plots a statistician looks at before publishing.
struct ReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract:
      "Write a self-contained HTML report (inline SVG charts, no network): data and overlaps, models, the estimate with all intervals, profile likelihood, bootstrap, estimate vs BIC, sensitivity."
  )

  @OptionGroup var input: InputOptions

  @Option(help: "A fixed log-linear model for the estimate, e.g. \"[12,13,4,5]\" (default: chosen by --method).")
  var model: String?

  @Option(help: "How the model is chosen when --model is not given: stepwise (SparseMSE, default), bic, aic or aicc.")
  var method: String = "stepwise"

  @Option(parsing: .unconditional, help: "Stepwise p-value threshold, in (0, 1].")
  var pthresh: Double = StepwiseSelection.defaultThreshold

  @Option(parsing: .unconditional, help: "Bootstrap replicates re-running the selection (0: none).")
  var bootstrap: Int = 500

  @Flag(help: "Leave out the Bayesian rows of the sensitivity analysis.")
  var noBayes = false

  @Option(help: "Hide observed counts from 1 to k − 1 (and those that would reveal them) as \"<k\".")
  var suppressBelow: Int?

  @Option(name: .shortAndLong, help: "The HTML file to write.")
  var output: String

  @OptionGroup(title: "Covariates") var covariates: CovariateOptions

  @Option(
    help: "With --covariates: the kinds of two-factor terms the selection may add (lists, covariate-lists, covariates)."
  )
  var candidates: String = "lists,covariate-lists,covariates"

  @Option(
    help: "With --covariates: the covariate drawn as a trend (default: the first with numeric levels, such as year).")
  var trendChart: String?

  @Option(help: "With --covariates: also write every published table as a CSV file into this folder.")
  var tables: String?

  @OptionGroup var execution: RunOptions
  @OptionGroup var randomness: SeedOptions

  /// The seed given, or this command's default.
  private var seed: UInt64 { randomness.seed(default: 1234) }
  @OptionGroup var confidence: LevelOptions

  func validate() throws {
    guard pthresh > 0 && pthresh <= 1 else { throw ValidationError("--pthresh must lie in (0, 1].") }
    guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be 0 or more replicates.") }
    if let suppressBelow, suppressBelow < 2 { throw ValidationError("--suppress-below must be at least 2.") }
    guard ["stepwise", "bic", "aic", "aicc", "path"].contains(method.lowercased()) else {
      throw ValidationError(
        "--method must be stepwise, bic, aic, aicc or (with --covariates) path; found \"\(method)\".")
    }
    if !covariates.isActive {
      if method.lowercased() == "path" { throw ValidationError("--method path needs --covariates.") }
      if trendChart != nil || tables != nil { throw ValidationError("--trend-chart and --tables need --covariates.") }
    }
  }

  func run() async throws {
    if covariates.isActive {
      try await CommandFailure.reporting { try await runWithCovariates() }
      return
    }
    try await CommandFailure.reporting {
      let data = try input.load()
      BLASThreads.setSingleThreadedStoppingWorkers()
      let procedure = try SensitivityCommand.procedure(model ?? method, threshold: pthresh, listNames: data.listNames)
      var settings = ListsReportAnalysis.Settings()
      settings.procedure = procedure
      settings.bootstrapReplicates = bootstrap
      settings.seed = seed
      settings.concurrency = execution.threads
      settings.level = confidence.level
      let html = try await HTMLReport.make(
        data: data, source: input.sourceDescription, settings: settings, bayes: !noBayes, threshold: suppressBelow,
        command: (["darknumber"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
      try TextFile.write(html, to: output)
      FileHandle.standardError.write(Data("darknumber: wrote \(output)\n".utf8))
    }
  }

  /// The publication report of an analysis with covariates: one library call, rendered.
  private func runWithCovariates() async throws {
    let data = try covariates.load(input)
    BLASThreads.setSingleThreadedStoppingWorkers()
    let trends = try covariates.trends()
    let choice: CovariateAnalysis.ModelChoice
    let kinds = try SelectCommand.candidateSet(candidates)
    if let model {
      choice = .fixed(try CovariateModel(specification: model, data: data, trends: trends))
    } else {
      let start = try CovariateModel(specification: "main", data: data, trends: trends)
      switch method.lowercased() {
      case "path": choice = .path(start: start, candidates: kinds)
      case "aic": choice = .selected(start: start, criterion: .aic, candidates: kinds)
      case "aicc": choice = .selected(start: start, criterion: .aicc, candidates: kinds)
      default: choice = .selected(start: start, criterion: .bic, candidates: kinds)
      }
    }
    let settings = try covariates.settings(
      model: choice, data: data, level: confidence.level, bootstrap: bootstrap, seed: seed, threads: execution.threads,
      suppressBelow: suppressBelow)
    let progress = execution.reporter(label: "bootstrap", count: bootstrap)
    let analysis = try await CovariateAnalysis.run(data: data, settings: settings, progress: progress)
    execution.finish(progress)
    let report = CovariateHTMLReport(
      analysis: analysis, source: input.sourceDescription,
      command: (["darknumber"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
      trendCovariate: try CovariateHTMLReport.trendCovariate(named: trendChart, analysis: analysis))
    try TextFile.write(report.html(), to: output)
    FileHandle.standardError.write(Data("darknumber: wrote \(output)\n".utf8))
    if let tables {
      try FileManager.default.createDirectory(atPath: tables, withIntermediateDirectories: true)
      let files = report.tables()
      for (name, contents) in files {
        try TextFile.write(contents, to: (tables as NSString).appendingPathComponent(name))
      }
      FileHandle.standardError.write(Data("darknumber: wrote \(files.count) tables into \(tables)\n".utf8))
    }
  }
}
