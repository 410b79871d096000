/// Which lists operated for which covariate levels: registers that started late, existed only in
/// some regions, or recorded only one form of exploitation.
///
/// A person can never be on a list that did not operate for them, so the cells of the table of
/// histories by covariate levels that put someone on such a list are *structural zeros*: they are
/// left out of the likelihood, not fitted and not extrapolated, and each stratum's unobserved
/// count is extrapolated from the lists that operated there (Zwane, van der Pal-de Bruin &
/// van der Heijden 2004, "The multiple-record systems estimator when registrations refer to
/// different but overlapping populations", Statistics in Medicine 23:2267–2281; used for the Dutch
/// estimates of trafficking victims by van Dijk, Cruyff, van der Heijden et al. for UNODC, 2017).
///
/// The table has one or more covariate columns and one column per list. Each row names a level of
/// each covariate column, or `nil` (`*` in a file) for any level, and says for every list whether
/// it operated (1) or not (0). A list operated for a combination of covariate levels unless some
/// row matching that combination says 0; combinations that no row matches had every list.
public struct ListCoverage: Sendable, Hashable {
  /// One row of the table.
  public struct Row: Sendable, Hashable {
    /// One entry per covariate column: a level, or `nil` for any level.
    public let levels: [String?]
    /// One entry per list column: whether the list operated for the records the row matches.
    public let operated: [Bool]
    /// Where the row was read, for text input.
    public let location: InputLocation?

    /// A row.
    public init(levels: [String?], operated: [Bool], location: InputLocation? = nil) {
      self.levels = levels
      self.operated = operated
      self.location = location
    }
  }

  /// The covariate columns, in table order.
  public let covariateNames: [String]
  /// The list columns, in table order.
  public let listNames: [String]
  /// The rows.
  public let rows: [Row]
  /// The input's name, for text input.
  public let source: String?

  /// A table from its columns and rows.
  ///
  /// - Throws: ``DataError`` when there is no covariate column, a name is empty or repeated, or
  ///   two rows name the same levels.
  public init(covariateNames: [String], listNames: [String], rows: [Row], source: String? = nil)
    throws(DataError)
  {
    guard !covariateNames.isEmpty else { throw .noCovariates(source: source) }
    try CaptureData.validateNames(covariateNames + listNames)
    var seen = Set<[String?]>()
    for row in rows {
      precondition(row.levels.count == covariateNames.count, "one level (or nil) per covariate column")
      precondition(row.operated.count == listNames.count, "one flag per list column")
      if !seen.insert(row.levels).inserted { throw .duplicateCoverageRow(row.location) }
    }
    self.covariateNames = covariateNames
    self.listNames = listNames
    self.rows = rows
    self.source = source
  }

  /// Reads the table from CSV bytes: the columns named in `covariates` that the header has are
  /// covariate columns (`*` or an empty field: any level), every other column is a list (0 or 1).
  ///
  /// - Throws: ``DataError`` naming the line and column of the first problem: no covariate
  ///   column, a list value other than 0/1, a ragged row, a row repeated, and everything
  ///   `CSVTable` rejects.
  public init(csv bytes: [UInt8], covariates: [String], source: String? = nil) throws(DataError) {
    let table = try CSVTable(bytes: bytes, source: source)
    let header = try table.validatedHeader(source: source)
    let covariateColumns = header.fields.indices.filter { covariates.contains(header.fields[$0]) }
    guard !covariateColumns.isEmpty else { throw .noCovariates(source: source) }
    let listColumns = header.fields.indices.filter { !covariateColumns.contains($0) }
    guard !table.rows.isEmpty else { throw .noDataRows(source: source) }
    var rows: [Row] = []
    for row in table.rows {
      guard row.fields.count == header.fields.count else {
        throw .raggedRow(
          InputLocation(source: source, line: row.line), expected: header.fields.count, found: row.fields.count)
      }
      let levels = covariateColumns.map { column -> String? in
        let value = row.fields[column]
        return value == "*" || value.isEmpty ? nil : value
      }
      var operated: [Bool] = []
      for column in listColumns {
        switch row.fields[column] {
        case "0": operated.append(false)
        case "1": operated.append(true)
        case let value:
          throw .notBinary(
            value, InputLocation(source: source, line: row.line, column: column + 1, columnName: header.fields[column]))
        }
      }
      rows.append(Row(levels: levels, operated: operated, location: InputLocation(source: source, line: row.line)))
    }
    try self.init(
      covariateNames: covariateColumns.map { header.fields[$0] }, listNames: listColumns.map { header.fields[$0] },
      rows: rows, source: source)
  }

