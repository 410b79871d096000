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
