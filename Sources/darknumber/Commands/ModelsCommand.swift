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

  @Option(help: "θ of the Poisson heterogeneity model, θᵏ − 1.")
  var poissonTheta: Double = 2

  @Option(help: "θ of the Gamma heterogeneity model, −log(θ + k) + log θ.")
  var gammaTheta: Double = 3.5

  @Flag(help: "Add profile-likelihood intervals.")
  var intervals = false

  @Option(help: "The confidence level of the intervals, in (0, 1).")
  var level: Double = 0.95

  @Option(help: "Output format: text, json or csv.")
  var format: OutputFormat = .text

  func validate() throws {
    guard level > 0 && level < 1 else { throw ValidationError("--level must lie strictly between 0 and 1.") }
    guard poissonTheta > 0 && gammaTheta > 0 else { throw ValidationError("θ must be positive.") }
  }

  func run() throws {
    try CommandFailure.reporting {
      let data = try input.load()
      let models: [ClosedPopulationModel] = ClosedPopulationModel.standard.map { model in
        switch model {
        case .mh(.poisson): .mh(.poisson(theta: poissonTheta))
        case .mth(.poisson): .mth(.poisson(theta: poissonTheta))
        case .mh(.gamma): .mh(.gamma(theta: gammaTheta))
        case .mth(.gamma): .mth(.gamma(theta: gammaTheta))
        default: model
        }
      }
      let table = ModelTable.make(
        data: data, source: input.sourceDescription, models: models,
        level: intervals ? level : nil)
      print(table.rendered(as: format), terminator: "")
    }
  }
}

/// The rows of `darknumber models`, computed once and rendered.
struct ModelTable {
  struct Row {
    let model: ClosedPopulationModel
    let fit: ClosedPopulationFit?
    let interval: ConfidenceInterval?
    let problem: String?
  }

  let source: String
  let data: CaptureData
  let rows: [Row]
  let level: Double?

  static func make(
    data: CaptureData, source: String, models: [ClosedPopulationModel], level: Double?
  ) -> ModelTable {
    let rows = models.map { model -> Row in
      do {
        let fit = try model.fit(to: data)
        var interval: ConfidenceInterval?
        var problem: String?
        if let level {
          do {
            interval = try fit.interval(.profileLikelihood, level: level)
          } catch {
            problem = "no profile interval: \(error)"
          }
        }
        return Row(model: model, fit: fit, interval: interval, problem: problem)
      } catch {
        return Row(model: model, fit: nil, interval: nil, problem: "\(error)")
      }
    }
    return ModelTable(source: source, data: data, rows: rows, level: level)
  }

  func rendered(as format: OutputFormat) -> String {
    switch format {
    case .text: return text()
    case .json: return json()
    case .csv: return csv()
    }
  }

  func diagnostics(_ row: Row) -> [String] {
    var result = row.fit?.warnings.map(\.description) ?? []
    if let dropped = row.fit?.droppedHeterogeneityTerms, !dropped.isEmpty {
      result.append("negative Chao terms dropped and the model refitted: \(dropped.joined(separator: ", ")).")
    }
    if let problem = row.problem { result.append(problem) }
    return result
  }

  func text() -> String {
    var lines = [
      "DarkNumber \(DarkNumberVersion.string) — closed-population models (Rcapture closedp.t)", "",
      "Data  \(source): \(data.listCount) lists, \(NumberText.grouped(Double(data.observedTotal), digits: 0)) observed", "",
    ]
    var header = NumberText.padded("model", 16) + ["N̂", "SE", "deviance", "df", "AIC", "BIC", "bias"]
      .map { NumberText.rightAligned($0, 11) }.joined()
    if let level { header += "   profile \(NumberText.significant(level * 100))% interval" }
    lines.append(header)
    var notes: [String] = []
    for (index, row) in rows.enumerated() {
      var line = NumberText.padded(row.model.description, 16)
      if let fit = row.fit {
        let cells = [
          NumberText.grouped(fit.total), NumberText.grouped(fit.standardError),
          NumberText.significant(fit.deviance), String(fit.degreesOfFreedom),
          NumberText.significant(fit.aic), NumberText.significant(fit.bic),
          fit.bias.map { NumberText.significant($0) } ?? "",
        ]
        line += cells.map { NumberText.rightAligned($0, 11) }.joined()
        if let interval = row.interval {
          line += "   " + limitText(interval.lower) + " – " + limitText(interval.upper)
        }
      } else {
        line += NumberText.rightAligned("no estimate", 11)
      }
      let diagnostics = self.diagnostics(row)
      if !diagnostics.isEmpty {
        line += "  [\(index + 1)]"
        notes.append(contentsOf: diagnostics.map { "  [\(index + 1)] \(row.model): \($0)" })
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
      let fit = row.fit
      let fields: [String] = [
        "\"\(row.model)\"", fit.map { String($0.total) } ?? "", fit.map { String($0.standardError) } ?? "",
        fit.map { String($0.deviance) } ?? "", fit.map { String($0.degreesOfFreedom) } ?? "",
        fit.map { String($0.aic) } ?? "", fit.map { String($0.bic) } ?? "",
        fit?.bias.map { String($0) } ?? "",
        row.interval?.lower.value.map { String($0) } ?? "",
        row.interval.map { $0.upper.value.map { String($0) } ?? "Inf" } ?? "",
        "\"" + diagnostics(row).joined(separator: " ").replacingOccurrences(of: "\"", with: "'") + "\"",
      ]
      lines.append(fields.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  struct Document: Encodable {
    struct Model: Encodable {
      let name: String
      let total: Double?
      let standardError: Double?
      let deviance: Double?
      let degreesOfFreedom: Int?
      let aic: Double?
      let bic: Double?
      let bias: Double?
      let interval: EstimateDocument.IntervalEntry?
      let droppedTerms: [String]
      let diagnostics: [String]
    }
    let schemaVersion = 1
    let version = DarkNumberVersion.string
    let command = "models"
    let data: EstimateDocument.DataSection
    let models: [Model]
  }

  func json() -> String {
    let document = Document(
      data: .init(
        source: source, lists: data.listNames, listTotals: (0..<data.listCount).map(data.listTotal),
        observed: data.observedTotal, observedHistories: data.cells.count),
      models: rows.map { row in
        Document.Model(
          name: row.model.description, total: row.fit?.total, standardError: row.fit?.standardError,
          deviance: row.fit?.deviance, degreesOfFreedom: row.fit?.degreesOfFreedom,
          aic: row.fit?.aic, bic: row.fit?.bic, bias: row.fit?.bias,
          interval: row.interval.map(EstimateDocument.entry),
          droppedTerms: row.fit?.droppedHeterogeneityTerms ?? [], diagnostics: diagnostics(row))
      })
    return JSONText.encode(document)
  }
}
