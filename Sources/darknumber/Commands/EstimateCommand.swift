import ArgumentParser
import DarkNumber
import DarkNumberReports
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
    help:
      "Interval methods: wald, lognormal, profile, logwald (default: all four). Not with --covariates, whose intervals are fixed: Wald, log-normal and profile for the total, Wald and log-normal per level."
  )
  var interval: [IntervalOption] = []

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
  @OptionGroup var fitting: FittingOptions

  func validate() throws {
    if let suppressBelow, suppressBelow < 2 { throw ValidationError("--suppress-below must be at least 2.") }
    if suppressBelow != nil && !covariates.isActive {
      throw ValidationError(
        "--suppress-below needs --covariates here (for lists only, use describe or report --suppress-below).")
    }
    guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be 0 or more replicates.") }
    if !interval.isEmpty && covariates.isActive {
      throw ValidationError(
        "--interval does not apply with --covariates: the covariate model gives Wald, log-normal and profile intervals for the total and Wald and log-normal per level."
      )
    }
    if fitting.glmCompatible && covariates.isActive {
      throw ValidationError("--glm-compatible applies to models without covariates.")
    }
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
        methods: (interval.isEmpty ? IntervalOption.allCases : interval).map(\.method), level: confidence.level,
        options: fitting.fitOptions)
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
