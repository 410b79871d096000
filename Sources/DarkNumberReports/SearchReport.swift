package import DarkNumber
import Foundation

/// What `darknumber search` prints.
package struct SearchReport: Report {
  package let source: String
  package let data: CaptureData
  package let result: ModelSearch.Result
  package let seconds: Double

  /// The value holding each part as given.
  package init(source: String, data: CaptureData, result: ModelSearch.Result, seconds: Double) {
    self.source = source
    self.data = data
    self.result = result
    self.seconds = seconds
  }

  package func text() -> String {
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

  package static func isBoundary(_ warning: FitWarning) -> Bool {
    switch warning {
    case .infiniteParameters, .fittedValuesNumericallyZero, .unobservedCountAtZero: true
    default: false
    }
  }

  package func csv() -> String {
    var lines = ["model,total,standard_error,deviance,df,aic,aicc,bic,warnings"]
    for entry in result.best {
      lines.append(
        "\"\(entry.model)\",\(entry.total),\(entry.standardError),\(entry.deviance),\(entry.degreesOfFreedom),\(entry.aic),\(entry.aicc),\(entry.bic),\"\(entry.warnings.map(\.description).joined(separator: " ").replacingOccurrences(of: "\"", with: "'"))\""
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }

  package struct Document: Encodable {
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
    /// A model without an estimate and why (the first 1,000 of ``withoutEstimate``).
    struct Failure: Encodable {
      let terms: String
      let reason: String
    }
    let schemaVersion = 1
    let version = DarkNumberVersion.string
    let command = "search"
    let criterion: String
    let count: Int
    let withoutEstimate: Int
    let modelsWithoutEstimate: [Failure]
    let seconds: Double
    let models: [Model]
  }

  package func json() throws -> String {
    try JSONText.encode(
      Document(
        criterion: result.criterion.rawValue, count: result.modelCount,
        withoutEstimate: result.failureCount,
        modelsWithoutEstimate: result.failures.map { .init(terms: $0.model.description, reason: $0.error.description) },
        seconds: seconds,
        models: result.best.map {
          Document.Model(
            terms: $0.model.description, total: $0.total, standardError: $0.standardError,
            deviance: $0.deviance, degreesOfFreedom: $0.degreesOfFreedom, aic: $0.aic,
            aicc: $0.aicc.isFinite ? $0.aicc : nil, bic: $0.bic,
            diagnostics: $0.warnings.map(\.description))
        }))
  }
}
