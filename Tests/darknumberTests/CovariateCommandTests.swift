import ArgumentParser
import DarkNumber
import Foundation
import Testing

@testable import DarkNumberReports

@Suite("darknumber estimate/select --covariates")
struct CovariateCommandTests {
  static var binary: URL { CommandRunner.productsDirectory.appendingPathComponent("darknumber") }

  static func temporaryFile(_ name: String, _ contents: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("darknumber-\(UUID().uuidString)-\(name)")
    try contents.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test(
    "JSON: breakdown[] with covariate, level, observed, total, standardError, intervals, rate; covariates[] with active"
  )
  func json() throws {
    let population = try Self.temporaryFile("pop.csv", "Gender,population\nMale,2100000\nFemale,2200000\n")
    let result = try CommandRunner.run(
      Self.binary,
      [
        "estimate", "--example", "covariates/ScotPWID", "--covariates", "Region,Gender,Age",
        "--model", "S1:S2, S3:S4, Region:S1, Age:S2, Gender:Age", "--by", "Gender", "--by", "Age",
        "--population", population.path, "--compare-strata", "--bootstrap", "40", "--format", "json",
      ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["schemaVersion"] as? Int == 1)
    let estimate = try #require(object["estimate"] as? [String: Double])
    // The oracle's N̂ for this model (statsmodels-covariates.json, "ScotPWID mixed").
    #expect(isClose(estimate["total"]!, 19324.065, relative: 1e-6))
    let breakdown = try #require(object["breakdown"] as? [[String: Any]])
    #expect(breakdown.count == 4)
    for row in breakdown {
      for key in ["covariate", "level", "observed", "total", "standardError", "intervals"] {
        #expect(row[key] != nil, "\(key)")
      }
      let methods = (row["intervals"] as? [[String: Any]] ?? []).compactMap { $0["method"] as? String }
      #expect(methods == ["wald", "lognormal", "bootstrap-percentile"])
      if row["covariate"] as? String == "Gender" {
        let total = row["total"] as! Double
        let rate = try #require(row["rate"] as? Double)
        let population = row["level"] as? String == "Male" ? 2_100_000.0 : 2_200_000.0
        #expect(isClose(rate, 100_000 * total / population, relative: 1e-12))
        #expect((row["rateIntervals"] as? [[String: Any]])?.count == 3)
      } else {
        #expect(row["rate"] == nil || row["rate"] is NSNull)
      }
    }
    let covariates = try #require(object["covariates"] as? [[String: Any]])
    #expect(covariates.map { $0["name"] as? String } == ["Region", "Gender", "Age"])
    #expect(covariates.allSatisfy { $0["active"] as? Bool == false })
    let strata = try #require(object["strata"] as? [[String: Any]])
    #expect(strata.count == 2)
    let intervals = try #require(object["intervals"] as? [[String: Any]])
    #expect(
      intervals.compactMap { $0["method"] as? String } == ["wald", "lognormal", "profile", "bootstrap-percentile"])
  }

  @Test("Missing values: fail by default (exit 65), EM or complete cases on request")
  func missingValues() throws {
    let csv =
      "A,B,C,sex,count\n1,0,0,F,40\n0,1,0,F,35\n1,1,0,F,12\n0,0,1,F,30\n1,0,1,F,10\n0,1,1,F,9\n1,1,1,F,4\n"
      + "1,0,0,M,50\n0,1,0,M,45\n1,1,0,M,10\n0,0,1,M,41\n1,0,1,M,11\n0,1,1,M,8\n1,1,1,M,3\n1,0,0,NA,9\n0,1,1,,4\n"
    let file = try Self.temporaryFile("missing.csv", csv)
    let fail = try CommandRunner.run(Self.binary, ["estimate", file.path, "--covariates", "sex"])
    #expect(fail.status == 65)
    #expect(fail.stderr.contains("--missing em"))
    let em = try CommandRunner.run(
      Self.binary,
      ["estimate", file.path, "--covariates", "sex", "--model", "sex:A", "--missing", "em", "--format", "json"])
    #expect(em.status == 0, "\(em.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(em.stdout.utf8)) as? [String: Any])
    let section = try #require(object["em"] as? [String: Any])
    #expect(section["incompleteIndividuals"] as? Int == 13)
    let intervals = (object["intervals"] as? [[String: Any]] ?? []).compactMap { $0["method"] as? String }
    #expect(!intervals.contains("profile"))
    let complete = try CommandRunner.run(
      Self.binary, ["estimate", file.path, "--covariates", "sex", "--missing", "complete-cases", "--format", "json"])
    #expect(complete.status == 0)
    let completeObject = try #require(
      try JSONSerialization.jsonObject(with: Data(complete.stdout.utf8)) as? [String: Any])
    #expect((completeObject["data"] as? [String: Any])?["observed"] as? Int == 308)
  }

  @Test("select --covariates: stepwise by BIC with its steps")
  func select() throws {
    let result = try CommandRunner.run(
      Self.binary,
      [
        "select", "--example", "covariates/spina", "--covariates", "eth", "--method", "aic", "--format", "json",
      ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let selection = try #require(object["selection"] as? [String: Any])
    #expect(selection["criterion"] as? String == "aic")
    #expect(((selection["steps"] as? [Any])?.count ?? 0) >= 1)
  }

  @Test(
    "Bad arguments and inputs: one sentence and exit 64/65",
    arguments: [
      (
        ["estimate", "--example", "covariates/ScotPWID", "--covariates", "Region,Sex"], Int32(65),
        "no column called \"Sex\""
      ),
      (
        ["estimate", "--example", "covariates/ScotPWID", "--covariates", "Region", "--model", "Region:S9"], 64,
        "neither a list nor a covariate"
      ),
      (
        ["estimate", "--example", "covariates/ScotPWID", "--covariates", "Region", "--by", "Gender"], 64,
        "not one of the --covariates"
      ),
      (["estimate", "--example", "covariates/ScotPWID", "--covariates", "Age", "--trend", "Age"], 64, "not a number"),
      (["estimate", "--example", "Ned", "--covariates", "x"], 64, "not a bundled table with covariates"),
      (["estimate", "--example", "covariates/ScotPWID", "--by", "Age"], 64, "need --covariates"),
      (["estimate", "--example", "covariates/ScotPWID", "--covariates", "Age", "--trend", "Age:0"], 64, "DEGREE ≥ 1"),
      (
        ["select", "--example", "covariates/ScotPWID", "--covariates", "Age", "--candidates", "pairs"], 64,
        "unknown kind"
      ),
    ])
  func errors(arguments: [String], status: Int32, message: String) throws {
    let result = try CommandRunner.run(Self.binary, arguments)
    #expect(result.status == status, "\(arguments): \(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(result.stdout.isEmpty)
  }

  @Test("A bad population file names its line and column (exit 65)")
  func populationFile() throws {
    let file = try Self.temporaryFile("pop.csv", "Gender,population\nMale,x\nFemale,3\n")
    let result = try CommandRunner.run(
      Self.binary,
      [
        "estimate", "--example", "covariates/ScotPWID", "--covariates", "Gender", "--population", file.path,
      ])
    #expect(result.status == 65)
    #expect(result.stderr.contains("line 2, column 2 (\"population\")"))
  }
}
