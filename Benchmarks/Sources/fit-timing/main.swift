// Times DarkNumber's log-linear fits on UKdat_5 and prints JSON: the median over 7 rounds of the
// mean time per fit (µs). Used by Benchmarks/compare.py, which times statsmodels in the same run.
import DarkNumber
import DarkNumberBayes
import DarkNumberLinearAlgebra
import Glibc

BLASThreads.set(1)
let data = try Dataset.named("UKdat_5")!.captureData()
if CommandLine.arguments.count > 2 && CommandLine.arguments[1] == "--two-way-search" {
  // A K-list two-way search (2^(K(K−1)/2) models) on simulated data: prints models and seconds.
  let lists = Int(CommandLine.arguments[2]) ?? 7
  var counts: [(CaptureHistory, Int)] = []
  var state: UInt64 = 20261129
  for history in 1..<(1 << lists) {
    state = state &* 6364136223846793005 &+ 1442695040888963407
    let size = history.nonzeroBitCount
    let base = 4000 >> (2 * size)
    counts.append((CaptureHistory(rawValue: UInt32(history))!, base + Int(state >> 60)))
  }
  let simulated = try CaptureData(listNames: (1...lists).map { "S\($0)" }, counts: counts)
  var options = ModelSearch.Options()
  options.maximumOrder = 2
  options.keep = 10
  let start = ContinuousClock.now
  let result = try await ModelSearch.run(data: simulated, options: options)
  let elapsed = ContinuousClock.now - start
  print("{\"lists\": \(lists), \"models\": \(result.modelCount), \"seconds\": \(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)}")
  exit(0)
}
if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "--variates" {
  // ns per draw of the samplers' random variates, at parameters typical of the LCMCR sweep.
  var generator = SplitMix64(seed: 7)
  func time(_ label: String, _ draw: (inout SplitMix64) -> Double) {
    let reps = 2_000_000
    var checksum = 0.0
    let start = ContinuousClock.now
    for _ in 0..<reps { checksum += draw(&generator) }
    let elapsed = ContinuousClock.now - start
    let ns = (Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) * 1e-9) / Double(reps)
    print("\(label): \(ns) ns (checksum \(checksum))")
  }
  time("uniform") { $0.uniform() }
  time("normal") { $0.standardNormal() }
  time("gamma(3.5)") { $0.gamma(shape: 3.5) }
  time("gamma(300)") { $0.gamma(shape: 300) }
  time("beta(30, 400)") { $0.betaWithComplement(30, 400).value }
  time("beta(1, 400)") { $0.betaWithComplement(1, 400).value }
  time("logBeta(30, 400)") { $0.logBeta(30, 400).log }
  time("log(u)") { Glibc.log($0.uniform()) }
  time("binomial(1000, 0.003)") { Double($0.binomial(count: 1000, probability: 0.003)) }
  time("binomial(1000, 0.008)") { Double($0.binomial(count: 1000, probability: 0.008)) }
  time("binomial(100, 0.3)") { Double($0.binomial(count: 100, probability: 0.3)) }
  time("binomial(1000, 0.3)") { Double($0.binomial(count: 1000, probability: 0.3)) }
  time("binomial(6000, 0.4)") { Double($0.binomial(count: 6000, probability: 0.4)) }
  time("binomial(6000, 0.97)") { Double($0.binomial(count: 6000, probability: 0.97)) }
  exit(0)
}
if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "--bayes" {
  // The Bayesian estimators' benchmark runs, one-line JSON each: dga bma.cr on UKdat_5 with
  // Nmissing = 0:5n and delta = 2^-5 (median of 11 runs), and LCMCR on Kosovo, K = 10,
  // 10,000 + 10,000 × 10 sweeps, one chain (median of 3).
  func seconds(_ elapsed: Duration) -> Double {
    Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  }
  let which = CommandLine.arguments.count > 2 ? CommandLine.arguments[2] : "both"
  if which != "lcmcr" {
    let options = GraphModelAveraging.Options(
      delta: 1.0 / 32, grid: .fixed(try MissingGrid(start: 0, stop: 5 * data.observedTotal)))
    var runs: [Double] = []
    var mean = 0.0
    for _ in 0..<11 {
      let start = ContinuousClock.now
      mean = try await GraphModelAveraging.run(data: data, options: options).summary.mean
      runs.append(seconds(ContinuousClock.now - start))
    }
    let first = runs[0]
    runs.sort()
    print("{\"dga_UKdat_5_first_seconds\": \(first), \"median_seconds\": \(runs[5]), \"posterior_mean\": \(mean)}")
  }
  if which != "dga" {
    let kosovo = try Dataset.named("kosovo_aggregate")!.captureData()
    // `--bayes lcmcr R` times R runs instead of 3 (the minimum is the least disturbed by a busy
    // machine).
    let count = CommandLine.arguments.count > 3 ? max(1, Int(CommandLine.arguments[3]) ?? 3) : 3
    var runs: [Double] = []
    var mean = 0.0
    for _ in 0..<count {
      let start = ContinuousClock.now
      mean = try await LatentClassModel.run(
        data: kosovo, options: LatentClassOptions(chains: 1, seed: 20_240_601)).summary.mean
      runs.append(seconds(ContinuousClock.now - start))
    }
    runs.sort()
    print("{\"lcmcr_kosovo_one_chain_median_seconds\": \(runs[count / 2]), \"minimum_seconds\": \(runs[0]), \"posterior_mean\": \(mean)}")
  }
  exit(0)
}
if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "--cholesky" {
  // SmallCholesky factorize + solve on a random SPD matrix of each order: ns per call.
  for n in [6, 12, 18, 24] {
    var a = [Double](repeating: 0, count: n * n)
    for i in 0..<n { for j in 0..<n { a[i + j * n] = i == j ? Double(n) + 1 : 1 / Double(1 + i + j) } }
    var work = a
    var rhs = [Double](repeating: 1, count: n)
    let reps = 200_000
    let start = ContinuousClock.now
    var checksum = 0.0
    for _ in 0..<reps {
      work = a
      _ = SmallCholesky.factorize(&work, order: n)
      checksum += work[n * n - 1]
    }
    let mid = ContinuousClock.now
    for _ in 0..<reps {
      for k in 0..<n { rhs[k] = 1 }
      SmallCholesky.solve(factor: work, order: n, &rhs)
      checksum += rhs[0]
    }
    let end = ContinuousClock.now
    let f = (mid - start) / reps
    let s = (end - mid) / reps
    print("n=\(n) factorize \(f) solve \(s) checksum \(checksum)")
  }
  exit(0)
}
if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "--search" {
  // The full UKdat_5 search (Rcapture's closedpMS.t, 6,893 models): median seconds of 11 runs
  // with the given number of parallel tasks (default 2).
  var options = ModelSearch.Options()
  options.concurrency = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 2 : 2
  var seconds: [Double] = []
  var models = 0
  for _ in 0..<11 {
    let start = ContinuousClock.now
    models = try await ModelSearch.run(data: data, options: options).modelCount
    let elapsed = ContinuousClock.now - start
    seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
  }
  let first = seconds[0]
  seconds.sort()
  print("{\"models\": \(models), \"tasks\": \(options.concurrency), \"first_seconds\": \(first), \"median_seconds\": \(seconds[5]), \"min_seconds\": \(seconds[0])}")
  exit(0)
}
if CommandLine.arguments.count > 1 && CommandLine.arguments[1] == "--refits" {
  // Profiling aid: many main-effects fits through the public API (for valgrind/perf), nothing
  // printed.
  let model = LogLinearModel.mainEffects(listCount: 5)
  var checksum = 0.0
  for _ in 0..<(Int(CommandLine.arguments[2]) ?? 1000) {
    checksum += try model.fit(to: data).total
  }
  precondition(checksum > 0)
  exit(0)
}
let models: [(String, LogLinearModel)] = [
  ("main", .mainEffects(listCount: 5)),
  ("two_way", .allInteractions(listCount: 5, upToOrder: 2)),
]
let clock = ContinuousClock()
var entries: [String] = []
for (name, model) in models {
  let fitsPerRound = 2000
  var rounds: [Double] = []
  for _ in 0..<7 {
    var checksum = 0.0
    let elapsed = try clock.measure {
      for _ in 0..<fitsPerRound { checksum += try model.fit(to: data).total }
    }
    precondition(checksum > 0)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    rounds.append(seconds / Double(fitsPerRound) * 1e6)
  }
  rounds.sort()
  let total = try model.fit(to: data).total
  entries.append("\"\(name)\": {\"microseconds_per_fit\": \(rounds[3]), \"total\": \(total)}")
}
print("{" + entries.joined(separator: ", ") + "}")
