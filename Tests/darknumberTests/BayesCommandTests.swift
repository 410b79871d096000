import DarkNumber
import DarkNumberBayes
import Foundation
import Testing

@testable import DarkNumberReports
@testable import darknumber

@Suite("darknumber bayes")
struct BayesCommandTests {
  @Test("dga JSON: method, posterior, quantiles, credible intervals, diagnostics, models")
  func dgaJSON() async throws {
    let data = try #require(Dataset.named("dga_MY3")).captureData()
    let result = try await GraphModelAveraging.run(
      data: data, options: .init(delta: 1, grid: .fixed(try MissingGrid(start: 0, stop: 3_130))))
    let report = BayesReport(source: "dga_MY3", averaging: result, top: 3)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
    #expect(object["schemaVersion"] as? Int == 1)
    #expect(object["method"] as? String == "dga")
    let posterior = try #require(object["posterior"] as? [String: Any])
    #expect(isClose(posterior["mean"] as! Double, 734.55738196917, relative: 1e-6))
    #expect(posterior["median"] as? Double == 732)
    let quantiles = try #require(posterior["quantiles"] as? [String: Double])
    #expect(Set(quantiles.keys).isSuperset(of: ["0.025", "0.05", "0.5", "0.95", "0.975"]))
    #expect(quantiles["0.025"] == 681 && quantiles["0.975"] == 800)
    let intervals = try #require(object["intervals"] as? [[String: Any]])
    #expect(intervals.contains { $0["level"] as? Double == 0.95 && $0["lower"] as? Double == 681 })
    // Named as every other credible interval in the documents (select --method bayesthresh, sensitivity).
    #expect(intervals.allSatisfy { $0["method"] as? String == "credible" })
    let diagnostics = try #require(object["diagnostics"] as? [String: Any])
    #expect(diagnostics.keys.contains("gridMassNearTop"))
    let models = try #require(object["models"] as? [[String: Any]])
    #expect(models.count == 3)
    #expect(models[0]["graph"] as? String == "[L1,L2][L3]")
    #expect(isClose(models[0]["weight"] as! Double, 0.369864993066743, relative: 1e-6))
    #expect(models[0]["meanTotal"] is Double)
  }

  @Test("latent-class JSON: rhat and ess, settings with the seed, no NaN")
  func latentClassJSON() async throws {
    let data = try #require(Dataset.named("dga_MY5")).captureData()
    let result = try await LatentClassModel.run(
      data: data, options: LatentClassOptions(burnIn: 500, draws: 200, thinning: 2, chains: 2, seed: 5))
    let report = BayesReport(source: "dga_MY5", latentClass: result)
    let text = try report.json()
    #expect(!text.contains("NaN") && !text.contains("Infinity"))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    #expect(object["method"] as? String == "latent-class")
    let diagnostics = try #require(object["diagnostics"] as? [String: Any])
    #expect(diagnostics["rhat"] is Double && diagnostics["ess"] is Double)
    let settings = try #require(object["settings"] as? [String: String])
    #expect(settings["seed"] == "5" && settings["chains"] == "2")
    #expect(report.text().contains("split-R̂"))
    #expect(report.csv().contains("latent-class,median,"))
  }

  /// `bayes --method loglinear`: the library's posterior as JSON (models with terms and
  /// probability, diagnostics with acceptance rates), a censored cell, and refusals with exit 64.
  @Test("bayes --method loglinear: JSON, a censored cell, refusals")
  func logLinear() throws {
    let binary = CommandRunner.productsDirectory.appendingPathComponent("darknumber")
    let run = try CommandRunner.run(
      binary,
      [
        "bayes", "--example", "kosovo_aggregate", "--method", "loglinear", "--samples", "2000", "--burn-in", "200",
        "--format", "json", "--no-progress",
      ])
    #expect(run.status == 0, "\(run.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    #expect(object["method"] as? String == "loglinear")
    let models = try #require(object["models"] as? [[String: Any]])
    #expect(models.first?["terms"] as? String == "EXH:ABA + EXH:OSCE + EXH:HRW + ABA:OSCE + OSCE:HRW")
    #expect((models.first?["probability"] as? Double ?? 0) > 0.85)
    let diagnostics = try #require(object["diagnostics"] as? [String: Any])
    #expect(diagnostics["modelMoveAcceptance"] as? Double != nil && diagnostics["rhat"] as? Double != nil)
    let median = try #require((object["posterior"] as? [String: Any])?["median"] as? Double)
    #expect(median > 13_000 && median < 15_500)
    let censored = try CommandRunner.run(
      binary,
      ["bayes", "--example", "ScotPWID", "--method", "loglinear", "--censored", "0001<=684", "--samples", "500"])
    #expect(censored.status == 0 && censored.stdout.contains("censored 0001<=684"), "\(censored.stderr)")
    for arguments in [
      ["--censored", "001<=684"], ["--censored", "0001<684"], ["--censored", "0000<=5"], ["--prior", "reciprocal"],
      ["--samples", "3"], ["--max-order", "0"],
    ] {
      let refused = try CommandRunner.run(
        binary, ["bayes", "--example", "ScotPWID", "--method", "loglinear"] + arguments)
      #expect(refused.status == 64, "\(arguments): \(refused.stderr)")
    }
    let dgaWithSBH = try CommandRunner.run(binary, ["bayes", "--example", "ScotPWID", "--prior", "sbh"])
    #expect(dgaWithSBH.status == 64)
  }

