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

  @Flag(help: "The input holds numbers of captures (`nbcap,count`: units caught exactly k times), as Rcapture's closedp.0.")
  var capturesPerUnit = false

  @Option(help: "With --captures-per-unit: the number of capture occasions t, or `inf` for continuous time.")
  var occasions: String?

  @Option(help: "With --captures-per-unit: fit only k ≤ t0 (units caught more often still count in n).")
  var truncation: Int?

  @Option(help: "θ of the Poisson heterogeneity model, θᵏ − 1.")
  var poissonTheta: Double = 2

  @Option(help: "θ of the Gamma heterogeneity model, −log(θ + k) + log θ.")
  var gammaTheta: Double = 3.5

  @Flag(help: "Add profile-likelihood intervals.")
  var intervals = false

  @Flag(help: "Add Rcapture's bias-corrected estimators (closedp.bc; Rivest & Lévesque 2001).")
  var biasCorrected = false

  @Option(help: "The confidence level of the intervals, in (0, 1).")
  var level: Double = 0.95

  @Option(help: "Output format: text, json or csv.")
  var format: OutputFormat = .text

  func validate() throws {
    guard level > 0 && level < 1 else { throw ValidationError("--level must lie strictly between 0 and 1.") }
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
      if capturesPerUnit {
        let data = try loadFrequencies()
        let table = ModelTable.make(
          frequencies: data, source: input.sourceDescription,
          models: withTheta(ClosedPopulationModel.frequencyModels), truncation: truncation,
          level: intervals ? level : nil)
        print(table.rendered(as: format), terminator: "")
        return
      }
      let data = try input.load()
      var table = ModelTable.make(
        data: data, source: input.sourceDescription, models: withTheta(ClosedPopulationModel.standard),
        level: intervals ? level : nil)
      if biasCorrected { table.appendBiasCorrected(data: data, models: withTheta(ClosedPopulationModel.standard)) }
      print(table.rendered(as: format), terminator: "")
    }
  }

  /// The models with the chosen θ for Poisson and Gamma heterogeneity.
  func withTheta(_ models: [ClosedPopulationModel]) -> [ClosedPopulationModel] {
    models.map { model in
      switch model {
      case .mh(.poisson): .mh(.poisson(theta: poissonTheta))
      case .mth(.poisson): .mth(.poisson(theta: poissonTheta))
      case .mh(.gamma): .mh(.gamma(theta: gammaTheta))
      case .mth(.gamma): .mth(.gamma(theta: gammaTheta))
      default: model
      }
    }
  }
}

/// The rows of `darknumber models`, computed once and rendered.
struct ModelTable: Report {
  /// One row; also its JSON form (`interval` as in `estimate`'s `intervals[]`).
  struct Row: Encodable {
    enum CodingKeys: String, CodingKey {
      case name, total, standardError, deviance, degreesOfFreedom, aic, bic, bias, interval
      case droppedTerms, diagnostics
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(name, forKey: .name)
      try container.encode(total, forKey: .total)
      try container.encode(standardError, forKey: .standardError)
      try container.encode(deviance, forKey: .deviance)
      try container.encode(degreesOfFreedom, forKey: .degreesOfFreedom)
      try container.encode(aic, forKey: .aic)
      try container.encode(bic, forKey: .bic)
      try container.encode(bias, forKey: .bias)
      try container.encode(interval.map(EstimateDocument.entry), forKey: .interval)
      try container.encode(droppedTerms, forKey: .droppedTerms)
      try container.encode(diagnostics, forKey: .diagnostics)
    }

    let name: String
    var total: Double?
    var standardError: Double?
    var deviance: Double?
    var degreesOfFreedom: Int?
    var aic: Double?
    var bic: Double?
    var bias: Double?
    var interval: ConfidenceInterval?
    var droppedTerms: [String] = []
    var diagnostics: [String] = []

