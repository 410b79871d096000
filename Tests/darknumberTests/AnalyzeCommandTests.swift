import DarkNumber
import Foundation
import Testing

@testable import DarkNumberReports

@Suite("darknumber analyze")
struct AnalyzeCommandTests {
  static var binary: URL { CommandRunner.productsDirectory.appendingPathComponent("darknumber") }

  @Test("The recommended analysis prints the library's numbers and words and writes the HTML report")
  func recommended() async throws {
    let html = FileManager.default.temporaryDirectory.appendingPathComponent("analyze-\(UUID().uuidString).html")
    defer { try? FileManager.default.removeItem(at: html) }
    let result = try CommandRunner.run(
      Self.binary, ["analyze", "--example", "UKdat_5", "--output", html.path, "--no-progress", "--threads", "2"])
    #expect(result.status == 0, "\(result.stderr)")
    // The same call the command makes (seed 1234, 1,000 replicates, 95%).
    let data = try #require(Dataset.named("UKdat_5")).captureData()
    var settings = ListsReportAnalysis.Settings.recommended
    settings.concurrency = 2
    let analysis = try await ListsReportAnalysis.run(data: data, settings: settings)
    let expected = AnalyzeReport(analysis: analysis, source: "UKdat_5 (bundled)", reportPath: html.path).text()
    #expect(result.stdout == expected)
    let bca = try #require(try analysis.bootstrapInterval?.get())
    let lower = NumberText.grouped(try #require(bca.lower.value), digits: 0)
    #expect(result.stdout.contains("bootstrap BCa (1,000 replicates, model re-selected)"))
    #expect(result.stdout.contains(lower))
    #expect(result.stdout.contains("In words") && result.stdout.contains("goodness of fit: deviance p = "))
    let page = try String(contentsOf: html, encoding: .utf8)
    #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<svg"))
    let missing = try CommandRunner.run(Self.binary, ["analyze", "--example", "nowhere", "--output", html.path])
    #expect(missing.status == 64 && missing.stderr.contains("unknown example"))
  }
}
