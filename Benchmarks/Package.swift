// swift-tools-version: 6.2
import PackageDescription

// A separate package so that the library's dependency graph never sees package-benchmark.
// Run: OPENBLAS_NUM_THREADS=1 swift package --package-path Benchmarks benchmark
// Side-by-side with statsmodels and R: python3 Benchmarks/compare.py
let package = Package(
  name: "DarkNumberBenchmarks",
  dependencies: [
    .package(name: "DarkNumber", path: ".."),
    .package(
      url: "https://github.com/ordo-one/benchmark", from: "1.38.0", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "Fitting",
      dependencies: [
        .product(name: "DarkNumber", package: "DarkNumber"),
        .product(name: "DarkNumberLinearAlgebra", package: "DarkNumber"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/Fitting",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    .executableTarget(
      name: "Bayes",
      dependencies: [
        .product(name: "DarkNumber", package: "DarkNumber"),
        .product(name: "DarkNumberBayes", package: "DarkNumber"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/Bayes",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    .executableTarget(
      name: "Simulation",
      dependencies: [
        .product(name: "DarkNumber", package: "DarkNumber"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/Simulation",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    .executableTarget(
      name: "Covariates",
      dependencies: [
        .product(name: "DarkNumber", package: "DarkNumber"),
        .product(name: "Benchmark", package: "benchmark"),
      ],
      path: "Benchmarks/Covariates",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    .executableTarget(
      name: "fit-timing",
      dependencies: [
        .product(name: "DarkNumber", package: "DarkNumber"),
        .product(name: "DarkNumberBayes", package: "DarkNumber"),
      ],
      path: "Sources/fit-timing"),
  ]
)
