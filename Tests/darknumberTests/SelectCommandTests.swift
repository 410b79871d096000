import DarkNumber
import Foundation
import Testing

@testable import DarkNumberReports
@testable import darknumber

@Suite("darknumber select and check")
struct SelectCommandTests {
  @Test("select JSON: selected terms, total, intervals, existence; UK 2013 stepwise is 11,313")
  func selectJSON() throws {
    let data = try #require(Dataset.named("UKdat_5")).captureData()
    let selection = try StepwiseSelection(data: data)
    let estimate = try EstimateReport.make(
      data: data, source: "UKdat_5", fit: selection.fit, methods: [.logWald, .profileLikelihood],
      level: 0.95)
    let report = SelectReport(
      method: "stepwise", summary: "", steps: [], estimate: estimate,
      check: try ExistenceCheck(model: selection.model, data: data))
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
    let selected = try #require(object["selected"] as? [String: Any])
    #expect(selected["terms"] as? String == "[12,13,24,25,35,45]")
    #expect(((selected["total"] as? Double) ?? 0).rounded() == 11313)
    #expect(selected["standardError"] is Double)
    let intervals = try #require(object["intervals"] as? [[String: Any]])
    #expect(intervals.map { $0["method"] as? String } == ["logwald", "profile"])
    let existence = try #require(object["existence"] as? [String: Any])
    #expect(existence["code"] as? Int == 0)
    #expect(object["warnings"] is [Any])
  }

  @Test("select with a bootstrap: BCa and percentile intervals, replicates, seed, model frequencies")
  func bootstrapJSON() async throws {
    let data = try #require(Dataset.named("kosovo_aggregate")).captureData()
    var options = SelectionBootstrap.Options()
    options.replicates = 30
    let bootstrap = try await SelectionBootstrap.run(data: data, options: options)
    let selection = try StepwiseSelection(data: data)
    let estimate = try EstimateReport.make(
      data: data, source: "kosovo", fit: selection.fit, methods: [.logWald], level: 0.95)
    let report = SelectReport(
      method: "stepwise", summary: "", steps: [], estimate: estimate,
      check: try ExistenceCheck(model: selection.model, data: data), bootstrap: bootstrap)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
    let intervals = try #require(object["intervals"] as? [[String: Any]])
    #expect(intervals.map { $0["method"] as? String }.prefix(2) == ["bca", "percentile"])
    let section = try #require(object["bootstrap"] as? [String: Any])
    #expect(section["replicates"] as? Int == 30)
    #expect(section["seed"] as? Int == 1234)
    let frequencies = try #require(section["modelFrequencies"] as? [[String: Any]])
    #expect(frequencies.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == section["withEstimate"] as? Int)
  }