  @Test("Parsing: priors, grids, --top")
  func parsing() throws {
    let command = try BayesCommand.parse([
      "--example", "HIV", "--prior", "negative-binomial:13.14,55.17", "--grid", "0:300:2", "--top", "all",
    ])
    if case .negativeBinomial(let a, let b) = command.prior?.population {
      #expect(a == 13.14 && b == 55.17)
    } else {
      Issue.record("expected a negative-binomial prior")
    }
    #expect(try MissingGrid(specification: command.grid ?? "") == (try MissingGrid(start: 0, stop: 300, step: 2)))
    #expect(command.top == .all)
    for bad in [
      ["--method", "mcmc"], ["--prior", "gamma"], ["--prior", "negative-binomial:1"],
      ["--grid", "10:5"], ["--grid", "a:b"], ["--delta", "0"], ["--top", "0"], ["--threads", "0"],
    ] {
      #expect(throws: (any Error).self) { try BayesCommand.parse(["--example", "HIV"] + bad) }
    }
    // The grid's errors are the library's sentences.
    #expect(throws: BayesError.invalidOption("the grid's end must not be below its start")) {
      try MissingGrid(specification: "10:5")
    }
    #expect(
      throws: BayesError.invalidOption("the grid \"a:b\" is not START:STOP or START:STOP:STEP with whole numbers")
    ) {
      try MissingGrid(specification: "a:b")
    }
  }

  @Test("End to end: draws CSV, and bad settings or data exit 64/65 with one sentence")
  func endToEnd() throws {
    let binary = CommandRunner.productsDirectory.appendingPathComponent("darknumber")
    try #require(FileManager.default.isExecutableFile(atPath: binary.path))
    let csv = FileManager.default.temporaryDirectory.appendingPathComponent("bayes-\(getpid()).csv")
    defer { try? FileManager.default.removeItem(at: csv) }
    let ok = try CommandRunner.run(
      binary,
      [
        "bayes", "--example", "dga_MY5", "--method", "latent-class", "--chains", "2", "--burn-in", "200",
        "--draws", "100", "--thin", "1", "--draws-csv", csv.path, "--format", "json",
      ])
    #expect(ok.status == 0)
    #expect(ok.stdout.contains("\"method\" : \"latent-class\""))
    let lines = try String(contentsOf: csv, encoding: .utf8).split(separator: "\n")
    #expect(lines.first == "chain,draw,N,alpha,occupiedClasses")
    #expect(lines.count == 201)
    let dga = try CommandRunner.run(binary, ["bayes", "--example", "spina", "--delta", "1", "--grid", "0:3105"])
    #expect(dga.status == 0)
    #expect(dga.stdout.contains("728.2"))
    #expect(try CommandRunner.run(binary, ["bayes", "--example", "HIV", "--method", "mcmc"]).status == 64)
    #expect(
      try CommandRunner.run(binary, ["bayes", "--example", "HIV", "--method", "latent-class", "--classes", "0"]).status
        == 64)
    #expect(
      try CommandRunner.run(binary, ["bayes", "--example", "HIV", "--method", "latent-class", "--draws", "2"]).status
        == 64)
    let eight = try CommandRunner.run(binary, ["bayes", "--example", "bunting"])
    #expect(eight.status == 64)
    #expect(eight.stderr.contains("2 to 7 lists"))
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("bayes-bad-\(getpid()).csv")
    try Data("A,B,C,count\n1,0,0,3\n0,1,2,1\n".utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let bad = try CommandRunner.run(binary, ["bayes", file.path])
    #expect(bad.status == 65)
    #expect(bad.stderr.contains("line 3"))
    // A list that recorded nobody: the data's warning, not the no-overlap one.
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("bayes-empty-\(getpid()).csv")
    try Data("A,B,C,count\n1,0,0,30\n0,1,0,20\n1,1,0,10\n".utf8).write(to: empty)
    defer { try? FileManager.default.removeItem(at: empty) }
    let warned = try CommandRunner.run(binary, ["bayes", empty.path, "--delta", "1"])
    #expect(warned.status == 0)
    #expect(warned.stdout.contains("list C recorded nobody"))
    #expect(!warned.stdout.contains("no one on list C"))
  }
}
