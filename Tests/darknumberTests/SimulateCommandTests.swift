import Foundation
import Testing

@Suite("darknumber simulate")
struct SimulateCommandTests {
  static var binary: URL { CommandRunner.productsDirectory.appendingPathComponent("darknumber") }
  static var scenario: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Notebooks/scenarios/covariate-strata-scenario.json").path
  }

  @Test("Merging shards gives exactly the unsharded study (byte for byte), at any thread count")
  func merge() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simulate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let common = [
      "simulate", Self.scenario, "--replicates", "9", "--estimators", "mt,stepwise", "--seed", "11", "--format", "json",
    ]
    let full = try CommandRunner.run(
      Self.binary, common + ["--threads", "3", "-o", directory.appendingPathComponent("full.json").path])
    #expect(full.status == 0, "\(full.stderr)")
    var files: [String] = []
    for shard in 1...3 {
      let file = directory.appendingPathComponent("shard\(shard).json").path
      let result = try CommandRunner.run(Self.binary, common + ["--threads", "1", "--shard", "\(shard)/3", "-o", file])
      #expect(result.status == 0, "\(result.stderr)")
      files.append(file)
    }
    let merged = try CommandRunner.run(Self.binary, ["simulate", "merge"] + files.reversed() + ["--format", "json"])
    #expect(merged.status == 0, "\(merged.stderr)")
    #expect(merged.stdout == full.stdout)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(merged.stdout.utf8)) as? [String: Any])
    let summary = try #require(object["summary"] as? [[String: Any]])
    #expect(summary.count == 2)
    for key in [
      "mean", "bias", "relativeBias", "rootMeanSquaredError", "medianAbsoluteError", "coverage", "meanWidth",
      "noEstimateShare",
    ] {
      #expect(summary[0][key] != nil, "\(key)")
    }
    let incomplete = try CommandRunner.run(Self.binary, ["simulate", "merge", files[0], files[1]])
    #expect(incomplete.status == 65)
    #expect(incomplete.stderr.contains("missing"))
  }

  @Test("Bad scenarios and arguments: one sentence, exit 64/65")
  func errors() throws {
    let bad = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).json")
    try #"{"populationSize": 100, "lists": [{"name": "A", "probability": 0.2}, {"name": "B", "probability": 1.5}]}"#
      .write(to: bad, atomically: true, encoding: .utf8)
    let invalid = try CommandRunner.run(Self.binary, ["simulate", bad.path])
    #expect(invalid.status == 65)
    #expect(invalid.stderr.contains("strictly between 0 and 1"))
    try #"{"populationSize": 100, "lists": [{"name": "A"}]}"#.write(to: bad, atomically: true, encoding: .utf8)
    let malformed = try CommandRunner.run(Self.binary, ["simulate", bad.path])
    #expect(malformed.status == 65)
    #expect(malformed.stderr.contains("lists[0]") && malformed.stderr.contains("probability"))
    let unknown = try CommandRunner.run(Self.binary, ["simulate", Self.scenario, "--estimators", "mt,magic"])
    #expect(unknown.status == 64)
    let shard = try CommandRunner.run(Self.binary, ["simulate", Self.scenario, "--shard", "4/3"])
    #expect(shard.status == 64)
  }
}

extension SimulateCommandTests {
  @Test("The Bayesian estimators run inside a study too")
  func bayesian() throws {
    let result = try CommandRunner.run(
      Self.binary,
      [
        "simulate", Self.scenario, "--replicates", "2", "--estimators", "dga,latent-class", "--seed", "4", "--format",
        "json",
      ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let summary = try #require(object["summary"] as? [[String: Any]])
    #expect(summary.map { $0["estimator"] as? String } == ["dga", "latent-class"])
    for row in summary { #expect(row["estimates"] as? Int == 2) }
  }
}