  @Test("Parsing and validation")
  func parsing() throws {
    let command = try SelectCommand.parse(["--example", "UKdat_5", "--method", "bic", "--max-order", "2"])
    #expect(command.method == .bic)
    #expect(throws: (any Error).self) { try SelectCommand.parse(["--example", "UKdat_5", "--pthresh", "2"]) }
    #expect(throws: (any Error).self) { try SelectCommand.parse(["--example", "UKdat_5", "--method", "lasso"]) }
    let five = ["A", "B", "C", "D", "E"]
    let bic = try SelectCommand.parse([
      "--example", "UKdat_5", "--method", "bic", "--bootstrap", "100", "--ntop", "all",
    ])
    #expect(try bic.procedure(listNames: five) == .criterion(.bic, maximumOrder: nil, candidateLimit: nil))
    let top = try SelectCommand.parse(["--example", "UKdat_5", "--method", "aic", "--ntop", "7", "--max-order", "2"])
    #expect(try top.procedure(listNames: five) == .criterion(.aic, maximumOrder: 2, candidateLimit: 7))
    let auto = try SelectCommand.parse(["--example", "UKdat_5", "--method", "auto"])
    #expect(try auto.procedure(listNames: five) == .criterion(.bic, maximumOrder: nil, candidateLimit: 100))
    #expect(try auto.procedure(listNames: five + ["F"]) == .stepwise(threshold: 0.02))
    let downhill = try SelectCommand.parse(["--example", "UKdat_5", "--method", "downhill"])
    #expect(try downhill.procedure(listNames: five) == .downhill(.bic, maximumOrder: nil, maximumSteps: 20))
    let fixed = try SelectCommand.parse(["--example", "UKdat_5", "--method", "fixed", "--model", "[12,3,4,5]"])
    #expect(
      try fixed.procedure(listNames: five) == .fixed(try LogLinearModel(specification: "[12,3,4,5]", listNames: five)))
    #expect(throws: (any Error).self) { try SelectCommand.parse(["--example", "UKdat_5", "--method", "fixed"]) }
    #expect(throws: (any Error).self) { try SelectCommand.parse(["--example", "UKdat_5", "--model", "[12]"]) }
    #expect(throws: (any Error).self) { try SelectCommand.parse(["--example", "UKdat_5", "--ntop", "0"]) }
    #expect(throws: (any Error).self) { try SelectCommand.parse(["--example", "UKdat_5", "--ntop", "some"]) }
    #expect(throws: (any Error).self) { try SelectCommand.parse(["--example", "UKdat_5", "--parametric"]) }
    #expect(throws: (any Error).self) { try SelectCommand.parse(["--example", "UKdat_5", "--bootstrap", "-1"]) }
    let varied = try SelectCommand.parse([
      "--example", "UKdat_5", "--method", "bic", "--bootstrap", "10", "--vary-ntop", "1, 5,all",
    ])
    #expect(try varied.tops() == [1, 5, nil])
    for arguments in [
      ["--method", "bic", "--vary-ntop", "1,5"],  // no bootstrap
      ["--method", "stepwise", "--bootstrap", "10", "--vary-ntop", "1,5"],
      ["--method", "bic", "--bootstrap", "10", "--vary-ntop", "0,5"],
      ["--method", "bic", "--bootstrap", "10", "--vary-ntop", "1,,5"],
      ["--method", "bic", "--bootstrap", "10", "--parametric", "--vary-ntop", "5"],
    ] {
      #expect(throws: (any Error).self, "\(arguments)") {
        try SelectCommand.parse(["--example", "UKdat_5"] + arguments)
      }
    }
  }

  /// `--method bayesthresh`: the library's result as JSON; Korea with improper priors is refused
  /// with exit 65 (the pairwise model fails Fienberg–Rinaldo); options out of place exit 64.
  @Test("select --method bayesthresh: JSON fields, the typed refusal, option checks")
  func bayesthresh() throws {
    let binary = CommandRunner.productsDirectory.appendingPathComponent("darknumber")
    let run = try CommandRunner.run(
      binary,
      [
        "select", "--example", "UKdat_5", "--method", "bayesthresh", "--prior", "improper", "--seed", "1",
        "--format", "json",
      ])
    #expect(run.status == 0, "\(run.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    #expect(object["minusInfinite"] as? [String] == ["LA:GP"])
    #expect((object["retained"] as? [String])?.contains("NG:GP") == true)
    #expect((object["thresholdStatistics"] as? [String: Double])?.count == 9)
    let total = try #require((object["selected"] as? [String: Any])?["total"] as? Double)
    #expect(total > 10_000 && total < 14_000)
    let intervals = try #require(object["intervals"] as? [[String: Any]])
    #expect(intervals.contains { $0["level"] as? Double == 0.95 && $0["method"] as? String == "credible" })
    let korea = try CommandRunner.run(
      binary, ["select", "--example", "Korea", "--method", "bayesthresh", "--prior", "improper"])
    #expect(korea.status == 65)
    #expect(korea.stderr.contains("fails the Fienberg–Rinaldo check"), "\(korea.stderr)")
    for arguments in [
      ["--method", "bayesthresh", "--max-order", "4"], ["--method", "bayesthresh", "--bootstrap", "10"],
      ["--method", "bayesthresh", "--threshold", "-1"], ["--method", "bic", "--threshold", "2"],
      ["--method", "bayesthresh", "--prior", "improper", "--prior-variance", "2"],
      ["--method", "bayesthresh", "--prior", "flat"],
    ] {
      let refused = try CommandRunner.run(binary, ["select", "--example", "UKdat_5"] + arguments)
      #expect(refused.status == 64, "\(arguments): \(refused.stderr)")
    }
  }

  /// `--vary-ntop`: each row is the bootstrap that re-selects among that many models (the row for
  /// `--ntop` repeats the main intervals), and the JSON lists them in increasing `ntop`.
  @Test("select --vary-ntop: one row per number of top models")
  func varyTop() throws {
    let binary = CommandRunner.productsDirectory.appendingPathComponent("darknumber")
    let run = try CommandRunner.run(
      binary,
      [
        "select", "--example", "Korea", "--method", "bic", "--bootstrap", "40", "--ntop", "2",
        "--vary-ntop", "all,2,1", "--format", "json", "--no-progress",
      ])
    #expect(run.status == 0, "\(run.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let rows = try #require(object["ntop"] as? [[String: Any]])
    #expect(rows.map { $0["ntop"] as? Int } == [1, 2, rows.last?["ntop"] as? Int])
    #expect(rows.map { $0["all"] as? Bool } == [false, false, true])
    let main = try #require(object["intervals"] as? [[String: Any]]).filter { $0["method"] as? String == "bca" }
    let second = try #require(rows[1]["intervals"] as? [[String: Any]]).filter { $0["method"] as? String == "bca" }
    #expect(main.first?["lower"] as? Double == second.first?["lower"] as? Double)
    #expect(main.first?["upper"] as? Double == second.first?["upper"] as? Double)
    let text = try CommandRunner.run(
      binary, ["select", "--example", "Korea", "--method", "bic", "--bootstrap", "40", "--vary-ntop", "1,all"])
    #expect(text.stdout.contains("Top n") && text.stdout.contains("all ("), "\(text.stdout)")
  }

  @Test("check: the sentence names the reason")
  func check() throws {
    let data = try #require(Dataset.named("Artificial_3")).captureData()
    let model = try LogLinearModel(specification: "all:2", listNames: data.listNames)
    let document = CheckDocument(model: model, check: try ExistenceCheck(model: model, data: data))
    #expect(document.identifiable == false)
    #expect(document.sentence.contains("not identifiable"))
  }

  @Test("A bootstrap interval the replicates cannot give is listed without limits, with the reason, never as NaN")
  func degenerateBootstrapInterval() throws {
    let binary = CommandRunner.productsDirectory.appendingPathComponent("darknumber")
    let arguments = ["select", "--example", "UKdat_5", "--method", "fixed", "--model", "[12]", "--bootstrap", "1"]
    let json = try CommandRunner.run(binary, arguments + ["--format", "json"])
    #expect(json.status == 0, "\(json.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let intervals = try #require(object["intervals"] as? [[String: Any]])
    for method in ["bca", "percentile"] {
      let entry = try #require(intervals.first { $0["method"] as? String == method })
      #expect(entry["lower"] == nil || entry["lower"] is NSNull)
      #expect((entry["notes"] as? [String])?.first == EstimationError.bootstrapDegenerate.description)
    }
    let text = try CommandRunner.run(binary, arguments)
    #expect(text.status == 0)
    #expect(text.stdout.contains("none: \(EstimationError.bootstrapDegenerate.description)"))
    #expect(!text.stdout.contains("nan"))
  }
}
