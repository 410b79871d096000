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
  var logLikelihood: Double
  var rank: Int
  var iterations: Int
  var converged: Bool
  var warnings: [FitWarning]

  /// Residual degrees of freedom: cells minus rank.
  var degreesOfFreedom: Int { fitted.count - rank }

  /// Fits `design` (rows: observable cells) to `counts`.
  ///
  /// A parameter of a non-negative column whose sufficient statistic `Σ_h y_h x_hj` is zero has
  /// its MLE at −∞; it is flagged (``Coefficient/atBoundary``) and reported.
  static func fit(
    design: Matrix, columnNames: [String], counts y: [Double], knownFullRank: Bool,
    options: FitOptions
  ) throws(EstimationError) -> CellFit {
    let cells = design.rows
    var engine = try PoissonIRLS(
      design: design, rankTolerance: options.rankTolerance, knownFullRank: knownFullRank)
    let result = try engine.fit(counts: y, options: options)
    var coefficients: [Coefficient] = []
    for j in 0..<design.columns {
      var nonNegative = true
      var statistic = 0.0
      for i in 0..<cells {
        let x = design[i, j]
        if x < 0 { nonNegative = false }
        if x != 0 { statistic += y[i] }
      }
      let estimable = engine.estimable[j]
      coefficients.append(
        Coefficient(
          name: columnNames[j], estimate: estimable ? result.coefficients[j] : nil,
          standardError: estimable ? result.covariance[j, j].squareRoot() : nil,
          atBoundary: estimable && j > 0 && nonNegative && statistic == 0))
    }
    var logLikelihood = 0.0
    for i in 0..<cells {
      let mu = result.fitted[i]
      logLikelihood += (y[i] > 0 ? y[i] * .log(mu) : 0) - mu - Double.logGamma(y[i] + 1)
    }
    var warnings: [FitWarning] = []
    if !result.converged {
      warnings.append(.didNotConverge(iterations: result.iterations, relativeChange: result.relativeChange))
    }
    if engine.rank < design.columns {
      let aliased = coefficients.filter { $0.estimate == nil }.map(\.name)
      warnings.append(.rankDeficient(rank: engine.rank, parameters: design.columns, aliased: aliased))
    }
    let infinite = coefficients.filter(\.atBoundary).map(\.name)
    if !infinite.isEmpty { warnings.append(.infiniteParameters(infinite)) }
    let zeroCells = result.fitted.filter { $0 < options.zeroFittedValue }.count
    if zeroCells > 0 && infinite.isEmpty {
      warnings.append(.fittedValuesNumericallyZero(cells: zeroCells))
    }
    return CellFit(
      columnNames: columnNames, coefficients: coefficients, estimates: result.coefficients,
      covariance: result.covariance, fitted: result.fitted, deviance: result.deviance,
      logLikelihood: logLikelihood, rank: engine.rank, iterations: result.iterations,
      converged: result.converged, warnings: warnings)
  }
}
