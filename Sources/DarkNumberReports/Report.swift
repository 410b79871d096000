/// A command's result rendered in each output format.
package protocol Report {
  /// The human-readable table.
  func text() -> String
  /// The versioned JSON document.
  func json() throws -> String
  /// Comma-separated rows.
  func csv() -> String
}

extension Report {
  /// The rendering for `format`.
  package func rendered(as format: OutputFormat) throws -> String {
    switch format {
    case .text: return text()
    case .json: return try json()
    case .csv: return csv()
    }
  }
}

/// How a result is printed.
package enum OutputFormat: String, CaseIterable, Sendable {
  case text
  case json
  case csv
}

/// A document that cannot be rendered, as one sentence; the CLI maps each case to its exit code.
package enum ReportFailure: Error {
  /// Wrong use of the command (the CLI exits 64).
  case usage(String)
  /// Bad data (the CLI exits 65).
  case data(String)
  /// Anything else, such as a bug (the CLI exits 1).
  case other(String)
}
