import Benchmark
import DarkNumber
import DarkNumberLinearAlgebra

// Fits of the UK 2013 table (5 lists, 31 cells; R's glm.fit takes 1.10 ms for the main-effects
// fit on this machine kind, shared/reference/r-timings.json).
let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration.metrics = [.wallClock, .mallocCountTotal]
  Benchmark.defaultConfiguration.maxDuration = .seconds(2)
  BLASThreads.setSingleThreadedStoppingWorkers()
  // The bundled table always exists and is valid.
  let data = try! Dataset.named("UKdat_5")!.captureData()
  let main = LogLinearModel.mainEffects(listCount: 5)
  let twoWay = LogLinearModel.allInteractions(listCount: 5, upToOrder: 2)

  Benchmark("fit/main-effects/UKdat_5") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try main.fit(to: data)) }
  }
  Benchmark("fit/all-two-way/UKdat_5") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try twoWay.fit(to: data)) }
  }

  // The IRLS workspace reused across refits: the iteration loop allocates nothing, so the
  // mallocs counted here are the result's three arrays, whatever the number of iterations.
  let design = DesignMatrix(model: main, listNames: data.listNames).matrix
  let counts = data.denseCounts()
  Benchmark("irls/main-effects/UKdat_5/reused-workspace") { benchmark in
    var engine = try PoissonIRLS(design: design)
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations { blackHole(try engine.fit(counts: counts)) }
  }

  // Rcapture's closedp.t table (12 models): R takes 0.084 s on UKdat_5.
  Benchmark("models/closedp-table/UKdat_5") { benchmark in
    for _ in benchmark.scaledIterations {
      for model in ClosedPopulationModel.standard { blackHole(try? model.fit(to: data)) }
    }
  }

  // Rcapture's closedpMS.t (6,893 models): R takes 71.5 s on UKdat_5.
  Benchmark(
    "search/all-hierarchical/UKdat_5",
    configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxIterations: 20)
  ) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try await ModelSearch.run(data: data))
    }
  }

  // SparseMSE's estimatepopulation(nboot = 1000): R takes 171 s on UKdat_5.
  Benchmark(
    "bootstrap/stepwise-1000/UKdat_5",
    configuration: .init(metrics: [.wallClock], maxIterations: 5)
  ) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try await SelectionBootstrap.run(data: data))
    }
  }

  Benchmark(
    "bootstrap/bic-all-1024-models-1000/UKdat_5",
    configuration: .init(metrics: [.wallClock], maxIterations: 3)
  ) { benchmark in
    var options = SelectionBootstrap.Options()
    options.procedure = .criterion(.bic, maximumOrder: 2, candidateLimit: nil)
    for _ in benchmark.scaledIterations {
      blackHole(try await SelectionBootstrap.run(data: data, options: options))
    }
  }

  // Issue 19's targets where lists are many, both on 2 cores: stepwise with 1,000 re-selecting
  // replicates on New Orleans (8 lists; SparseMSE 1,033 s; target ≤ 2 s) and one stepwise
  // selection on synthetic10 (10 lists, 101,985 observed; SparseMSE 243 s; target ≤ 0.5 s).
  let newOrleans = try! Dataset.named("NewOrl")!.captureData()
  Benchmark(
    "bootstrap/stepwise-1000/NewOrl",
    configuration: .init(metrics: [.wallClock], maxIterations: 5)
  ) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try await SelectionBootstrap.run(data: newOrleans))
    }
  }
  let synthetic10 = try! Dataset.named("synthetic10")!.captureData()
  Benchmark(
    "select/stepwise/synthetic10",
    configuration: .init(metrics: [.wallClock], maxIterations: 10)
  ) { benchmark in
    for _ in benchmark.scaledIterations {
      blackHole(try StepwiseSelection(data: synthetic10))
    }
  }

  Benchmark("interval/profile/main-effects/UKdat_5") { benchmark in
    let fit = try main.fit(to: data)
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations { blackHole(try fit.interval(.profileLikelihood)) }
  }
}
