/// Why input cannot become ``CaptureData``. Every case that comes from a text input says where.
public enum DataError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The bytes are not valid UTF-8 (first bad byte at the location).
  case invalidUTF8(InputLocation)
  /// The input has no header line.
  case emptyInput(source: String?)
  /// The input has a header but no data rows.
  case noDataRows(source: String?)
  /// A header field is empty.
  case emptyColumnName(InputLocation)
  /// A header name appears twice.
  case duplicateColumnName(String, InputLocation)
  /// Aggregated input needs a `count` column.
  case missingCountColumn(source: String?)
  /// Fewer than 2 or more than 30 list columns.
  case listCountOutOfRange(Int, source: String?)
  /// A row has a different number of fields than the header.
  case raggedRow(InputLocation, expected: Int, found: Int)
  /// A quoted field is not closed before the end of input.
  case unterminatedQuote(InputLocation)
  /// A list column holds something other than 0 or 1.
  case notBinary(String, InputLocation)
  /// A count is not a whole number ≥ 0 that fits in 64 bits.
  case invalidCount(String, InputLocation, reason: CountProblem)
  /// A positive count on the history recorded by no list, which cannot be observed.
  case unobservableHistory(InputLocation?)
  /// A number of captures outside `1…t`.
  case captureNumberOutOfRange(Int, occasions: String, InputLocation?)
  /// A negative count given for a history (construction from values).
  case negativeCount(CaptureHistory, Int)
  /// A list index outside the data's lists (construction from values).
  case listOutOfRange(list: Int, listCount: Int)
  /// The total count overflows a 64-bit integer.
  case totalOverflow
  /// Nobody was observed at all.
  case noObservations

  /// What is wrong with a count.
  public enum CountProblem: String, Sendable, Hashable {
    /// Below zero.
    case negative
    /// Has a fractional part.
    case fractional
    /// Too large for a 64-bit integer.
    case overflow
    /// Not a number at all.
    case notANumber = "not a number"
  }

  /// One sentence for a person: where, what was found, what was expected.
  public var description: String {
    func at(_ source: String?) -> String { source.map { "\($0): " } ?? "" }
    switch self {
    case .invalidUTF8(let location):
      return "\(location): the input is not valid UTF-8 text."
    case .emptyInput(let source):
      return "\(at(source))the input is empty; expected a header line with list names."
    case .noDataRows(let source):
      return "\(at(source))the input has a header but no data rows."
    case .emptyColumnName(let location):
      return "\(location): empty column name in the header; every column needs a name."
    case .duplicateColumnName(let name, let location):
      return "\(location): the column name \"\(name)\" appears more than once."
    case .missingCountColumn(let source):
      return "\(at(source))no \"count\" column; aggregated data need 0/1 list columns and a count column (use per-person format for one row per individual)."
    case .listCountOutOfRange(let count, let source):
      return "\(at(source))found \(count) list column\(count == 1 ? "" : "s"); expected between 2 and \(CaptureHistory.maximumListCount)."
    case .raggedRow(let location, let expected, let found):
      return "\(location): the row has \(found) field\(found == 1 ? "" : "s"); expected \(expected) as in the header."
    case .unterminatedQuote(let location):
      return "\(location): a quoted field is never closed."
    case .notBinary(let value, let location):
      return "\(location): found \"\(value)\"; expected 0 or 1."
    case .invalidCount(let value, let location, let reason):
      return "\(location): the count \"\(value)\" is \(reason.rawValue); expected a whole number ≥ 0."
    case .unobservableHistory(let location):
      let prefix = location.map { "\($0): " } ?? ""
      return "\(prefix)a positive count on the history recorded by no list, which cannot be observed."
    case .captureNumberOutOfRange(let k, let occasions, let location):
      let prefix = location.map { "\($0): " } ?? ""
      return "\(prefix)a unit caught \(k) times; expected a whole number from 1 to \(occasions) (the number of occasions)."
    case .negativeCount(let history, let count):
      return "the count \(count) for history \(String(history.rawValue, radix: 2)) is negative; expected a whole number ≥ 0."
    case .listOutOfRange(let list, let listCount):
      return "list index \(list) is outside the \(listCount) lists."
    case .totalOverflow:
      return "the total count overflows a 64-bit integer."
    case .noObservations:
      return "nobody was observed: every count is zero."
    }
  }
}
