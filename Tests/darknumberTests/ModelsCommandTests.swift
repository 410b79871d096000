import DarkNumber
import Foundation
import Testing

@testable import DarkNumberReports
@testable import darknumber

@Suite("darknumber models")
struct ModelsCommandTests {
  @Test("JSON has models[] with the documented fields, in Rcapture's order")
  func json() throws {
    let data = try #require(Dataset.named("hare")).captureData()
    let table = ModelTable(
      table: try ClosedPopulationTable(data: data, level: 0.95), source: "hare", listDescription: "6 lists")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(table.json().utf8)) as? [String: Any])
    #expect(object["schemaVersion"] as? Int == 1)
    let models = try #require(object["models"] as? [[String: Any]])
    #expect(models.map { $0["name"] as? String } == ClosedPopulationModel.standard.map(\.description))
    for model in models {
      for key in ["total", "standardError", "deviance", "degreesOfFreedom", "aic", "bic", "diagnostics"] {
        #expect(model[key] != nil, "\(key)")
      }
    }
    // Rcapture closedp.t, hare, Mt: 75.0662013449291.
    #expect(abs((models[1]["total"] as? Double ?? 0) - 75.0662013449291) < 1e-6)
    let chao = models[2]["diagnostics"] as? [String] ?? []
    #expect(chao.contains { $0.contains("eta5") })
  }

  @Test("Parsing θ and intervals")
  func parsing() throws {
    let command = try ModelsCommand.parse(["--example", "hare", "--poisson-theta", "3", "--intervals"])
    #expect(command.poissonTheta == 3)
    #expect(command.intervals)
    #expect(throws: (any Error).self) { try ModelsCommand.parse(["--example", "hare", "--gamma-theta", "0"]) }
  }
}

@Suite("darknumber models --captures-per-unit")
struct FrequencyModelsCommandTests {
  @Test("ill in continuous time: closedp.0 rows plus Chao and Zelterman")
  func ill() throws {
    let command = try ModelsCommand.parse([
      "--captures-per-unit", "--example", "ill", "--occasions", "inf", "--truncation", "6",
    ])
    let data = try command.loadFrequencies()
    #expect(data.observedTotal == 1880)
    let table = ModelTable(
      table: try ClosedPopulationTable(frequencies: data, truncation: 6), source: "ill",
      listDescription: "number of captures, t = inf, t0 = 6")
    #expect(table.rows.map(\.name).suffix(2) == ["Chao (f1, f2)", "Zelterman (f1, f2)"])
    // rcapture-closedp-0.json, ill, Mh Chao (LB).
    #expect(abs((table.rows[1].total ?? 0) - 9273.51092896172) < 1e-6)
    #expect(table.text().contains("closedp.0"))
  }

  @Test("--occasions is required and validated")
  func occasions() {
    #expect(throws: (any Error).self) { try ModelsCommand.parse(["--captures-per-unit", "--example", "ill"]) }
    #expect(throws: (any Error).self) {
      try ModelsCommand.parse(["--captures-per-unit", "--example", "ill", "--occasions", "one"])
    }
    #expect(throws: (any Error).self) { try ModelsCommand.parse(["--example", "hare", "--occasions", "5"]) }
  }

  @Test("One list caught everybody: no NaN standard error (Mb, Mbh say why), columns never run together")
  func everybodyOnOneList() throws {
    let history = { (lists: [Int]) in CaptureHistory(lists: lists)! }
    let data = try CaptureData(
      listNames: ["A", "B", "C"],
      counts: [(history([0]), 30), (history([0, 1]), 10), (history([0, 2]), 8), (history([0, 1, 2]), 3)])
    let table = try ClosedPopulationTable(data: data)
    for name in ["Mb", "Mbh"] {
      let row = try #require(table.rows.first { $0.name == name })
      #expect(row.total != nil && row.standardError == nil)
      #expect(row.diagnostics.contains { $0.hasPrefix("no standard error") })
    }
    #expect(table.rows.allSatisfy { $0.standardError?.isFinite ?? true })
    let rendered = ModelTable(table: table, source: "everybody on A", listDescription: "3 lists")
    let text = rendered.text()
    #expect(!text.contains("NaN") && !text.contains("nan"))
    // Every data row's numeric columns are separated by at least one space.
    for line in text.split(separator: "\n") where line.hasPrefix("Mth") {
      #expect(
        !line.dropFirst(19).contains { $0 == "." } || line.dropFirst(19).split(separator: " ").count >= 8, "\(line)")
    }
    #expect(!text.contains("0.03.3") && !text.contains("32.0823-"))
    _ = try rendered.json()
  }
}
