import DarkNumber
import DarkNumberBayes
import Foundation
import Testing

@testable import DarkNumberReports

@Suite("darknumber validate")
struct ValidateCommandTests {
  static var binary: URL { CommandRunner.productsDirectory.appendingPathComponent("darknumber") }

  @Test("JSON rows and summary are ListValidation's; a list without an estimate says why")
  func json() async throws {
    let result = try CommandRunner.run(Self.binary, ["validate", "--example", "UKdat_5", "--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    #expect(object["command"] as? String == "validate" && object["schemaVersion"] as? Int == 1)
    let data = try #require(Dataset.named("UKdat_5")).captureData()
    let validation = try await ListValidation.run(data: data)
    let rows = try #require(object["rows"] as? [[String: Any]])
    #expect(rows.count == validation.rows.count)
    for (row, expected) in zip(rows, validation.rows) {
      #expect(row["method"] as? String == expected.method && row["list"] as? String == expected.list)
      #expect(row["known"] as? Int == expected.known && row["registered"] as? Int == expected.registered)
      switch expected.outcome {
      case .success(let estimate):
        let value = try #require(row["estimate"] as? Double)
        #expect(abs(value - estimate.estimate) <= 1e-12 * estimate.estimate)
        #expect(row["covered"] as? Bool == estimate.covered)
        #expect((row["intervals"] as? [[String: Any]])?.first?["method"] as? String == "profile")
      case .failure(let failure):
        #expect(row["reason"] as? String == failure.description)
        #expect(row["estimate"] == nil)
      }
    }
    let summary = try #require(object["summary"] as? [[String: Any]])
    #expect(summary.map { $0["method"] as? String } == ["mt", "stepwise", "bic", "aic"])
    #expect(summary.map { $0["coverage"] as? Double } == validation.summaries.map(\.coverage))
  }

  @Test("Text and CSV; Bayesian methods; bad methods and two lists")
  func textAndErrors() throws {
    let text = try CommandRunner.run(
      Self.binary, ["validate", "--example", "kosovo_aggregate", "--method", "mt", "dga", "--no-progress"])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("Summary") && text.stdout.contains("dga "))
    let csv = try CommandRunner.run(Self.binary, ["validate", "--example", "kosovo_aggregate", "--format", "csv"])
    #expect(csv.stdout.split(separator: "\n").count == 1 + 4 * 4)
    let bad = try CommandRunner.run(Self.binary, ["validate", "--example", "UKdat_5", "--method", "lasso"])
    #expect(bad.status == 64 && bad.stderr.contains("lasso"))
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("two-\(UUID().uuidString).csv")
    try "A,B,count\n1,0,5\n0,1,4\n1,1,3\n".write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let two = try CommandRunner.run(Self.binary, ["validate", file.path, "--format", "json"])
    #expect(two.status == 0, "\(two.stderr)")
    #expect(two.stdout.contains("validation needs at least three lists"))
  }
}
