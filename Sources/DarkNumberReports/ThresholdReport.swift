package import DarkNumber
package import DarkNumberBayes
import Foundation

/// What `darknumber select --method bayesthresh` prints: the thresholding's steps and the
/// posterior of N under the model it chose (Silverman 2020; MultipleSystemsEstimation's
/// `estimate_population_bayesthresh`).
package struct ThresholdReport: Report {
  /// The JSON document (`schemaVersion` 1), documented in docs/cli.md.
  package struct Document: Encodable {
    struct Selected: Encodable {
      let terms: String
      /// The posterior median of N.
      let total: Double
    }
    struct Diagnostics: Encodable {
      let acceptanceRate: Double
      let rhat: Double
      let ess: Double
    }
    let schemaVersion = 1
    let command = "select"
    let method = "bayesthresh"
    let data: String
    let lists: [String]
    let observed: Int
    let settings: [String: String]
    let selected: Selected
    let posterior: PosteriorDocument
    let intervals: [PosteriorDocument.Interval]
    /// Term → |posterior mean| / posterior sd, for the pairs of the first fit.
    let thresholdStatistics: [String: Double]
    let retained: [String]
    let eligibleTriples: [String]
    let retainedTriples: [String]?
    let tripleThresholdStatistics: [String: Double]?
    let minusInfinite: [String]
    let revertedToPairs: Bool
    let diagnostics: Diagnostics
    let warnings: [String]
  }

  private let document: Document
  private let statisticsInOrder: [(String, Double)]

  /// The report of `result` on the data `source` with lists `listNames` and `observed` people.
  package init(source: String, data: CaptureData, result: BayesianThresholding) {
    let names = data.listNames
    func name(_ term: UInt32) -> String { LogLinearModel.termName(term, listNames: names) }
    let options = result.options
    let prior: String =
      switch options.prior {
      case .proper(let variance): "proper (variance \(variance))"
      case .improper: "improper"
      }
    var warnings: [String] = data.warnings.map(\.description)
    if result.revertedToPairs {
      warnings.append(
        "the extension by the eligible three-list interactions fails the Fienberg–Rinaldo existence check; the two-list analysis is reported (maximum order 2)"
      )
    }
    statisticsInOrder = result.thresholdStatistics.map { (name($0.term), $0.value) }
    document = Document(
      data: source, lists: names, observed: data.observedTotal,
      settings: [
        "prior": prior, "threshold": "\(options.threshold)", "maxOrder": "\(options.maximumOrder)",
        "draws": "\(options.draws)", "burnIn": "\(options.burnIn)", "seed": "\(options.seed)",
      ],
      selected: .init(terms: result.model.description, total: result.estimate),
      posterior: PosteriorDocument(result.posterior), intervals: PosteriorDocument.Interval.all(result.posterior),
      thresholdStatistics: Dictionary(uniqueKeysWithValues: statisticsInOrder),
      retained: result.retained.map(name), eligibleTriples: result.eligibleTriples.map(name),
      retainedTriples: result.retainedTriples?.map(name),
      tripleThresholdStatistics: result.retainedTriples == nil
        ? nil : Dictionary(uniqueKeysWithValues: result.tripleThresholdStatistics.map { (name($0.term), $0.value) }),
      minusInfinite: result.minusInfinite.map(name), revertedToPairs: result.revertedToPairs,
      diagnostics: .init(
        acceptanceRate: result.acceptanceRate, rhat: result.diagnostics.splitRhat,
        ess: result.diagnostics.effectiveSampleSize),
      warnings: warnings)
  }

  package func json() throws -> String { try JSONText.encode(document) }

  package func text() -> String {
    let d = document
    var lines = [
      "Bayesian thresholding (Silverman 2020; MultipleSystemsEstimation's estimate_population_bayesthresh)",
      "Data: \(d.data), \(d.lists.count) lists (\(d.lists.joined(separator: ", "))), \(NumberText.grouped(Double(d.observed), digits: 0)) observed",
      "Settings: " + d.settings.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
      "",
      "Two-list interactions, |posterior mean| / sd (kept at \(d.settings["threshold"] ?? "") or more):",
    ]
    for (term, value) in statisticsInOrder {
      lines.append(
        "  \(NumberText.padded(term, 24))\(String(format: "%8.3f", value))\(d.retained.contains(term) ? "  kept" : "")")
    }
    if !d.eligibleTriples.isEmpty {
      lines.append("Eligible three-list interactions: \(d.eligibleTriples.joined(separator: ", "))")
      if let statistics = d.tripleThresholdStatistics {
        for term in d.eligibleTriples {
          let kept = d.retainedTriples?.contains(term) == true ? "  kept" : ""
          lines.append("  \(NumberText.padded(term, 24))\(String(format: "%8.3f", statistics[term] ?? .nan))\(kept)")
        }
      }
    }
    if !d.minusInfinite.isEmpty {
      lines.append("At −∞ (no one in their cells; kept in the model): \(d.minusInfinite.joined(separator: ", "))")
    }
    lines.append("")
    lines.append("Model      \(d.selected.terms)")
    lines.append(
      "Estimate   N̂ = \(NumberText.grouped(d.selected.total)) (posterior median; mean \(NumberText.grouped(d.posterior.mean)), sd \(NumberText.grouped(d.posterior.sd)))"
    )
    for interval in d.intervals {
      lines.append(
        "  \(Int((interval.level * 100).rounded()))% credible interval: \(NumberText.grouped(interval.lower)) – \(NumberText.grouped(interval.upper))"
      )
    }
    lines.append(
      "Diagnostics: acceptance \(String(format: "%.2f", d.diagnostics.acceptanceRate)), split-R̂ \(String(format: "%.4f", d.diagnostics.rhat)), effective sample size \(NumberText.grouped(d.diagnostics.ess, digits: 0))"
    )
    for warning in d.warnings { lines.append("Warning: \(warning)") }
    return lines.joined(separator: "\n") + "\n"
  }

  package func csv() -> String {
    var rows = ["statistic,value"]
    for (statistic, value) in document.posterior.rows { rows.append("\(statistic),\(value)") }
    return rows.joined(separator: "\n") + "\n"
  }
}
