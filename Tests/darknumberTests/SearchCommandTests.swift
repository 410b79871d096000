import DarkNumber
import Foundation
import Testing

@testable import DarkNumberReports
@testable import darknumber

@Suite("darknumber search")
struct SearchCommandTests {
  @Test("JSON has count and models[] with Rcapture terms and the fit fields")
  func json() async throws {
    let data = try #require(Dataset.named("HIV")).captureData()
    var options = ModelSearch.Options()
    options.keep = 5
    let result = try await ModelSearch.run(data: data, options: options)
    let report = SearchReport(source: "HIV", data: data, result: result, seconds: 0.01)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
    #expect(object["count"] as? Int == 113)
    #expect(object["criterion"] as? String == "bic")
    let models = try #require(object["models"] as? [[String: Any]])
    #expect(models.count == 5)
    // closedpMS.t on HIV: best by BIC is [1,2,3,4].
    #expect(models.first?["terms"] as? String == "[1,2,3,4]")
    for key in ["total", "standardError", "deviance", "degreesOfFreedom", "aic", "bic", "diagnostics"] {
      #expect(models.first?[key] != nil, "\(key)")
    }
  }

  @Test("JSON names the models without an estimate with their reason")
  func modelsWithoutEstimate() async throws {
    let data = try #require(Dataset.named("Artificial_3")).captureData()
    let result = try await ModelSearch.run(data: data)
    #expect(result.failureCount > 0)
    let report = SearchReport(source: "Artificial_3", data: data, result: result, seconds: 0.01)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any])
    #expect(object["withoutEstimate"] as? Int == result.failureCount)
    let failures = try #require(object["modelsWithoutEstimate"] as? [[String: String]])
    #expect(failures.map { $0["terms"] } == result.failures.map(\.model.description))
    #expect(failures.map { $0["reason"] } == result.failures.map(\.error.description))
    #expect(failures.allSatisfy { !($0["reason"] ?? "").isEmpty })
  }

  @Test("Usage errors: --top 0, unknown criterion, --max-order 0")
  func usage() {
    #expect(throws: (any Error).self) { try SearchCommand.parse(["--example", "HIV", "--top", "0"]) }
    #expect(throws: (any Error).self) { try SearchCommand.parse(["--example", "HIV", "--criterion", "xic"]) }
    #expect(throws: (any Error).self) { try SearchCommand.parse(["--example", "HIV", "--max-order", "0"]) }
  }

  @Test("Forced terms are honoured")
  func forced() async throws {
    let data = try #require(Dataset.named("HIV")).captureData()
    var options = ModelSearch.Options()
    options.forced = [0b11]
    options.keep = nil
    let result = try await ModelSearch.run(data: data, options: options)
    #expect(result.best.allSatisfy { $0.model.interactions.contains(0b11) })
  }
}

@Suite("darknumber search limits")
struct SearchLimitTests {
  @Test("More than 20 lists is a typed error, not a crash")
  func tooManyLists() async throws {
    let data = try #require(Dataset.named("mvole")).captureData()
    var options = ModelSearch.Options()
    options.maximumOrder = 1
    await #expect(throws: EstimationError.tooManyLists(30, limit: 20)) {
      try await ModelSearch.run(data: data, options: options)
    }
  }
}
