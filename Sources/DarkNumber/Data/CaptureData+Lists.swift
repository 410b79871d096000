extension CaptureData {
  /// The data without list `list`: its records that are on other lists keep their other lists;
  /// people only on `list` are no longer observed (modslavmse's `omitlists`).
  /// - Throws: ``DataError`` when fewer than two lists would remain or nobody would be observed.
  public func removingList(_ list: Int) throws(DataError) -> CaptureData {
    precondition(listNames.indices.contains(list), "no such list")
    guard listCount > 2 else { throw .listCountOutOfRange(listCount - 1, source: nil) }
    var names = listNames
    names.remove(at: list)
    let low = (UInt32(1) << UInt32(list)) - 1
    var counts: [(CaptureHistory, Int)] = []
    for cell in cells {
      let raw = cell.history.rawValue
      let shifted = (raw & low) | ((raw >> 1) & ~low)
      if let history = CaptureHistory(rawValue: shifted) { counts.append((history, cell.count)) }
    }
    return try CaptureData(listNames: names, counts: counts)
  }

  /// The data with lists `first` and `second` merged into one list (recorded on either),
  /// named `first+second`, at `first`'s position (modslavmse's `mergelists`).
  /// - Throws: ``DataError`` when fewer than two lists would remain.
  public func mergingLists(_ first: Int, _ second: Int) throws(DataError) -> CaptureData {
    precondition(
      first != second && listNames.indices.contains(first) && listNames.indices.contains(second), "two different lists")
    let (a, b) = (min(first, second), max(first, second))
    guard listCount > 2 else { throw .listCountOutOfRange(listCount - 1, source: nil) }
    var names = listNames
    names[a] = listNames[a] + "+" + listNames[b]
    names.remove(at: b)
    let low = (UInt32(1) << UInt32(b)) - 1
    var counts: [(CaptureHistory, Int)] = []
    for cell in cells {
      var raw = cell.history.rawValue
      if raw & (1 << UInt32(b)) != 0 { raw |= 1 << UInt32(a) }
      let shifted = (raw & low) | ((raw >> 1) & ~low)
      counts.append((CaptureHistory(rawValue: shifted)!, cell.count))
    }
    return try CaptureData(listNames: names, counts: counts)
  }
}
