import DarkNumberLinearAlgebra
import RealModule

/// A Poisson log-linear fit of any design over the `2ᴷ − 1` observable cells, with everything the
/// public fit types report: coefficients and their standard errors, the Poisson log-likelihood,
/// degrees of freedom and the warnings that apply to every model (non-convergence, aliasing,
/// parameters at −∞, fitted counts numerically zero). The shared core of ``LogLinearFit`` and
/// ``ClosedPopulationFit``.
struct CellFit: Sendable {
  var columnNames: [String]
  var coefficients: [Coefficient]
  var estimates: [Double]
  var covariance: Matrix
  var fitted: [Double]
  var deviance: Double
  /// Pearson's `X² = Σ (y − μ̂)²/μ̂` over the cells with `μ̂ > 0` (the cells of a −∞ parameter have
  /// `y = μ̂ = 0` and add nothing).
  var pearson: Double
  var logLikelihood: Double
  var rank: Int
  var iterations: Int
  var converged: Bool
  var warnings: [FitWarning]

  /// Residual degrees of freedom: cells minus rank.
  var degreesOfFreedom: Int { fitted.count - rank }

  /// Pearson's `X²` of counts `y` against fitted counts `μ̂` (same order), over the cells with
  /// `μ̂ > 0`.
  static func pearson(counts y: [Double], fitted: [Double]) -> Double {
    var sum = 0.0
    for (observed, expected) in zip(y, fitted) where expected > 0 {
      let residual = observed - expected
      sum += residual * residual / expected
    }
    return sum
  }

  /// Fits `design` (rows: observable cells) to `counts`.
  ///
  /// A parameter of a non-negative column whose sufficient statistic `Σ_h y_h x_hj` is zero has
  /// its MLE at −∞: its column and the cells it covers (all with count 0) are removed before the
  /// fit, which gives the exact limit — fitted counts 0 there, every other parameter at the MLE of
  /// the remaining cells (the treatment of non-overlapping lists in Chan, Silverman & Vincent 2021,
  /// JASA 116:1297) — instead of iterating towards −∞. Such parameters are reported with estimate
  /// −∞ and ``Coefficient/atBoundary``, and count in the rank and the degrees of freedom as R's
  /// `glm` counts them.
  static func fit(
    design: Matrix, columnNames: [String], counts y: [Double], knownFullRank: Bool,
    offset: [Double] = [], options: FitOptions
  ) throws(EstimationError) -> CellFit {
    let cells = design.rows
    let reduction = BoundaryReduction(design: design, counts: y)
    var engine = try PoissonIRLS(
      design: reduction.design, rankTolerance: options.rankTolerance,
      knownFullRank: knownFullRank && reduction.boundaryColumns.isEmpty,
      offset: offset.isEmpty ? [] : reduction.keptRows.map { offset[$0] })
    if engine.rank < reduction.design.columns {
      guard engine.estimable[0] else { throw .interceptNotIdentifiable }
      try Self.requireEstimableIntercept(reduction.design, rankTolerance: options.rankTolerance)
    }
    let reduced = try engine.fit(counts: reduction.keptRows.map { y[$0] }, options: options)
    var fitted = [Double](repeating: 0, count: cells)
    for (i, row) in reduction.keptRows.enumerated() { fitted[row] = reduced.fitted[i] }
    return assemble(
      columnNames: columnNames, keptColumns: reduction.keptColumns,
      estimates: reduced.coefficients, estimable: engine.estimable,
      covariance: { reduced.covariance[$0, $1] }, boundaryColumns: reduction.boundaryColumns,
      fitted: fitted, deviance: reduced.deviance, pearson: pearson(counts: y, fitted: fitted),
      logLikelihood: reduced.logLikelihoodKernel - Poisson.logFactorialSum(y), keptRank: engine.rank,
      iterations: reduced.iterations, converged: reduced.converged,
      relativeChange: reduced.relativeChange, options: options)
  }

  /// The fit of the hierarchical model with `terms` (``LogLinearModel/latticeTerms``) over
  /// `listCount` lists by ``LatticeIRLS``, which needs no design matrix, or `nil` when that fit
  /// cannot be made (rank deficient once −∞ terms are removed, or numerically singular);
  /// ``fit(design:columnNames:counts:knownFullRank:offset:options:)`` then answers.
  static func lattice(
    terms: [UInt32], listCount: Int, columnNames: [String], counts y: [Double],
    options: FitOptions
  ) -> CellFit? {
    LatticeWorkspacePool.shared.withWorkspace(listCount: listCount) { engine in
      let counts = [0] + y
      guard
        let result = engine.fit(terms: terms, counts: counts, options: options, covariance: .full),
        let covariance = result.covariance
      else { return nil }
      // Terms are few: find each one's column by a scan rather than a hash table.
      let column = { (term: UInt32) in terms.firstIndex(of: term)! }
      let p = result.finiteTerms.count
      let fitted = (1..<counts.count).map { engine.fitted($0) }
      return assemble(
        columnNames: columnNames, keptColumns: result.finiteTerms.map(column),
        estimates: result.coefficients, estimable: [Bool](repeating: true, count: p),
        covariance: { covariance[$0 + $1 * p] },
        boundaryColumns: result.boundaryTerms.map(column),
        fitted: fitted, deviance: result.deviance, pearson: pearson(counts: y, fitted: fitted),
        logLikelihood: result.logLikelihoodKernel - engine.logFactorialSum, keptRank: p,
        iterations: result.iterations, converged: result.converged,
        relativeChange: result.relativeChange, options: options)
    }
  }

