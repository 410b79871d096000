import DarkNumber
import Foundation

/// What `estimate --covariates` and `select --covariates` print: one ``CovariateAnalysis``
/// (computed by the library), rendered as text, JSON or CSV.
struct CovariateReport: Report {
  typealias LevelRow = CovariateAnalysis.LevelRow

  let command: String
  let source: String
  let analysis: CovariateAnalysis

  var data: CovariateCaptureData { analysis.data }
  var fit: CovariateFit { analysis.fit }
  var em: CovariateEMFit? { analysis.em }
  var selection: CovariateSelection? { analysis.selection }
  var reselection: CovariateSelectionBootstrap? { analysis.reselection }
  var bootstrap: CovariateBootstrap? { analysis.bootstrap }
  var totalIntervals: [IntervalEstimate] { analysis.totalIntervals }
  var verdicts: [CovariateCollapsibility.Verdict] { analysis.verdicts }
  var strata: [StratifiedComparison] { analysis.strata }
  var level: Double { analysis.settings.level }
  var threshold: Int? { analysis.settings.suppressBelow }
  var warnings: [String] { analysis.warnings }
  var breakdown: [(covariate: String, rows: [LevelRow])] { analysis.tables.map { ($0.covariate, $0.rows) } }

  /// The observed count of a level (or the total for `nil`) as text, `<k` when hidden.
  func observedText(covariate: String?, level: String?, value: Double, digits: Int) -> String {
    isHidden(covariate: covariate, level: level) ? "<\(threshold ?? 0)" : NumberText.grouped(value, digits: digits)
  }

  /// Whether that observed count is hidden.
  func isHidden(covariate: String?, level: String?) -> Bool {
    guard let covariate else { return analysis.totalObservedSuppressed }
    return analysis.tables.first { $0.covariate == covariate }?.rows
      .first { $0.estimate.level == level }?.observedSuppressed ?? false
  }
}

extension IntervalEstimate {
  /// The method's key in JSON and CSV.
  var key: String { method.key }
  /// The method's name in text.
  var name: String { method.displayName }
}
