extension CovariateCaptureData {
  /// The values that mark a missing covariate value: an empty field or `NA`.
  public static let missingMarkers: Set<String> = ["", "NA"]

  /// Reads capture data with covariates from CSV bytes.
  ///
  /// The columns named in `covariates` hold categorical values (any text; empty or `NA` is
  /// missing); in aggregated format `count` (case-insensitive) holds the count and every other
  /// column is a 0/1 list; per person every other column but `id` is a list and each row counts
  /// once. The layout of `../shared/data/covariates/*.csv`.
  ///
  /// With `coverage` (which lists operated for whom), a row on a list that did not operate for its
  /// covariate levels is an error naming its line and the list's column.
  ///
  /// - Throws: ``DataError`` naming the line and column of the first problem: a covariate not in
  ///   the header, a list value other than 0/1, a bad count, too many levels, a covariate whose
  ///   values are all missing, a record on a list that did not operate for it, a coverage table
  ///   that does not fit, and everything ``CaptureData/init(csv:format:source:)`` rejects.
  public init(
    csv bytes: [UInt8], covariates covariateNames: [String], format: CaptureDataFormat = .aggregated,
    source: String? = nil, coverage: ListCoverage? = nil
  ) throws(DataError) {
    guard !covariateNames.isEmpty else { throw .noCovariates(source: source) }
    let table = try CSVTable(bytes: bytes, source: source)
    let header = try table.validatedHeader(source: source)
    var covariateColumns: [Int] = []
    for name in covariateNames {
      guard let column = header.fields.firstIndex(of: name) else {
        throw .missingColumn(name, source: source)
      }
      if covariateColumns.contains(column) {
        throw .duplicateColumnName(name, InputLocation(source: source, line: header.line, column: column + 1))
      }
      covariateColumns.append(column)
    }
    let special = format == .aggregated ? "count" : "id"
    let specialColumn = header.fields.firstIndex { $0.lowercased() == special }
    if format == .aggregated && specialColumn == nil { throw .missingCountColumn(source: source) }
    let listColumns = header.fields.indices.filter { $0 != specialColumn && !covariateColumns.contains($0) }
    guard (2...CaptureHistory.maximumListCount).contains(listColumns.count) else {
      throw .listCountOutOfRange(listColumns.count, source: source)
    }
    guard !table.rows.isEmpty else { throw .noDataRows(source: source) }

    // First pass: the levels of each covariate.
    var values = [Set<String>](repeating: [], count: covariateColumns.count)
    for row in table.rows {
      guard row.fields.count == header.fields.count else {
        throw .raggedRow(
          InputLocation(source: source, line: row.line), expected: header.fields.count,
          found: row.fields.count)
      }
      for (j, column) in covariateColumns.enumerated() where !Self.missingMarkers.contains(row.fields[column]) {
        values[j].insert(row.fields[column])
      }
    }
    // After the whole pass, so that the message gives the number of distinct values.
    for (j, levels) in values.enumerated() where levels.count > Covariate.maximumLevelCount {
      throw .tooManyLevels(covariate: covariateNames[j], levels: levels.count, limit: Covariate.maximumLevelCount)
    }
    let covariates = covariateNames.indices.map { Covariate(name: covariateNames[$0], levels: Array(values[$0])) }
    for covariate in covariates where covariate.levels.isEmpty {
      throw .covariateAllMissing(covariate.name)
    }
    let listNames = listColumns.map { header.fields[$0] }
    let rules = try coverage?.resolved(listNames: listNames, covariates: covariates)
    var records: [Record] = []
    records.reserveCapacity(table.rows.count)
    for row in table.rows {
      let (history, count) = try table.history(
        of: row, listColumns: listColumns, countColumn: format == .aggregated ? specialColumn : nil,
        header: header, source: source)
      guard let history else { continue }
      let levels = covariateColumns.indices.map { j -> Int? in
        let value = row.fields[covariateColumns[j]]
        return Self.missingMarkers.contains(value) ? nil : covariates[j].index(of: value)
      }
      if let rules, count > 0 {
        let closed = history.rawValue & ~rules.possiblyOperating(levels: levels, covariates: covariates)
        if closed != 0 {
          let list = closed.trailingZeroBitCount
          throw .recordOnClosedList(
            list: listNames[list], stratum: Self.describe(levels: levels, covariates: covariates),
            InputLocation(
              source: source, line: row.line, column: listColumns[list] + 1, columnName: listNames[list]))
        }
      }
      records.append(Record(history: history, levels: levels, count: count))
    }
    try self.init(listNames: listNames, covariates: covariates, records: records, coverage: coverage)
  }
}
