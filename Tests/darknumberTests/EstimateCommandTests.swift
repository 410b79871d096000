import ArgumentParser
import DarkNumber
import Foundation
import Testing

@testable import DarkNumberReports
@testable import darknumber

@Suite("darknumber estimate")
struct EstimateCommandTests {
  @Test("Parsing: example, model, level, intervals, format")
  func parsing() throws {
    let command = try EstimateCommand.parse([
      "--example", "UKdat_5", "--model", "[12,3]", "--level", "0.9", "--interval", "wald", "profile",
      "--format", "json",
    ])
    #expect(command.input.example == "UKdat_5")
    #expect(command.model == "[12,3]")
    #expect(command.confidence.level == 0.9)
    #expect(command.interval == [.wald, .profile])
    #expect(command.rendering.format == .json)
  }

  @Test("Shared options: one spelling and one check everywhere; the seed defaults per command")
  func sharedOptions() throws {
    let select = try SelectCommand.parse(["--example", "UKdat_5", "--threads", "3", "--no-progress"])
    #expect(
      select.execution.threads == 3 && !select.execution.progress && select.randomness.seed(default: 1234) == 1234)
    let simulate = try SimulateRunCommand.parse(["s.json", "--replicates", "2", "--estimators", "mt", "--seed", "9"])
    #expect(simulate.randomness.seed(default: 1) == 9 && simulate.execution.progress)
    for command in ["estimate", "select", "search", "bayes", "report", "sensitivity"] {
      #expect(throws: (any Error).self) {
        try DarkNumberCommand.parseAsRoot([command, "--example", "UKdat_5", "--threads", "0"])
      }
    }
    // A command without randomness has no --seed.
    #expect(throws: (any Error).self) {
      try DarkNumberCommand.parseAsRoot(["search", "--example", "UKdat_5", "--seed", "3"])
    }
    for command in ["estimate", "models", "select", "sensitivity", "report"] {
      #expect(throws: (any Error).self) {
        try DarkNumberCommand.parseAsRoot([command, "--example", "UKdat_5", "--level", "1"])
      }
    }
  }

  @Test("Usage errors: no input, both inputs, a level outside (0, 1)")
  func usageErrors() {
    #expect(throws: (any Error).self) { try EstimateCommand.parse([]) }
    #expect(throws: (any Error).self) { try EstimateCommand.parse(["a.csv", "--example", "Ned"]) }
    #expect(throws: (any Error).self) { try EstimateCommand.parse(["--example", "Ned", "--level", "1.5"]) }
  }

  @Test("The JSON document has every documented field")
  func jsonFields() throws {
    let data = try #require(Dataset.named("UKdat_5")).captureData()
    let report = try EstimateReport.make(
      data: data, source: "UKdat_5", modelSpecification: "[12,13]",
      methods: [.wald, .logNormal, .profileLikelihood], level: 0.95)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
    #expect(object["schemaVersion"] as? Int == 1)
    let dataSection = try #require(object["data"] as? [String: Any])
    #expect(dataSection["lists"] as? [String] == ["LA", "NG", "PFNCA", "GO", "GP"])
    #expect(dataSection["observed"] as? Int == 2744)
    let model = try #require(object["model"] as? [String: Any])
    #expect((model["terms"] as? [String])?.contains("LA:PFNCA") == true)
    let estimate = try #require(object["estimate"] as? [String: Any])
    // SparseMSE modelfit [12,13] on UKdat_5: total 15121.8981015246.
    #expect(abs((estimate["total"] as? Double ?? 0) - 15121.8981015246) < 1e-5)
    #expect(estimate["unobserved"] is Double)
    #expect(estimate["standardError"] is Double)
    let intervals = try #require(object["intervals"] as? [[String: Any]])
    #expect(intervals.map { $0["method"] as? String } == ["wald", "lognormal", "profile"])
    for interval in intervals {
      #expect(interval["level"] as? Double == 0.95)
      #expect(interval["lower"] is Double && interval["upper"] is Double)
    }
    let fit = try #require(object["fit"] as? [String: Any])
    for key in ["deviance", "degreesOfFreedom", "aic", "bic", "converged", "coefficients"] {
      #expect(fit[key] != nil, "fit.\(key)")
    }
    let coefficients = try #require(fit["coefficients"] as? [[String: Any]])
    #expect(coefficients.first?["name"] as? String == "(Intercept)")
    #expect(coefficients.first?["standardError"] is Double)
    #expect(object["warnings"] is [Any])
  }

  @Test("Text output shows data, model, estimate, intervals, fit and warnings")
  func text() throws {
    let data = try #require(Dataset.named("UKdat_5")).captureData()
    let report = try EstimateReport.make(
      data: data, source: "UKdat_5", modelSpecification: "all:2", methods: [.profileLikelihood],
      level: 0.95)
    let text = report.text()
    #expect(text.contains("2,744 observed"))
    #expect(text.contains("N̂ = 11,232.5"))
    #expect(text.contains("profile likelihood"))
    #expect(text.contains("deviance 10.5299 on 15 df"))
    #expect(text.contains("LA:GP are −∞"))
  }

  @Test("CSV output has one row per interval")
  func csv() throws {
    let data = try #require(Dataset.named("HIV")).captureData()
    let report = try EstimateReport.make(
      data: data, source: "HIV", modelSpecification: "Mt", methods: [.wald, .profileLikelihood],
      level: 0.9)
    let rows = report.csv().split(separator: "\n")
    #expect(rows.count == 3)
    #expect(rows[1].contains(",wald,0.9,"))
  }

  @Test("Library errors map to the documented exit codes")
  func exitCodes() {
    #expect(CommandFailure.classify(DataError.noObservations).code == 65)
    #expect(CommandFailure.classify(EstimationError.noOverlap).code == 65)
    #expect(CommandFailure.classify(ModelSpecificationError.empty).code == 64)
    #expect(CommandFailure.classify(CommandFailure.other("x")).code == 1)
  }

  @Test("End to end: the built binary runs, and bad data exit 65 with one sentence on stderr")
  func endToEnd() throws {
    let binary = CommandRunner.productsDirectory.appendingPathComponent("darknumber")
    // `swift test` builds every product, so the executable sits beside the test bundle.
    try #require(FileManager.default.isExecutableFile(atPath: binary.path))
    let ok = try CommandRunner.run(binary, ["estimate", "--example", "Ned", "--format", "json"])
    #expect(ok.status == 0)
    #expect(ok.stdout.contains("\"schemaVersion\" : 1"))

    let file = FileManager.default.temporaryDirectory.appendingPathComponent("darknumber-bad-\(getpid()).csv")
    try Data("A,B,count\n1,0,3\n0,x,1\n".utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let bad = try CommandRunner.run(binary, ["estimate", file.path])
    #expect(bad.status == 65)
    #expect(bad.stderr.contains("line 3, column 2 (\"B\"): found \"x\"; expected 0 or 1 in a list column"))

    let usage = try CommandRunner.run(binary, ["estimate", "--example", "Ned", "--model", "[19]"])
    #expect(usage.status == 64)

    let none = try CommandRunner.run(binary, ["estimate", "--example", "Artificial_3", "--model", "all:2"])
    #expect(none.status == 65)
    #expect(none.stderr.contains("not identifiable") || none.stderr.contains("no finite estimate exists"))
  }

  @Test("End to end: models and search report bad arguments and impossible data with 64/65")
  func otherCommandsEndToEnd() throws {
    let binary = CommandRunner.productsDirectory.appendingPathComponent("darknumber")
    try #require(FileManager.default.isExecutableFile(atPath: binary.path))
    let models = try CommandRunner.run(binary, ["models", "--example", "HIV", "--format", "json"])
    #expect(models.status == 0)
    #expect(models.stdout.contains("\"command\" : \"models\""))
    #expect(try CommandRunner.run(binary, ["models", "--example", "HIV", "--level", "2"]).status == 64)
    #expect(try CommandRunner.run(binary, ["models", "--example", "nosuchtable"]).status == 64)
    #expect(try CommandRunner.run(binary, ["search", "--example", "HIV", "--criterion", "xic"]).status == 64)
    #expect(try CommandRunner.run(binary, ["search", "--example", "HIV", "--force", "[19]"]).status == 64)
    let tooMany = try CommandRunner.run(binary, ["search", "--example", "mvole", "--max-order", "1"])
    #expect(tooMany.status == 65)
    #expect(tooMany.stderr.contains("the limit is 20 lists"))
    let frequencies = try CommandRunner.run(
      binary, ["models", "--captures-per-unit", "--example", "ill", "--occasions", "inf"])
    #expect(frequencies.status == 0)
    #expect(!frequencies.stdout.contains("nan") && !frequencies.stdout.contains("NaN"))
  }
}
