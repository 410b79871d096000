import DarkNumber
import Foundation
import Testing

/// Bias-corrected estimators against an independent oracle (statsmodels + scipy,
/// `Notebooks/reference/make_bias_corrected.py`), to 1e-6 relative (SE 1e-5: the oracle's GLM
/// covariance and ours are evaluated at estimates converged to different tolerances).
@Suite("Bias-corrected estimators (closedp.bc)")
struct BiasCorrectedTests {
  static let models: [String: ClosedPopulationModel] = [
    "Mt": .mt, "M0": .m0, "Mh Chao (LB)": .mh(.chao), "Mh Darroch": .mh(.darroch),
    "Mh Poisson2": .mh(.poisson2), "Mb": .mb,
  ]

  /// The sparse tables (`no-overlaps`, `one-overlap`) have zero frequencies at the top, which get
  /// their corrections too (before, `f₂ = 0` kept M0's fit from existing and printed 10¹⁸).
  @Test(
    "Rivest–Lévesque Mt, M0, Mh, Mb",
    arguments: ["HIV", "kosovo_aggregate", "UKdat_5", "dga_MY5", "hare", "no-overlaps", "one-overlap"])
  func oracle(table: String) throws {
    let document = try ReferenceFixtures.load("bias-corrected")
    let results = try #require(document["results"] as? [[String: Any]])
    let reference = try #require(results.first { $0["table"] as? String == table })
    let estimates = try #require(reference["estimates"] as? [String: [String: Double]])
    let data: CaptureData
    if let cells = reference["cells"] as? [[String: Int]] {
      data = try CaptureData(
        listNames: ["A", "B", "C"],
        counts: try cells.map { (try #require(CaptureHistory(rawValue: UInt32($0["history"] ?? 0))), $0["count"] ?? 0) }
      )
    } else {
      data = try ReferenceFixtures.data(table)
    }
    for (name, expected) in estimates {
      if let total = expected["total"], abs(total - Double(data.observedTotal)) < 1e-6 {
        // At the boundary (nobody unobserved, the intercept at −∞): N̂ = n; the standard error
        // depends on where each fit stopped.
        let estimate = try BiasCorrectedEstimate(model: try #require(Self.models[name]), data: data)
        #expect(abs(estimate.total - total) < 1e-6, "\(table) \(name)")
        continue
      }
      let model = try #require(Self.models[name])
      let total = expected["total"] ?? .nan
      if total < Double(data.observedTotal) {
        // The formula gives N̂ below n (UKdat_5 Mb: e^{β₁} > 1): no estimate.
        #expect(throws: EstimationError.self) { try BiasCorrectedEstimate(model: model, data: data) }
        continue
      }
      let estimate = try BiasCorrectedEstimate(model: model, data: data)
      #expect(isClose(estimate.total, total, relative: 1e-6), "\(table) \(name)")
      #expect(isClose(estimate.standardError, expected["standardError"] ?? .nan, relative: 1e-5), "\(table) \(name) SE")
    }
  }

  @Test("Two lists: Chapman")
  func chapman() throws {
    let data = try CaptureData(
      listNames: ["A", "B"],
      counts: [
        (CaptureHistory(lists: [0])!, 80), (CaptureHistory(lists: [1])!, 60), (CaptureHistory(lists: [0, 1])!, 20),
      ])
    let estimate = try BiasCorrectedEstimate(model: .mt, data: data)
    // (101·81)/21 − 1.
    #expect(isClose(estimate.total, 8160.0 / 21, relative: 1e-14))
  }

  @Test("Unsupported combinations are typed errors")
  func unsupported() throws {
    let data = try ReferenceFixtures.data("HIV")
    #expect(throws: EstimationError.biasCorrectionNotAvailable(model: "Mth Gamma3.5")) {
      try BiasCorrectedEstimate(model: .mth(.gamma35), data: data)
    }
    let corrected = try BiasCorrectedEstimate(model: .mth(.chao), data: data)
    let plain = try ClosedPopulationModel.mth(.chao).fit(to: data)
    // The correction moves N̂ by far less than its standard error.
    #expect(abs(corrected.total - plain.total) < plain.standardError)
  }
}
