import DarkNumber
import Foundation
import Testing

/// Rcapture 1.4-4 `closedpMS.t(X, dfreq = TRUE)`: every hierarchical model up to order `t − 1`.
@Suite("Exhaustive hierarchical model search")
struct ModelSearchTests {
  @Test("Model counts: 113 for 4 lists, 6,893 for 5, 1,024 two-way for 5, 2^15 two-way for 6")
  func counts() {
    #expect(HierarchicalModelEnumerator(listCount: 4, maximumOrder: 3).reduce(0) { n, _ in n + 1 } == 113)
    #expect(HierarchicalModelEnumerator(listCount: 5, maximumOrder: 4).reduce(0) { n, _ in n + 1 } == 6893)
    #expect(HierarchicalModelEnumerator(listCount: 5, maximumOrder: 2).reduce(0) { n, _ in n + 1 } == 1024)
    #expect(HierarchicalModelEnumerator(listCount: 6, maximumOrder: 2).reduce(0) { n, _ in n + 1 } == 32768)
    // Forcing [12] halves the two-way models.
    #expect(
      HierarchicalModelEnumerator(listCount: 5, maximumOrder: 2, forced: [0b11]).reduce(0) { n, _ in n + 1 } == 512)
  }

  @Test("Every enumerated model is hierarchical and distinct")
  func hierarchical() {
    var seen = Set<LogLinearModel>()
    for model in HierarchicalModelEnumerator(listCount: 5, maximumOrder: 4) {
      #expect(seen.insert(model).inserted)
      let terms = Set(model.interactions)
      for term in terms where term.nonzeroBitCount > 2 {
        for bit in 0..<5 where term & (1 << UInt32(bit)) != 0 {
          #expect(terms.contains(term & ~(1 << UInt32(bit))))
        }
      }
    }
  }

  @Test(
    "Every model's N̂, deviance, AIC and BIC match closedpMS.t",
    arguments: ["HIV", "kosovo_aggregate", "UKdat_5", "Ned_5", "dga_MY5"])
  func table(dataset: String) async throws {
    let document = try ReferenceFixtures.load("rcapture-closedpMS-t")
    let results = try #require(document["results"] as? [String: [String: Any]])
    let reference = try #require(results[dataset])
    let data = try ReferenceFixtures.data(dataset)
    var options = ModelSearch.Options()
    options.keep = nil
    let search = try await ModelSearch.run(data: data, options: options)
    #expect(search.modelCount == reference["n_models"] as? Int)
    let ours = Dictionary(uniqueKeysWithValues: search.best.map { ($0.model.description, $0) })
    let rows = try Self.csv("closedpMS_\(dataset)")
    #expect(rows.count == search.modelCount)
    var compared = 0
    for row in rows {
      let name = row["model"] ?? ""
      let abundance = Double(row["abundance"] ?? "") ?? .nan
      guard let entry = ours[name] else {
        // No estimate here: R's is enormous, flagged, or collapsed onto n (a saturated model with
        // empty cells, whose unobserved count is not identifiable; R's path happens to reach 0).
        let n = Double(data.observedTotal)
        let degenerate = abundance > 1e5 * n || abs(abundance - n) < 1e-3
        #expect(degenerate || row["infoFit"] != "0", "\(dataset) \(name)")
        continue
      }
      let boundary = entry.warnings.contains {
        switch $0 {
        case .infiniteParameters, .fittedValuesNumericallyZero, .unobservedCountAtZero: true
        default: false
        }
      }
      if row["infoFit"] == "0" && !boundary {
        #expect(isClose(entry.total, abundance, relative: 1e-6), "\(dataset) \(name) N")
        #expect(isClose(entry.aic, Double(row["AIC"] ?? "") ?? .nan, relative: 1e-6), "\(dataset) \(name) AIC")
        #expect(isClose(entry.bic, Double(row["BIC"] ?? "") ?? .nan, relative: 1e-6), "\(dataset) \(name) BIC")
        #expect(entry.degreesOfFreedom == Int(row["df"] ?? ""), "\(dataset) \(name) df")
        compared += 1
      }
      #expect(
        isClose(entry.deviance, Double(row["deviance"] ?? "") ?? .nan, relative: 1e-5, absolute: 1e-6),
        "\(dataset) \(name) deviance")
    }
    // Models R fitted cleanly and we found no boundary in: hundreds per table.
    #expect(compared >= min(100, rows.count / 2))
    // The best model by BIC and by AIC (R ranks boundary fits too, as we do).
    #expect(search.best.first?.model.description == reference["best_BIC"] as? String)
    let byAIC = search.best.min { a, b in a.aic != b.aic ? a.aic < b.aic : a.index < b.index }
    #expect(byAIC?.model.description == reference["best_AIC"] as? String)
  }

  @Test("Search entries (N̂, SE, deviance, df, AIC, BIC, −∞ warnings) equal LogLinearModel.fit's, boundaries included")
  func kernelMatchesGeneralFit() async throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    var options = ModelSearch.Options()
    options.keep = nil
    options.maximumOrder = 2
    let search = try await ModelSearch.run(data: data, options: options)
    #expect(search.best.count == 1024 - search.failureCount)
    for entry in search.best.prefix(300) {
      let fit = try entry.model.fit(to: data)
      // Both paths fit the same reduced table with the same stopping rule.
      #expect(isClose(entry.total, fit.total, relative: 1e-9), "\(entry.model)")
      #expect(isClose(entry.deviance, fit.deviance, relative: 1e-9, absolute: 1e-9))
      #expect(isClose(entry.aic, fit.aic, relative: 1e-12))
      #expect(isClose(entry.bic, fit.bic, relative: 1e-12))
      #expect(entry.degreesOfFreedom == fit.degreesOfFreedom)
      #expect(isClose(entry.standardError, fit.standardError, relative: 1e-9))
      let infinite = { (w: [FitWarning]) in w.contains { if case .infiniteParameters = $0 { true } else { false } } }
      #expect(infinite(entry.warnings) == infinite(fit.warnings))
    }
  }

  @Test("The result does not depend on the number of parallel tasks or the batch size")
  func determinism() async throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    var one = ModelSearch.Options()
    one.concurrency = 1
    one.keep = 50
    var many = one
    many.concurrency = 4
    many.batchSize = 333
    let a = try await ModelSearch.run(data: data, options: one)
    let b = try await ModelSearch.run(data: data, options: many)
    #expect(a.best.map(\.index) == b.best.map(\.index))
    #expect(a.best.map(\.total) == b.best.map(\.total))
  }

  /// Reads one of R's `write.csv` tables (all fields quoted) into dictionaries.
  static func csv(_ name: String) throws -> [[String: String]] {
    guard let url = Bundle.module.url(forResource: "Fixtures/closedpMS/\(name)", withExtension: "csv")
    else { throw ReferenceFixtures.FixtureError.missing(name) }
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
    func fields(_ line: Substring) -> [String] {
      line.split(separator: "\",\"", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
      }
    }
    let header = fields(lines[0])
    return lines.dropFirst().map { line in
      Dictionary(uniqueKeysWithValues: zip(header, fields(line)))
    }
  }
}
