import DarkNumberLinearAlgebra
import RealModule

/// EM for covariate models with missing values; the public entry is ``CovariateModel/fitByEM(to:options:tolerance:maximumIterations:)``.
enum CovariateEM {
  /// EM on a prepared design (the bootstrap reuses the fit's for every replicate).
  static func fit(
    model: CovariateModel, data: CovariateCaptureData, design: CovariateDesign, options: FitOptions,
    tolerance: Double = 1e-12, maximumIterations: Int = 5000
  ) throws(EstimationError) -> CovariateEMFit {
    let historyCount = design.historyCount
    // For each record: its row offset (history) and the compatible combinations (where the
    // history is not a structural zero).
    let allCombinations = design.combinations.indices
    let patterns: [(row: Int, combinations: [Int], count: Double)] = data.records.map { record in
      let h = Int(record.history.rawValue)
      let compatible = allCombinations.filter { c in
        zip(design.combinations[c], record.levels).allSatisfy { $1 == nil || $0 == $1 }
          && !design.isStructuralZero(combination: c, history: h)
      }
      return (h - 1, compatible, Double(record.count))
    }
    var fitted = [Double](repeating: 1, count: design.cellCount)
    var previous = -Double.infinity
    var fit: CovariateFit?
    var iterations = 0
    var converged = false
    while iterations < maximumIterations {
      iterations += 1
      var counts = [Double](repeating: 0, count: design.cellCount)
      for pattern in patterns {
        if pattern.combinations.count == 1 {
          counts[pattern.combinations[0] * historyCount + pattern.row] += pattern.count
          continue
        }
        var sum = 0.0
        for c in pattern.combinations { sum += fitted[c * historyCount + pattern.row] }
        guard sum > 0 else { continue }
        for c in pattern.combinations {
          let row = c * historyCount + pattern.row
          counts[row] += pattern.count * fitted[row] / sum
        }
      }
      let next = try model.fit(design: design, counts: counts, data: data, options: options, completedByEM: true)
      fitted = next.fittedValues
      fit = next
      var logLikelihood = -fitted.reduce(0, +)
      for pattern in patterns {
        var sum = 0.0
        for c in pattern.combinations { sum += fitted[c * historyCount + pattern.row] }
        logLikelihood += pattern.count * .log(sum)
      }
      if abs(logLikelihood - previous) <= tolerance * (abs(logLikelihood) + 1) {
        converged = true
        previous = logLikelihood
        break
      }
      previous = logLikelihood
    }
    guard converged, let fit else { throw .expectationMaximizationDidNotConverge(iterations: iterations) }
    let incomplete = data.records.reduce(0) { $0 + ($1.isComplete ? 0 : $1.count) }
    return CovariateEMFit(
      fit: fit, iterations: iterations, observedLogLikelihood: previous, incompleteIndividuals: incomplete)
  }
}

/// A model with covariates fitted by EM to data with missing covariate values.
public struct CovariateEMFit: Sendable {
  /// The final M-step: coefficients, fitted cells, `N̂` in total and per level. Its observed
  /// counts per level are expected counts, and its standard errors treat the completed table as
  /// observed, so they understate the uncertainty: use ``CovariateBootstrap/run(emFit:options:progress:)``.
  public let fit: CovariateFit
  /// EM iterations used.
  public let iterations: Int
  /// The observed-data log-likelihood at the end (up to the constant `−Σ log y!`).
  public let observedLogLikelihood: Double
  /// How many individuals had at least one missing covariate value.
  public let incompleteIndividuals: Int

  /// The estimated population size.
  public var total: Double { fit.total }

}

extension CovariateBootstrap {
  /// Bootstraps an EM fit: every replicate resamples the records (missing values included) and
  /// reruns EM.
  /// - Throws: ``EstimationError/cancelled`` when the calling task is cancelled (checked between
  ///   replicates).
  public static func run(
    emFit: CovariateEMFit, options: Options = .init(), progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(EstimationError) -> CovariateBootstrap {
    let model = emFit.fit.model
    let fitOptions = emFit.fit.options
    let design = emFit.fit.design
    return try await run(
      data: emFit.fit.data, targets: targets(of: model.covariates), options: options, progress: progress
    ) { replicate in
      try CovariateEM.fit(model: model, data: replicate, design: design, options: fitOptions).fit.targetEstimates
    }
  }
}

extension CovariateModel {
  /// Log-linear models with covariates when some covariate values are missing: maximum likelihood
  /// by expectation–maximisation (van der Heijden, Cruyff, Smith, Bycroft, Graham &
  /// Matheson-Dunning 2022, "Multiple system estimation using covariates having missing values and
  /// measurement error", JRSS-A 185(1):156–177; Dempster, Laird & Rubin 1977).
  ///
  /// The complete-data model is the ``CovariateModel`` on the full table of histories by covariate
  /// levels. E-step: a record with history `h` whose covariate values are partly missing is spread
  /// over the level combinations `c` compatible with what is known, in proportion to the current
  /// fitted counts `μ_{hc}`. M-step: the model is refitted by Poisson IRLS to the completed
  /// (fractional) table. Iterations stop when the observed-data log-likelihood
  /// `Σ_r y_r log Σ_{c∈C(r)} μ_{h_r c} − Σ μ` changes by less than `tolerance` relative. Standard
  /// errors and intervals come from the bootstrap (``CovariateBootstrap/run(emFit:options:progress:)``),
  /// which reruns EM on every replicate.
  ///
  /// - Throws: ``EstimationError`` when an M-step fails or the iterations do not converge.
  public func fitByEM(
    to data: CovariateCaptureData, options: FitOptions = FitOptions(), tolerance: Double = 1e-12,
    maximumIterations: Int = 5000
  ) throws(EstimationError) -> CovariateEMFit {
    precondition(data.listNames == listNames && data.covariates == covariates, "the model is for other data")
    return try CovariateEM.fit(
      model: self, data: data, design: try CovariateDesign(model: self, coverage: data.coverageRules),
      options: options, tolerance: tolerance, maximumIterations: maximumIterations)
  }
}
