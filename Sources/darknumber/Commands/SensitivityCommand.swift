import ArgumentParser
import DarkNumber
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

  @Option(help: "The base stepwise p-value threshold, in (0, 1].")
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

/// One row of the sensitivity table, from any method (also its JSON row).
struct SensitivityEntry: Encodable {
  let group: String
  let label: String
  let model: String?
  let total: Double?
  let lower: Double?
  let upper: Double?
  let upperUnbounded: Bool
  let interval: String
  let note: String?
}

/// What `sensitivity` prints.
struct SensitivityReport: Report {
  let source: String
  let data: CaptureData
  let level: Double
  let entries: [SensitivityEntry]

  /// The table of `analysis`, with the Bayesian rows of `data` when `bayes` (seeded by `seed`,
  /// `concurrency` chains at once).
  static func make(
    data: CaptureData, source: String, analysis: SensitivityAnalysis, bayes: Bool, seed: UInt64, concurrency: Int
  ) async throws -> SensitivityReport {
    let level = analysis.level
    var entries = analysis.rows.map { row -> SensitivityEntry in
      switch row.outcome {
      case .success(let result):
        return SensitivityEntry(
          group: row.group.rawValue, label: row.label, model: result.fit.model.description,
          total: result.fit.total, lower: result.interval?.lower.value, upper: result.interval?.upper.value,
          upperUnbounded: result.interval?.upper == .unbounded, interval: "profile",
          note: result.interval == nil ? "no profile interval" : nil)
      case .failure(let error):
        return SensitivityEntry(
          group: row.group.rawValue, label: row.label, model: nil, total: nil, lower: nil, upper: nil,
          upperUnbounded: false, interval: "profile", note: error.description)
      }
    }
    if bayes {
      for row in try await SensitivityAnalysis.bayesianRows(data: data, seed: seed, concurrency: concurrency) {
        switch row.outcome {
        case .success(let summary):
          entries.append(Self.bayesEntry(row.label, summary, level: level))
        case .failure(let error):
          entries.append(
            .init(
              group: "method", label: row.label, model: nil, total: nil, lower: nil, upper: nil,
              upperUnbounded: false, interval: "credible", note: "\(error)"))
        }
      }
    }
    // Bayesian rows join the other methods, before the top models.
    let order = SensitivityAnalysis.Group.allCases.map(\.rawValue)
    let sorted = entries.enumerated().sorted { a, b in
      let (x, y) = (order.firstIndex(of: a.element.group) ?? 0, order.firstIndex(of: b.element.group) ?? 0)
      return x != y ? x < y : a.offset < b.offset
    }.map(\.element)
    return SensitivityReport(source: source, data: data, level: level, entries: sorted)
  }

  static func bayesEntry(_ label: String, _ summary: PosteriorSummary, level: Double) -> SensitivityEntry {
    let interval = summary.interval(nearest: level)
    return SensitivityEntry(
      group: "method", label: label, model: nil, total: summary.median, lower: interval?.lower.value,
      upper: interval?.upper.value, upperUnbounded: false, interval: "credible",
      note: interval.map { $0.level == level ? nil : "\(Int($0.level * 100))% credible interval" } ?? nil)
  }

  func chart() -> String {
    SVGChart.intervals(
      entries.map {
        .init(label: $0.label, group: $0.group, estimate: $0.total, lower: $0.lower, upper: $0.upper, note: $0.note)
      },
      title: "Sensitivity of N̂ (\(Int(level * 100))% intervals)", axis: "population size N",
      references: [("observed \(data.observedTotal)", Double(data.observedTotal))])
  }

  func text() -> String {
    var lines = [
      "DarkNumber \(DarkNumberVersion.string) — sensitivity of the estimate", "", "Data       \(source)", "",
    ]
    lines.append(
      "  " + NumberText.padded("variant", 34) + NumberText.rightAligned("N̂", 12) + "   \(Int(level * 100))% interval")
    var group = ""
    for entry in entries {
      if entry.group != group {
        group = entry.group
        lines.append("  [\(group)]")
      }
      var line = "  " + NumberText.padded(entry.label, 34)
      if let total = entry.total {
        line += NumberText.rightAligned(NumberText.grouped(total), 12) + "   "
        line += (entry.lower.map { NumberText.grouped($0) } ?? "?") + " – "
        line += entry.upperUnbounded ? "∞" : (entry.upper.map { NumberText.grouped($0) } ?? "?")
        if entry.interval == "credible" { line += " (posterior median, credible)" }
        if let model = entry.model, !entry.label.contains(model) { line += "   \(model)" }
      } else {
        line += NumberText.rightAligned("—", 12) + "   " + (entry.note ?? "no estimate")
      }
      lines.append(line)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  func csv() -> String {
    var lines = ["group,label,model,total,lower,upper,interval,note"]
    for entry in entries {
      lines.append(
        "\(entry.group),\"\(entry.label)\",\"\(entry.model ?? "")\",\(NumberText.field(entry.total)),\(NumberText.field(entry.lower)),\(NumberText.field(entry.upper)),\(entry.interval),\"\(entry.note ?? "")\""
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }

  func json() throws -> String {
    struct Document: Encodable {
      let schemaVersion = 1
      let version = DarkNumberVersion.string
      let command = "sensitivity"
      let source: String
      let observed: Int
      let level: Double
      let rows: [SensitivityEntry]
    }
    return try JSONText.encode(
      Document(
        source: source, observed: data.observedTotal, level: level, rows: entries))
  }
}
