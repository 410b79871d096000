import DarkNumberBayes
import Testing

@Suite("Convergence diagnostics against ArviZ")
struct ConvergenceDiagnosticsTests {
  @Test("Split-R̂ and effective sample size equal ArviZ's rhat(split) and ess(mean) to 1e-9")
  func arviz() throws {
    let document = try BayesFixtures.json("arviz-diagnostics")
    let cases = try #require(document["cases"] as? [[String: Any]])
    #expect(cases.count == 6)
    for entry in cases {
      let name = entry["name"] as! String
      let chains = entry["chains"] as! [[Double]]
      let diagnostics = ConvergenceDiagnostics(chains: chains)
      let ess = entry["ess"] as! Double
      #expect(
        isClose(diagnostics.effectiveSampleSize, ess, relative: 1e-9),
        "\(name): \(diagnostics.effectiveSampleSize) vs \(ess)")
      // ArviZ gives NaN for one chain; ours splits it in halves.
      if let rhat = entry["rhat"] as? Double, !rhat.isNaN {
        #expect(isClose(diagnostics.splitRhat, rhat, relative: 1e-9), "\(name): \(diagnostics.splitRhat) vs \(rhat)")
      }
    }
  }

  @Test("Constant chains: R̂ 1 and every draw counts")
  func constant() {
    let diagnostics = ConvergenceDiagnostics(chains: [[5, 5, 5, 5], [5, 5, 5, 5]])
    #expect(diagnostics.splitRhat == 1)
    #expect(diagnostics.effectiveSampleSize == 8)
  }
}
