public import DarkNumberLinearAlgebra
import RealModule

/// A fitted Poisson log-linear model for a capture–recapture table, with its estimate of the
/// population size.
///
/// `N̂ = n + exp(β̂₀)`: the observed total plus the fitted count of the unobservable all-zero cell.
/// Its standard error is Rcapture's, `SE(N̂) = √(exp(β̂₀) + exp(2β̂₀) Var β̂₀)` (the Poisson
/// variance of the unobserved count plus the delta-method variance of its estimate; Rivest &
/// Baillargeon 2007, Rcapture). Deviance, AIC and BIC are those of R's `glm` on the `2ᴷ − 1`
/// observable cells, as Rcapture reports them.
public struct LogLinearFit: Sendable {
  /// The model fitted.
  public let model: LogLinearModel
  /// The data fitted.
  public let data: CaptureData
  /// How it was fitted.
  public let options: FitOptions
  /// The coefficients in design order: intercept, main effects, interactions.
  public let coefficients: [Coefficient]
  /// The asymptotic covariance of the coefficients, `(XᵀWX)⁻¹` at the estimate.
  public let covariance: Matrix
  /// The fitted counts of the observable cells: entry `h − 1` for history bitmask `h`.
  public let fittedValues: [Double]
  /// `D = 2 Σ [y log(y/μ̂) − (y − μ̂)]` over the observable cells.
  public let deviance: Double
  /// Residual degrees of freedom: observable cells minus the rank of the design.
  public let degreesOfFreedom: Int
  /// The Poisson log-likelihood `Σ [y log μ̂ − μ̂ − log y!]`.
  public let logLikelihood: Double
  /// The rank of the design.
  public let rank: Int
  /// IRLS iterations used.
  public let iterations: Int
  /// Whether IRLS converged.
  public let converged: Bool
  /// Caveats.
  public let warnings: [FitWarning]

  /// The number of parameters counted by AIC/BIC (the design's rank, as R's `glm`).
  public var parameterCount: Int { rank }
  /// `AIC = −2ℓ + 2p` (R `glm`'s `aic` plus `2p`, as Rcapture).
  public var aic: Double { -2 * logLikelihood + 2 * Double(rank) }
  /// `BIC = −2ℓ + p log n` with `n` the observed total (as Rcapture).
  public var bic: Double { -2 * logLikelihood + Double(rank) * .log(Double(data.observedTotal)) }
  /// The log of the unobserved count, `β̂₀`.
  public var logUnobserved: Double { coefficients[0].estimate ?? .nan }
  /// The estimated number of unobserved individuals, `exp(β̂₀)`.
  public var unobserved: Double { .exp(logUnobserved) }
  /// The estimated population size `N̂ = n + exp(β̂₀)`.
  public var total: Double { Double(data.observedTotal) + unobserved }
  /// `Var β̂₀`.
  public var interceptVariance: Double { covariance[0, 0] }
  /// `SE(N̂) = √(exp(β̂₀) + exp(2β̂₀) Var β̂₀)`.
  public var standardError: Double {
    (unobserved + unobserved * unobserved * interceptVariance).squareRoot()
  }
}

extension LogLinearModel {
  /// The largest number of lists for which all `2ᴷ − 1` cells are fitted.
  public static let maximumFittedListCount = 20

  /// Fits the model to `data` by Poisson IRLS on all `2ᴷ − 1` observable cells (zeros included).
  ///
  /// - Throws: ``EstimationError`` when the model does not match the data, the table is too
  ///   large, the unobserved count is not identifiable, or the iterations diverge.
  public func fit(to data: CaptureData, options: FitOptions = FitOptions())
    throws(EstimationError) -> LogLinearFit
  {
    guard listCount == data.listCount else {
      throw .modelDoesNotMatchData(modelLists: listCount, dataLists: data.listCount)
    }
    guard listCount <= Self.maximumFittedListCount else {
      throw .tooManyLists(listCount, limit: Self.maximumFittedListCount)
    }
    let cells = (1 << listCount) - 1
    guard parameterCount < cells + 1 else {
      throw .saturatedModel(parameters: parameterCount, cells: cells)
    }
    let design = DesignMatrix(model: self, listNames: data.listNames)
    var engine = try PoissonIRLS(
      design: design.matrix, rankTolerance: options.rankTolerance, knownFullRank: true)
    guard engine.estimable[0] else { throw .interceptNotIdentifiable }
    let y = data.denseCounts()
    let result = try engine.fit(counts: y, options: options)
    // An intercept with a huge standard error runs off to ±∞: to +∞ the unobserved count is
    // infinite (no estimate); to −∞ it is zero (N̂ = n, at the boundary, reported as a warning).
    let interceptError = result.covariance[0, 0].squareRoot()
    let unobservedAtZero = interceptError > options.maximumLogUnobservedStandardError
      && result.coefficients[0] < 0
    guard interceptError <= options.maximumLogUnobservedStandardError || unobservedAtZero else {
      throw .estimateDoesNotExist(standardErrorOfLogUnobserved: interceptError)
    }

    // Parameters whose sufficient statistic Σ_h y_h x_hj is zero have MLE −∞.
    var boundary = [Bool](repeating: false, count: design.columnNames.count)
    for j in 1..<design.columnNames.count {
      var statistic = 0.0
      for i in 0..<cells where design.matrix[i, j] != 0 { statistic += y[i] }
      boundary[j] = statistic == 0
    }
    var coefficients: [Coefficient] = []
    for j in 0..<design.columnNames.count {
      let ok = engine.estimable[j]
      coefficients.append(
        Coefficient(
          name: design.columnNames[j], estimate: ok ? result.coefficients[j] : nil,
          standardError: ok ? result.covariance[j, j].squareRoot() : nil,
          atBoundary: ok && boundary[j]))
    }
    var logLikelihood = 0.0
    for i in 0..<cells {
      let mu = result.fitted[i]
      logLikelihood += (y[i] > 0 ? y[i] * .log(mu) : 0) - mu - Double.logGamma(y[i] + 1)
    }
    var warnings = data.warnings.map(FitWarning.data)
    if !result.converged {
      warnings.append(.didNotConverge(iterations: result.iterations, relativeChange: result.relativeChange))
    }
    if engine.rank < parameterCount {
      let aliased = coefficients.filter { $0.estimate == nil }.map(\.name)
      warnings.append(.rankDeficient(rank: engine.rank, parameters: parameterCount, aliased: aliased))
    }
    if unobservedAtZero { warnings.append(.unobservedCountAtZero) }
    let infinite = coefficients.filter(\.atBoundary).map(\.name)
    if !infinite.isEmpty { warnings.append(.infiniteParameters(infinite)) }
    let zeroCells = result.fitted.filter { $0 < options.zeroFittedValue }.count
    if zeroCells > 0 && infinite.isEmpty { warnings.append(.fittedValuesNumericallyZero(cells: zeroCells)) }
    return LogLinearFit(
      model: self, data: data, options: options, coefficients: coefficients,
      covariance: result.covariance, fittedValues: result.fitted, deviance: result.deviance,
      degreesOfFreedom: cells - engine.rank, logLikelihood: logLikelihood, rank: engine.rank,
      iterations: result.iterations, converged: result.converged, warnings: warnings)
  }
}
