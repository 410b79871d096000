import Foundation
import Testing

@testable import DarkNumber

/// SparseMSE 2.0.1 `estimatepopulation(nboot = 1000, iseed = 1234)`: the stepwise bootstrap.
/// Deterministic parts (point estimate, jackknife acceleration `â`) to 1e-6; R's random stream
/// cannot be reproduced, so the replicate distributions are compared with the two-sample
/// Kolmogorov–Smirnov test (reject at the 0.1% level: D > 1.949·√((m + n)/(mn))).
@Suite("Stepwise bootstrap (SparseMSE estimatepopulation)")
struct SelectionBootstrapTests {
  static func reference(_ dataset: String) throws -> (json: [String: Any], replicates: [Double]) {
    let document = try ReferenceFixtures.load("sparsemse-bootstrap")
    let results = try #require(document["results"] as? [String: [String: Any]])
    let json = try #require(results[dataset])
    let url = try #require(
      Bundle.module.url(forResource: "Fixtures/bootstrap/sparsemse_bootreps_\(dataset)", withExtension: "csv"))
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
    let replicates = lines.compactMap { line in Double(line.split(separator: ",").last ?? "") }
    return (json, replicates)
  }

  @Test(
    "UKdat_5: point estimate and acceleration exactly; replicates agree with R's (KS); BCa limits within Monte Carlo error"
  )
  func ukFive() async throws {
    let (reference, rReplicates) = try Self.reference("UKdat_5")
    #expect(rReplicates.count == 1000)
    let data = try ReferenceFixtures.data("UKdat_5")
    var options = SelectionBootstrap.Options()
    options.replicates = 1000
    let bootstrap = try await SelectionBootstrap.run(data: data, options: options)
    #expect(isClose(bootstrap.estimate, reference["popest"] as? Double ?? .nan, relative: 1e-6))
    #expect(isClose(bootstrap.acceleration ?? .nan, reference["ahat"] as? Double ?? .nan, relative: 1e-6))
    let ours = bootstrap.sortedReplicates
    #expect(ours.count == 1000)
    let statistic = Self.kolmogorovSmirnov(ours, rReplicates.sorted())
    let critical = 1.949 * ((1000.0 + 1000) / (1000 * 1000)).squareRoot()
    #expect(statistic < critical, "KS D = \(statistic), 0.1% critical value \(critical)")
    // ẑ₀ drives BCa: the share of replicates below N̂ must agree within 3 combined binomial SEs.
    let summary = try #require(reference["bootreps_summary"] as? [String: Any])
    let rShare = try #require(summary["frac_below_popest"] as? Double)
    let share = Double(ours.filter { $0 < bootstrap.estimate }.count) / Double(ours.count)
    let standardError = (rShare * (1 - rShare) / 1000 + share * (1 - share) / 1000).squareRoot()
    #expect(abs(share - rShare) < 3 * standardError, "share below N̂: ours \(share), R \(rShare)")
    let bca = try bootstrap.interval(.bootstrapBCa, level: 0.95)
    #expect(bca.lowerValue < bootstrap.estimate && bootstrap.estimate < bca.upperValue)
    // Monte Carlo error of the BCa limits (``SelectionBootstrap/monteCarloBand(probability:)``).
    let limits = try #require(reference["BCaquantiles"] as? [String: Double])
    for (key, level) in [("0.025", 0.025), ("0.975", 0.975)] {
      let band = try bootstrap.monteCarloBand(probability: level)
      let (low, high) = (band.lowerBound, band.upperBound)
      let rLimit = try #require(limits[key])
      #expect(low <= rLimit && rLimit <= high, "BCa \(key): R \(rLimit), ours within MC error [\(low), \(high)]")
    }
  }

  @Test("R's type-8 quantiles")
  func quantiles() {
    // quantile(1:10, c(0.1, 0.5, 0.975), type = 8) = 1.366667, 5.5, 10.
    let x = (1...10).map(Double.init)
    #expect(isClose(SelectionBootstrap.quantileType8(x, 0.1), 1.3666666666666667, relative: 1e-12))
    #expect(SelectionBootstrap.quantileType8(x, 0.5) == 5.5)
    #expect(SelectionBootstrap.quantileType8(x, 0.975) == 10)
  }

  /// The two-sample Kolmogorov–Smirnov statistic of sorted samples.
  static func kolmogorovSmirnov(_ a: [Double], _ b: [Double]) -> Double {
    var i = 0
    var j = 0
    var largest = 0.0
    while i < a.count && j < b.count {
      let x = min(a[i], b[j])
      while i < a.count && a[i] <= x { i += 1 }
      while j < b.count && b[j] <= x { j += 1 }
      largest = max(largest, abs(Double(i) / Double(a.count) - Double(j) / Double(b.count)))
    }
    return largest
  }
}

@Suite("Parametric bootstrap of a fixed model")
struct ParametricBootstrapTests {
  @Test("UKdat_5 main effects: replicates centre on N̂, spread like the SE, deterministic across tasks")
  func mainEffects() async throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    let fit = try LogLinearModel.mainEffects(listCount: 5).fit(to: data)
    let one = try await ParametricBootstrap.run(fit: fit, replicates: 300, seed: 7, concurrency: 1)
    let two = try await ParametricBootstrap.run(fit: fit, replicates: 300, seed: 7, concurrency: 2)
    #expect(one.replicates == two.replicates)
    let values = one.replicates.compactMap { $0 }
    #expect(values.count == 300)
    let mean = values.reduce(0, +) / Double(values.count)
    let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
    // Under the model the estimator is nearly unbiased: the mean lies within 4 Monte Carlo SEs
    // (sd/√300) plus 1% of N̂ (small-sample bias); the spread matches the asymptotic SE to 25%.
    #expect(abs(mean - fit.total) < 4 * sd / Double(300).squareRoot() + 0.01 * fit.total)
    #expect(abs(sd / fit.standardError - 1) < 0.25, "sd \(sd), SE \(fit.standardError)")
    let interval = try one.interval(.bootstrapPercentile, level: 0.9)
    #expect(interval.lowerValue < fit.total && fit.total < interval.upperValue)
  }
}

@Suite("Stepwise bootstrap: deterministic parts on every SparseMSE bootstrap table")
struct BootstrapJackknifeTests {
  @Test("Point estimate and jackknife acceleration â to 1e-6", arguments: ["Ned_5", "UKdat", "kosovo_aggregate"])
  func jackknife(dataset: String) async throws {
    let (reference, _) = try SelectionBootstrapTests.reference(dataset)
    let data = try ReferenceFixtures.data(dataset)
    var options = SelectionBootstrap.Options()
    options.replicates = 20
    let bootstrap = try await SelectionBootstrap.run(data: data, options: options)
    #expect(isClose(bootstrap.estimate, reference["popest"] as? Double ?? .nan, relative: 1e-6))
    #expect(
      isClose(bootstrap.acceleration ?? .nan, reference["ahat"] as? Double ?? .nan, relative: 1e-6, absolute: 1e-9))
  }
}
