package import DarkNumber
import Foundation

/// What `darknumber validate` prints: every held-out list under every method, then each method's
/// coverage and mean log relative error.
package struct ValidationReport: Report {
  package let source: String
  package let data: CaptureData
  package let validation: ListValidation

  /// The report of `validation` of `data`, read from `source`.
  package init(source: String, data: CaptureData, validation: ListValidation) {
    self.source = source
    self.data = data
    self.validation = validation
  }

  package func text() -> String {
    let percent = NumberText.significant(validation.level * 100)
    var lines = [
      "DarkNumber \(DarkNumberVersion.string) — validation: each list as a population of known size", "",
      "Data       \(source): \(data.listCount) lists, \(NumberText.grouped(Double(data.observedTotal), digits: 0)) people",
      "           for each list, the people only on it are known; each method estimates them from the other lists",
      "",
      NumberText.padded("method", 14) + NumberText.padded("list", 12)
        + ["on list", "known", "estimate"].map { NumberText.rightAligned($0, 10) }.joined()
        + "   \(percent)% interval          covered  log(est/known)",
    ]
    for row in validation.rows {
      var line = NumberText.padded(row.method, 14) + NumberText.padded(row.list, 12)
      line += [row.registered, row.known].map { NumberText.rightAligned(NumberText.grouped(Double($0), digits: 0), 10) }
        .joined()
      switch row.outcome {
      case .success(let estimate):
        line += NumberText.rightAligned(NumberText.grouped(estimate.estimate, digits: 1), 10) + "   "
        if let interval = estimate.intervals.first {
          let lower = interval.lower.value.map { NumberText.grouped($0, digits: 1) } ?? "?"
          let upper = interval.upper.value.map { NumberText.grouped($0, digits: 1) } ?? "∞"
          line += NumberText.padded("\(lower) – \(upper)", 22)
        } else {
          line += NumberText.padded("none", 22)
        }
        line += NumberText.padded(estimate.covered.map { $0 ? "yes" : "no" } ?? "—", 9)
        line += estimate.logRelativeError.map { String(format: "%+.3f", $0) } ?? "—"
      case .failure(let failure):
        line += NumberText.rightAligned("—", 10) + "   no estimate: \(failure)"
      }
      lines.append(line)
    }
    lines.append("")
    lines.append("Summary    coverage of the \(percent)% intervals and mean log(estimate / known) (negative: too low)")
    for summary in validation.summaries {
      let coverage = summary.coverage.map { String(format: "%.2f", $0) } ?? "—"
      let bias = summary.meanLogRelativeError.map { String(format: "%+.3f", $0) } ?? "—"
      lines.append(
        "  " + NumberText.padded(summary.method, 14)
          + "\(summary.estimated) of \(summary.lists) lists estimated; coverage \(coverage); mean log relative error \(bias)"
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }

  package func csv() -> String {
    var lines = ["method,list,registered,known,estimate,interval,level,lower,upper,covered,log_relative_error,reason"]
    for row in validation.rows {
      var fields = ["\(row.method)", "\"\(row.list)\"", "\(row.registered)", "\(row.known)"]
      switch row.outcome {
      case .success(let estimate):
        let interval = estimate.intervals.first
        fields += [
          String(estimate.estimate), interval.map { $0.method.key } ?? "", interval.map { String($0.level) } ?? "",
          NumberText.field(interval?.lower.value), NumberText.field(interval?.upper.value),
          estimate.covered.map { String($0) } ?? "", NumberText.field(estimate.logRelativeError), "",
        ]
      case .failure(let failure):
        fields += ["", "", "", "", "", "", "", "\"\(failure)\""]
      }
      lines.append(fields.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The JSON document (schema version 1).
  package struct Document: Encodable {
    struct Row: Encodable {
      let method: String
      let list: String
      let registered: Int
      let known: Int
      let model: String?
      let estimate: Double?
      let intervals: [EstimateDocument.IntervalEntry]
      let covered: Bool?
      let logRelativeError: Double?
      let reason: String?
    }
    struct Summary: Encodable {
      let method: String
      let lists: Int
      let estimated: Int
      let coverage: Double?
      let meanLogRelativeError: Double?
    }
    let schemaVersion = 1
    let version = DarkNumberVersion.string
    let command = "validate"
    let source: String
    let lists: [String]
    let level: Double
    let rows: [Row]
    let summary: [Summary]
  }

  package func json() throws -> String {
    let rows = validation.rows.map { row -> Document.Row in
      switch row.outcome {
      case .success(let estimate):
        return Document.Row(
          method: row.method, list: row.list, registered: row.registered, known: row.known,
          model: estimate.model?.description, estimate: estimate.estimate,
          intervals: estimate.intervals.map(EstimateDocument.entry), covered: estimate.covered,
          logRelativeError: estimate.logRelativeError, reason: nil)
      case .failure(let failure):
        return Document.Row(
          method: row.method, list: row.list, registered: row.registered, known: row.known, model: nil,
          estimate: nil, intervals: [], covered: nil, logRelativeError: nil, reason: failure.description)
      }
    }
    let summary = validation.summaries.map {
      Document.Summary(
        method: $0.method, lists: $0.lists, estimated: $0.estimated, coverage: $0.coverage,
        meanLogRelativeError: $0.meanLogRelativeError)
    }
    return try JSONText.encode(
      Document(source: source, lists: data.listNames, level: validation.level, rows: rows, summary: summary))
  }
}
