import Foundation

@testable import DarkNumber
import Testing

/// SparseMSE 2.0.1 `estimatepopulation.0(method = "stepwise", pthresh = 0.02)` and `"main"`: the
/// selected terms (set and order of addition), N̂ to 1e-6 and the 2.5%/97.5% limits
/// `n + exp(β̂₀ ± z·SE(β̂₀))` to 5e-5 (R's covariance digits).
@Suite("Stepwise selection (SparseMSE)")
struct StepwiseSelectionTests {
  @Test(
    "estimatepopulation.0, stepwise and main",
    arguments: ["UKdat_5", "Ned_5", "kosovo_aggregate", "UKdat", "Ned", "Artificial_3", "HIV", "dga_MY5"])
  func stepwise(dataset: String) throws {
    let document = try ReferenceFixtures.load("sparsemse-fast")
    let results = try #require(document["results"] as? [String: [String: Any]])
    let data = try ReferenceFixtures.data(dataset)
    for (key, threshold) in [("estimatepopulation0_stepwise", 0.02), ("estimatepopulation0_main", 0.0)] {
      let reference = try #require(results[dataset]?[key] as? [String: Any])
      let model = try #require(reference["model"] as? [String: Any])
      let formula = try #require(model["formula"] as? String)
      // Interaction terms in the order SparseMSE added them, plus its empty overlaps (set to −∞).
      let terms = formula.split(separator: "~")[1].split(separator: "+")
        .map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.contains(":") }
      var empty: [String] = []
      if let overlaps = model["emptyoverlaps"] as? [String] { empty = overlaps }
      if let overlap = model["emptyoverlaps"] as? String { empty = [overlap] }
      let selection = try StepwiseSelection(data: data, threshold: threshold)
      let ours = selection.steps.map { step in
        (0..<data.listCount).filter { step.pair & (1 << UInt32($0)) != 0 }.map { data.listNames[$0] }
          .joined(separator: ":")
      }
      #expect(ours.filter { !empty.contains($0) } == terms, "\(dataset) \(key)")
      #expect(Set(ours) == Set(terms + empty), "\(dataset) \(key)")
      let estimate = try #require(reference["estimate"] as? [String: Double])
      #expect(isClose(selection.fit.total, estimate["point est."] ?? .nan, relative: 1e-6), "\(dataset) \(key)")
      let interval = try selection.fit.interval(.logWald, level: 0.95)
      #expect(isClose(interval.lower.value ?? .nan, estimate["2.5%"] ?? .nan, relative: 5e-5))
      #expect(isClose(interval.upper.value ?? .nan, estimate["97.5%"] ?? .nan, relative: 5e-5))
    }
  }

  @Test("Poisson tails against scipy.stats.poisson, including tiny tails")
  func poissonTails() {
    // scipy 1.17.1: poisson.cdf(2, 5), poisson.sf(9, 3), poisson.cdf(40, 100), poisson.sf(199, 100).
    #expect(isClose(Poisson.lowerTail(2, mean: 5), 0.12465201948308108, relative: 1e-12))
    #expect(isClose(Poisson.upperTail(10, mean: 3), 0.0011024881301154815, relative: 1e-10))
    #expect(isClose(Poisson.lowerTail(40, mean: 100), 7.519646690906881e-12, relative: 1e-9))
    #expect(isClose(Poisson.upperTail(200, mean: 100), 9.343150072988544e-19, relative: 1e-9))
    #expect(Poisson.lowerTail(-1, mean: 3) == 0 && Poisson.upperTail(0, mean: 3) == 1)
  }

  @Test("Threshold 0 gives main effects; threshold 1 every pair when the MLE exists")
  func thresholds() throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    // Threshold 0 is main effects; threshold 1 is every pair when the MLE exists.
    #expect(try StepwiseSelection(data: data, threshold: 0).steps.isEmpty)
    let all = try StepwiseSelection(data: data, threshold: 1)
    #expect(all.model.interactions.count == 10)
  }
}
