/// Every hierarchical log-linear model between a minimum (main effects plus forced terms) and a
/// maximum interaction order, one at a time, without materialising the list.
///
/// A hierarchical model is a set of interaction terms closed under taking subsets of two or more
/// lists. Terms of order 2…`maximumOrder` (never the `K`-way term, which would leave `N`
/// unidentified) are decided in order of size, "excluded" before "included"; a term can be
/// included only when all its subterms are. The first model is the minimum; with
/// `maximumOrder = K − 1` the count for `K = 5` is 6,893 (Rcapture's `closedpMS.t`), and with
/// `maximumOrder = 2` it is `2^(K(K−1)/2)` (every graph).
public struct HierarchicalModelEnumerator: IteratorProtocol, Sequence, Sendable {
  /// The number of lists.
  public let listCount: Int
  /// The candidate terms (bitmasks), by size then position.
  let terms: [UInt32]
  /// For each term, the indices of its subterms one list smaller (of size ≥ 2).
  private let subterms: [[Int]]
  /// Terms that every model contains (the forced terms and their subterms).
  private let forced: [Bool]
  private var included: [Bool]
  private var started = false
  private var finished = false

  /// Models over `listCount` lists with interactions up to `maximumOrder` lists (at most `K − 1`)
  /// that contain the `forced` terms (bitmasks, closed under subsets automatically).
  public init(listCount: Int, maximumOrder: Int, forced: [UInt32] = []) {
    precondition(listCount >= 2 && listCount <= CaptureHistory.maximumListCount, "2…30 lists")
    let order = Swift.min(maximumOrder, listCount - 1)
    self.listCount = listCount
    var terms: [UInt32] = []
    if order >= 2 {
      for size in 2...order {
        terms += LogLinearModel.terms(ofSize: size, listCount: listCount)
      }
    }
    let index = Dictionary(uniqueKeysWithValues: terms.enumerated().map { ($1, $0) })
    subterms = terms.map { term in
      guard term.nonzeroBitCount > 2 else { return [] }
      return LogLinearModel.lists(of: term).compactMap { index[term & ~(1 << UInt32($0))] }
    }
    let forcedClosure = Set(LogLinearModel(listCount: listCount, generators: forced).interactions)
    self.terms = terms
    self.forced = terms.map { forcedClosure.contains($0) }
    included = [Bool](repeating: false, count: terms.count)
    precondition(
      forcedClosure.allSatisfy { index[$0] != nil }, "a forced term exceeds the maximum order")
  }

  /// The next model, or `nil` after the last.
  public mutating func next() -> LogLinearModel? {
    if finished { return nil }
    if !started {
      started = true
      descend(from: 0)
      return current()
    }
    var position = terms.count - 1
    while position >= 0 {
      if !included[position] && canInclude(position) {
        included[position] = true
        descend(from: position + 1)
        return current()
      }
      position -= 1
    }
    finished = true
    return nil
  }

  private func canInclude(_ position: Int) -> Bool {
    subterms[position].allSatisfy { included[$0] }
  }

  /// Resets positions from `start` on to their smallest choice: excluded, or included if forced.
  private mutating func descend(from start: Int) {
    for position in start..<terms.count { included[position] = forced[position] }
  }

  private func current() -> LogLinearModel {
    var interactions: [UInt32] = []
    interactions.reserveCapacity(included.count)
    for position in terms.indices where included[position] { interactions.append(terms[position]) }
    return LogLinearModel(listCount: listCount, closedInteractions: interactions)
  }
}

extension LogLinearModel {
  /// All terms of exactly `size` lists over `listCount` lists, in R's order.
  static func terms(ofSize size: Int, listCount: Int) -> [UInt32] {
    var result: [UInt32] = []
    func extend(_ term: UInt32, from list: Int, remaining: Int) {
      if remaining == 0 {
        result.append(term)
        return
      }
      guard list < listCount else { return }
      for next in list..<listCount {
        extend(term | (1 << UInt32(next)), from: next + 1, remaining: remaining - 1)
      }
    }
    extend(0, from: 0, remaining: size)
    return result
  }
}
