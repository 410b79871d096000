/// Aggregates a one-row-per-person CSV in one streaming pass with memory bounded by the number of
/// distinct histories (at most `2ᴷ − 1`), not by the number of rows: feed it the bytes in chunks
/// of any size, then ask for the ``CaptureData``.
///
/// The rules are those of ``CaptureData/init(csv:format:source:)`` with ``CaptureDataFormat/perPerson``:
/// a header of list names (a column `id` is ignored), then 0/1 fields; a UTF-8 byte-order mark,
/// CRLF line ends, spaces around fields and double-quoted fields are accepted, blank lines skipped.
/// A row of all zeros is a person recorded on no list, which cannot be observed: an error.
public struct PerPersonAccumulator: Sendable {
  private let source: String?
  private var line = 1
  private var atStart = true
  private var header: [String]?
  private var idColumn: Int?
  private var field: [UInt8] = []
  private var fieldIndex = 0
  private var mask: UInt32 = 0
  private var quoted = false
  private var rowHasContent = false
  private var counts: [UInt32: Int] = [:]
  private var rows = 0
  private var pendingError: DataError?

  /// An accumulator for input called `source` in errors.
  public init(source: String? = nil) {
    self.source = source
  }

  /// Consumes the next chunk of bytes (copied once into contiguous storage, so that the loop runs
  /// on a concrete type whatever the caller's collection).
  /// - Throws: ``DataError`` at the first bad field, with its line and column.
  public mutating func consume(_ bytes: some Sequence<UInt8>) throws(DataError) {
    try consume(ArraySlice(bytes))
  }

  /// Consumes the next chunk of bytes.
  /// - Throws: ``DataError`` at the first bad field, with its line and column.
  public mutating func consume(_ bytes: ArraySlice<UInt8>) throws(DataError) {
    if let pendingError { throw pendingError }
    for byte in bytes {
      if atStart {
        atStart = false
        if byte == 0xEF { bomProgress = 1; continue }
      }
      if bomProgress > 0 && bomProgress < 3 {
        bomProgress += 1
        continue
      }
      if quoted {
        if byte == UInt8(ascii: "\"") { quoted = false } else { field.append(byte) }
        if byte == UInt8(ascii: "\n") { line += 1 }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""):
        quoted = true
        quoteStart = (line, fieldIndex + 1)
        rowHasContent = true
      case UInt8(ascii: ","):
        try endField()
        rowHasContent = true
      case UInt8(ascii: "\n"):
        try endRow()
        line += 1
      case UInt8(ascii: "\r"):
        continue
      default:
        field.append(byte)
        if byte != UInt8(ascii: " ") && byte != UInt8(ascii: "\t") { rowHasContent = true }
      }
    }
  }
  private var bomProgress = 0
  private var quoteStart = (line: 1, column: 1)

  private mutating func endField() throws(DataError) {
    var start = 0
    var end = field.count
    while start < end && (field[start] == 32 || field[start] == 9) { start += 1 }
    while end > start && (field[end - 1] == 32 || field[end - 1] == 9) { end -= 1 }
    defer {
      field.removeAll(keepingCapacity: true)
      fieldIndex += 1
    }
    guard let header else {
      guard let name = String(validating: field[start..<end], as: UTF8.self) else {
        throw fail(.invalidUTF8(InputLocation(source: source, line: line, column: fieldIndex + 1)))
      }
      headerFields.append(name)
      return
    }
    guard fieldIndex < header.count else { return }
    if fieldIndex == idColumn { return }
    let list = idColumn.map { fieldIndex > $0 ? fieldIndex - 1 : fieldIndex } ?? fieldIndex
    if end - start == 1 && field[start] == UInt8(ascii: "1") {
      mask |= 1 << UInt32(list)
    } else if !(end - start == 1 && field[start] == UInt8(ascii: "0")) {
      throw fail(
        .notBinary(
          String(decoding: field[start..<end], as: UTF8.self),
          InputLocation(source: source, line: line, column: fieldIndex + 1, columnName: header[fieldIndex])))
    }
  }
  private var headerFields: [String] = []

  private mutating func fail(_ error: DataError) -> DataError {
    pendingError = error
    return error
  }

  private mutating func endRow() throws(DataError) {
    guard rowHasContent else {
      field.removeAll(keepingCapacity: true)
      fieldIndex = 0
      return
    }
    try endField()
    defer {
      fieldIndex = 0
      mask = 0
      rowHasContent = false
    }
    guard let header else {
      var seen = Set<String>()
      for (index, name) in headerFields.enumerated() {
        let location = InputLocation(source: source, line: line, column: index + 1)
        if name.isEmpty { throw fail(.emptyColumnName(location)) }
        if !seen.insert(name).inserted { throw fail(.duplicateColumnName(name, location)) }
      }
      idColumn = headerFields.firstIndex { $0.lowercased() == "id" }
      let lists = headerFields.count - (idColumn == nil ? 0 : 1)
      guard (2...CaptureHistory.maximumListCount).contains(lists) else {
        throw fail(.listCountOutOfRange(lists, source: source))
      }
      self.header = headerFields
      return
    }
    guard fieldIndex == header.count else {
      throw fail(.raggedRow(InputLocation(source: source, line: line), expected: header.count, found: fieldIndex))
    }
    guard mask != 0 else { throw fail(.unobservableHistory(InputLocation(source: source, line: line))) }
    counts[mask, default: 0] += 1
    rows += 1
  }

  /// The data read, after the last chunk.
  /// - Throws: ``DataError`` for an empty input, a header without rows, an unclosed quote or a
  ///   last row in error.
  public mutating func finish() throws(DataError) -> CaptureData {
    if let pendingError { throw pendingError }
    if quoted {
      throw fail(.unterminatedQuote(InputLocation(source: source, line: quoteStart.line, column: quoteStart.column)))
    }
    if rowHasContent { try endRow() }
    guard let header else { throw .emptyInput(source: source) }
    guard rows > 0 else { throw .noDataRows(source: source) }
    let names = header.enumerated().filter { $0.offset != idColumn }.map(\.element)
    return try CaptureData(
      listNames: names, counts: counts.map { (CaptureHistory(rawValue: $0.key)!, $0.value) })
  }
}
