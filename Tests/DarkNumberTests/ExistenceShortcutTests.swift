import Foundation
import Testing

@testable import DarkNumber

/// `ExistenceCheck.code` skips the linear program when the occupied cells span the design's row
/// space; its answer must be the linear program's, which these tests compare on thinned supports.
@Suite("The existence shortcut agrees with the linear program")
struct ExistenceShortcutTests {
  /// Every two-way model of a five-list table, on supports thinned at random (each occupied cell
  /// emptied with probability 0.2–0.8), and random two-way models of eight-list tables.
  @Test(
    "Thinned supports, random models", arguments: ["UKdat_5", "Artificial_3", "Western", "NewOrl", "kosovo_aggregate"])
  func agrees(dataset: String) throws {
    let data = try ReferenceFixtures.data(dataset)
    var generator = SplitMix64(seed: 20_261_206)
    var models: [LogLinearModel] = []
    if data.listCount <= 5 {
      models = Array(
        sequence(state: HierarchicalModelEnumerator(listCount: data.listCount, maximumOrder: 2)) { $0.next() })
    } else {
      var pairs: [UInt32] = []
      for i in 0..<(data.listCount - 1) {
        for j in (i + 1)..<data.listCount { pairs.append(1 << UInt32(i) | 1 << UInt32(j)) }
      }
      for _ in 0..<300 {
        models.append(
          LogLinearModel(listCount: data.listCount, generators: pairs.filter { _ in Bool.random(using: &generator) }))
      }
    }
    var existsOnIncompleteSupport = 0
    var shortcutOnIncompleteSupport = 0
    var failing = 0
    for (index, model) in models.enumerated() {
      let emptied = Double(index % 4) * 0.2 + 0.2
      let cells = data.cells.filter { _ in Double.random(in: 0..<1, using: &generator) >= emptied }
      guard cells.count >= 2 else { continue }
      let thinned = try CaptureData(listNames: data.listNames, counts: cells.map { ($0.history, $0.count) })
      let full = try ExistenceCheck(model: model, data: thinned)
      #expect(try ExistenceCheck.code(model: model, data: thinned) == full.sparseMSECode, "\(dataset) \(model)")
      if full.sparseMSECode & 1 != 0 { failing += 1 }
      if full.estimateExists && thinned.cells.count < (1 << thinned.listCount) - 1 { existsOnIncompleteSupport += 1 }
      let reduced = try ExistenceCheck.Reduced(model: model, data: thinned)
      if reduced.y.contains(0), try reduced.supportSpans() { shortcutOnIncompleteSupport += 1 }
    }
    // Both answers are exercised: models whose MLE fails, and existing ones on incomplete supports;
    // and the shortcut itself answers some of those (its rank comparison, not only full supports).
    #expect(failing > 0)
    #expect(existsOnIncompleteSupport > 0)
    #expect(shortcutOnIncompleteSupport > 0)
  }
}