    init(name: String, fit: ClosedPopulationFit) {
      self.name = name
      total = fit.total
      standardError = fit.standardError
      deviance = fit.deviance
      degreesOfFreedom = fit.degreesOfFreedom
      aic = fit.aic
      bic = fit.bic
      bias = fit.bias
      droppedTerms = fit.droppedHeterogeneityTerms
      diagnostics = fit.warnings.map(\.description)
      if !droppedTerms.isEmpty {
        diagnostics.append(
          "negative Chao terms dropped and the model refitted: \(droppedTerms.joined(separator: ", ")).")
      }
    }

    init(name: String, problem: String) {
      self.name = name
      diagnostics = [problem]
    }

    /// A row with only an estimate and its standard error (closed-form estimators).
    init(name: String, total: Double, standardError: Double) {
      self.name = name
      self.total = total
      self.standardError = standardError
    }
  }

  let source: String
  let observedTotal: Int
  let listDescription: String
  var rows: [Row]
  let level: Double?

  /// Appends a bias-corrected row for every model Rcapture's `closedp.bc` corrects.
  mutating func appendBiasCorrected(data: CaptureData, models: [ClosedPopulationModel]) {
    for model in models {
      let name = "\(model) bc"
      do {
        let estimate = try BiasCorrectedEstimate(model: model, data: data)
        rows.append(Row(name: name, total: estimate.total, standardError: estimate.standardError))
      } catch EstimationError.biasCorrectionNotAvailable {
        continue
      } catch {
        rows.append(Row(name: name, problem: "\(error)"))
      }
    }
  }

  static func make(
    data: CaptureData, source: String, models: [ClosedPopulationModel], level: Double?
  ) -> ModelTable {
    let rows = models.map { model -> Row in
      do {
        let fit = try model.fit(to: data)
        return withInterval(Row(name: model.description, fit: fit), fit: fit, level: level)
      } catch {
        return Row(name: model.description, problem: "\(error)")
      }
    }
    return ModelTable(
      source: source, observedTotal: data.observedTotal,
      listDescription: "\(data.listCount) lists", rows: rows, level: level)
  }

  /// The `closedp.0` models plus Chao's and Zelterman's single-source estimators.
  static func make(
    frequencies data: CaptureFrequencies, source: String, models: [ClosedPopulationModel],
    truncation: Int?, level: Double? = nil
  ) -> ModelTable {
    var rows = models.map { model -> Row in
      do {
        let fit = try model.fit(to: data, truncation: truncation)
        return withInterval(Row(name: model.description, fit: fit), fit: fit, level: level)
      } catch {
        return Row(name: model.description, problem: "\(error)")
      }
    }
    for estimator in SingleSourceEstimate.Estimator.allCases {
      let name = estimator == .chao ? "Chao (f1, f2)" : "Zelterman (f1, f2)"
      do {
        let estimate = try SingleSourceEstimate(estimator: estimator, data: data)
        rows.append(Row(name: name, total: estimate.total, standardError: estimate.standardError))
      } catch {
        rows.append(Row(name: name, problem: "\(error)"))
      }
    }
    let t0 = truncation.map { ", t0 = \($0)" } ?? ""
    return ModelTable(
      source: source, observedTotal: data.observedTotal,
      listDescription: "number of captures, t = \(data.occasions)\(t0)", rows: rows, level: level)
  }

  /// `row` with the fit's profile-likelihood interval at `level` (or why there is none).
  private static func withInterval(_ row: Row, fit: ClosedPopulationFit, level: Double?) -> Row {
    guard let level else { return row }
    var row = row
    do {
      row.interval = try fit.interval(.profileLikelihood, level: level)
    } catch {
      row.diagnostics.append("no profile interval: \(error)")
    }
    return row
  }

  func text() -> String {
    var lines = [
      "DarkNumber \(DarkNumberVersion.string) — closed-population models (Rcapture \(listDescription.hasPrefix("number") ? "closedp.0" : "closedp.t"))", "",
      "Data  \(source): \(listDescription), \(NumberText.grouped(Double(observedTotal), digits: 0)) observed", "",
    ]
    var header = NumberText.padded("model", 19) + ["N̂", "SE", "deviance", "df", "AIC", "BIC", "bias"]
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
    let models: [Row]
  }

  func json() -> String {
    let document = Document(
      source: source, observed: observedTotal, data: listDescription,
      models: rows)
    return JSONText.encode(document)
  }
}
