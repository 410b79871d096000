import DarkNumber
import Foundation
import Testing

/// `--glm-compatible` on estimate, models and search hands `FitOptions.glmCompatible` to the
/// library: the printed numbers are the library's with those options, and differ from the
/// defaults where R's early stop matters (the heterogeneity models' standard errors).
@Suite("darknumber --glm-compatible")
struct GLMCompatibleTests {
  static var binary: URL { CommandRunner.productsDirectory.appendingPathComponent("darknumber") }

  static func json(_ arguments: [String]) throws -> [String: Any] {
    let result = try CommandRunner.run(Self.binary, arguments + ["--format", "json"])
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  /// Equal to 1e-13 relative, or both absent.
  static func close(_ a: Double?, _ b: Double?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return abs(a - b) <= 1e-13 * abs(b)
  }

  @Test("models: every row's N̂ and SE are ClosedPopulationTable's with FitOptions.glmCompatible")
  func models() throws {
    let data = try #require(Dataset.named("HIV")).captureData()
    let strict = try ClosedPopulationTable(data: data, options: .glmCompatible)
    let loose = try ClosedPopulationTable(data: data)
    let rows = try #require(
      try Self.json(["models", "--example", "HIV", "--glm-compatible"])["models"] as? [[String: Any]])
    #expect(rows.count == strict.rows.count)
    for (row, expected) in zip(rows, strict.rows) {
      // To JSON's round trip (Foundation's parser can be one unit in the last place off).
      #expect(Self.close(row["total"] as? Double, expected.total), "\(expected.name)")
      #expect(Self.close(row["standardError"] as? Double, expected.standardError), "\(expected.name)")
    }
    let differ = zip(strict.rows, loose.rows).contains { a, b in
      guard let x = a.standardError, let y = b.standardError else { return false }
      return abs(x - y) > 1e-9 * y
    }
    #expect(differ, "the flag changes at least one standard error")
  }

  @Test("estimate and search: the library's fit with FitOptions.glmCompatible")
  func estimateAndSearch() throws {
    let data = try #require(Dataset.named("UKdat_5")).captureData()
    let model = try LogLinearModel(specification: "[12,13]", listNames: data.listNames)
    let fit = try model.fit(to: data, options: .glmCompatible)
    let document = try Self.json(["estimate", "--example", "UKdat_5", "--model", "[12,13]", "--glm-compatible"])
    let estimate = try #require(document["estimate"] as? [String: Any])
    #expect(Self.close(estimate["standardError"] as? Double, fit.standardError))
    #expect(Self.close(estimate["total"] as? Double, fit.total))
    let search = try Self.json(["search", "--example", "UKdat_5", "--top", "3", "--glm-compatible"])
    #expect((search["models"] as? [[String: Any]])?.count == 3)
    let bad = try CommandRunner.run(
      Self.binary, ["estimate", "--example", "covariates/ScotPWID", "--covariates", "Region", "--glm-compatible"])
    #expect(bad.status == 64 && bad.stderr.contains("--glm-compatible"))
  }
}
