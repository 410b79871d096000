import DarkNumber
import Testing

@Suite("Simulation")
struct SimulationTests {
  static var scenario: SimulationScenario {
    var scenario = SimulationScenario(
      name: "test", populationSize: 1500, listNames: ["A", "B", "C", "D"], captureProbabilities: [0.2, 0.15, 0.1, 0.25])
    scenario.heterogeneity = .latentClasses([
      .init(share: 0.7, shifts: [0, 0, 0, 0]), .init(share: 0.3, shifts: [1, 0.5, 0, 0]),
    ])
    scenario.covariates = [.init(name: "sex", shares: [0.5, 0.5], effects: [[0, 0, 0, 0], [0.3, 0, 0, -0.3]])]
    scenario.referrals = [.init(from: 0, to: 1, probability: 0.2)]
    scenario.exclusions = [.init(from: 2, to: 3, probability: 0.3)]
    scenario.disjointPairs = [[0, 2]]
    return scenario
  }

  @Test(
    "The generator is seeded, independent homogeneous lists recover their probabilities, disjoint pairs never overlap")
  func generator() throws {
    let scenario = Self.scenario
    #expect(scenario.problem == nil)
    let a = try #require(scenario.generate(seed: 9, replicate: 4))
    let b = try #require(scenario.generate(seed: 9, replicate: 4))
    #expect(a == b)
    #expect(a != scenario.generate(seed: 9, replicate: 5))
    #expect(a.overlap(0, 2) == 0)
    var plain = SimulationScenario(
      name: "plain", populationSize: 200_000, listNames: ["A", "B", "C"], captureProbabilities: [0.3, 0.2, 0.1])
    let data = try #require(plain.generate(seed: 1, replicate: 0))
    for (list, p) in [0.3, 0.2, 0.1].enumerated() {
      let share = Double(data.listTotal(list)) / 200_000
      #expect(abs(share - p) < 4 * (p * (1 - p) / 200_000).squareRoot(), "list \(list)")
    }
    plain.captureProbabilities = [0.3, 1.2, 0.1]
    #expect(plain.problem != nil)
  }

  @Test("Same seed, same study at any concurrency; shards give exactly the full run's records and summary")
  func shardsAndThreads() async throws {
    let estimators = [
      SimulationEstimator.named("mt", listCount: 4)!, SimulationEstimator.named("stepwise", listCount: 4)!,
    ]
    let full = try await SimulationStudy.run(
      scenario: Self.scenario, estimators: estimators, replicates: 0..<12, seed: 77, concurrency: 1)
    let parallel = try await SimulationStudy.run(
      scenario: Self.scenario, estimators: estimators, replicates: 0..<12, seed: 77, concurrency: 4)
    #expect(full == parallel)
    var pieces: [SimulationStudy.Record] = []
    for shard in [2, 0, 1] {
      let range = SimulationStudy.shardReplicates(12, index: shard, count: 3)
      pieces += try await SimulationStudy.run(
        scenario: Self.scenario, estimators: estimators, replicates: range, seed: 77, concurrency: 2)
    }
    #expect(pieces.sorted { ($0.replicate, $0.estimator) < ($1.replicate, $1.estimator) } == full)
    let names = estimators.map(\.name)
    #expect(
      SimulationStudy.summarize(pieces, estimators: names, truth: 1500)
        == SimulationStudy.summarize(full, estimators: names, truth: 1500))
    #expect(SimulationStudy.shardReplicates(10, index: 2, count: 3) == 6..<10)
  }

  @Test("Summary statistics by hand")
  func summary() {
    let records: [SimulationStudy.Record] = [
      .init(replicate: 0, estimator: 0, outcome: .estimate(total: 90, lower: 80, upper: 120)),
      .init(replicate: 1, estimator: 0, outcome: .estimate(total: 120, lower: 105, upper: nil)),
      .init(replicate: 2, estimator: 0, outcome: .estimate(total: 105, lower: 101, upper: 110)),
      .init(replicate: 3, estimator: 0, outcome: .none(reason: "no estimate")),
    ]
    let summary = SimulationStudy.summarize(records, estimators: ["x"], truth: 100)[0]
    #expect(summary.estimates == 3)
    #expect(abs(summary.mean! - 105) < 1e-12)
    #expect(abs(summary.bias! - 5) < 1e-12)
    #expect(abs(summary.rootMeanSquaredError! - ((100.0 + 400 + 25) / 3).squareRoot()) < 1e-12)
    #expect(summary.medianAbsoluteError == 10)
    #expect(abs(summary.coverage! - 1.0 / 3) < 1e-12)  // [80,120] covers; [105,∞) and [101,110] do not
    #expect(abs(summary.meanWidth! - 24.5) < 1e-12)
    #expect(summary.noEstimateShare == 0.25)
  }
}
