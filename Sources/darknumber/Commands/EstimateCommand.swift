import ArgumentParser
import DarkNumber
import Foundation

/// `darknumber estimate`: fit one log-linear model and report N̂ with its intervals.
struct EstimateCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "estimate",
    abstract: "Fit a log-linear model and estimate the population size with intervals.",
    discussion: """
      Models: "[12,13,3]" (Rcapture digits, 1-based list positions, up to 9 lists), "LA:NG, LA:PF" \
      (list names), "Mt" (main effects, the default) or "all:2" (every interaction up to order 2).
      """)

  @OptionGroup var input: InputOptions

  @Option(help: "The log-linear model (default: main effects, Mt).")
  var model: String = "Mt"

  @Option(help: "The confidence level of the intervals, in (0, 1).")
  var level: Double = 0.95

  @Option(
    parsing: .upToNextOption,
    help: "Interval methods: wald, lognormal, profile, logwald (default: all four).")
  var interval: [IntervalOption] = IntervalOption.allCases

  @Option(help: "Output format: text, json or csv.")
  var format: OutputFormat = .text

  func validate() throws {
    guard level > 0 && level < 1 else { throw ValidationError("--level must lie strictly between 0 and 1.") }
  }

  func run() throws {
    try CommandFailure.reporting {
      let data = try input.load()
      let report = try EstimateReport.make(
        data: data, source: input.sourceDescription, modelSpecification: model,
        methods: interval.map(\.method), level: level)
      print(report.rendered(as: format), terminator: "")
    }
  }
}

/// Everything `estimate` prints, computed once and rendered as text, JSON or CSV.
struct EstimateReport: Report {
  let source: String
  let data: CaptureData
  let fit: LogLinearFit
  let intervals: [ConfidenceInterval]
  let twoList: [TwoListEstimate]
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
    var intervals: [ConfidenceInterval] = []
    for method in methods where !intervals.contains(where: { $0.method == method }) {
      intervals.append(try fit.interval(method, level: level))
    }
    var twoList: [TwoListEstimate] = []
    if data.listCount == 2 {
      for estimator in TwoListEstimate.Estimator.allCases {
        if let estimate = try? TwoListEstimate(estimator: estimator, data: data) {
          twoList.append(estimate)
        }
      }
    }
    return EstimateReport(
      source: source, data: data, fit: fit, intervals: intervals, twoList: twoList, level: level)
  }

  /// Every warning as a sentence: the data's, the fit's, the intervals'.
  var warnings: [String] {
    var result = fit.warnings.map(\.description)
    for interval in intervals {
      for note in interval.notes { result.append("\(interval.method.displayName): \(note)") }
    }
    return result
  }
}

extension IntervalMethod {
  /// The method's name in reports.
  var displayName: String {
    switch self {
    case .wald: "Wald"
    case .logNormal: "log-normal"
    case .profileLikelihood: "profile likelihood"
    case .logWald: "Wald on log scale"
    }
  }

  /// The method's name in JSON and CSV.
  var key: String {
    switch self {
    case .wald: "wald"
    case .logNormal: "lognormal"
    case .profileLikelihood: "profile"
    case .logWald: "logwald"
    }
  }
}
