/// Counts of individuals by capture history over `K` named lists (2 ≤ K ≤ 30). Valid once
/// constructed: counts are ≥ 0, histories are distinct and non-empty, at least one individual was
/// observed.
///
/// Duplicated histories given to the initialiser are summed; zero counts are dropped (a history
/// that is absent has count zero).
public struct CaptureData: Sendable, Hashable {
  /// One capture history and how many individuals have it.
  public struct Cell: Sendable, Hashable {
    /// The lists the individuals were recorded on.
    public let history: CaptureHistory
    /// The number of individuals with exactly this history (> 0).
    public let count: Int
  }

  /// The lists' names, in column order; list `i` is bit `i` of a ``CaptureHistory``.
  public let listNames: [String]
  /// The observed histories with positive counts, sorted by bitmask.
  public let cells: [Cell]
  /// Caveats about the data (for example a list that recorded nobody).
  public let warnings: [DataWarning]
  /// The number of individuals observed, `n`.
  public let observedTotal: Int

  /// The number of lists, `K`.
  public var listCount: Int { listNames.count }

  /// The largest count, and the largest total, a table may hold: 2⁵³ = 9,007,199,254,740,992, up
  /// to which every whole number is exact in double precision (the fits' arithmetic).
  public static let maximumCount = 1 << 53

  /// Data from list names and (history, count) pairs.
  ///
  /// - Throws: ``DataError`` for fewer than 2 or more than 30 lists, empty or duplicate names,
  ///   negative counts, a history naming a list beyond `listNames`, a total above ``maximumCount``, or no
  ///   observations.
  public init(listNames: [String], counts: [(CaptureHistory, Int)]) throws(DataError) {
    guard (2...CaptureHistory.maximumListCount).contains(listNames.count) else {
      throw .listCountOutOfRange(listNames.count, source: nil)
    }
    try Self.validateNames(listNames)
    var merged: [CaptureHistory: Int] = [:]
    for (history, count) in counts {
      if count < 0 { throw .negativeCount(history, count) }
      try Self.validate(history, listCount: listNames.count)
      let (sum, overflow) = merged[history, default: 0].addingReportingOverflow(count)
      if overflow || sum > CaptureData.maximumCount { throw .totalTooLarge(source: nil) }
      merged[history] = sum
    }
    let cells = merged.filter { $0.value > 0 }.map { Cell(history: $0.key, count: $0.value) }
      .sorted { $0.history < $1.history }
    var total = 0
    for cell in cells {
      let (sum, overflow) = total.addingReportingOverflow(cell.count)
      if overflow || sum > CaptureData.maximumCount { throw .totalTooLarge(source: nil) }
      total = sum
    }
    guard total > 0 else { throw .noObservations }
    self.listNames = listNames
    self.cells = cells
    self.observedTotal = total
    self.warnings = Self.emptyListWarnings(listNames: listNames, counts: cells.map { ($0.history, $0.count) })
  }

  /// Throws unless every name (lists, and covariates if any) is non-empty and distinct; the
  /// location is the name's position, as in a CSV header.
  static func validateNames(_ names: [String]) throws(DataError) {
    var seen = Set<String>()
    for (index, name) in names.enumerated() {
      let location = InputLocation(line: 1, column: index + 1)
      if name.isEmpty { throw .emptyColumnName(location) }
      if !seen.insert(name).inserted { throw .duplicateColumnName(name, location) }
    }
  }

  /// Throws when `history` names a list beyond the first `listCount`.
  static func validate(_ history: CaptureHistory, listCount: Int) throws(DataError) {
    let highest = UInt32.bitWidth - history.rawValue.leadingZeroBitCount
    if highest > listCount { throw .listOutOfRange(list: highest - 1, listCount: listCount) }
  }

  /// A warning for every list that recorded nobody.
  static func emptyListWarnings(listNames: [String], counts: [(CaptureHistory, Int)]) -> [DataWarning] {
    var listTotals = [Int](repeating: 0, count: listNames.count)
    for (history, count) in counts {
      for list in 0..<listNames.count where history.contains(list: list) { listTotals[list] += count }
    }
    return listTotals.indices.filter { listTotals[$0] == 0 }.map { .emptyList(name: listNames[$0]) }
  }

  /// The number of individuals with exactly `history`; zero when never observed.
  public func count(of history: CaptureHistory) -> Int {
    var low = 0
    var high = cells.count
    while low < high {
      let middle = (low + high) / 2
      if cells[middle].history < history { low = middle + 1 } else { high = middle }
    }
    return low < cells.count && cells[low].history == history ? cells[low].count : 0
  }

  /// The number of individuals recorded on zero-based list `list`.
  public func listTotal(_ list: Int) -> Int {
    cells.reduce(0) { $0 + ($1.history.contains(list: list) ? $1.count : 0) }
  }

  /// The number of individuals recorded on both zero-based lists `a` and `b`.
  public func overlap(_ a: Int, _ b: Int) -> Int {
    cells.reduce(0) { $0 + ($1.history.contains(list: a) && $1.history.contains(list: b) ? $1.count : 0) }
  }

  /// The counts of all `2ᴷ − 1` observable histories, dense: entry `h − 1` is the count of the
  /// history with bitmask `h` (zeros included). Precondition: `K ≤ 24`.
  public func denseCounts() -> [Double] {
    precondition(listCount <= 24, "a dense table over more than 24 lists is too large")
    var result = [Double](repeating: 0, count: (1 << listCount) - 1)
    for cell in cells { result[Int(cell.history.rawValue) - 1] = Double(cell.count) }
    return result
  }

  /// The same individuals with the lists reordered: new list `i` is old list `order[i]`.
  public func reorderingLists(_ order: [Int]) -> CaptureData {
    precondition(order.sorted() == Array(0..<listCount), "order must be a permutation of the lists")
    let names = order.map { listNames[$0] }
    let counts: [(CaptureHistory, Int)] = cells.map { cell in
      let lists = order.indices.filter { cell.history.contains(list: order[$0]) }
      // A permutation of a non-empty history is non-empty.
      return (CaptureHistory(lists: lists)!, cell.count)
    }
    // Reordering valid data cannot make it invalid.
    return try! CaptureData(listNames: names, counts: counts)
  }
}
