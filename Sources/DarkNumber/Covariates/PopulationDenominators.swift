/// Population sizes per level of one covariate (from a census or population register), to turn
/// estimated numbers into rates per 100,000 — SDG indicator 16.2.2 reports detected and
/// undetected victims of trafficking per 100,000 population by sex, age group and form of
/// exploitation.
///
/// The denominators are taken as known constants, so a rate's interval is the count's interval
/// scaled: `rate = 100,000 · N̂_level / population_level`.
public struct PopulationDenominators: Sendable, Hashable {
  /// The covariate the sizes belong to.
  public let covariate: Covariate
  /// The population size of each level, in the covariate's level order.
  public let sizes: [Double]

  /// Sizes given per level (in the covariate's level order).
  public init(covariate: Covariate, sizes: [Double]) {
    precondition(sizes.count == covariate.levels.count, "one size per level")
    precondition(sizes.allSatisfy { $0.isFinite && $0 > 0 }, "sizes must be positive")
    self.covariate = covariate
    self.sizes = sizes
  }

  /// Reads a CSV with a column named as the covariate (its levels) and a `population` column
  /// (case-insensitive), one row per level; other columns are ignored.
  ///
  /// - Throws: ``DataError`` naming the line and column: a missing column, a level the data do
  ///   not have, a level given twice, a size that is not a positive finite number, or a level of
  ///   the data without a size.
  public init(csv bytes: [UInt8], covariate: Covariate, source: String? = nil) throws(DataError) {
    let table = try CSVTable(bytes: bytes, source: source)
    guard let header = table.header else { throw .emptyInput(source: source) }
    guard let levelColumn = header.fields.firstIndex(of: covariate.name) else {
      throw .missingColumn(covariate.name, source: source)
    }
    guard let sizeColumn = header.fields.firstIndex(where: { $0.lowercased() == "population" }) else {
      throw .missingColumn("population", source: source)
    }
    guard !table.rows.isEmpty else { throw .noDataRows(source: source) }
    var sizes = [Double?](repeating: nil, count: covariate.levels.count)
    for row in table.rows {
      guard row.fields.count == header.fields.count else {
        throw .raggedRow(
          InputLocation(source: source, line: row.line), expected: header.fields.count, found: row.fields.count)
      }
      let levelLocation = InputLocation(
        source: source, line: row.line, column: levelColumn + 1, columnName: header.fields[levelColumn])
      guard let level = covariate.index(of: row.fields[levelColumn]) else {
        throw .unknownLevel(row.fields[levelColumn], covariate: covariate.name, levelLocation)
      }
      if sizes[level] != nil {
        throw .duplicateLevel(row.fields[levelColumn], covariate: covariate.name, levelLocation)
      }
      let text = row.fields[sizeColumn]
      guard let size = Double(text), size.isFinite, size > 0 else {
        throw .invalidPopulation(
          text,
          InputLocation(source: source, line: row.line, column: sizeColumn + 1, columnName: header.fields[sizeColumn]))
      }
      sizes[level] = size
    }
    for (level, size) in sizes.enumerated() where size == nil {
      throw .missingDenominator(covariate: covariate.name, level: covariate.levels[level], source: source)
    }
    self.init(covariate: covariate, sizes: sizes.map { $0! })
  }

  /// `100,000 · count / population` of level `level`.
  public func ratePer100000(_ count: Double, level: Int) -> Double {
    100_000 * count / sizes[level]
  }
}
