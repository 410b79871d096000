package import DarkNumber
import Foundation

/// What `describe` prints, with suppressed counts hidden.
package struct DescribeReport: Report {
  package let source: String
  package let description: DataDescription
  package let threshold: Int?
  package let counts: [SmallCellSuppression.Count]
  package let hidden: Set<Int>
  /// Whether histories are listed (at most 12 lists; at most 8 under suppression).
  package let listsHistories: Bool

  package init(source: String, description: DataDescription, threshold: Int?) {
    self.source = source
    self.description = description
    self.threshold = threshold
    // Under suppression, histories are listed only up to 8 lists: each is one more count whose
    // neighbours must be audited, and beyond that the audit would hide most of the table.
    listsHistories = description.data.listCount <= (threshold == nil ? 12 : 8)
    counts = description.publishedCounts(includingHistories: listsHistories)
    if let threshold {
      let k = description.data.listCount
      let cellCount = k <= 12 ? (1 << k) - 1 : Int.max
      hidden = SmallCellSuppression.suppress(counts, cellCount: cellCount, below: threshold)
    } else {
      hidden = []
    }
  }

  package var data: CaptureData { description.data }
  package var listCount: Int { data.listCount }
  /// Index of the first pair, first count-by-number and first history in ``counts``.
  package var pairStart: Int { 1 + listCount }
  package var numberStart: Int { pairStart + description.pairs.count }
  package var historyStart: Int { numberStart + listCount }

  /// The value of count `index`, or `nil` when hidden.
  package func value(_ index: Int) -> Int? { hidden.contains(index) ? nil : counts[index].value }

  /// The count as text: the number, or `<k`.
  package func text(_ index: Int) -> String {
    value(index).map { NumberText.grouped(Double($0), digits: 0) } ?? "<\(threshold ?? 0)"
  }

  /// The description's warnings, without small counts under suppression.
  package var warningTexts: [String] {
    description.warnings.map { threshold == nil ? $0.description : $0.suppressedDescription }
  }

  package func historyBits(_ history: CaptureHistory) -> String { history.digits(listCount: listCount) }

  package func text() -> String {
    var lines: [String] = []
    let names = data.listNames
    lines.append("DarkNumber \(DarkNumberVersion.string) — the data")
    lines.append("")
    lines.append("Data       \(source)")
    lines.append("           \(listCount) lists, \(text(0)) people observed in \(data.cells.count) distinct histories")
    lines.append("")
    lines.append("List sizes")
    for list in 0..<listCount {
      lines.append("  " + NumberText.padded(names[list], 16) + NumberText.rightAligned(text(1 + list), 10))
    }
    lines.append("")
    lines.append("Pairwise overlaps (expected under independence, Mt; one-sided Poisson p-value)")
    for (offset, pair) in description.pairs.enumerated() {
      var line =
        "  " + NumberText.padded("\(names[pair.first]) & \(names[pair.second])", 24)
        + NumberText.rightAligned(text(pairStart + offset), 10)
      if let expected = pair.expected, let p = pair.pValue, value(pairStart + offset) != nil {
        line += NumberText.rightAligned(NumberText.grouped(expected), 12) + "   p = " + NumberText.significant(p)
      }
      lines.append(line)
    }
    lines.append("")
    lines.append("People by number of lists")
    for number in 1...listCount {
      lines.append(
        "  " + NumberText.padded("on \(number)", 16) + NumberText.rightAligned(text(numberStart + number - 1), 10))
    }
    if listsHistories {
      lines.append("")
      lines.append("Histories (\(names.joined(separator: " ")))")
      for (offset, cell) in data.cells.enumerated() {
        lines.append(
          "  " + NumberText.padded(historyBits(cell.history), max(16, listCount + 2))
            + NumberText.rightAligned(text(historyStart + offset), 10))
      }
    }
    if !description.warnings.isEmpty || !data.warnings.isEmpty {
      lines.append("")
      lines.append("Warnings")
      for warning in data.warnings { lines.append("  - \(warning)") }
      for warning in warningTexts { lines.append("  - \(warning)") }
    }
    if let threshold {
      lines.append("")
      lines.append(
        "Counts from 1 to \(threshold - 1) are shown as <\(threshold); \(hidden.count) count\(hidden.count == 1 ? " is" : "s are") hidden, including those that would let a small count be worked out from the others."
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }

  package func csv() -> String {
    var lines = ["kind,name,count,expected,p_value"]
    func field(_ index: Int) -> String { value(index).map(String.init) ?? "<\(threshold ?? 0)" }
    lines.append("observed,all,\(field(0)),,")
    for list in 0..<listCount { lines.append("list,\"\(data.listNames[list])\",\(field(1 + list)),,") }
    for (offset, pair) in description.pairs.enumerated() {
      let shown = value(pairStart + offset) != nil
      let expected = shown ? pair.expected.map { String($0) } ?? "" : ""
      let p = shown ? pair.pValue.map { String($0) } ?? "" : ""
      lines.append(
        "pair,\"\(data.listNames[pair.first]) & \(data.listNames[pair.second])\",\(field(pairStart + offset)),\(expected),\(p)"
      )
    }
    for number in 1...listCount { lines.append("lists,\(number),\(field(numberStart + number - 1)),,") }
    if listsHistories {
      for (offset, cell) in data.cells.enumerated() {
        lines.append("history,\(historyBits(cell.history)),\(field(historyStart + offset)),,")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  package func json() throws -> String {
    struct ListEntry: Encodable { let name: String; let size: Int? }
    struct PairEntry: Encodable { let lists: [String]; let overlap: Int?; let expected: Double?; let pValue: Double? }
    struct NumberEntry: Encodable { let lists: Int; let count: Int? }
    struct HistoryEntry: Encodable { let history: String; let lists: [String]; let count: Int? }
    struct Suppression: Encodable { let threshold: Int; let hidden: [String]; let note: String }
    struct Document: Encodable {
      let schemaVersion = 1
      let version = DarkNumberVersion.string
      let command = "describe"
      let source: String
      let lists: [ListEntry]
      let observed: Int?
      let observedHistories: Int
      let pairs: [PairEntry]
      let countsByListNumber: [NumberEntry]
      let histories: [HistoryEntry]?
      let warnings: [String]
      let suppression: Suppression?
    }
    let names = data.listNames
    let document = Document(
      source: source,
      lists: (0..<listCount).map { ListEntry(name: names[$0], size: value(1 + $0)) },
      observed: value(0), observedHistories: data.cells.count,
      pairs: description.pairs.enumerated().map { offset, pair in
        let shown = value(pairStart + offset) != nil
        return PairEntry(
          lists: [names[pair.first], names[pair.second]], overlap: value(pairStart + offset),
          expected: shown ? pair.expected : nil, pValue: shown ? pair.pValue : nil)
      },
      countsByListNumber: (1...listCount).map { NumberEntry(lists: $0, count: value(numberStart + $0 - 1)) },
      histories: listsHistories
        ? data.cells.enumerated().map { offset, cell in
          HistoryEntry(
            history: historyBits(cell.history),
            lists: (0..<listCount).filter { cell.history.contains(list: $0) }.map { names[$0] },
            count: value(historyStart + offset))
        } : nil,
      warnings: data.warnings.map(\.description) + warningTexts,
      suppression: threshold.map { k in
        Suppression(
          threshold: k, hidden: hidden.sorted().map { counts[$0].name },
          note: "counts from 1 to \(k - 1) and the counts that would reveal them are null")
      })
    return try JSONText.encode(document)
  }
}
