package import DarkNumber
import Foundation

/// Everything `estimate` prints, computed once and rendered as text, JSON or CSV.
package struct EstimateReport: Report {
  package let source: String
  package let data: CaptureData
  package let fit: LogLinearFit
  package let intervals: [IntervalEstimate]
  /// The two-list estimators with their Wald and log-normal intervals (two lists only).
  package let twoList: [TwoListEstimate.Row]
  package let level: Double
  /// The model's existence check, when the command ran one: the warnings then carry its verdict.
  package var existence: ExistenceCheck? = nil

  package static func make(
    data: CaptureData, source: String, modelSpecification: String, methods: [IntervalMethod],
    level: Double, options: FitOptions = FitOptions()
  ) throws -> EstimateReport {
    let model = try LogLinearModel(specification: modelSpecification, listNames: data.listNames)
    return try make(
      data: data, source: source, fit: try model.fit(to: data, options: options), methods: methods, level: level)
  }

  /// The report of an existing fit.
  package static func make(
    data: CaptureData, source: String, fit: LogLinearFit, methods: [IntervalMethod], level: Double
  ) throws -> EstimateReport {
    var intervals: [IntervalEstimate] = []
    for method in methods where !intervals.contains(where: { $0.method == method }) {
      intervals.append(try fit.interval(method, level: level))
    }
    let twoList = data.listCount == 2 ? try TwoListEstimate.all(data: data, level: level) : []
    return EstimateReport(
      source: source, data: data, fit: fit, intervals: intervals, twoList: twoList, level: level)
  }

  /// The two-list estimates that exist.
  package var twoListEstimates: [(estimate: TwoListEstimate, intervals: [IntervalEstimate])] {
    twoList.compactMap { row in
      guard case .success(let estimate) = row.outcome else { return nil }
      return (estimate, row.intervals)
    }
  }

  /// Every warning as a sentence: the fit's, the intervals', and why a two-list estimator has none.
  package var warnings: [String] {
    var result = fit.warningSentences(checkedBy: existence)
    for interval in intervals {
      for note in interval.notes { result.append("\(interval.method.displayName): \(note)") }
    }
    for row in twoList {
      if case .failure(let error) = row.outcome { result.append("\(row.estimator.displayName): \(error)") }
    }
    return result
  }
}
