/// Counts of individuals by capture history over `K` named lists and by the levels of categorical
/// covariates (age group, sex, year, form of exploitation…), some of which may be missing.
///
/// Valid once constructed: counts ≥ 0, level indices within their covariate, at least one
/// individual observed. Records with the same history and levels are summed; zero counts are
/// dropped.
public struct CovariateCaptureData: Sendable, Hashable {
  /// Individuals sharing one history and one (partly missing) set of covariate values.
  public struct Record: Sendable, Hashable {
    /// The lists they were recorded on.
    public let history: CaptureHistory
    /// One level index per covariate, `nil` where the value is missing.
    public let levels: [Int?]
    /// How many individuals (> 0).
    public let count: Int

    /// A record.
    public init(history: CaptureHistory, levels: [Int?], count: Int) {
      self.history = history
      self.levels = levels
      self.count = count
    }

    /// Whether every covariate value is known.
    public var isComplete: Bool { levels.allSatisfy { $0 != nil } }
  }

  /// The lists' names; list `i` is bit `i` of a ``CaptureHistory``.
  public let listNames: [String]
  /// The covariates, in column order.
  public let covariates: [Covariate]
  /// The records with positive counts, sorted by history and then levels (missing first).
  public let records: [Record]
  /// The number of individuals observed, `n`.
  public let observedTotal: Int
  /// Caveats (for example a list that recorded nobody).
  public let warnings: [DataWarning]
  /// Which lists operated for which covariate levels, or `nil` when every list operated for
  /// everyone.
  public let coverage: ListCoverage?
  /// ``coverage`` bound to these lists and covariates.
  let coverageRules: CoverageRules?

  /// The number of lists, `K`.
  public var listCount: Int { listNames.count }

  /// Data from names, covariates, records and (optionally) which lists operated for whom.
  ///
  /// - Throws: ``DataError`` for fewer than 2 or more than 30 lists, no covariate, empty or
  ///   duplicate names (lists and covariates share one name space), a covariate with more than
  ///   ``Covariate/maximumLevelCount`` levels, a level index out of range, negative counts, an
  ///   overflowing total, nobody observed, a coverage table that does not fit the data, or a
  ///   record on a list that did not operate for it (for every completion of its missing values).
  public init(
    listNames: [String], covariates: [Covariate], records: [Record], coverage: ListCoverage? = nil
  ) throws(DataError) {
    guard (2...CaptureHistory.maximumListCount).contains(listNames.count) else {
      throw .listCountOutOfRange(listNames.count, source: nil)
    }
    guard !covariates.isEmpty else { throw .noCovariates(source: nil) }
    try CaptureData.validateNames(listNames + covariates.map(\.name))
    for covariate in covariates where covariate.levels.count > Covariate.maximumLevelCount {
      throw .tooManyLevels(
        covariate: covariate.name, levels: covariate.levels.count, limit: Covariate.maximumLevelCount)
    }
    var merged: [Record: Int] = [:]
    for record in records {
      if record.count < 0 { throw .negativeCount(record.history, record.count) }
      try CaptureData.validate(record.history, listCount: listNames.count)
      precondition(record.levels.count == covariates.count, "one level per covariate")
      for (j, level) in record.levels.enumerated() {
        if let level, !covariates[j].levels.indices.contains(level) {
          throw .levelOutOfRange(covariate: covariates[j].name, index: level)
        }
      }
      let key = Record(history: record.history, levels: record.levels, count: 0)
      let (sum, overflow) = merged[key, default: 0].addingReportingOverflow(record.count)
      if overflow || sum > CaptureData.maximumCount { throw .totalTooLarge(source: nil) }
      merged[key] = sum
    }
    let sorted = merged.filter { $0.value > 0 }
      .map { Record(history: $0.key.history, levels: $0.key.levels, count: $0.value) }
      .sorted(by: Self.precedes)
    var total = 0
    for record in sorted {
      let (sum, overflow) = total.addingReportingOverflow(record.count)
      if overflow || sum > CaptureData.maximumCount { throw .totalTooLarge(source: nil) }
      total = sum
    }
    guard total > 0 else { throw .noObservations }
    let rules = try coverage?.resolved(listNames: listNames, covariates: covariates)
    if let rules {
      for record in sorted {
        let closed = record.history.rawValue & ~rules.possiblyOperating(levels: record.levels, covariates: covariates)
        if closed != 0 {
          throw .recordOnClosedList(
            list: listNames[closed.trailingZeroBitCount],
            stratum: Self.describe(levels: record.levels, covariates: covariates), nil)
        }
      }
    }
    self.coverage = coverage
    self.coverageRules = rules
    self.listNames = listNames
    self.covariates = covariates
    self.records = sorted
    self.observedTotal = total
    self.warnings = CaptureData.emptyListWarnings(
      listNames: listNames, counts: sorted.map { ($0.history, $0.count) })
  }

