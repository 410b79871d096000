import DarkNumberLinearAlgebra
import RealModule

extension ModelSearch {
  /// What every fit of one search shares: the design of all candidate terms over the observable
  /// cells, the counts, `Σ log y!`, and which columns have a zero sufficient statistic (MLE −∞).
  /// A model's design is a selection of these columns, so nothing is rebuilt or named per model.
  struct Kernel: Sendable {
    let design: Matrix
    let column: [UInt32: Int]
    /// The term (bitmask of lists; 0 for the intercept) of each design column.
    let term: [UInt32]
    let counts: [Double]
    /// The counts indexed by history (`2ᴷ` entries, entry 0 unused), for ``LatticeIRLS``.
    let countsByHistory: [Double]
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
      term = [0] + (0..<data.listCount).map { UInt32(1) << UInt32($0) } + all.interactions
      column = Dictionary(
        uniqueKeysWithValues: all.interactions.enumerated().map { ($1, 1 + data.listCount + $0) })
      let y = data.denseCounts()
      counts = y
      countsByHistory = [0] + y
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
    ///
    /// Fitted by ``LatticeIRLS``; by ``PoissonIRLS`` on the reduced design (with a rank check)
    /// only when the lattice fit finds the normal equations numerically singular.
    func fit(
      _ model: LogLinearModel, index: Int, options: FitOptions, engine: inout Workspace
    ) throws(EstimationError) -> Entry? {
      let columns = Array(0...listCount) + model.interactions.map { column[$0] ?? 0 }
      let boundary = columns.filter { zeroStatistic[$0] }
      // The kept terms and the kept cells are both closed under subsets, so the reduced design
      // has full column rank unless it is saturated on the kept cells (Möbius inversion on them:
      // a vanishing combination has coefficients ±c on every kept cell and on ∅).
      let boundaryTerms = boundary.map { term[$0] }
      var keptCells = 0
      for h in 1..<UInt32(1 << listCount) where !boundaryTerms.contains(where: { h & $0 == $0 }) {
        keptCells += 1
      }
      guard columns.count - boundary.count <= keptCells else { return nil }
      let terms = columns.filter { !zeroStatistic[$0] }.map { term[$0] }
      if let result = engine.lattice.fit(
        terms: terms, boundary: boundaryTerms, counts: countsByHistory, options: options)
      {
        return try entry(
          model: model, index: index, options: options, boundary: boundary,
          parameters: columns.count, intercept: result.coefficients[0],
          interceptVariance: result.interceptVariance ?? .nan, deviance: result.deviance,
          kernel: result.logLikelihoodKernel, iterations: result.iterations,
          converged: result.converged, relativeChange: result.relativeChange)
      }
      let kept = boundary.isEmpty ? columns : columns.filter { !zeroStatistic[$0] }
      let rows = boundary.isEmpty
        ? Array(0..<design.rows)
        : (0..<design.rows).filter { row in boundary.allSatisfy { design[row, $0] == 0 } }
      // Full column rank without −∞ columns: see `PoissonIRLS.init(design:rankTolerance:knownFullRank:)`.
      try engine.general.load(rows: rows.count, columns: kept.count, knownFullRank: boundary.isEmpty) {
        reduced in
        for (b, j) in kept.enumerated() {
          for (a, i) in rows.enumerated() { reduced[a, b] = design[i, j] }
        }
      }
      guard engine.general.rank == kept.count else { return nil }
      let result = try engine.general.fit(counts: rows.map { counts[$0] }, options: options)
      return try entry(
        model: model, index: index, options: options, boundary: boundary,
        parameters: kept.count + boundary.count, intercept: result.coefficients[0],
        interceptVariance: result.covariance[0, 0], deviance: result.deviance,
        kernel: result.logLikelihoodKernel, iterations: result.iterations,
        converged: result.converged, relativeChange: result.relativeChange)
    }

    /// The entry of a converged fit with `parameters` terms (finite and −∞).
    private func entry(
      model: LogLinearModel, index: Int, options: FitOptions, boundary: [Int], parameters rank: Int,
      intercept: Double, interceptVariance variance: Double, deviance: Double, kernel: Double,
      iterations: Int, converged: Bool, relativeChange: Double
    ) throws(EstimationError) -> Entry {
      let atZero = try options.unobservedCountIsZero(intercept: intercept, interceptVariance: variance)
      let unobserved = Double.exp(intercept)
      let logLikelihood = kernel - logFactorials
      let cells = design.rows
      var warnings: [FitWarning] = []
      if !converged {
        warnings.append(.didNotConverge(iterations: iterations, relativeChange: relativeChange))
      }
      if !boundary.isEmpty { warnings.append(.infiniteParameters(boundary.map { columnNames[$0] })) }
      if atZero { warnings.append(.unobservedCountAtZero) }
      return Entry(
        index: index, model: model, total: Double(observedTotal) + unobserved,
        standardError: (unobserved + unobserved * unobserved * variance).squareRoot(),
        deviance: deviance, degreesOfFreedom: cells - rank,
        aic: InformationCriterion.aic.value(
          logLikelihood: logLikelihood, parameters: rank, cells: cells, observed: observedTotal),
        aicc: InformationCriterion.aicc.value(
          logLikelihood: logLikelihood, parameters: rank, cells: cells, observed: observedTotal),
        bic: InformationCriterion.bic.value(
          logLikelihood: logLikelihood, parameters: rank, cells: cells, observed: observedTotal),
        warnings: warnings)
    }
  }

  /// One task's fitting engines, reused for every model it fits.
  struct Workspace {
    var lattice: LatticeIRLS
    var general: PoissonIRLS

    init(listCount: Int, rankTolerance: Double) {
      lattice = LatticeIRLS(listCount: listCount)
      general = PoissonIRLS(rankTolerance: rankTolerance)
    }
  }
}
