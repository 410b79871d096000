import ArgumentParser
import DarkNumber
import Foundation

/// `darknumber models`: Rcapture's table of the 12 standard closed-population models.
struct ModelsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "models",
    abstract: "Fit the 12 standard closed-population models (Rcapture's closedp.t) and compare them.",
    discussion: """
      M0, Mt, Mh and Mth with Chao (LB), Poisson, Darroch and Gamma heterogeneity, Mb and Mbh. \
      With --intervals, each row gets a multinomial profile-likelihood interval (not Mb, Mbh).
      """)

  @OptionGroup var input: InputOptions

  @Flag(
    help: "The input holds numbers of captures (`nbcap,count`: units caught exactly k times), as Rcapture's closedp.0.")
  var capturesPerUnit = false

  @Option(help: "With --captures-per-unit: the number of capture occasions t, or `inf` for continuous time.")
  var occasions: String?

  @Option(help: "With --captures-per-unit: fit only k ≤ t0 (units caught more often still count in n).")
  var truncation: Int?

  @Option(help: "θ of the Poisson heterogeneity model, θᵏ − 1.")
  var poissonTheta: Double = Heterogeneity.defaultPoissonTheta

  @Option(help: "θ of the Gamma heterogeneity model, −log(θ + k) + log θ.")
  var gammaTheta: Double = Heterogeneity.defaultGammaTheta

  @Flag(help: "Add profile-likelihood intervals.")
  var intervals = false

  @Flag(help: "Add Rcapture's bias-corrected estimators (closedp.bc; Rivest & Lévesque 2001).")
  var biasCorrected = false

  @OptionGroup var rendering: OutputOptions
  @OptionGroup var confidence: LevelOptions

  func validate() throws {
    guard poissonTheta > 0 && gammaTheta > 0 else { throw ValidationError("θ must be positive.") }
    if capturesPerUnit {
      guard occasions != nil else {
        throw ValidationError("--captures-per-unit needs --occasions t (a whole number ≥ 2) or inf.")
      }
      _ = try parsedOccasions()
    } else if occasions != nil || truncation != nil {
      throw ValidationError("--occasions and --truncation apply to --captures-per-unit data only.")
    }
  }

  /// `--occasions` as a library value.
  func parsedOccasions() throws -> CaptureFrequencies.Occasions {
    let text = (occasions ?? "").lowercased()
    if text == "inf" || text == "infinity" { return .continuous }
    guard let t = Int(text), t >= 2 else {
      throw ValidationError("--occasions must be a whole number ≥ 2 or inf; found \"\(occasions ?? "")\".")
    }
    return .finite(t)
  }

  /// Reads number-of-captures data from the file or a bundled `captures-per-unit/…` table.
  func loadFrequencies() throws -> CaptureFrequencies {
    let occasions = try parsedOccasions()
    if let example = input.example {
      let name = example.hasPrefix("captures-per-unit/") ? example : "captures-per-unit/\(example)"
      guard let dataset = Dataset.named(name) else {
        let names = Dataset.all.filter { $0.kind == .capturesPerUnit }.map(\.name).joined(separator: ", ")
        throw CommandFailure.usage("unknown example \"\(example)\"; number-of-captures tables: \(names).")
      }
      return try CaptureFrequencies(csv: Array(dataset.csv.utf8), occasions: occasions, source: dataset.name)
    }
    let path = input.file ?? ""
    guard let contents = FileManager.default.contents(atPath: path) else {
      throw CommandFailure.other("cannot read the file \(path).")
    }
    return try CaptureFrequencies(csv: [UInt8](contents), occasions: occasions, source: path)
  }

  func run() throws {
    try CommandFailure.reporting {
      let table: ModelTable
      if capturesPerUnit {
        let data = try loadFrequencies()
        let t0 = truncation.map { ", t0 = \($0)" } ?? ""
        table = ModelTable(
          table: try ClosedPopulationTable(
            frequencies: data, poissonTheta: poissonTheta, gammaTheta: gammaTheta, truncation: truncation,
            level: intervals ? confidence.level : nil),
          source: input.sourceDescription, listDescription: "number of captures, t = \(data.occasions)\(t0)")
      } else {
        let data = try input.load()
        table = ModelTable(
          table: try ClosedPopulationTable(
            data: data, poissonTheta: poissonTheta, gammaTheta: gammaTheta, level: intervals ? confidence.level : nil,
            biasCorrected: biasCorrected),
          source: input.sourceDescription, listDescription: "\(data.listCount) lists")
      }
      print(try table.rendered(as: rendering.format), terminator: "")
    }
  }
}

