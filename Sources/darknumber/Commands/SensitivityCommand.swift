import ArgumentParser
import DarkNumber
import DarkNumberReports
import DarkNumberBayes
import DarkNumberLinearAlgebra
import Foundation

/// `darknumber sensitivity`: how the estimate moves with the lists and the method.
struct SensitivityCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sensitivity",
    abstract:
      "Re-estimate with each list omitted, each pair merged, across stepwise thresholds and methods (incl. dga and latent class), and for the search's top models."
  )

  @OptionGroup var input: InputOptions

  @Option(
    help:
      "The base analysis re-run on omitted and merged lists: stepwise (SparseMSE, default), bic, aic, aicc, or a model, e.g. \"[12,3]\"."
  )
  var method: String = "stepwise"

  @Option(parsing: .unconditional, help: "The base stepwise p-value threshold, in (0, 1].")
  var pthresh: Double = StepwiseSelection.defaultThreshold

  @Option(help: "How many of the exhaustive search's best models (by BIC) to list (0: none).")
  var top: Int = SensitivityAnalysis.defaultTopModels

  @Flag(help: "Leave out the Bayesian rows (dga for up to 5 lists, as R dga; the latent-class model).")
  var noBayes = false

  @Option(help: "Write the sensitivity plot (SVG) to this file.")
  var svg: String?

  @OptionGroup var rendering: OutputOptions
  @OptionGroup var execution: RunOptions
  @OptionGroup var randomness: SeedOptions

  /// The seed given, or this command's default.
  private var seed: UInt64 { randomness.seed(default: 1234) }
  @OptionGroup var confidence: LevelOptions

  func validate() throws {
    guard pthresh > 0 && pthresh <= 1 else { throw ValidationError("--pthresh must lie in (0, 1].") }
    guard top >= 0 else { throw ValidationError("--top must be 0 or more.") }
  }

  func run() async throws {
    try await CommandFailure.reporting {
      let data = try input.load()
      BLASThreads.setSingleThreadedStoppingWorkers()
      let procedure = try Self.procedure(method, threshold: pthresh, listNames: data.listNames)
      let analysis = try await SensitivityAnalysis.run(
        data: data, procedure: procedure, topModels: top, level: confidence.level,
        concurrency: execution.threads)
      let report = try await SensitivityReport.make(
        data: data, source: input.sourceDescription, analysis: analysis, bayes: !noBayes, seed: seed,
        concurrency: execution.threads)
      if let svg { try TextFile.write(report.chart(), to: svg) }
      print(try report.rendered(as: rendering.format), terminator: "")
    }
  }

  /// The base procedure named by `--method`.
  static func procedure(_ method: String, threshold: Double, listNames: [String]) throws -> SelectionProcedure {
    switch method.lowercased() {
    case "stepwise": return .stepwise(threshold: threshold)
    case "bic": return .criterion(.bic, maximumOrder: nil, candidateLimit: nil)
    case "aic": return .criterion(.aic, maximumOrder: nil, candidateLimit: nil)
    case "aicc": return .criterion(.aicc, maximumOrder: nil, candidateLimit: nil)
    default: return .fixed(try LogLinearModel(specification: method, listNames: listNames))
    }
  }
}
