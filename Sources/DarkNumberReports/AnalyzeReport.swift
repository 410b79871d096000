package import DarkNumber
import Foundation

/// What `darknumber analyze` prints: the data at a glance, the chosen model and its fit, the
/// estimate with its intervals (the headline one first), the answer in words, the warnings, and
/// where the full report was written. Every number comes from one ``ListsReportAnalysis``.
package struct AnalyzeReport {
  package let analysis: ListsReportAnalysis
  package let source: String
  /// Where the HTML report was written.
  package let reportPath: String

  /// The report of `analysis` of the data read from `source`, whose HTML report is at `reportPath`.
  package init(analysis: ListsReportAnalysis, source: String, reportPath: String) {
    self.analysis = analysis
    self.source = source
    self.reportPath = reportPath
  }

  package func text() -> String {
    let fit = analysis.selection.fit
    let data = fit.data
    let description = DataDescription(data: data)
    let level = analysis.settings.level
    var lines = ["DarkNumber \(DarkNumberVersion.string) — the recommended analysis", ""]
    lines.append("Data       \(source)")
    let sizes = (0..<data.listCount).map {
      "\(data.listNames[$0]) \(NumberText.grouped(Double(data.listTotal($0)), digits: 0))"
    }
    lines.append("           \(data.listCount) lists: \(sizes.joined(separator: ", "))")
    lines.append(
      "           \(NumberText.grouped(Double(data.observedTotal), digits: 0)) people registered, in \(data.cells.count) of \((1 << data.listCount) - 1) possible capture histories"
    )
    let (summary, _) = SelectReport.describe(analysis.selection, listNames: data.listNames)
    lines.append(
      "Model      \(fit.model), chosen by \(SensitivityAnalysis.name(of: analysis.settings.procedure)): \(summary)")
    lines.append(
      "Fit        deviance \(NumberText.significant(fit.deviance)) on \(fit.degreesOfFreedom) df; "
        + NumberText.goodness(fit.goodnessOfFit))
    lines.append("")
    lines.append(
      "Estimate   N̂ = \(NumberText.grouped(fit.total, digits: 0))   (SE \(NumberText.grouped(fit.standardError, digits: 0)); not registered by any list: \(NumberText.grouped(fit.unobserved, digits: 0)))"
    )
    lines.append("Intervals  \(NumberText.significant(level * 100))%")
    if let result = analysis.bootstrapInterval {
      let replicates = analysis.bootstrap?.replicates.count ?? 0
      lines.append(
        row(
          "bootstrap BCa (\(NumberText.grouped(Double(replicates), digits: 0)) replicates, model re-selected)", result))
    }
    for (method, result) in analysis.intervals { lines.append(row(method.displayName, result)) }
    lines.append("")
    lines.append("In words")
    lines.append(contentsOf: Self.wrapped(analysis.conclusion, width: 96).map { "  " + $0 })
    let warnings = description.warnings.map(\.description) + fit.warningSentences(checkedBy: nil)
    if !warnings.isEmpty {
      lines.append("")
      lines.append("Warnings")
      for warning in warnings {
        let wrapped = Self.wrapped(warning, width: 94)
        lines.append("  - " + (wrapped.first ?? ""))
        lines.append(contentsOf: wrapped.dropFirst().map { "    " + $0 })
      }
    }
    lines.append("")
    lines.append(
      "Report     \(reportPath): the data and their overlaps, the 12 standard models, every model by BIC, the profile likelihood, the bootstrap replicates, the sensitivity of N̂, and each list held out as a known population."
    )
    return lines.joined(separator: "\n") + "\n"
  }

  /// One interval row: the limits, or why there are none.
  private func row(_ label: String, _ result: Result<IntervalEstimate, EstimationError>) -> String {
    let name = "  " + NumberText.padded(label, 54)
    switch result {
    case .success(let interval):
      let lower = interval.lower.value.map { NumberText.grouped($0, digits: 0) } ?? "?"
      let upper = interval.upper.value.map { NumberText.grouped($0, digits: 0) } ?? "∞ (unbounded)"
      return name + "\(lower) – \(upper)"
    case .failure(let error):
      return name + "none: \(error)"
    }
  }

  /// `text` broken into lines of at most `width` characters at spaces.
  static func wrapped(_ text: String, width: Int) -> [String] {
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ") {
      if !line.isEmpty && line.count + 1 + word.count > width {
        lines.append(line)
        line = ""
      }
      line += (line.isEmpty ? "" : " ") + word
    }
    if !line.isEmpty { lines.append(line) }
    return lines
  }
}
