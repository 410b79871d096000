// swift-tools-version: 6.2
import PackageDescription

// What a Swift tool embedding DarkNumber looks like: a package that depends on it (here by path;
// elsewhere `.package(url: "https://github.com/…/DarkNumber", from: "…")`) and uses its
// `DarkNumber` product. `.ci/run` builds and runs it.
let package = Package(
  name: "DarkNumberExamples",
  dependencies: [.package(name: "DarkNumber", path: "..")],
  targets: [
    .executableTarget(
      name: "select-and-bootstrap",
      dependencies: [.product(name: "DarkNumber", package: "DarkNumber")])
  ]
)
