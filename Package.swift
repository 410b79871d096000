// swift-tools-version: 6.2
import Foundation
import PackageDescription

/// Shared by every Swift target. `strictMemorySafety` makes each unsafe expression spell `unsafe`,
/// so the C boundary (only in `DarkNumberLinearAlgebra`) is greppable.
let swiftSettings: [SwiftSetting] = [
  .strictMemorySafety(),
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("InternalImportsByDefault"),
  .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
  name: "DarkNumber",
  products: [
    .library(name: "DarkNumber", targets: ["DarkNumber"]),
    .library(name: "DarkNumberLinearAlgebra", targets: ["DarkNumberLinearAlgebra"]),
    .library(name: "DarkNumberBayes", targets: ["DarkNumberBayes"]),
    .executable(name: "darknumber", targets: ["darknumber"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.0"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.6.0"),
  ],
  targets: [
    // MARK: - C boundary (implementation detail, never a product)
    .systemLibrary(
      name: "CLAPACK", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev", "liblapack-dev", "liblapacke-dev", "pkgconf"])]),
    .systemLibrary(name: "CGLPK", providers: [.apt(["libglpk-dev"])]),
    // MARK: - Libraries
    .target(
      name: "DarkNumberLinearAlgebra",
      dependencies: ["CLAPACK", "CGLPK", .product(name: "RealModule", package: "swift-numerics")],
      swiftSettings: swiftSettings),
    .target(
      name: "DarkNumber",
      dependencies: [
        "DarkNumberLinearAlgebra", .product(name: "RealModule", package: "swift-numerics"),
      ],
      exclude: ["Datasets/CSV"],
      swiftSettings: swiftSettings),
    .target(
      name: "DarkNumberBayes",
      dependencies: ["DarkNumber", .product(name: "RealModule", package: "swift-numerics")],
      swiftSettings: swiftSettings),
    // MARK: - Rendering (the CLI's documents; not a product)
    .target(
      name: "DarkNumberReports",
      dependencies: ["DarkNumber", "DarkNumberBayes"],
      swiftSettings: swiftSettings),
    // MARK: - Command-line tool (parsing, one library call, rendering through DarkNumberReports)
    .executableTarget(
      name: "darknumber",
      dependencies: [
        "DarkNumber", "DarkNumberBayes", "DarkNumberReports",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: swiftSettings),
    // MARK: - Tests
    .testTarget(
      name: "DarkNumberLinearAlgebraTests", dependencies: ["DarkNumberLinearAlgebra"]),
    .testTarget(
      name: "DarkNumberTests",
      dependencies: [
        "DarkNumber", "DarkNumberLinearAlgebra",
        .product(name: "RealModule", package: "swift-numerics"),
      ],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "DarkNumberBayesTests",
      dependencies: [
        "DarkNumberBayes", "DarkNumber",
        .product(name: "RealModule", package: "swift-numerics"),
      ],
      resources: [.copy("Fixtures")]),
    .testTarget(
      name: "darknumberTests",
      dependencies: [
        "darknumber", "DarkNumber", "DarkNumberBayes", "DarkNumberReports",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
  ]
)

// The DocC plugin joins the graph only when the documentation is built
// (`DARKNUMBER_DOCS=1 swift package generate-documentation …`, as scripts/build-docs.sh does), so
// that a package depending on DarkNumber never resolves it.
if ProcessInfo.processInfo.environment["DARKNUMBER_DOCS"] != nil {
  package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"))
}
