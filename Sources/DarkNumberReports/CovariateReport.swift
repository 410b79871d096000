package import DarkNumber
import Foundation

/// What `estimate --covariates` and `select --covariates` print: one ``CovariateAnalysis``
/// (computed by the library), rendered as text, JSON or CSV.
package struct CovariateReport: Report {
  package typealias LevelRow = CovariateAnalysis.LevelRow

  package let command: String
  package let source: String
  package let analysis: CovariateAnalysis

  /// The value holding each part as given.
  package init(command: String, source: String, analysis: CovariateAnalysis) {
    self.command = command
    self.source = source
    self.analysis = analysis
  }

  package var data: CovariateCaptureData { analysis.data }
  package var fit: CovariateFit { analysis.fit }
  package var em: CovariateEMFit? { analysis.em }
  package var selection: CovariateSelection? { analysis.selection }
  package var reselection: CovariateSelectionBootstrap? { analysis.reselection }
  package var bootstrap: CovariateBootstrap? { analysis.bootstrap }
  package var totalIntervals: [IntervalEstimate] { analysis.totalIntervals }
  package var verdicts: [CovariateCollapsibility.Verdict] { analysis.verdicts }
  package var strata: [StratifiedComparison] { analysis.strata }
  package var level: Double { analysis.settings.level }
  package var threshold: Int? { analysis.settings.suppressBelow }
  package var warnings: [String] { analysis.warnings }
  package var breakdown: [(covariate: String, rows: [LevelRow])] { analysis.tables.map { ($0.covariate, $0.rows) } }

  /// The observed count of a level (or the total for `nil`) as text, `<k` when hidden.
  package func observedText(covariate: String?, level: String?, value: Double, digits: Int) -> String {
    isHidden(covariate: covariate, level: level) ? "<\(threshold ?? 0)" : NumberText.grouped(value, digits: digits)
  }

  /// Whether that observed count is hidden.
  package func isHidden(covariate: String?, level: String?) -> Bool {
    guard let covariate else { return analysis.totalObservedSuppressed }
    return analysis.tables.first { $0.covariate == covariate }?.rows
      .first { $0.estimate.level == level }?.observedSuppressed ?? false
  }
}

extension IntervalEstimate {
  /// The method's key in JSON and CSV.
  package var key: String { method.key }
  /// The method's name in text.
  package var name: String { method.displayName }
}
