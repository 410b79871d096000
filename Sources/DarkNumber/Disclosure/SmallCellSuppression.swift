import DarkNumberLinearAlgebra

/// Small-cell suppression with an audit against back-calculation (statistical disclosure control
/// of published tables; Hundepool et al. 2012, *Statistical Disclosure Control*, §4.2 and §5.5).
///
/// Every published count is a sum of cell counts (a capture history's count, a list's size, an
/// overlap, the number observed). **Primary** suppression hides counts from 1 to `k − 1`, which
/// could identify a victim. A hidden count is still disclosed if it is a linear combination of the
/// counts left visible — the total minus the other cells, for example. **Complementary**
/// suppression therefore hides further counts, smallest first and never one marked as a total,
/// until no hidden count lies in the span of the visible ones (checked exactly by the rank of the
/// visible counts' cell-indicator rows with and without the hidden one, by pivoted QR). Zero counts
/// are not sensitive, but may be hidden as complements (before any total). Bounds implied by
/// non-negativity (interval disclosure) are not audited.
public enum SmallCellSuppression {
  /// A count about to be published: which cells it adds up and whether it is a total that should
  /// stay visible (only suppressed when itself small).
  public struct Count: Sendable, Hashable {
    /// A name for reports (`"LA"`, `"LA & NG"`, `"history 10110"`).
    public let name: String
    /// The cells it sums, as indices into the table's cells.
    public let cells: [Int]
    /// Its value.
    public let value: Int
    /// Whether it is a total to keep visible if possible.
    public let isTotal: Bool

    /// A count.
    public init(name: String, cells: [Int], value: Int, isTotal: Bool = false) {
      self.name = name
      self.cells = cells
      self.value = value
      self.isTotal = isTotal
    }
  }

  /// The largest number of cells the exact audit handles; above it only primary suppression and
  /// the complement within each group of counts summing to a visible total apply (see
  /// ``suppress(_:cellCount:below:)``).
  public static let maximumAuditedCells = 4096

  /// The indices of `counts` to hide for threshold `k ≥ 2` over a table of `cellCount` cells.
  public static func suppress(_ counts: [Count], cellCount: Int, below k: Int) -> Set<Int> {
    precondition(k >= 2, "the threshold must be at least 2")
    var hidden = Set(counts.indices.filter { counts[$0].value >= 1 && counts[$0].value < k })
    guard !hidden.isEmpty else { return hidden }
    guard cellCount <= maximumAuditedCells else {
      return hidden.union(fallback(counts, hidden: hidden))
    }
    func row(_ index: Int) -> [Int] { counts[index].cells }
    func rank(_ rows: [Int], plus extra: Int? = nil) -> Int {
      let all = rows + (extra.map { [$0] } ?? [])
      guard !all.isEmpty else { return 0 }
      // Columns: only the cells some row touches matter for the rank.
      var columnOf: [Int: Int] = [:]
      for r in all { for c in row(r) where columnOf[c] == nil { columnOf[c] = columnOf.count } }
      var matrix = Matrix(rows: all.count, columns: max(columnOf.count, 1))
      for (i, r) in all.enumerated() { for c in row(r) { matrix[i, columnOf[c]!] = 1 } }
      return (try? PivotedQR(matrix, tolerance: 1e-9).rank) ?? all.count
    }
    func disclosed(_ q: Int, visible: [Int], visibleRank: Int? = nil) -> Bool {
      rank(visible, plus: q) == (visibleRank ?? rank(visible))
    }
    var changed = true
    while changed {
      changed = false
      let visible = counts.indices.filter { !hidden.contains($0) }
      let visibleRank = rank(visible)
      for q in hidden.sorted() where disclosed(q, visible: visible, visibleRank: visibleRank) {
        // Candidates: visible counts other than totals, smallest positive first, then zeros
        // (a hidden zero reveals nothing but may block a back-calculation); totals only when
        // nothing else is left.
        let others = visible.filter { !counts[$0].isTotal }
          .sorted { a, b in
            (counts[a].value == 0) != (counts[b].value == 0)
              ? counts[a].value > 0 : (counts[a].value, a) < (counts[b].value, b)
          }
        let totals = visible.filter { counts[$0].isTotal }
          .sorted { (counts[$0].value, $0) < (counts[$1].value, $1) }
        let pool = others.isEmpty ? totals : others
        let chosen = pool.first { candidate in
          !disclosed(q, visible: visible.filter { $0 != candidate })
        }
        // Every visible count is a candidate, so the pool is empty only when nothing is visible,
        // and then nothing is disclosed; the guard keeps the loop finite regardless.
        guard let pick = chosen ?? pool.first else { return hidden }
        hidden.insert(pick)
        changed = true
        break
      }
    }
    return hidden
  }

  /// Without the audit: in each group of visible counts whose cells partition a visible total's
  /// cells, hide the smallest other positive count when exactly one is hidden.
  private static func fallback(_ counts: [Count], hidden: Set<Int>) -> Set<Int> {
    var extra = Set<Int>()
    for total in counts.indices where counts[total].isTotal {
      let totalCells = Set(counts[total].cells)
      let parts = counts.indices.filter { index in
        index != total && !counts[index].isTotal && Set(counts[index].cells).isSubset(of: totalCells)
      }
      let union = parts.reduce(into: [Int]()) { $0 += counts[$1].cells }
      guard union.count == totalCells.count, Set(union) == totalCells else { continue }
      let hiddenParts = parts.filter { hidden.contains($0) || extra.contains($0) }
      if hiddenParts.count == 1,
        let next = parts.filter({ !hidden.contains($0) && !extra.contains($0) && counts[$0].value > 0 })
          .min(by: { counts[$0].value < counts[$1].value })
      {
        extra.insert(next)
      }
    }
    return extra
  }
}
