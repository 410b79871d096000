import Benchmark
import DarkNumber
import DarkNumberBayes

// The Bayesian estimators against their R anchors on this machine kind
// (shared/reference/r-timings.json): dga's bma.cr on UKdat_5 with Nmissing = 0:5n (13,721 values,
// 822 graphs, delta = 2^-5) 0.70 s, on the wide grid seq(0, 80n, by = 5) 5.0 s; LCMCR on Kosovo,
// K = 10, 10,000 + 10,000 × 10 sweeps, 2.45 s in C++ (lcmCR + lcmCR_PostSampl; the set-up is
// ≈ 0.04 s of it). Benchmarks/lcmcr_side_by_side.sh times LCMCR and ours in the same run.
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration.metrics = [.wallClock]
  Benchmark.defaultConfiguration.maxDuration = .seconds(5)
  // The bundled tables always exist and are valid.
  let uk = try! Dataset.named("UKdat_5")!.captureData()
  let kosovo = try! Dataset.named("kosovo_aggregate")!.captureData()

  Benchmark("dga/UKdat_5/grid-0-5n", configuration: .init(maxIterations: 20)) { benchmark in
    let options = GraphModelAveraging.Options(
      delta: 1.0 / 32, grid: .fixed(try MissingGrid(start: 0, stop: 5 * uk.observedTotal)))
    for _ in benchmark.scaledIterations {
      blackHole(try await GraphModelAveraging.run(data: uk, options: options))
    }
  }

  Benchmark("dga/UKdat_5/grid-0-80n-by-5", configuration: .init(maxIterations: 10)) { benchmark in
    let options = GraphModelAveraging.Options(
      delta: 1.0 / 32, grid: .fixed(try MissingGrid(start: 0, stop: 80 * uk.observedTotal, step: 5)))
    for _ in benchmark.scaledIterations {
      blackHole(try await GraphModelAveraging.run(data: uk, options: options))
    }
  }

  Benchmark("latent-class/kosovo/1-chain-110k-sweeps", configuration: .init(maxIterations: 3)) {
    benchmark in
    let options = LatentClassOptions(chains: 1, seed: 20_240_601)
    for _ in benchmark.scaledIterations {
      blackHole(try await LatentClassModel.run(data: kosovo, options: options))
    }
  }

  // Bayesian thresholding (issue 18: ≤ 0.5 s on UKdat_5): two MCMC fits of 11,000 iterations,
  // improper priors as in the vignette.
  Benchmark("bayesthresh/UKdat_5/improper", configuration: .init(maxIterations: 20)) { benchmark in
    var options = BayesianThresholding.Options()
    options.prior = .improper
    for _ in benchmark.scaledIterations {
      blackHole(try BayesianThresholding.run(data: uk, options: options))
    }
  }

  // conting's bict on UKdat_5 (issue 18: ≥ 100× faster than R's 59.6 s, shared/reference/conting.json;
  // alone on the machine R takes 18.7–20.3 s): one chain of 11,000 iterations, SBH prior, two-way models.
  Benchmark("loglinear/UKdat_5/1-chain-11000", configuration: .init(maxIterations: 10)) { benchmark in
    var options = LogLinearAveraging.Options()
    options.chains = 1
    for _ in benchmark.scaledIterations {
      blackHole(try await LogLinearAveraging.run(data: uk, options: options))
    }
  }
}
