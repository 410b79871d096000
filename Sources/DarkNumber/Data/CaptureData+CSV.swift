/// How a CSV table lays out capture data.
public enum CaptureDataFormat: String, Sendable, Hashable, CaseIterable {
  /// One row per distinct history: 0/1 list columns and a `count` column (the layout of the
  /// published tables bundled as ``Dataset``).
  case aggregated
  /// One row per individual: 0/1 list columns; a column named `id` is ignored.
  case perPerson
}

extension CaptureData {
  /// Reads capture data from CSV bytes.
  ///
  /// Aggregated: every column but `count` (case-insensitive) is a list with 0/1 entries; `count`
  /// is a whole number ≥ 0. Per person: every column but `id` is a list; each row counts once.
  /// Duplicated histories are summed and zero-count rows are allowed; a positive count on the
  /// all-zero history is an error because nobody can be observed on no list.
  ///
  /// - Parameters:
  ///   - bytes: UTF-8 text, optionally with a byte-order mark and CRLF line ends.
  ///   - format: the layout.
  ///   - source: the input's name (a file path) used in error messages.
  /// - Throws: ``DataError`` naming the line and column of the first problem.
  public init(csv bytes: [UInt8], format: CaptureDataFormat = .aggregated, source: String? = nil)
    throws(DataError)
  {
    let table = try CSVTable(bytes: bytes, source: source)
    let header = try table.validatedHeader(source: source)
    let special = format == .aggregated ? "count" : "id"
    let specialColumn = header.fields.firstIndex { $0.lowercased() == special }
    if format == .aggregated && specialColumn == nil { throw .missingCountColumn(source: source) }
    let listColumns = header.fields.indices.filter { $0 != specialColumn }
    guard (2...CaptureHistory.maximumListCount).contains(listColumns.count) else {
      throw .listCountOutOfRange(listColumns.count, source: source)
    }
    guard !table.rows.isEmpty else { throw .noDataRows(source: source) }

    var counts: [(CaptureHistory, Int)] = []
    counts.reserveCapacity(table.rows.count)
    for row in table.rows {
      let (history, count) = try table.history(
        of: row, listColumns: listColumns, countColumn: format == .aggregated ? specialColumn : nil,
        header: header, source: source)
      if let history { counts.append((history, count)) }
    }
    do {
      try self.init(listNames: listColumns.map { header.fields[$0] }, counts: counts)
    } catch .totalTooLarge {
      throw .totalTooLarge(source: source)
    }
  }

  /// A whole number ≥ 0: digits, optionally followed by `.` and zeros (`12.0`).
  static func parseCount(_ text: String, at location: InputLocation) throws(DataError) -> Int {
    var body = Substring(text)
    var negative = false
    if body.first == "-" {
      negative = true
      body.removeFirst()
    } else if body.first == "+" {
      body.removeFirst()
    }
    var integerPart = body
    if let dot = body.firstIndex(of: ".") {
      integerPart = body[..<dot]
      let fraction = body[body.index(after: dot)...]
      guard fraction.allSatisfy(\.isASCIIDigit) else {
        throw .invalidCount(text, location, reason: .notANumber)
      }
      if fraction.contains(where: { $0 != "0" }) {
        throw .invalidCount(text, location, reason: negative ? .negative : .fractional)
      }
    }
    guard !integerPart.isEmpty, integerPart.allSatisfy(\.isASCIIDigit) else {
      throw .invalidCount(text, location, reason: .notANumber)
    }
    if negative && integerPart.contains(where: { $0 != "0" }) {
      throw .invalidCount(text, location, reason: .negative)
    }
    guard let value = Int(integerPart), value <= CaptureData.maximumCount else {
      throw .invalidCount(text, location, reason: .overflow)
    }
    return value
  }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
