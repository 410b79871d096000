import ArgumentParser
import DarkNumber
import DarkNumberReports
import DarkNumberLinearAlgebra
import Foundation

/// `darknumber search`: every hierarchical log-linear model, ranked.
struct SearchCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract:
      "Fit every hierarchical log-linear model up to an interaction order and rank them (Rcapture's closedpMS.t).")

  @OptionGroup var input: InputOptions

  @Option(help: "The largest interaction order (default: number of lists − 1).")
  var maxOrder: Int?

  @Option(help: "Terms every model must contain, e.g. \"[12,34]\" or \"LA:NG\".")
  var force: String?

  @Option(help: "Ranking criterion: aic, aicc or bic.")
  var criterion: CriterionOption = .bic

  @Option(help: "How many of the best models to report.")
  var top: Int = 20

  @OptionGroup var rendering: OutputOptions
  @OptionGroup var execution: RunOptions
  @OptionGroup var fitting: FittingOptions

  func validate() throws {
    guard top >= 1 else { throw ValidationError("--top must be at least 1.") }
    if let maxOrder, maxOrder < 1 { throw ValidationError("--max-order must be at least 1.") }
  }

  func run() async throws {
    try await CommandFailure.reporting {
      let data = try input.load()
      var options = ModelSearch.Options()
      options.maximumOrder = maxOrder
      options.criterion = criterion.criterion
      options.keep = top
      options.concurrency = execution.threads
      options.fitOptions = fitting.fitOptions
      if let force {
        let model = try LogLinearModel(specification: force, listNames: data.listNames)
        let limit = maxOrder ?? data.listCount - 1
        if let tooLarge = model.interactions.first(where: { $0.nonzeroBitCount > limit }) {
          throw CommandFailure.usage(
            "the forced term \(tooLarge.nonzeroBitCount)-way interaction exceeds --max-order \(limit).")
        }
        options.forced = model.interactions
      }
      BLASThreads.setSingleThreadedStoppingWorkers()
      let progress = execution.reporter(label: "models fitted:", count: nil)
      let started = ContinuousClock.now
      let result = try await ModelSearch.run(data: data, options: options, progress: progress)
      execution.finish(progress)
      let elapsed = ContinuousClock.now - started
      let report = SearchReport(
        source: input.sourceDescription, data: data, result: result,
        seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
      print(try report.rendered(as: rendering.format), terminator: "")
    }
  }
}

/// The CLI's spelling of ``InformationCriterion``.
enum CriterionOption: String, CaseIterable, ExpressibleByArgument {
  case aic
  case aicc
  case bic

  var criterion: InformationCriterion {
    switch self {
    case .aic: .aic
    case .aicc: .aicc
    case .bic: .bic
    }
  }
}
