import DarkNumber
import Testing

/// The sensitivity analysis against direct refits: each omitted or merged table is rebuilt here
/// from the cells by hand and the selection re-run on it.
@Suite("Sensitivity")
struct SensitivityTests {
  /// The table with `transform` applied to every history's list set (dropping empty ones).
  static func rebuilt(_ data: CaptureData, names: [String], _ transform: ([Int]) -> [Int]) throws -> CaptureData {
    var counts: [[Int]: Int] = [:]
    for cell in data.cells {
      let lists = (0..<data.listCount).filter { cell.history.contains(list: $0) }
      let mapped = Array(Set(transform(lists))).sorted()
      if !mapped.isEmpty { counts[mapped, default: 0] += cell.count }
    }
    return try CaptureData(listNames: names, counts: counts.map { (CaptureHistory(lists: $0.key)!, $0.value) })
  }

  @Test("UKdat_5: omit-one-list and merge rows equal direct refits of SparseMSE's stepwise selection")
  func omitAndMerge() async throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    let analysis = try await SensitivityAnalysis.run(data: data, topModels: 0)
    let names = data.listNames
    for list in 0..<5 {
      var kept = names
      kept.remove(at: list)
      let reduced = try Self.rebuilt(data, names: kept) { lists in
        lists.filter { $0 != list }.map { $0 > list ? $0 - 1 : $0 }
      }
      let direct = try StepwiseSelection(data: reduced, threshold: 0.02)
      let row = try #require(analysis.rows.first { $0.label == "omit \(names[list])" })
      #expect(isClose(row.total ?? .nan, direct.fit.total, relative: 1e-10), "omit \(names[list])")
    }
    for a in 0..<5 {
      for b in (a + 1)..<5 {
        var merged = names
        merged[a] = names[a] + "+" + names[b]
        merged.remove(at: b)
        let reduced = try Self.rebuilt(data, names: merged) { lists in
          lists.map { $0 == b ? a : $0 }.map { $0 > b ? $0 - 1 : $0 }
        }
        let direct = try StepwiseSelection(data: reduced, threshold: 0.02)
        let row = try #require(analysis.rows.first { $0.label == "merge \(names[a])+\(names[b])" })
        #expect(isClose(row.total ?? .nan, direct.fit.total, relative: 1e-10), "merge \(a) \(b)")
      }
    }
    // The base is the UK Home Office's 11,313 and carries a profile interval.
    let base = try #require(analysis.rows.first)
    #expect(abs((base.total ?? 0) - 11_313) < 1)
    #expect((try? base.outcome.get().interval) != nil)
    // Thresholds: p = 0.02 is the base.
    let threshold = try #require(analysis.rows.first { $0.label == "stepwise p < 0.02" })
    #expect(threshold.total == base.total)
  }

  @Test("Omitting and merging lists keep every person on another list; two lists cannot lose one")
  func listOperations() throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    let omitted = try data.removingList(0)
    #expect(omitted.observedTotal == data.observedTotal - data.count(of: CaptureHistory(lists: [0])!))
    let merged = try data.mergingLists(1, 3)
    #expect(merged.observedTotal == data.observedTotal)
    #expect(merged.listNames == ["LA", "NG+GO", "PFNCA", "GP"])
    #expect(merged.listTotal(1) == data.listTotal(1) + data.listTotal(3) - data.overlap(1, 3))
    let two = try CaptureData(
      listNames: ["A", "B"], counts: [(CaptureHistory(lists: [0])!, 3), (CaptureHistory(lists: [0, 1])!, 2)])
    #expect(throws: DataError.self) { _ = try two.removingList(0) }
  }
}
