package import DarkNumber
import Foundation

/// The versioned JSON document of `darknumber estimate` (schema version 1). Field names are
/// stable and documented in docs/cli.md.
package struct EstimateDocument: Encodable {
  package struct DataSection: Encodable {
    let source: String
    let lists: [String]
    let listTotals: [Int]
    let observed: Int
    let observedHistories: Int
  }
  package struct ModelSection: Encodable {
    let specification: String
    let terms: [String]
    let parameters: Int
  }
  package struct EstimateSection: Encodable {
    let total: Double
    let unobserved: Double
    let standardError: Double
  }
  package struct IntervalEntry: Encodable {
    let method: String
    let level: Double
    let lower: Double?
    let upper: Double?
    let upperUnbounded: Bool
    let estimate: Double
    let notes: [String]
  }
  package struct CoefficientEntry: Encodable {
    let name: String
    let estimate: Double?
    let standardError: Double?
    let atBoundary: Bool

    /// The entry of `coefficient`; −∞ (at the boundary) and non-finite values become `null`.
    init(_ coefficient: Coefficient) {
      name = coefficient.name
      estimate = coefficient.estimate.flatMap { $0.isFinite ? $0 : nil }
      standardError = coefficient.standardError.flatMap { $0.isFinite ? $0 : nil }
      atBoundary = coefficient.atBoundary
    }
  }
  /// A fit's ``GoodnessOfFit`` (p-values `null` for a saturated model).
  package struct GoodnessSection: Encodable {
    let deviance: Double
    let degreesOfFreedom: Int
    let pValue: Double?
    let pearson: Double
    let pearsonPValue: Double?
    let poorFit: Bool

    /// The section of `goodness`.
    package init(_ goodness: GoodnessOfFit) {
      deviance = goodness.deviance
      degreesOfFreedom = goodness.degreesOfFreedom
      pValue = goodness.pValue
      pearson = goodness.pearson
      pearsonPValue = goodness.pearsonPValue
      poorFit = goodness.isPoor
    }
  }
  package struct FitSection: Encodable {
    let deviance: Double
    let degreesOfFreedom: Int
    let goodnessOfFit: GoodnessSection
    let logLikelihood: Double
    let aic: Double
    let bic: Double
    let converged: Bool
    let iterations: Int
    let rank: Int
    let coefficients: [CoefficientEntry]
  }
  package struct TwoListEntry: Encodable {
    let estimator: String
    let total: Double
    let standardError: Double
    let intervals: [IntervalEntry]
  }

  package let schemaVersion = 1
  package let version = DarkNumberVersion.string
  package let command = "estimate"
  package let data: DataSection
  package let model: ModelSection
  package let estimate: EstimateSection
  package let intervals: [IntervalEntry]
  package let fit: FitSection
  package let twoList: [TwoListEntry]
  package let warnings: [String]

  package static func entry(_ interval: IntervalEstimate) -> IntervalEntry {
    IntervalEntry(
      method: interval.method.key, level: interval.level, lower: interval.lower.value,
      upper: interval.upper.value, upperUnbounded: interval.upper == .unbounded,
      estimate: interval.estimate, notes: interval.notes.map(\.description))
  }
}

extension EstimateReport {
  /// The JSON document, pretty-printed with sorted keys.
  package func json() throws -> String {
    let document = EstimateDocument(
      data: .init(
        source: source, lists: data.listNames, listTotals: (0..<data.listCount).map(data.listTotal),
        observed: data.observedTotal, observedHistories: data.cells.count),
      model: .init(
        specification: fit.model.description,
        terms: Array(fit.coefficients.dropFirst().map(\.name)), parameters: fit.model.parameterCount),
      estimate: .init(total: fit.total, unobserved: fit.unobserved, standardError: fit.standardError),
      intervals: intervals.map(EstimateDocument.entry),
      fit: .init(
        deviance: fit.deviance, degreesOfFreedom: fit.degreesOfFreedom,
        goodnessOfFit: .init(fit.goodnessOfFit), logLikelihood: fit.logLikelihood, aic: fit.aic, bic: fit.bic,
        converged: fit.converged,
        iterations: fit.iterations, rank: fit.rank,
        coefficients: fit.coefficients.map(EstimateDocument.CoefficientEntry.init)),
      twoList: twoListEstimates.map { estimate, intervals in
        .init(
          estimator: estimate.estimator.rawValue, total: estimate.total,
          standardError: estimate.standardError, intervals: intervals.map(EstimateDocument.entry))
      },
      warnings: warnings)
    return try JSONText.encode(document)
  }
}
