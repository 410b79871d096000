import Benchmark
import DarkNumber
import Foundation

// The Dutch-shaped analysis with a list that did not operate everywhere (issue 17's target): a
// 6-year × 2-sex × 3-form table over 5 lists, shelters (SH) not operating in 2010–2011
// (Benchmarks/data/dutch-5lists*.csv, from Benchmarks/make_dutch_benchmark.py), BIC selection over
// list × list and list × covariate terms, and the bootstrap that re-runs it in every replicate
// (with the jackknife for BCa: one more selection per distinct record, 419 here).
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration.metrics = [.wallClock, .peakMemoryResident]
  Benchmark.defaultConfiguration.maxDuration = .seconds(30)
  let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("data")
  let names = ["year", "gender", "exploitation"]
  // The files are committed with the benchmarks; a missing one is a broken checkout.
  let coverage = try! ListCoverage(
    csv: [UInt8](try! Data(contentsOf: folder.appendingPathComponent("dutch-5lists-coverage.csv"))), covariates: names)
  let data = try! CovariateCaptureData(
    csv: [UInt8](try! Data(contentsOf: folder.appendingPathComponent("dutch-5lists.csv"))), covariates: names,
    coverage: coverage)
  let start = try! CovariateModel(specification: "main", data: data)
  let candidates: CovariateSelection.Candidates = [.listPairs, .covariateLists]

  Benchmark("covariates/select-bic/5-lists-coverage", configuration: .init(maxIterations: 20)) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try CovariateSelection(data: data, start: start, criterion: .bic, candidates: candidates))
    }
  }
  for replicates in [100, 1000] {
    Benchmark("covariates/reselecting-bootstrap/5-lists-coverage/\(replicates)", configuration: .init(maxIterations: 3))
    { benchmark in
      var options = CovariateSelectionBootstrap.Options()
      options.replicates = replicates
      options.concurrency = 2
      for _ in benchmark.scaledIterations {
        blackHole(
          try await CovariateSelectionBootstrap.run(
            data: data, start: start, criterion: .bic, candidates: candidates, options: options))
      }
    }
  }
}
