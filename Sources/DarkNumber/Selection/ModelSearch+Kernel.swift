import DarkNumberLinearAlgebra
import RealModule

extension ModelSearch {
  /// What every fit of one search shares: the design of all candidate terms over the observable
  /// cells, the counts, `Σ log y!`, and which columns have a zero sufficient statistic (MLE −∞).
  /// A model's design is a selection of these columns, so nothing is rebuilt or named per model.
  struct Kernel: Sendable {
    let design: Matrix
    let column: [UInt32: Int]
    let counts: [Double]
    let logFactorials: Double
    let zeroStatistic: [Bool]
    let columnNames: [String]
    let listCount: Int
    let observedTotal: Int

    init(data: CaptureData, terms: [UInt32]) {
      let all = LogLinearModel(listCount: data.listCount, closedInteractions: terms)
      let full = DesignMatrix(model: all, listNames: data.listNames)
      design = full.matrix
      columnNames = full.columnNames
      column = Dictionary(
        uniqueKeysWithValues: all.interactions.enumerated().map { ($1, 1 + data.listCount + $0) })
      let y = data.denseCounts()
      counts = y
      var constant = 0.0
      for count in y where count > 1 { constant += Double.logGamma(count + 1) }
      logFactorials = constant
      let matrix = full.matrix
      zeroStatistic = (0..<matrix.columns).map { j in
        j > 0 && (0..<matrix.rows).allSatisfy { matrix[$0, j] == 0 || y[$0] == 0 }
      }
      listCount = data.listCount
      observedTotal = data.observedTotal
    }

    /// The entry for `model`, or `nil` when its design is rank deficient after removing −∞
    /// columns (the general `LogLinearModel.fit(to:)` handles that case).
    func fit(
      _ model: LogLinearModel, index: Int, options: FitOptions, engine: inout PoissonIRLS
    ) throws(EstimationError) -> Entry? {
      let columns = Array(0...listCount) + model.interactions.map { column[$0] ?? 0 }
      let boundary = columns.filter { zeroStatistic[$0] }
      let kept = boundary.isEmpty ? columns : columns.filter { !zeroStatistic[$0] }
      let rows = boundary.isEmpty
        ? Array(0..<design.rows)
        : (0..<design.rows).filter { row in boundary.allSatisfy { design[row, $0] == 0 } }
      // Full column rank without −∞ columns: see `PoissonIRLS.init(design:rankTolerance:knownFullRank:)`.
      try engine.load(rows: rows.count, columns: kept.count, knownFullRank: boundary.isEmpty) {
        reduced in
        for (b, j) in kept.enumerated() {
          for (a, i) in rows.enumerated() { reduced[a, b] = design[i, j] }
        }
      }
      guard engine.rank == kept.count else { return nil }
      let result = try engine.fit(counts: rows.map { counts[$0] }, options: options)
      let variance = result.covariance[0, 0]
      let atZero = try options.unobservedCountIsZero(
        intercept: result.coefficients[0], interceptVariance: variance)
      let unobserved = Double.exp(result.coefficients[0])
      let logLikelihood = result.logLikelihoodKernel - logFactorials
      let rank = kept.count + boundary.count
      let cells = design.rows
      var warnings: [FitWarning] = []
      if !result.converged {
        warnings.append(.didNotConverge(iterations: result.iterations, relativeChange: result.relativeChange))
      }
      if !boundary.isEmpty { warnings.append(.infiniteParameters(boundary.map { columnNames[$0] })) }
      if atZero { warnings.append(.unobservedCountAtZero) }
      return Entry(
        index: index, model: model, total: Double(observedTotal) + unobserved,
        standardError: (unobserved + unobserved * unobserved * variance).squareRoot(),
        deviance: result.deviance, degreesOfFreedom: cells - rank,
        aic: InformationCriterion.aic.value(
          logLikelihood: logLikelihood, parameters: rank, cells: cells, observed: observedTotal),
        aicc: InformationCriterion.aicc.value(
          logLikelihood: logLikelihood, parameters: rank, cells: cells, observed: observedTotal),
        bic: InformationCriterion.bic.value(
          logLikelihood: logLikelihood, parameters: rank, cells: cells, observed: observedTotal),
        warnings: warnings)
    }
  }
}