  private static func precedes(_ a: Record, _ b: Record) -> Bool {
    if a.history != b.history { return a.history < b.history }
    for (x, y) in zip(a.levels, b.levels) where x != y {
      guard let x else { return true }
      guard let y else { return false }
      return x < y
    }
    return false
  }

  /// `year=2010, sex=F` (missing values as `?`).
  static func describe(levels: [Int?], covariates: [Covariate]) -> String {
    zip(covariates, levels).map { covariate, level in
      "\(covariate.name)=\(level.map { covariate.levels[$0] } ?? "?")"
    }.joined(separator: ", ")
  }

  /// Whether each list operated for records with the complete `levels` (one index per covariate).
  public func operatingLists(levels: [Int]) -> [Bool] {
    let mask = operatingMask(levels: levels)
    return listNames.indices.map { mask >> UInt32($0) & 1 == 1 }
  }

  /// The lists that operated for `levels`, as a bitmask.
  func operatingMask(levels: [Int]) -> UInt32 {
    coverageRules?.operating(levels: levels) ?? ((UInt32(1) << UInt32(listCount)) - 1)
  }

  /// The index of the covariate called `name`, or `nil`.
  public func covariateIndex(named name: String) -> Int? {
    covariates.firstIndex { $0.name == name }
  }

  /// The number of individuals whose value of covariate `covariate` is missing.
  public func missingCount(covariate: Int) -> Int {
    records.reduce(0) { $0 + ($1.levels[covariate] == nil ? $1.count : 0) }
  }

  /// Whether any covariate value is missing.
  public var hasMissingValues: Bool { records.contains { !$0.isComplete } }

  /// The number of individuals observed with level `level` of covariate `covariate`.
  public func observedCount(covariate: Int, level: Int) -> Int {
    records.reduce(0) { $0 + ($1.levels[covariate] == level ? $1.count : 0) }
  }

  /// The lists-only table: every individual, whatever their covariates.
  public var pooled: CaptureData {
    // The records are valid capture data once covariates are dropped.
    try! CaptureData(listNames: listNames, counts: records.map { ($0.history, $0.count) })
  }

  /// The lists-only table of the individuals with level `level` of covariate `covariate`.
  /// - Throws: ``DataError/emptyStratum(covariate:level:)`` when nobody has that level.
  public func stratum(covariate: Int, level: Int) throws(DataError) -> CaptureData {
    let counts = records.filter { $0.levels[covariate] == level }.map { ($0.history, $0.count) }
    guard counts.contains(where: { $0.1 > 0 }) else {
      throw .emptyStratum(covariate: covariates[covariate].name, level: covariates[covariate].levels[level])
    }
    return try CaptureData(listNames: listNames, counts: counts)
  }

  /// The same individuals with only the covariates at `kept` (indices, in the order given);
  /// `nil` when none is kept or the coverage depends on a covariate left out.
  public func keepingCovariates(_ kept: [Int]) -> CovariateCaptureData? {
    guard !kept.isEmpty else { return nil }
    var keptCoverage = coverage
    if let coverage {
      let removed = Set(covariates.indices.filter { !kept.contains($0) }.map { covariates[$0].name })
      guard let reduced = coverage.removingCovariateColumns(named: removed) else { return nil }
      keptCoverage = reduced
    }
    let records = records.map { record in
      Record(history: record.history, levels: kept.map { record.levels[$0] }, count: record.count)
    }
    // A subset of valid data stays valid, with the coverage of the covariates kept.
    return try! CovariateCaptureData(
      listNames: listNames, covariates: kept.map { covariates[$0] }, records: records, coverage: keptCoverage)
  }

  /// The same records with `coverage` (which lists operated for whom).
  /// - Throws: ``DataError`` when the coverage does not fit the data or a record is on a list
  ///   that did not operate for it.
  public func withCoverage(_ coverage: ListCoverage?) throws(DataError) -> CovariateCaptureData {
    try CovariateCaptureData(listNames: listNames, covariates: covariates, records: records, coverage: coverage)
  }

  /// The same lists, covariates and coverage with other records (a bootstrap replicate).
  func replacingRecords(_ records: [Record]) throws(DataError) -> CovariateCaptureData {
    try CovariateCaptureData(listNames: listNames, covariates: covariates, records: records, coverage: coverage)
  }

  /// The individuals whose covariate values are all known (complete-case analysis).
  /// - Throws: ``DataError/noObservations`` when nobody has complete values.
  public func completeCases() throws(DataError) -> CovariateCaptureData {
    try replacingRecords(records.filter(\.isComplete))
  }
}
