package import DarkNumber
package import DarkNumberBayes
import Foundation

/// One row of the sensitivity table, from any method (also its JSON row).
package struct SensitivityEntry: Encodable {
  package let group: String
  package let label: String
  package let model: String?
  package let total: Double?
  package let lower: Double?
  package let upper: Double?
  package let upperUnbounded: Bool
  package let interval: String
  package let note: String?
}

/// What `sensitivity` prints.
package struct SensitivityReport: Report {
  package let source: String
  package let data: CaptureData
  package let level: Double
  package let entries: [SensitivityEntry]

  /// The table of `analysis`, with the Bayesian rows of `data` when `bayes` (seeded by `seed`,
  /// `concurrency` chains at once).
  package static func make(
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

  package static func bayesEntry(_ label: String, _ summary: PosteriorSummary, level: Double) -> SensitivityEntry {
    let interval = summary.interval(nearest: level)
    return SensitivityEntry(
      group: "method", label: label, model: nil, total: summary.median, lower: interval?.lower.value,
      upper: interval?.upper.value, upperUnbounded: false, interval: "credible",
      note: interval.map { $0.level == level ? nil : "\(Int($0.level * 100))% credible interval" } ?? nil)
  }

  package func chart() -> String {
    SVGChart.intervals(
      entries.map {
        .init(label: $0.label, group: $0.group, estimate: $0.total, lower: $0.lower, upper: $0.upper, note: $0.note)
      },
      title: "Sensitivity of N̂ (\(Int(level * 100))% intervals)", axis: "population size N",
      references: [("observed \(data.observedTotal)", Double(data.observedTotal))])
  }

  package func text() -> String {
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

  package func csv() -> String {
    var lines = ["group,label,model,total,lower,upper,interval,note"]
    for entry in entries {
      lines.append(
        "\(entry.group),\"\(entry.label)\",\"\(entry.model ?? "")\",\(NumberText.field(entry.total)),\(NumberText.field(entry.lower)),\(NumberText.field(entry.upper)),\(entry.interval),\"\(entry.note ?? "")\""
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }

  package func json() throws -> String {
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
