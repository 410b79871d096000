package import DarkNumber
import Foundation

/// `darknumber models`'s rendering of a ``ClosedPopulationTable``.
package struct ModelTable: Report {
  /// A row's JSON form (`interval` as in `estimate`'s `intervals[]`; absent values are null).
  package struct RowEntry: Encodable {
    enum CodingKeys: String, CodingKey {
      case name, total, standardError, deviance, degreesOfFreedom, goodnessOfFit, aic, bic, bias, interval
      case droppedTerms, diagnostics
    }

    let row: ClosedPopulationTable.Row

    package func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(row.name, forKey: .name)
      try container.encode(row.total, forKey: .total)
      try container.encode(row.standardError, forKey: .standardError)
      try container.encode(row.deviance, forKey: .deviance)
      try container.encode(row.degreesOfFreedom, forKey: .degreesOfFreedom)
      try container.encode(row.goodnessOfFit.map(EstimateDocument.GoodnessSection.init), forKey: .goodnessOfFit)
      try container.encode(row.aic, forKey: .aic)
      try container.encode(row.bic, forKey: .bic)
      try container.encode(row.bias, forKey: .bias)
      try container.encode(row.interval.map(EstimateDocument.entry), forKey: .interval)
      try container.encode(row.droppedTerms, forKey: .droppedTerms)
      try container.encode(row.diagnostics, forKey: .diagnostics)
    }
  }

  package let table: ClosedPopulationTable
  package let source: String
  package let listDescription: String

  /// The value holding each part as given.
  package init(table: ClosedPopulationTable, source: String, listDescription: String) {
    self.table = table
    self.source = source
    self.listDescription = listDescription
  }

  package var rows: [ClosedPopulationTable.Row] { table.rows }
  package var observedTotal: Int { table.observedTotal }
  package var level: Double? { table.level }

  package func text() -> String {
    var lines = [
      "DarkNumber \(DarkNumberVersion.string) — closed-population models (Rcapture \(listDescription.hasPrefix("number") ? "closedp.0" : "closedp.t"))",
      "",
      "Data  \(source): \(listDescription), \(NumberText.grouped(Double(observedTotal), digits: 0)) observed", "",
    ]
    var header =
      NumberText.padded("model", 19)
      + ["N̂", "SE", "deviance", "df", "fit p", "AIC", "BIC", "bias"]
      .map { NumberText.rightAligned($0, 11) }.joined()
    if let level { header += "   profile \(NumberText.significant(level * 100))% interval" }
    lines.append(header)
    var notes: [String] = []
    for (index, row) in rows.enumerated() {
      var line = NumberText.padded(row.name, 19)
      if let total = row.total {
        let cells: [String] = [
          NumberText.grouped(total), row.standardError.map { NumberText.grouped($0) } ?? "",
          row.deviance.map(NumberText.significant) ?? "", row.degreesOfFreedom.map(String.init) ?? "",
          row.goodnessOfFit?.pValue.map(NumberText.probability) ?? "",
          row.aic.map(NumberText.significant) ?? "", row.bic.map(NumberText.significant) ?? "",
          row.bias.map(NumberText.significant) ?? "",
        ]
        // At least one space between columns, however wide a number.
        line += cells.map { " " + NumberText.rightAligned($0, 10) }.joined()
        if let interval = row.interval {
          line += "   " + limitText(interval.lower) + " – " + limitText(interval.upper)
        }
      } else {
        line += NumberText.rightAligned("no estimate", 11)
      }
      if !row.diagnostics.isEmpty {
        line += "  [\(index + 1)]"
        notes.append(contentsOf: row.diagnostics.map { "  [\(index + 1)] \(row.name): \($0)" })
      }
      lines.append(line)
    }
    if !notes.isEmpty {
      lines.append("")
      lines.append("Warnings")
      lines.append(contentsOf: notes)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private func limitText(_ limit: IntervalLimit) -> String {
    limit.value.map { NumberText.grouped($0) } ?? "∞"
  }

  package func csv() -> String {
    var lines = ["model,total,standard_error,deviance,df,aic,bic,bias,lower,upper,warnings"]
    for row in rows {
      let fields: [String] = [
        "\"\(row.name)\"", row.total.map { String($0) } ?? "", row.standardError.map { String($0) } ?? "",
        row.deviance.map { String($0) } ?? "", row.degreesOfFreedom.map { String($0) } ?? "",
        row.aic.map { String($0) } ?? "", row.bic.map { String($0) } ?? "",
        row.bias.map { String($0) } ?? "",
        row.interval?.lower.value.map { String($0) } ?? "",
        row.interval.map { $0.upper.value.map { String($0) } ?? "Inf" } ?? "",
        "\"" + row.diagnostics.joined(separator: " ").replacingOccurrences(of: "\"", with: "'") + "\"",
      ]
      lines.append(fields.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  package struct Document: Encodable {
    let schemaVersion = 1
    let version = DarkNumberVersion.string
    let command = "models"
    let source: String
    let observed: Int
    let data: String
    let models: [RowEntry]
  }

  package func json() throws -> String {
    let document = Document(
      source: source, observed: observedTotal, data: listDescription, models: rows.map(RowEntry.init))
    return try JSONText.encode(document)
  }
}