  /// The table bound to data with `listNames` and `covariates`.
  ///
  /// - Throws: ``DataError`` when a column is neither a list nor a covariate of the data, a list of
  ///   the data has no column, or a row names a level the data do not have.
  func resolved(listNames dataLists: [String], covariates: [Covariate]) throws(DataError) -> CoverageRules {
    var listPositions: [Int] = []
    for name in listNames {
      guard let position = dataLists.firstIndex(of: name) else {
        throw .coverageColumn(name, lists: dataLists, covariates: covariates.map(\.name), source: source)
      }
      listPositions.append(position)
    }
    for name in dataLists where !listNames.contains(name) { throw .coverageMissingList(name, source: source) }
    var covariatePositions: [Int] = []
    for name in covariateNames {
      guard let position = covariates.firstIndex(where: { $0.name == name }) else {
        throw .coverageColumn(name, lists: dataLists, covariates: covariates.map(\.name), source: source)
      }
      covariatePositions.append(position)
    }
    var rules: [CoverageRules.Rule] = []
    for row in rows {
      var levels = [Int?](repeating: nil, count: covariates.count)
      for (column, value) in row.levels.enumerated() {
        guard let value else { continue }
        let covariate = covariates[covariatePositions[column]]
        guard let level = covariate.index(of: value) else {
          throw .coverageUnknownLevel(value, covariate: covariate.name, row.location)
        }
        levels[covariatePositions[column]] = level
      }
      var closed: UInt32 = 0
      for (column, operated) in row.operated.enumerated() where !operated {
        closed |= UInt32(1) << UInt32(listPositions[column])
      }
      rules.append(.init(levels: levels, closed: closed))
    }
    return CoverageRules(rules: rules, listCount: dataLists.count)
  }

  /// The table without the covariate columns at `removed` (positions among ``covariateNames``),
  /// or `nil` when some row names a level of one of them (the coverage depends on it).
  func removingCovariateColumns(named removed: Set<String>) -> ListCoverage? {
    let dropped = covariateNames.indices.filter { removed.contains(covariateNames[$0]) }
    guard !dropped.isEmpty else { return self }
    for row in rows where dropped.contains(where: { row.levels[$0] != nil }) { return nil }
    let kept = covariateNames.indices.filter { !dropped.contains($0) }
    guard !kept.isEmpty else { return nil }
    let keptRows = rows.map { row in
      Row(levels: kept.map { row.levels[$0] }, operated: row.operated, location: row.location)
    }
    // Removing columns that every row leaves open keeps the rows distinct and the names valid.
    return try! ListCoverage(
      covariateNames: kept.map { covariateNames[$0] }, listNames: listNames, rows: keptRows, source: source)
  }
}

/// A ``ListCoverage`` bound to data: per rule, the level index of each of the data's covariates
/// (`nil`: any) and the bitmask of the lists that did not operate.
struct CoverageRules: Sendable, Hashable {
  struct Rule: Sendable, Hashable {
    let levels: [Int?]
    let closed: UInt32
  }

  let rules: [Rule]
  let listCount: Int

  /// The lists (bitmask) that operated for complete levels.
  func operating(levels: [Int]) -> UInt32 {
    var closed: UInt32 = 0
    for rule in rules where zip(rule.levels, levels).allSatisfy({ $0 == nil || $0 == $1 }) {
      closed |= rule.closed
    }
    return ((UInt32(1) << UInt32(listCount)) - 1) & ~closed
  }

  /// The lists (bitmask) that operated for at least one completion of partly missing levels.
  func possiblyOperating(levels: [Int?], covariates: [Covariate]) -> UInt32 {
    if levels.allSatisfy({ $0 != nil }) { return operating(levels: levels.map { $0! }) }
    var result: UInt32 = 0
    var current = levels.map { $0 ?? 0 }
    let free = levels.indices.filter { levels[$0] == nil }
    while true {
      result |= operating(levels: current)
      var position = 0
      while position < free.count {
        let j = free[position]
        current[j] += 1
        if current[j] < covariates[j].levels.count { break }
        current[j] = 0
        position += 1
      }
      if position == free.count { return result }
    }
  }

  /// The covariates (indices) some rule names a level of.
  var constrainedCovariates: Set<Int> {
    Set(rules.flatMap { rule in rule.levels.indices.filter { rule.levels[$0] != nil } })
  }
}
