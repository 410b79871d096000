package import DarkNumber
package import DarkNumberBayes
import Foundation

/// The output of `darknumber bayes`: one posterior of N, from either method.
package struct BayesReport: Report {
  /// The JSON document (`schemaVersion` 1); field names are documented in docs/cli.md.
  package struct Document: Encodable {
    struct Diagnostics: Encodable {
      /// Split-R̂ of N (null for dga: exact, no chains).
      let rhat: Double?
      /// Effective sample size of N (null for dga).
      let ess: Double?
      /// dga: posterior mass in the top 1% of the grid.
      let gridMassNearTop: Double?
      /// loglinear: the shares of model and parameter moves accepted.
      var modelMoveAcceptance: Double? = nil
      var parameterMoveAcceptance: Double? = nil
      /// loglinear: split-R̂ and effective sample size of the most probable model's indicator.
      var topModelRhat: Double? = nil
      var topModelEss: Double? = nil
    }
    struct Model: Encodable {
      /// dga: the graph's cliques.
      var graph: String? = nil
      /// dga: its posterior weight.
      var weight: Double? = nil
      /// E[N | graph, data]; null when the weight is negligible.
      var meanTotal: Double? = nil
      /// loglinear: the model's terms and its posterior probability.
      var terms: String? = nil
      var probability: Double? = nil
    }
    let schemaVersion = 1
    let command = "bayes"
    let method: String
    let data: String
    let lists: [String]
    let observed: Int
    let settings: [String: String]
    let posterior: PosteriorDocument
    let intervals: [PosteriorDocument.Interval]
    let diagnostics: Diagnostics
    let models: [Model]?
    var warnings: [String]
  }

  private(set) var document: Document
  /// The draws as CSV (`--draws-csv`), written only when asked for.
  private let draws: @Sendable () -> String

  /// The posterior's draws as CSV: `chain,draw,N` (loglinear), `chain,draw,N,alpha,occupiedClasses`
  /// (latent-class), or the grid distribution `N,probability` (dga).
  package func drawsCSV() -> String { draws() }

  package init(source: String, averaging result: GraphAveragingResult, top: Int?) {
    let shown = top.map { Array(result.models.prefix($0)) } ?? result.models
    let grid = result.grid
    document = Document(
      method: "dga", data: source, lists: result.listNames, observed: result.observedTotal,
      settings: [
        "delta": "\(result.delta)", "prior": result.priorName,
        "grid": "\(grid.start):\(grid.stop):\(grid.step)",
        "gridWidenings": "\(result.gridWidenings)", "graphs": "\(result.models.count)",
      ],
      posterior: PosteriorDocument(result.summary), intervals: PosteriorDocument.Interval.all(result.summary),
      diagnostics: Document.Diagnostics(rhat: nil, ess: nil, gridMassNearTop: result.massNearTop),
      models: shown.map {
        Document.Model(graph: result.name(of: $0), weight: $0.weight, meanTotal: $0.meanTotal)
      },
      warnings: result.warnings.map(\.description))
    draws = {
      var text = "N,probability\n"
      for (total, probability) in zip(result.totals, result.probabilities) { text += "\(Int(total)),\(probability)\n" }
      return text
    }
  }

  package init(source: String, latentClass result: LatentClassResult) {
    let options = result.options
    document = Document(
      method: "latent-class", data: source, lists: result.listNames,
      observed: result.observedTotal,
      settings: [
        "classes": "\(options.classes)", "alphaShape": "\(options.concentrationShape)",
        "alphaRate": "\(options.concentrationRate)", "chains": "\(options.chains)",
        "burnIn": "\(options.burnIn)", "draws": "\(options.draws)",
        "thin": "\(options.thinning)", "warmUp": "\(options.warmUp)", "seed": "\(options.seed)",
      ],
      posterior: PosteriorDocument(result.summary), intervals: PosteriorDocument.Interval.all(result.summary),
      diagnostics: Document.Diagnostics(
        rhat: result.diagnostics.splitRhat, ess: result.diagnostics.effectiveSampleSize,
        gridMassNearTop: nil),
      models: nil, warnings: result.warnings.map(\.description))
    draws = {
      var text = "chain,draw,N,alpha,occupiedClasses\n"
      for (index, chain) in result.chains.enumerated() {
        for draw in chain.totals.indices {
          text +=
            "\(index + 1),\(draw + 1),\(chain.totals[draw]),\(chain.concentrations[draw]),\(chain.occupiedClasses[draw])\n"
        }
      }
      return text
    }
  }

  package init(source: String, logLinear result: LogLinearAveraging.Result, data: CaptureData, top: Int?) {
    let options = result.options
    let prior: String =
      switch options.prior {
      case .unitInformation: "unit information"
      case .sabanesBoveHeld(let a, let b): "Sabanés Bové–Held (a \(a), b \(b))"
      }
    let names = data.listNames
    let censored = options.censored.map { $0.history.digits(listCount: names.count) + "<=\($0.bound)" }
    let shown = top.map { Array(result.models.prefix($0)) } ?? result.models
    document = Document(
      method: "loglinear", data: source, lists: names, observed: data.observedTotal,
      settings: [
        "prior": prior, "maxOrder": "\(options.maximumOrder)", "samples": "\(options.samples)",
        "burnIn": "\(options.burnIn)", "chains": "\(options.chains)", "seed": "\(options.seed)",
        "nullMoveProbability": "\(options.nullMoveProbability)",
        "censored": censored.isEmpty ? "none" : censored.joined(separator: " "),
        "modelsVisited": "\(result.models.count)",
      ],
      posterior: PosteriorDocument(result.posterior), intervals: PosteriorDocument.Interval.all(result.posterior),
      diagnostics: Document.Diagnostics(
        rhat: result.diagnostics.splitRhat, ess: result.diagnostics.effectiveSampleSize, gridMassNearTop: nil,
        modelMoveAcceptance: result.modelMoveAcceptance, parameterMoveAcceptance: result.parameterMoveAcceptance,
        topModelRhat: result.topModelDiagnostics.splitRhat, topModelEss: result.topModelDiagnostics.effectiveSampleSize),
      models: shown.map { Document.Model(terms: Self.terms($0.model, names), probability: $0.probability) },
      warnings: [])
    draws = {
      var text = "chain,draw,N\n"
      for (index, chain) in result.totals.enumerated() {
        for (draw, total) in chain.enumerated() { text += "\(index + 1),\(draw + 1),\(total)\n" }
      }
      return text
    }
  }

  /// A model's generating terms by list name: `LA:NG + NG:GP`, or `main effects`.
  private static func terms(_ model: LogLinearModel, _ names: [String]) -> String {
    let terms = model.termNames(listNames: names).filter { $0.contains(":") }
    return terms.isEmpty ? "main effects" : terms.joined(separator: " + ")
  }

  /// The same report with the data's own caveats (for example a list that recorded nobody) first.
  package func addingDataWarnings(_ warnings: [DataWarning]) -> BayesReport {
    var copy = self
    copy.document.warnings = warnings.map(\.description) + document.warnings
    return copy
  }

  package func json() throws -> String { try JSONText.encode(document) }

  package func text() -> String {
    let d = document
    let methodName =
      switch d.method {
      case "dga": "Bayesian model averaging over decomposable graphs (Madigan & York 1997; dga)"
      case "loglinear":
        "Bayesian model averaging over hierarchical log-linear models by reversible jump (conting's bict)"
      default: "Latent-class model (Manrique-Vallier 2016; LCMCR)"
      }
    var lines = [
      methodName,
      "Data: \(d.data), \(d.lists.count) lists (\(d.lists.joined(separator: ", "))), \(NumberText.grouped(Double(d.observed), digits: 0)) observed",
      "Settings: "
        + d.settings.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        .joined(separator: ", "),
      "",
      "Posterior of N: mean \(NumberText.grouped(d.posterior.mean)), sd \(NumberText.grouped(d.posterior.sd)), median \(NumberText.grouped(d.posterior.median)), mode \(NumberText.grouped(d.posterior.mode))",
    ]
    for interval in d.intervals {
      lines.append(
        "  \(Int(interval.level * 100))% credible interval: \(NumberText.grouped(interval.lower)) – \(NumberText.grouped(interval.upper))"
      )
    }
    if let rhat = d.diagnostics.rhat, let ess = d.diagnostics.ess {
      lines.append(
        "Diagnostics: split-R̂ \(String(format: "%.4f", rhat)), effective sample size \(NumberText.grouped(ess, digits: 0))"
      )
    }
    if let model = d.diagnostics.modelMoveAcceptance, let parameter = d.diagnostics.parameterMoveAcceptance,
      let topRhat = d.diagnostics.topModelRhat
    {
      lines.append(
        "             moves accepted: model \(String(format: "%.3f", model)), parameter \(String(format: "%.3f", parameter)); top model's indicator split-R̂ \(String(format: "%.4f", topRhat))"
      )
    }
    if let models = d.models, d.method == "loglinear" {
      lines.append("")
      lines.append(NumberText.padded("Model (generators)", 60) + NumberText.rightAligned("probability", 12))
      for model in models {
        lines.append(
          NumberText.padded(model.terms ?? "", 60)
            + NumberText.rightAligned(String(format: "%.4f", model.probability ?? 0), 12))
      }
    } else if let models = d.models {
      lines.append("")
      lines.append(
        NumberText.padded("Graph (cliques)", 40) + NumberText.rightAligned("weight", 12)
          + NumberText.rightAligned("E[N|graph]", 14))
      for model in models {
        lines.append(
          NumberText.padded(model.graph ?? "", 40)
            + NumberText.rightAligned(String(format: "%.6f", model.weight ?? 0), 12)
            + NumberText.rightAligned(model.meanTotal.map { NumberText.grouped($0) } ?? "–", 14))
      }
    }
    for warning in d.warnings { lines.append("Warning: \(warning)") }
    return lines.joined(separator: "\n") + "\n"
  }

  package func csv() -> String {
    let d = document
    var rows = ["method,statistic,value"]
    for (statistic, value) in d.posterior.rows { rows.append("\(d.method),\(statistic),\(value)") }
    if let rhat = d.diagnostics.rhat { rows.append("\(d.method),rhat,\(rhat)") }
    if let ess = d.diagnostics.ess { rows.append("\(d.method),ess,\(ess)") }
    return rows.joined(separator: "\n") + "\n"
  }
}
