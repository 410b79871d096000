import ArgumentParser
import DarkNumber
import DarkNumberReports
import DarkNumberLinearAlgebra
import Foundation

/// `darknumber analyze`: the analysis a statistician starts with, without knowing the method
/// names — the data at a glance, the model chosen by stepwise selection with its re-selecting
/// bootstrap, goodness of fit, the answer in words — and the full HTML report beside it.
struct AnalyzeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "analyze",
    abstract:
      "The recommended analysis: the data at a glance, stepwise selection with 1,000 re-selecting bootstrap replicates (BCa interval), goodness of fit, the answer in words, and the full HTML report.",
    discussion: """
      ListsReportAnalysis.Settings.recommended: SparseMSE's stepwise selection at p < 0.02, re-run in \
      each of 1,000 bootstrap replicates. For other choices, see select, report and sensitivity.
      """)

  @OptionGroup var input: InputOptions

  @Option(name: .shortAndLong, help: "Where to write the HTML report.")
  var output: String = "darknumber-report.html"

  @OptionGroup var execution: RunOptions
  @OptionGroup var randomness: SeedOptions
  @OptionGroup var confidence: LevelOptions

  func run() async throws {
    try await CommandFailure.reporting {
      let data = try input.load()
      BLASThreads.setSingleThreadedStoppingWorkers()
      var settings = ListsReportAnalysis.Settings.recommended
      settings.seed = randomness.seed(default: settings.seed)
      settings.concurrency = execution.threads
      settings.level = confidence.level
      let progress = execution.reporter(label: "bootstrap", count: settings.bootstrapReplicates)
      let analysis = try await ListsReportAnalysis.run(data: data, settings: settings, progress: progress)
      execution.finish(progress)
      execution.status("writing the report…")
      let html = try await HTMLReport.render(
        analysis, data: data, source: input.sourceDescription, bayes: true, threshold: nil,
        command: (["darknumber"] + CommandLine.arguments.dropFirst()).joined(separator: " "))
      execution.clearStatus()
      try TextFile.write(html, to: output)
      let report = AnalyzeReport(analysis: analysis, source: input.sourceDescription, reportPath: output)
      print(report.text(), terminator: "")
    }
  }
}
