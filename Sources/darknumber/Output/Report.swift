/// A command's result rendered in each output format.
protocol Report {
  /// The human-readable table.
  func text() -> String
  /// The versioned JSON document.
  func json() throws -> String
  /// Comma-separated rows.
  func csv() -> String
}

extension Report {
  /// The rendering for `format`.
  func rendered(as format: OutputFormat) throws -> String {
    switch format {
    case .text: return text()
    case .json: return try json()
    case .csv: return csv()
    }
  }
}
