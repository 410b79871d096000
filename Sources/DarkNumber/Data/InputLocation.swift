/// Where in an input text something was found: the source's name (a file path, or `nil` for
/// in-memory text), a 1-based line and a 1-based column (the field number in a CSV row).
public struct InputLocation: Hashable, Sendable, CustomStringConvertible {
  /// The input's name, usually a file path; `nil` for text with no name.
  public var source: String?
  /// The 1-based line number.
  public var line: Int
  /// The 1-based column (CSV field) number, or `nil` when the whole line is meant.
  public var column: Int?
  /// The column's header, when known.
  public var columnName: String?

  /// A location; every part but `line` is optional.
  public init(source: String? = nil, line: Int, column: Int? = nil, columnName: String? = nil) {
    self.source = source
    self.line = line
    self.column = column
    self.columnName = columnName
  }

  /// `file.csv, line 3, column 2 ("NG")`.
  public var description: String {
    var text = source.map { "\($0), " } ?? ""
    text += "line \(line)"
    if let column {
      text += ", column \(column)"
      if let columnName { text += " (\(quoted(columnName)))" }
    }
    return text
  }
}
