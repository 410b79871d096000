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
  /// Pearson's X² over the same cells (see ``goodnessOfFit``).
  let pearsonStatistic: Double
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
  /// The deviance and Pearson's X² with their χ² p-values on ``degreesOfFreedom``, and a
  /// warning in words when the model does not fit (p < 0.001).
  public var goodnessOfFit: GoodnessOfFit {
    GoodnessOfFit(deviance: deviance, pearson: pearsonStatistic, degreesOfFreedom: degreesOfFreedom)
  }

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

  /// Fits the model to `data` by Poisson IRLS on all `2ᴷ − 1` observable cells (zeros included):
  /// by `LatticeIRLS` without forming the design, or — when that cannot be made (rank
  /// deficient once −∞ terms are removed, or numerically singular) — by ``PoissonIRLS`` on the
  /// design through BLAS/LAPACK, with its pivoted-QR fallback.
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
    let counts = data.denseCounts()
    let terms = latticeTerms
    let names = terms.map { DesignMatrix.columnName(of: $0, listNames: data.listNames) }
    let core: CellFit
    if let lattice = CellFit.lattice(
      terms: terms, listCount: listCount, columnNames: names, counts: counts, options: options)
    {
      core = lattice
    } else {
      let design = DesignMatrix(model: self, listNames: data.listNames)
      // Full column rank: see `PoissonIRLS.init(design:rankTolerance:knownFullRank:)`.
      core = try CellFit.fit(
        design: design.matrix, columnNames: design.columnNames, counts: counts,
        knownFullRank: true, options: options)
    }
    // An intercept with a huge standard error runs off to ±∞: to +∞ the unobserved count is
    // infinite (no estimate); to −∞ it is zero (N̂ = n, at the boundary, reported as a warning).
    let unobservedAtZero = try options.unobservedCountIsZero(
      intercept: core.estimates[0], interceptVariance: core.covariance[0, 0])
    var warnings = data.warnings.map(FitWarning.data) + core.warnings
    if unobservedAtZero { warnings.append(.unobservedCountAtZero) }
    return LogLinearFit(
      model: self, data: data, options: options, coefficients: core.coefficients,
      covariance: core.covariance, fittedValues: core.fitted, deviance: core.deviance, pearsonStatistic: core.pearson,
      degreesOfFreedom: core.degreesOfFreedom, logLikelihood: core.logLikelihood, rank: core.rank,
      iterations: core.iterations, converged: core.converged, warnings: warnings)
  }
}
