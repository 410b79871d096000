import DarkNumber
import Foundation
import Testing

@testable import DarkNumberReports

/// `describe` and small-cell suppression: over every bundled table, no count from 1 to k − 1
/// appears in JSON or CSV, the totals stay as they are unless themselves small, and no hidden
/// count can be worked out from the visible ones — checked by exact Gaussian elimination on the
/// cell-indicator rows, an algorithm independent of the suppression's pivoted QR.
@Suite("darknumber describe and --suppress-below")
struct DescribeCommandTests {
  static let histories = Dataset.all.filter { $0.kind == .histories }.map(\.name)

  /// Whether `target` is a linear combination of `rows` (0/1 vectors), by elimination in rationals
  /// represented exactly as doubles (entries stay small integers times pivots' reciprocals).
  static func inSpan(_ target: [Int], of rows: [[Int]], columns: Int) -> Bool {
    func dense(_ cells: [Int]) -> [Double] {
      var v = [Double](repeating: 0, count: columns)
      for c in cells { v[c] = 1 }
      return v
    }
    var basis: [(pivot: Int, row: [Double])] = []
    func reduce(_ v: inout [Double]) {
      for (pivot, row) in basis where v[pivot] != 0 {
        let factor = v[pivot] / row[pivot]
        for j in 0..<columns where row[j] != 0 { v[j] -= factor * row[j] }
        v[pivot] = 0
      }
    }
    for cells in rows {
      var v = dense(cells)
      reduce(&v)
      if let pivot = v.indices.max(by: { abs(v[$0]) < abs(v[$1]) }), abs(v[pivot]) > 1e-9 {
        // Keep the basis reduced: eliminate the new pivot from earlier rows.
        for i in basis.indices where basis[i].row[pivot] != 0 {
          let factor = basis[i].row[pivot] / v[pivot]
          for j in 0..<columns where v[j] != 0 { basis[i].row[j] -= factor * v[j] }
          basis[i].row[pivot] = 0
        }
        basis.append((pivot, v))
      }
    }
    var t = dense(target)
    reduce(&t)
    return t.allSatisfy { abs($0) < 1e-9 }
  }

  @Test(
    "Every bundled table, k = 5 and 10: no small count shown, totals kept, nothing recoverable", arguments: histories)
  func suppression(name: String) throws {
    let data = try #require(Dataset.named(name)).captureData()
    let description = DataDescription(data: data)
    for k in [5, 10] {
      let report = DescribeReport(source: name, description: description, threshold: k)
      for index in report.counts.indices {
        guard let value = report.value(index) else { continue }
        #expect(value == 0 || value >= k, "\(name) k=\(k): \(report.counts[index].name) = \(value)")
      }
      // Totals stay unless themselves small.
      for (index, count) in report.counts.enumerated() where count.isTotal && count.value >= k {
        #expect(report.value(index) == count.value, "\(name): total \(count.name) hidden")
      }
      // JSON and CSV carry no small count.
      let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
      var shown: [Int] = []
      if let observed = object["observed"] as? Int { shown.append(observed) }
      shown += (object["lists"] as? [[String: Any]] ?? []).compactMap { $0["size"] as? Int }
      shown += (object["pairs"] as? [[String: Any]] ?? []).compactMap { $0["overlap"] as? Int }
      shown += (object["countsByListNumber"] as? [[String: Any]] ?? []).compactMap { $0["count"] as? Int }
      shown += (object["histories"] as? [[String: Any]] ?? []).compactMap { $0["count"] as? Int }
      #expect(shown.allSatisfy { $0 == 0 || $0 >= k }, "\(name) JSON")
      for line in report.csv().split(separator: "\n").dropFirst() {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        if let count = Int(fields[fields.count - 3]) { #expect(count == 0 || count >= k, "\(name) CSV \(line)") }
      }
      let text = report.text()
      #expect(
        text.range(of: "only [0-9]+ (people|person)", options: .regularExpression) == nil,
        "\(name): a small count in a warning")
      // Audit (exact for up to 12 lists, where every possible history is a cell).
      if data.listCount <= 12 {
        let visible = report.counts.indices.filter { report.value($0) != nil }.map { report.counts[$0].cells }
        for index in report.hidden {
          #expect(
            !Self.inSpan(report.counts[index].cells, of: visible, columns: (1 << data.listCount) - 1),
            "\(name) k=\(k): \(report.counts[index].name) can be worked out")
        }
      }
    }
  }

  /// UKdat_5's pairs: overlap, its expectation under Mt and the one-sided Poisson p-value from an
  /// independent oracle — statsmodels 0.15.0 GLM (Mt) and scipy 1.17.1 `poisson.cdf`/`poisson.sf`.
  static let oracle: [(Int, Int, Int, Double, Double)] = [
    (0, 1, 18, 3.96440641432172, 2.1844911368394492e-07),
    (0, 2, 21, 8.173529273971935, 0.0001254252419342071),
    (0, 3, 5, 5.642462039431433, 0.5046713769851572),
    (0, 4, 0, 2.3492778751536108, 0.09543805552895773),
    (1, 2, 68, 49.30203296108643, 0.006656991318247148),
    (1, 3, 25, 34.03485081231541, 0.06661334420738856),
    (1, 4, 1, 14.17064420438413, 1.0635831296715713e-05),
    (2, 3, 81, 70.17061834144035, 0.11047133345982289),
    (2, 4, 11, 29.216019532495654, 0.0001059786605880729),
    (3, 4, 8, 20.168800481372088, 0.0018771927839180754),
  ]

  @Test("Pairwise overlaps, expectations under Mt and Poisson p-values match statsmodels and scipy to 1e-6")
  func pValues() throws {
    let description = DataDescription(data: try #require(Dataset.named("UKdat_5")).captureData())
    #expect(description.pairs.count == Self.oracle.count)
    for (pair, expected) in zip(description.pairs, Self.oracle) {
      #expect(pair.first == expected.0 && pair.second == expected.1 && pair.overlap == expected.2)
      #expect(abs(pair.expected! - expected.3) <= 1e-6 * expected.3)
      #expect(abs(pair.pValue! - expected.4) <= 1e-6 * expected.4, "\(expected)")
    }
  }

  @Test("Without suppression: sizes, overlaps, Poisson p-values against Mt, counts by number of lists")
  func describe() throws {
    let data = try #require(Dataset.named("UKdat_5")).captureData()
    let description = DataDescription(data: data)
    #expect(description.listSizes == (0..<5).map(data.listTotal))
    #expect(description.countsByListNumber.reduce(0, +) == data.observedTotal)
    let fit = try LogLinearModel.mainEffects(listCount: 5).fit(to: data)
    let pair = try #require(description.pairs.first { $0.first == 0 && $0.second == 1 })
    var expected = 0.0
    for h in 1..<32 where h & 3 == 3 { expected += fit.fittedValues[h - 1] }
    #expect(abs(pair.expected! - expected) < 1e-9)
    #expect(pair.overlap == data.overlap(0, 1))
    #expect(description.warnings.contains(.noOverlap("LA", "GP")))
    let result = try CommandRunner.run(
      CommandRunner.productsDirectory.appendingPathComponent("darknumber"),
      ["describe", "--example", "UKdat_5", "--format", "json"])
    #expect(result.status == 0)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["observed"] as? Int == 2744)
    #expect((object["pairs"] as? [Any])?.count == 10)
    let bad = try CommandRunner.run(
      CommandRunner.productsDirectory.appendingPathComponent("darknumber"),
      ["describe", "--example", "UKdat_5", "--suppress-below", "1"])
    #expect(bad.status == 64)
  }
}