/// `darknumber models`'s rendering of a ``ClosedPopulationTable``.
struct ModelTable: Report {
  /// A row's JSON form (`interval` as in `estimate`'s `intervals[]`; absent values are null).
  struct RowEntry: Encodable {
    enum CodingKeys: String, CodingKey {
      case name, total, standardError, deviance, degreesOfFreedom, aic, bic, bias, interval
      case droppedTerms, diagnostics
    }

    let row: ClosedPopulationTable.Row

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(row.name, forKey: .name)
      try container.encode(row.total, forKey: .total)
      try container.encode(row.standardError, forKey: .standardError)
      try container.encode(row.deviance, forKey: .deviance)
      try container.encode(row.degreesOfFreedom, forKey: .degreesOfFreedom)
      try container.encode(row.aic, forKey: .aic)
      try container.encode(row.bic, forKey: .bic)
      try container.encode(row.bias, forKey: .bias)
      try container.encode(row.interval.map(EstimateDocument.entry), forKey: .interval)
      try container.encode(row.droppedTerms, forKey: .droppedTerms)
      try container.encode(row.diagnostics, forKey: .diagnostics)
    }
  }

  let table: ClosedPopulationTable
  let source: String
  let listDescription: String

  var rows: [ClosedPopulationTable.Row] { table.rows }
  var observedTotal: Int { table.observedTotal }
  var level: Double? { table.level }

  func text() -> String {
    var lines = [
      "DarkNumber \(DarkNumberVersion.string) — closed-population models (Rcapture \(listDescription.hasPrefix("number") ? "closedp.0" : "closedp.t"))",
      "",
      "Data  \(source): \(listDescription), \(NumberText.grouped(Double(observedTotal), digits: 0)) observed", "",
    ]
    var header =
      NumberText.padded("model", 19)
      + ["N̂", "SE", "deviance", "df", "AIC", "BIC", "bias"]
      .map { NumberText.rightAligned($0, 11) }.joined()
    if let level { header += "   profile \(NumberText.significant(level * 100))% interval" }
    lines.append(header)
    var notes: [String] = []
    for (index, row) in rows.enumerated() {
      var line = NumberText.padded(row.name, 19)
      if let total = row.total {
        let cells = [
          NumberText.grouped(total), row.standardError.map { NumberText.grouped($0) } ?? "",
          row.deviance.map(NumberText.significant) ?? "", row.degreesOfFreedom.map(String.init) ?? "",
          row.aic.map(NumberText.significant) ?? "", row.bic.map(NumberText.significant) ?? "",
          row.bias.map(NumberText.significant) ?? "",
        ]
        line += cells.map { NumberText.rightAligned($0, 11) }.joined()
        if let interval = row.interval {
          line += "   " + limitText(interval.lower) + " – " + limitText(interval.upper)
        }
      } else {
        line += NumberText.rightAligned("no estimate", 11)
      }
      if !row.diagnostics.isEmpty {
        line += "  [\(index + 1)]"
        notes.append(contentsOf: row.diagnostics.map { "  [\(index + 1)] \(row.name): \($0)" })
      }
      lines.append(line)
    }
    if !notes.isEmpty {
      lines.append("")
      lines.append("Warnings")
      lines.append(contentsOf: notes)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private func limitText(_ limit: IntervalLimit) -> String {
    limit.value.map { NumberText.grouped($0) } ?? "∞"
  }

  func csv() -> String {
    var lines = ["model,total,standard_error,deviance,df,aic,bic,bias,lower,upper,warnings"]
    for row in rows {
      let fields: [String] = [
        "\"\(row.name)\"", row.total.map { String($0) } ?? "", row.standardError.map { String($0) } ?? "",
        row.deviance.map { String($0) } ?? "", row.degreesOfFreedom.map { String($0) } ?? "",
        row.aic.map { String($0) } ?? "", row.bic.map { String($0) } ?? "",
        row.bias.map { String($0) } ?? "",
        row.interval?.lower.value.map { String($0) } ?? "",
        row.interval.map { $0.upper.value.map { String($0) } ?? "Inf" } ?? "",
        "\"" + row.diagnostics.joined(separator: " ").replacingOccurrences(of: "\"", with: "'") + "\"",
      ]
      lines.append(fields.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  struct Document: Encodable {
    let schemaVersion = 1
    let version = DarkNumberVersion.string
    let command = "models"
    let source: String
    let observed: Int
    let data: String
    let models: [RowEntry]
  }

  func json() throws -> String {
    let document = Document(
      source: source, observed: observedTotal, data: listDescription, models: rows.map(RowEntry.init))
    return try JSONText.encode(document)
  }
}
