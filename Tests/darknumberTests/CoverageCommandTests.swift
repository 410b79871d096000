import Foundation
import Testing

/// `--coverage` on `estimate` and `select` with covariates: the JSON fields, the errors, and the
/// re-selecting bootstrap's document.
@Suite("darknumber --coverage")
struct CoverageCommandTests {
  static var binary: URL { CommandRunner.productsDirectory.appendingPathComponent("darknumber") }

  /// The bundled synthetic Dutch-shaped table (lists PO, KM, IN, OT; year, gender, exploitation).
  static func bundledRows() throws -> [String] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let url = root.appendingPathComponent("Sources/DarkNumber/Datasets/CSV/covariates/synthetic-trafficking.csv")
    return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
  }

  /// The table without KM's records of 2010–2011 (KM started in 2012), and its coverage file.
  static func lateStart() throws -> (data: URL, coverage: URL) {
    let rows = try bundledRows()
    let kept = rows.dropFirst().filter { row in
      let fields = row.split(separator: ",")
      return !(fields[1] == "1" && (fields[4] == "2010" || fields[4] == "2011"))
    }
    let data = try CovariateCommandTests.temporaryFile("late.csv", ([rows[0]] + kept).joined(separator: "\n") + "\n")
    let coverage = try CovariateCommandTests.temporaryFile(
      "coverage.csv", "year,PO,KM,IN,OT\n2010,1,0,1,1\n2011,1,0,1,1\n")
    return (data, coverage)
  }

  static func json(_ arguments: [String]) throws -> [String: Any] {
    let result = try CommandRunner.run(Self.binary, arguments)
    #expect(result.status == 0, "\(result.stderr)")
    return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
  }

  @Test("estimate --coverage: coverage[], structuralZeros, droppedParameters, breakdown[]")
  func estimate() throws {
    let (data, coverage) = try Self.lateStart()
    let object = try Self.json([
      "estimate", data.path, "--covariates", "year,gender,exploitation", "--coverage", coverage.path,
      "--model", "PO:KM, KM:year", "--format", "json",
    ])
    let rows = try #require(object["coverage"] as? [[String: Any]])
    #expect(rows.count == 2)
    #expect(rows[0]["levels"] as? [String: String] == ["year": "2010"])
    #expect(rows[0]["notOperating"] as? [String] == ["KM"])
    #expect(rows[0]["operating"] as? [String] == ["PO", "IN", "OT"])
    #expect(object["structuralZeros"] as? Int == 96)
    #expect(object["droppedParameters"] as? [String] == ["KM:year2011", "KM:year2015"])
    #expect(object["estimateExists"] as? Bool == true)
    let breakdown = try #require(object["breakdown"] as? [[String: Any]])
    #expect(breakdown.count == 6 + 2 + 3)
    for row in breakdown {
      for key in ["covariate", "level", "observed", "total", "standardError", "intervals"] {
        #expect(row[key] != nil, "\(key)")
      }
    }
    let warnings = try #require(object["warnings"] as? [String])
    #expect(warnings.contains { $0.contains("KM:year2011, KM:year2015 inestimable") })
  }

  @Test("A stratum with one operating list: no total, the level named, the other levels estimated, exit 0")
  func tooFewLists() throws {
    let rows = try Self.bundledRows()
    let kept = rows.dropFirst().filter { row in
      let f = row.split(separator: ",")
      return !(f[4] == "2010" && f[6] == "sexual" && (f[0] == "1" || f[1] == "1" || f[2] == "1"))
    }
    let data = try CovariateCommandTests.temporaryFile("one.csv", ([rows[0]] + kept).joined(separator: "\n") + "\n")
    let coverage = try CovariateCommandTests.temporaryFile(
      "c.csv", "year,exploitation,PO,KM,IN,OT\n2010,sexual,0,0,0,1\n")
    let object = try Self.json([
      "estimate", data.path, "--covariates", "year,gender,exploitation", "--coverage", coverage.path, "--format",
      "json",
    ])
    #expect(object["estimateExists"] as? Bool == false)
    #expect(object["estimate"] == nil || object["estimate"] is NSNull)
    #expect((object["noEstimateReason"] as? String)?.contains("year=2010, gender=F, exploitation=sexual") == true)
    let breakdown = try #require(object["breakdown"] as? [[String: Any]])
    let year2010 = try #require(breakdown.first { $0["level"] as? String == "2010" })
    #expect(year2010["estimateExists"] as? Bool == false)
    #expect(year2010["total"] == nil || year2010["total"] is NSNull)
    let year2011 = try #require(breakdown.first { $0["level"] as? String == "2011" })
    #expect((year2011["total"] as? Double ?? 0) > (year2011["observed"] as? Double ?? .infinity))
    let text = try CommandRunner.run(
      Self.binary,
      [
        "estimate", data.path, "--covariates", "year,gender,exploitation", "--coverage", coverage.path,
      ])
    #expect(text.status == 0)
    #expect(text.stdout.contains("no estimate of the total"))
    #expect(!text.stdout.contains("nan") && !text.stdout.contains("inf"))
  }

  @Test(
    "Errors: a record on a closed list (file, line, column; 65), a bad coverage value (65), --coverage without --covariates (64)"
  )
  func errors() throws {
    let rows = try Self.bundledRows()
    let full = try CovariateCommandTests.temporaryFile("full.csv", rows.joined(separator: "\n") + "\n")
    let (_, coverage) = try Self.lateStart()
    let closed = try CommandRunner.run(
      Self.binary,
      [
        "estimate", full.path, "--covariates", "year,gender,exploitation", "--coverage", coverage.path,
      ])
    #expect(closed.status == 65)
    #expect(closed.stderr.contains("\(full.path), line "))
    #expect(closed.stderr.contains("column 2 (\"KM\"): a record on KM, which did not operate for year=2010"))
    let bad = try CovariateCommandTests.temporaryFile("bad.csv", "year,PO,KM,IN,OT\n2010,1,yes,1,1\n")
    let badResult = try CommandRunner.run(
      Self.binary,
      [
        "estimate", full.path, "--covariates", "year,gender,exploitation", "--coverage", bad.path,
      ])
    #expect(badResult.status == 65)
    #expect(badResult.stderr.contains("line 2, column 3 (\"KM\"): found \"yes\"; expected 0 or 1"))
    let usage = try CommandRunner.run(Self.binary, ["estimate", full.path, "--coverage", coverage.path])
    #expect(usage.status == 64)
    #expect(usage.stderr.contains("need --covariates"))
    for result in [closed, badResult, usage] { #expect(result.stdout.isEmpty) }
  }

  @Test("select --covariates --coverage --bootstrap: reselected, model frequencies, BCa and percentile per level")
  func reselectingBootstrap() throws {
    let (data, coverage) = try Self.lateStart()
    let object = try Self.json([
      "select", data.path, "--covariates", "year,gender,exploitation", "--coverage", coverage.path,
      "--method", "bic", "--candidates", "lists", "--bootstrap", "30", "--seed", "5", "--format", "json",
    ])
    let bootstrap = try #require(object["bootstrap"] as? [String: Any])
    #expect(bootstrap["reselected"] as? Bool == true)
    #expect(bootstrap["replicates"] as? Int == 30)
    let frequencies = try #require(bootstrap["modelFrequencies"] as? [[String: Any]])
    #expect(frequencies.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } == bootstrap["successful"] as? Int)
    let methods = (object["intervals"] as? [[String: Any]] ?? []).compactMap { $0["method"] as? String }
    #expect(methods.contains("bootstrap-percentile") && methods.contains("bootstrap-bca"))
    for row in try #require(object["breakdown"] as? [[String: Any]]) {
      let rowMethods = (row["intervals"] as? [[String: Any]] ?? []).compactMap { $0["method"] as? String }
      #expect(rowMethods.contains("bootstrap-percentile"), "\(row["level"] ?? "")")
    }
    // The same seed at one thread: the same document.
    let again = try Self.json([
      "select", data.path, "--covariates", "year,gender,exploitation", "--coverage", coverage.path,
      "--method", "bic", "--candidates", "lists", "--bootstrap", "30", "--seed", "5", "--threads", "1", "--format",
      "json",
    ])
    #expect(
      NSDictionary(dictionary: again["bootstrap"] as? [String: Any] ?? [:]) == NSDictionary(dictionary: bootstrap))
    #expect((again["intervals"] as? NSArray) == (object["intervals"] as? NSArray))
  }

  @Test("report --covariates: HTML with the trend chart and --tables CSVs; bad arguments exit 64")
  func report() throws {
    let (data, coverage) = try Self.lateStart()
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("darknumber-tables-\(UUID().uuidString)")
    let html = FileManager.default.temporaryDirectory.appendingPathComponent("darknumber-\(UUID().uuidString).html")
    let result = try CommandRunner.run(
      Self.binary,
      [
        "report", data.path, "--covariates", "year,gender,exploitation", "--coverage", coverage.path,
        "--model", "PO:KM", "--bootstrap", "0", "--suppress-below", "1000", "--output", html.path,
        "--tables", folder.path,
      ])
    #expect(result.status == 0, "\(result.stderr)")
    let page = try String(contentsOf: html, encoding: .utf8)
    #expect(page.contains("Estimated and registered number by year"))
    #expect(page.contains("did not operate"))
    #expect(page.components(separatedBy: "<svg").count - 1 >= 4)
    let byExploitation = try String(contentsOf: folder.appendingPathComponent("by-exploitation.csv"), encoding: .utf8)
    // "other" has 911 registered: suppressed below 1,000 in the published table.
    #expect(byExploitation.contains("\"other\",<1000,"))
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("coverage.csv").path))
    for arguments in [
      ["report", data.path, "--tables", folder.path, "--output", html.path],
      ["report", data.path, "--method", "path", "--output", html.path],
      [
        "report", data.path, "--covariates", "year,gender,exploitation", "--coverage", coverage.path,
        "--trend-chart", "age", "--bootstrap", "0", "--output", html.path,
      ],
    ] {
      let failure = try CommandRunner.run(Self.binary, arguments)
      #expect(failure.status == 64, "\(arguments): \(failure.stderr)")
      #expect(!failure.stderr.isEmpty)
    }
  }
}
