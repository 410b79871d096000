import DarkNumber
import Foundation
import Testing

@testable import DarkNumberReports

@Suite("darknumber sensitivity and report")
struct ReportCommandTests {
  static var binary: URL { CommandRunner.productsDirectory.appendingPathComponent("darknumber") }

  @Test("sensitivity JSON: rows with group, label, total, lower, upper; an SVG plot")
  func sensitivity() throws {
    let svg = FileManager.default.temporaryDirectory.appendingPathComponent("sensitivity-\(UUID().uuidString).svg")
    let result = try CommandRunner.run(
      Self.binary,
      [
        "sensitivity", "--example", "UKdat_5", "--no-bayes", "--top", "3", "--format", "json", "--svg", svg.path,
      ])
    #expect(result.status == 0, "\(result.stderr)")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    let rows = try #require(object["rows"] as? [[String: Any]])
    let groups = Set(rows.compactMap { $0["group"] as? String })
    #expect(groups == ["base", "omit-list", "merge-lists", "threshold", "method", "top-model"])
    #expect(rows.filter { $0["group"] as? String == "omit-list" }.count == 5)
    #expect(rows.filter { $0["group"] as? String == "merge-lists" }.count == 10)
    #expect(rows.filter { $0["group"] as? String == "top-model" }.count == 3)
    for row in rows where row["total"] is Double {
      let total = row["total"] as! Double
      #expect(total >= 2744)
      if let lower = row["lower"] as? Double, let upper = row["upper"] as? Double {
        #expect(lower <= total && total <= upper)
      }
    }
    let chart = try String(contentsOf: svg, encoding: .utf8)
    #expect(chart.hasPrefix("<svg") && chart.contains("<circle"))
    let bad = try CommandRunner.run(Self.binary, ["sensitivity", "--example", "UKdat_5", "--method", "[19]"])
    #expect(bad.status == 64)
  }

  @Test("report: self-contained HTML with inline charts; suppression hides small counts")
  func report() throws {
    let directory = FileManager.default.temporaryDirectory
    let plain = directory.appendingPathComponent("report-\(UUID().uuidString).html")
    let result = try CommandRunner.run(
      Self.binary,
      [
        "report", "--example", "UKdat_5", "--bootstrap", "50", "--no-bayes", "--output", plain.path,
      ])
    #expect(result.status == 0, "\(result.stderr)")
    let html = try String(contentsOf: plain, encoding: .utf8)
    // Overlaps, profile, bootstrap, estimate against BIC, sensitivity, validation.
    #expect(html.components(separatedBy: "<svg").count - 1 == 6)
    #expect(html.contains("Validation: each list as a population of known size"))
    for forbidden in ["<script", "<link", "<img", "src=", "@import", "https://"] {
      #expect(!html.contains(forbidden), "\(forbidden)")
    }
    #expect(!html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
    #expect(html.contains("N̂ = 11,313"))
    #expect(html.contains("darknumber report --example UKdat_5"))
    let suppressed = directory.appendingPathComponent("report-\(UUID().uuidString).html")
    let second = try CommandRunner.run(
      Self.binary,
      [
        "report", "--example", "UKdat_5", "--bootstrap", "0", "--no-bayes", "--suppress-below", "10",
        "--output", suppressed.path,
      ])
    #expect(second.status == 0)
    let text = try String(contentsOf: suppressed, encoding: .utf8)
    // The UpSet bars' titles ("LA & NG: 15") and the data tables carry no count from 1 to 9.
    let titles = text.matches(of: /<title>([A-Za-z &]+): ([^<]+)<\/title>/).map { String($0.2) }
    #expect(!titles.isEmpty)
    for title in titles {
      #expect(
        title == "<10" || (Int(title.replacingOccurrences(of: ",", with: "")) ?? 10) >= 10 || title == "0", "\(title)")
    }
    let dataSection = text.components(separatedBy: "<h2>The data</h2>")[1].components(separatedBy: "<h2>")[0]
    for cell in dataSection.matches(of: /<td>([0-9,]+)<\/td>/).map({
      Int($0.1.replacingOccurrences(of: ",", with: ""))!
    }) {
      #expect(cell == 0 || cell >= 10, "\(cell)")
    }
  }
}
