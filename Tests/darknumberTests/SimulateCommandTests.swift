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

  /// A shard edited by hand: 10³⁰⁸ is refused with the file and replicate; 10²⁹⁹ is accepted and
  /// its RMSE stays finite (errors scaled before squaring) and prints in scientific notation.
  @Test("Shards with absurd estimates: refused, or summarised without overflow")
  func absurdShard() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("simulate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let common = ["simulate", Self.scenario, "--replicates", "4", "--estimators", "mt", "--seed", "1"]
    var files: [String] = []
    for shard in 1...2 {
      let file = directory.appendingPathComponent("shard\(shard).json").path
      #expect(try CommandRunner.run(Self.binary, common + ["--shard", "\(shard)/2", "-o", file]).status == 0)
      files.append(file)
    }
    func edited(_ total: Double) throws -> String {
      var object = try #require(
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: files[1]))) as? [String: Any])
      var replicates = try #require(object["replicates"] as? [[String: Any]])
      replicates[0]["total"] = total
      replicates[0]["upper"] = total
      object["replicates"] = replicates
      let file = directory.appendingPathComponent("edited\(total).json").path
      try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: file))
      return file
    }
    let refused = try CommandRunner.run(Self.binary, ["simulate", "merge", files[0], try edited(1e308)])
    #expect(refused.status == 65)
    #expect(
      refused.stderr.contains("replicate 2, \"mt\": the estimate 1e+308 is not a population size"), "\(refused.stderr)")
    let large = try CommandRunner.run(
      Self.binary, ["simulate", "merge", files[0], try edited(1e299), "--format", "json"])
    #expect(large.status == 0, "\(large.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(large.stdout.utf8)) as? [String: Any])
    let summary = try #require((object["summary"] as? [[String: Any]])?.first)
    let rmse = try #require(summary["rootMeanSquaredError"] as? Double)
    #expect(isClose(rmse, 1e299 / 2, relative: 1e-12))
    let text = try CommandRunner.run(Self.binary, ["simulate", "merge", files[0], try edited(1e299)])
    #expect(text.stdout.contains("5e+298"), "\(text.stdout)")
    #expect(!text.stdout.contains("000,000,000"))
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
    let two = #"[{"name": "A", "probability": 0.2}, {"name": "B", "probability": 0.3}]"#
    for (scenario, message) in [
      (
        #"{"populationSize": 1000.5, "lists": \#(two)}"#,
        "populationSize must be a whole number of people; it is 1000.5"
      ),
      (#"{"populationSize": 1e30, "lists": \#(two)}"#, "the population size must be between 1 and 100,000,000"),
      (
        #"{"populationSize": 100, "lists": [{"name": "A", "probability": 0.2}, {"name": "A", "probability": 0.3}]}"#,
        "names the list \"A\" twice"
      ),
      (
        #"{"populationSize": 100, "lists": \#(two), "heterogenity": {"logNormal": 1}}"#,
        "the scenario has an unknown key \"heterogenity\"; the keys are covariates"
      ),
      (
        #"{"populationSize": 100, "lists": [{"name": "A", "probability": 0.2, "prob": 1}]}"#,
        "lists[0] has an unknown key \"prob\"; the keys are name, probability"
      ),
      // A misspelt required key is named as unknown, not reported as missing.
      (#"{"populationsize": 100, "lists": \#(two)}"#, "the scenario has an unknown key \"populationsize\""),
    ] {
      try scenario.write(to: bad, atomically: true, encoding: .utf8)
      let result = try CommandRunner.run(
        Self.binary, ["simulate", bad.path, "--replicates", "2", "--estimators", "mt"])
      #expect(result.status == 65, "\(scenario)")
      #expect(result.stderr.contains(message), "\(result.stderr)")
    }
  }
}

extension SimulateCommandTests {
  @Test("Scenarios with every key the reader allows run (the key list matches the decoder)")
  func everyKey() throws {
    let lists =
      #"[{"name": "A", "probability": 0.2}, {"name": "B", "probability": 0.3}, {"name": "C", "probability": 0.25}]"#
    let covariates =
      #"[{"name": "sex", "levels": [{"name": "F", "share": 0.6, "shifts": {"A": 0.5}}, {"name": "M", "share": 0.4}]}]"#
    let links =
      #""referrals": [{"from": "A", "to": "B", "probability": 0.3}], "exclusions": [{"from": "B", "to": "C", "probability": 0.2}]"#
    let scenarios = [
      #"{"name": "classes", "populationSize": 500, "lists": \#(lists), "heterogeneity": {"latentClasses": [{"share": 0.5, "shifts": {"A": 1}}, {"share": 0.5}]}, "covariates": \#(covariates), \#(links), "disjoint": [["A", "C"]]}"#,
      #"{"name": "frailty", "populationSize": 500, "lists": \#(lists), "heterogeneity": {"logNormal": 0.5}}"#,
      #"{"populationSize": 500, "fromModel": {"example": "UKdat_5", "model": "[12,3,4,5]"}}"#,
    ]
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("every-key-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: file) }
    for scenario in scenarios {
      try scenario.write(to: file, atomically: true, encoding: .utf8)
      let result = try CommandRunner.run(
        Self.binary, ["simulate", file.path, "--replicates", "2", "--estimators", "mt"])
      #expect(result.status == 0, "\(scenario): \(result.stderr)")
    }
  }

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
