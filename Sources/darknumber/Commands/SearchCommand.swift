import ArgumentParser
import DarkNumber
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

/// What `darknumber search` prints.
struct SearchReport: Report {
  let source: String
  let data: CaptureData
  let result: ModelSearch.Result
  let seconds: Double

  func text() -> String {
    var lines = [
      "DarkNumber \(DarkNumberVersion.string) — hierarchical model search (Rcapture closedpMS.t)", "",
      "Data  \(source): \(data.listCount) lists, \(NumberText.grouped(Double(data.observedTotal), digits: 0)) observed",
      "Fitted \(result.modelCount) models in \(NumberText.significant(seconds)) s; \(result.failureCount) without an estimate; ranked by \(result.criterion.rawValue.uppercased())",
      "",
      NumberText.padded("model", 28)
        + ["N̂", "SE", "deviance", "df", "AIC", "BIC"].map { NumberText.rightAligned($0, 11) }.joined(),
    ]
    for entry in result.best {
      var line = NumberText.padded(entry.model.description, 28)
      line += [
        NumberText.grouped(entry.total), NumberText.grouped(entry.standardError),
        NumberText.significant(entry.deviance), String(entry.degreesOfFreedom),
        NumberText.significant(entry.aic), NumberText.significant(entry.bic),
      ].map { NumberText.rightAligned($0, 11) }.joined()
      if entry.warnings.contains(where: Self.isBoundary) { line += "  (boundary: a parameter is −∞)" }
      lines.append(line)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func isBoundary(_ warning: FitWarning) -> Bool {
    switch warning {
    case .infiniteParameters, .fittedValuesNumericallyZero, .unobservedCountAtZero: true
    default: false
    }
  }

  func csv() -> String {
    var lines = ["model,total,standard_error,deviance,df,aic,aicc,bic,warnings"]
    for entry in result.best {
      lines.append(
        "\"\(entry.model)\",\(entry.total),\(entry.standardError),\(entry.deviance),\(entry.degreesOfFreedom),\(entry.aic),\(entry.aicc),\(entry.bic),\"\(entry.warnings.map(\.description).joined(separator: " ").replacingOccurrences(of: "\"", with: "'"))\""
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }

  struct Document: Encodable {
    struct Model: Encodable {
      let terms: String
      let total: Double
      let standardError: Double
      let deviance: Double
      let degreesOfFreedom: Int
      let aic: Double
      let aicc: Double?
      let bic: Double
      let diagnostics: [String]
    }
    let schemaVersion = 1
    let version = DarkNumberVersion.string
    let command = "search"
    let criterion: String
    let count: Int
    let withoutEstimate: Int
    let seconds: Double
    let models: [Model]
  }

  func json() throws -> String {
    try JSONText.encode(
      Document(
        criterion: result.criterion.rawValue, count: result.modelCount,
        withoutEstimate: result.failureCount, seconds: seconds,
        models: result.best.map {
          Document.Model(
            terms: $0.model.description, total: $0.total, standardError: $0.standardError,
            deviance: $0.deviance, degreesOfFreedom: $0.degreesOfFreedom, aic: $0.aic,
            aicc: $0.aicc.isFinite ? $0.aicc : nil, bic: $0.bic,
            diagnostics: $0.warnings.map(\.description))
        }))
  }
}
