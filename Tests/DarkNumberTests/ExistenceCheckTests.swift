import DarkNumber
import Foundation
import Testing

/// SparseMSE 2.0.1 `checkident` (lpSolve 5.6.18) against our GLPK linear program: the error code
/// exactly and the optimum `s*` to 1e-8 (the optimum of a linear program is unique).
@Suite("Existence and identifiability (checkident)")
struct ExistenceCheckTests {
  @Test(
    "Main effects and all two-way terms",
    arguments: ["UKdat_5", "Ned_5", "kosovo_aggregate", "UKdat", "Ned", "Artificial_3", "HIV", "dga_MY5"])
  func checkident(dataset: String) throws {
    let document = try ReferenceFixtures.load("sparsemse-fast")
    let results = try #require(document["results"] as? [String: [String: Any]])
    let reference = try #require(results[dataset])
    let data = try ReferenceFixtures.data(dataset)
    for (key, model) in [
      ("checkident_main", LogLinearModel.mainEffects(listCount: data.listCount)),
      ("checkident_all_two_way", LogLinearModel.allInteractions(listCount: data.listCount, upToOrder: 2)),
    ] {
      let expected = try #require(reference[key] as? [String: Any])
      let check = try ExistenceCheck(model: model, data: data)
      #expect(check.sparseMSECode == expected["ierr"] as? Int, "\(dataset) \(key)")
      let objective = expected["lp_objval"] as? Double ?? .nan
      #expect(isClose(check.linearProgramObjective, objective, relative: 1e-8, absolute: 1e-10), "\(dataset) \(key)")
    }
  }

  @Test("Artificial_3: the documented examples (not identifiable; no MLE; both pass)")
  func artificial() throws {
    let data = try ReferenceFixtures.data("Artificial_3")
    let names = data.listNames
    let all = try LogLinearModel(specification: "all:2", listNames: names)
    #expect(try ExistenceCheck(model: all, data: data).identifiable == false)
    let ab = try LogLinearModel(specification: "[12]", listNames: names)
    #expect(try ExistenceCheck(model: ab, data: data).estimateExists == false)
    let acbc = try LogLinearModel(specification: "[13,23]", listNames: names)
    #expect(try ExistenceCheck(model: acbc, data: data).sparseMSECode == 0)
  }
}

@Suite("Existence depends only on the support of the counts")
struct ExistenceSupportTests {
  @Test(
    "Changing nonzero counts never changes the code (every two-way model)",
    arguments: ["UKdat_5", "Ned_5", "Artificial_3"])
  func support(dataset: String) throws {
    let data = try ReferenceFixtures.data(dataset)
    // Same support, different counts: every nonzero count c becomes 3c + 1.
    let other = try CaptureData(
      listNames: data.listNames, counts: data.cells.map { ($0.history, 3 * $0.count + 1) })
    let cache = ExistenceCache()
    var compared = 0
    var failing = 0
    for model in HierarchicalModelEnumerator(listCount: data.listCount, maximumOrder: 2) {
      let direct = try ExistenceCheck(model: model, data: other).sparseMSECode
      #expect(try cache.code(model: model, data: data) == direct, "\(model)")
      // The cached answer (filled from `data`) is what `other` gets.
      #expect(try cache.code(model: model, data: other) == direct)
      compared += 1
      if direct != 0 { failing += 1 }
    }
    #expect(compared == (data.listCount == 5 ? 1024 : 8))
    // Artificial_3 has failing models (Chan et al. Table 2), so both answers are exercised.
    if dataset == "Artificial_3" { #expect(failing > 0) }
  }

  @Test("New Orleans: numerically zero fitted counts and the existence check say one thing")
  func warningsAgreeWithTheCheck() async throws {
    let data = try ReferenceFixtures.data("NewOrl")
    let fit = try await ModelSelection.run(.stepwise(threshold: 0.02), data: data).fit
    #expect(fit.warnings.contains { if case .fittedValuesNumericallyZero = $0 { true } else { false } })
    let check = try ExistenceCheck(model: fit.model, data: data)
    #expect(check.estimateExists)
    let unchecked = fit.warningSentences(checkedBy: nil)
    #expect(unchecked == fit.warnings.map(\.description) + (fit.goodnessOfFit.warning.map { [$0] } ?? []))
    #expect(unchecked.contains { $0.contains("the existence check (darknumber check, ExistenceCheck) decides") })
    let checked = fit.warningSentences(checkedBy: check)
    #expect(checked.count == unchecked.count)
    #expect(checked.contains { $0.contains("shows that the estimate exists") && $0.contains("the estimate stands") })
    #expect(!checked.contains { $0.contains("may not exist") || $0.contains("decides") })
  }
}