  /// The fit from the reduced fit's pieces: the kept columns' estimates, estimability and
  /// covariance (indexed by position among the kept columns), the −∞ columns, the fitted counts
  /// of all cells, the log-likelihood over all cells (removed cells have `y = 0` and `μ = 0`),
  /// and the warnings every model shares.
  static func assemble(
    columnNames: [String], keptColumns: [Int], estimates reducedEstimates: [Double],
    estimable reducedEstimable: [Bool], covariance reducedCovariance: (Int, Int) -> Double,
    boundaryColumns: [Int], fitted: [Double], deviance: Double, pearson: Double, logLikelihood: Double,
    keptRank: Int, iterations: Int, converged: Bool,
    relativeChange: Double, options: FitOptions
  ) -> CellFit {
    let p = columnNames.count
    var estimates = [Double](repeating: -.infinity, count: p)
    var estimable = [Bool](repeating: true, count: p)
    var covariance = Matrix(rows: p, columns: p)
    for (a, column) in keptColumns.enumerated() {
      estimates[column] = reducedEstimable[a] ? reducedEstimates[a] : .nan
      estimable[column] = reducedEstimable[a]
      for (b, other) in keptColumns.enumerated() { covariance[column, other] = reducedCovariance(a, b) }
    }
    var coefficients: [Coefficient] = []
    coefficients.reserveCapacity(p)
    for j in 0..<p {
      let atBoundary = boundaryColumns.contains(j)
      coefficients.append(
        Coefficient(
          name: columnNames[j], estimate: estimable[j] ? estimates[j] : nil,
          standardError: estimable[j] && !atBoundary ? covariance[j, j].squareRoot() : nil,
          atBoundary: atBoundary))
    }
    let rank = keptRank + boundaryColumns.count
    var warnings: [FitWarning] = []
    if !converged {
      warnings.append(.didNotConverge(iterations: iterations, relativeChange: relativeChange))
    }
    if rank < p {
      let aliased = coefficients.filter { $0.estimate == nil }.map(\.name)
      warnings.append(.rankDeficient(rank: rank, parameters: p, aliased: aliased))
    }
    let infinite = coefficients.filter(\.atBoundary).map(\.name)
    if !infinite.isEmpty { warnings.append(.infiniteParameters(infinite)) }
    let zeroCells = fitted.reduce(0) { $1 < options.zeroFittedValue ? $0 + 1 : $0 }
    if zeroCells > 0 && infinite.isEmpty {
      warnings.append(.fittedValuesNumericallyZero(cells: zeroCells))
    }
    return CellFit(
      columnNames: columnNames, coefficients: coefficients, estimates: estimates,
      covariance: covariance, fitted: fitted, deviance: deviance, pearson: pearson, logLikelihood: logLikelihood,
      rank: rank, iterations: iterations, converged: converged, warnings: warnings)
  }
}

extension CellFit {
  /// Throws unless the intercept (`log` of the unobserved count) is estimable from a
  /// rank-deficient design: `e₀` must lie in the row space of `X`, i.e. appending the row `e₀ᵀ`
  /// must not raise the rank (Searle 1971, §5.4). Which column pivoted QR happens to alias says
  /// nothing about this.
  static func requireEstimableIntercept(_ design: Matrix, rankTolerance: Double)
    throws(EstimationError)
  {
    var augmented = Matrix(rows: design.rows + 1, columns: design.columns)
    for j in 0..<design.columns {
      for i in 0..<design.rows { augmented[i, j] = design[i, j] }
    }
    augmented[design.rows, 0] = 1
    do {
      let rank = try PivotedQR(design, tolerance: rankTolerance).rank
      let augmentedRank = try PivotedQR(augmented, tolerance: rankTolerance).rank
      if augmentedRank > rank { throw EstimationError.interceptNotIdentifiable }
    } catch let error as LinearAlgebraError {
      throw .numerical(error)
    } catch {
      throw .interceptNotIdentifiable
    }
  }
}

/// The columns of a design whose MLE is −∞ (non-negative, with a zero sufficient statistic) and
/// the cells they cover, removed.
struct BoundaryReduction: Sendable {
  /// Original indices of the −∞ columns.
  let boundaryColumns: [Int]
  /// Original indices of the remaining columns.
  let keptColumns: [Int]
  /// Original indices of the remaining rows.
  let keptRows: [Int]
  /// The design restricted to the kept rows and columns.
  let design: Matrix

  /// Finds the −∞ columns of `design` for `counts` among columns `firstCandidate…` (column 0,
  /// the intercept, is never one). `protectedRows` are kept whatever their counts (the profile's
  /// all-zero cell).
  init(design: Matrix, counts y: [Double], protectedRows: Set<Int> = [], firstCandidate: Int = 1) {
    var boundary: [Int] = []
    let rows = design.rows
    let isProtected = (0..<rows).map { protectedRows.contains($0) }
    for j in max(firstCandidate, 1)..<max(design.columns, 1) {
      var nonNegative = true
      var statistic = 0.0
      let offset = j * rows
      for i in 0..<rows {
        let x = design.elements[offset + i]
        if x < 0 { nonNegative = false }
        if x != 0 && !isProtected[i] { statistic += y[i] }
      }
      if nonNegative && statistic == 0 { boundary.append(j) }
    }
    boundaryColumns = boundary
    guard !boundary.isEmpty else {
      keptColumns = Array(0..<design.columns)
      keptRows = Array(0..<design.rows)
      self.design = design
      return
    }
    let removed = Set(boundary)
    keptColumns = (0..<design.columns).filter { !removed.contains($0) }
    keptRows = (0..<design.rows).filter { i in boundary.allSatisfy { design[i, $0] == 0 } }
    var reduced = Matrix(rows: keptRows.count, columns: keptColumns.count)
    for (b, column) in keptColumns.enumerated() {
      for (a, row) in keptRows.enumerated() { reduced[a, b] = design[row, column] }
    }
    self.design = reduced
  }
}
