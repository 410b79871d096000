import Benchmark
import DarkNumber

// Simulation and scale: a 1,000-replicate study of Mt + stepwise on a 5-list scenario (the
// sparse scenario of Notebooks/scenarios, N = 2,000), streaming aggregation of one million
// per-person rows, and a main-effects + two-way fit over 20 lists. Peak memory comes from the
// harness's malloc metrics (and from Benchmarks/scale.sh with /usr/bin/time -v).
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration.metrics = [.wallClock, .peakMemoryResident]
  Benchmark.defaultConfiguration.maxDuration = .seconds(10)
  var scenario = SimulationScenario(
    name: "sparse five lists", populationSize: 2000, listNames: ["LA", "NG", "PF", "GO", "GP"],
    captureProbabilities: [0.04, 0.15, 0.25, 0.18, 0.08])
  scenario.heterogeneity = .latentClasses([
    .init(share: 0.8, shifts: [0, 0, 0, 0, 0]), .init(share: 0.2, shifts: [1.2, 0.8, 0.4, 0, 0]),
  ])
  scenario.referrals = [.init(from: 0, to: 1, probability: 0.25)]
  scenario.disjointPairs = [[0, 4]]
  let estimators = [
    SimulationEstimator.named("mt", listCount: 5)!, SimulationEstimator.named("stepwise", listCount: 5)!,
  ]

  Benchmark("simulate/mt+stepwise/5-lists/1000-replicates", configuration: .init(maxIterations: 3)) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(
        try await SimulationStudy.run(
          scenario: scenario, estimators: estimators, replicates: 0..<1000, seed: 1, concurrency: 2))
    }
  }

  // One million rows of "id,L1..L5" in memory, fed in 4 MiB chunks.
  var text: [UInt8] = Array("id,L1,L2,L3,L4,L5\n".utf8)
  var generator = SplitMix64.stream(seed: 1, index: 0)
  for row in 0..<1_000_000 {
    var fields = (0..<5).map { _ in generator.uniform() < 0.2 ? UInt8(ascii: "1") : UInt8(ascii: "0") }
    if !fields.contains(UInt8(ascii: "1")) { fields[row % 5] = UInt8(ascii: "1") }
    text += Array("\(row)".utf8)
    for field in fields { text += [UInt8(ascii: ","), field] }
    text.append(UInt8(ascii: "\n"))
  }
  let rows = text
  Benchmark("aggregate/per-person/1M-rows/5-lists", configuration: .init(maxIterations: 10)) { benchmark in
    for _ in benchmark.scaledIterations {
      var accumulator = PerPersonAccumulator()
      var start = 0
      while start < rows.count {
        try accumulator.consume(rows[start..<min(rows.count, start + (1 << 22))])
        start += 1 << 22
      }
      blackHole(try accumulator.finish())
    }
  }

  var wide = SimulationScenario(
    name: "20 lists", populationSize: 1_000_000, listNames: (1...20).map { "L\($0)" },
    captureProbabilities: (0..<20).map { 0.05 + 0.25 * Double($0) / 19 })
  wide.referrals = [.init(from: 0, to: 1, probability: 0.3)]
  let twenty = wide.generate(seed: 1, replicate: 0)!
  let twoWay = LogLinearModel.allInteractions(listCount: 20, upToOrder: 2)
  Benchmark("fit/all-two-way/20-lists/1M-people", configuration: .init(maxIterations: 5)) { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try twoWay.fit(to: twenty)) }
  }
}
