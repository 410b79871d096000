/// A comma-separated table read from UTF-8 bytes: a header row and data rows of string fields,
/// each field with its 1-based line number.
///
/// Accepts a UTF-8 byte-order mark, LF, CRLF or lone CR line ends, fields in double quotes (with `""` for a
/// quote inside), and spaces around fields (trimmed). Blank lines are skipped.
struct CSVTable {
  /// One row: its fields and the line it started on.
  struct Row {
    var fields: [String]
    var line: Int
  }

  var header: Row?
  var rows: [Row]

  /// Parses `bytes`; `source` names the input in errors.
  init(bytes: [UInt8], source: String?) throws(DataError) {
    var start = 0
    if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
    try Self.validateUTF8(bytes, from: start, source: source)
    var rows: [Row] = []
    var fields: [String] = []
    var field: [UInt8] = []
    var quoted = false  // inside quotes
    var wasQuoted = false  // the current field had quotes
    var line = 1
    var rowLine = 1
    var quoteLine = 1
    var index = start
    func finishField() {
      let text = String(decoding: field, as: UTF8.self)
      fields.append(wasQuoted ? text : Self.trimmed(text))
      field.removeAll(keepingCapacity: true)
      wasQuoted = false
    }
    func finishRow() {
      finishField()
      let blank = fields.count == 1 && fields[0].isEmpty
      if !blank { rows.append(Row(fields: fields, line: rowLine)) }
      fields.removeAll(keepingCapacity: true)
    }
    while index < bytes.count {
      let byte = bytes[index]
      if quoted {
        if byte == UInt8(ascii: "\"") {
          if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
            field.append(byte)
            index += 1
          } else {
            quoted = false
          }
        } else {
          if Self.endsLine(bytes, at: index) { line += 1 }
          field.append(byte)
        }
      } else {
        switch byte {
        case UInt8(ascii: ","):
          finishField()
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
          // CRLF: the LF ends the row. A lone CR (classic Mac OS line ends) ends it too.
          if Self.endsLine(bytes, at: index) {
            finishRow()
            line += 1
            rowLine = line
          }
        case UInt8(ascii: "\""):
          if field.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) {
            field.removeAll(keepingCapacity: true)
            quoted = true
            wasQuoted = true
            quoteLine = line
          } else {
            field.append(byte)
          }
        default:
          if wasQuoted {
            // Text after a closing quote: keep spaces out, anything else joins the field.
            if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") { field.append(byte) }
          } else {
            field.append(byte)
          }
        }
      }
      index += 1
    }
    if quoted {
      throw .unterminatedQuote(InputLocation(source: source, line: quoteLine, column: fields.count + 1))
    }
    finishRow()
    header = rows.first
    self.rows = Array(rows.dropFirst())
  }

  /// Whether the byte at `index` ends a line: an LF, or a CR not followed by an LF.
  private static func endsLine(_ bytes: [UInt8], at index: Int) -> Bool {
    bytes[index] == UInt8(ascii: "\n")
      || (bytes[index] == UInt8(ascii: "\r") && (index + 1 == bytes.count || bytes[index + 1] != UInt8(ascii: "\n")))
  }

  private static func trimmed(_ text: String) -> String {
    var scalars = Substring(text)
    while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
    while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
    return String(scalars)
  }

  /// Throws at the first line that is not valid UTF-8.
  private static func validateUTF8(_ bytes: [UInt8], from start: Int, source: String?)
    throws(DataError)
  {
    var lineStart = start
    var line = 1
    var index = start
    while index <= bytes.count {
      if index == bytes.count || Self.endsLine(bytes, at: index) {
        let slice = bytes[lineStart..<index]
        if slice.contains(where: { $0 >= 0x80 }) && String(validating: slice, as: UTF8.self) == nil {
          let column = slice.prefix { $0 < 0x80 }.filter { $0 == UInt8(ascii: ",") }.count + 1
          throw .invalidUTF8(InputLocation(source: source, line: line, column: column))
        }
        line += 1
        lineStart = index + 1
      }
      index += 1
    }
  }
}

extension CSVTable {
  /// The header, every name non-empty and distinct.
  /// - Throws: ``DataError`` for a missing header, an empty or a repeated name.
  func validatedHeader(source: String?) throws(DataError) -> Row {
    guard let header else { throw .emptyInput(source: source) }
    var seen = Set<String>()
    for (index, name) in header.fields.enumerated() {
      let location = InputLocation(source: source, line: header.line, column: index + 1)
      if name.isEmpty { throw .emptyColumnName(location) }
      if !seen.insert(name).inserted { throw .duplicateColumnName(name, location) }
    }
    return header
  }

  /// The capture history and count of one data row of a capture-data table: 0/1 in each of
  /// `listColumns` (bit `i` for the `i`-th of them), the count in `countColumn` (1 when `nil`: one
  /// row per person). `nil` history for a row on no list with count 0 (allowed, and skipped).
  /// - Throws: ``DataError`` for a ragged row, a non-0/1 list value, a bad count, or a positive
  ///   count on no list.
  func history(
    of row: Row, listColumns: [Int], countColumn: Int?, header: Row, source: String?
  ) throws(DataError) -> (history: CaptureHistory?, count: Int) {
    guard row.fields.count == header.fields.count else {
      throw .raggedRow(
        InputLocation(source: source, line: row.line), expected: header.fields.count, found: row.fields.count)
    }
    var mask: UInt32 = 0
    for (list, column) in listColumns.enumerated() {
      switch row.fields[column] {
      case "1": mask |= 1 << UInt32(list)
      case "0": break
      default:
        throw .notBinary(
          row.fields[column],
          InputLocation(source: source, line: row.line, column: column + 1, columnName: header.fields[column]))
      }
    }
    var count = 1
    if let countColumn {
      let location = InputLocation(
        source: source, line: row.line, column: countColumn + 1, columnName: header.fields[countColumn])
      count = try CaptureData.parseCount(row.fields[countColumn], at: location)
    }
    guard let history = CaptureHistory(rawValue: mask) else {
      if count > 0 { throw .unobservableHistory(InputLocation(source: source, line: row.line)) }
      return (nil, count)
    }
    return (history, count)
  }
}
