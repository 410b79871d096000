public import DarkNumberLinearAlgebra
import RealModule

/// A fitted Poisson log-linear model with covariates, with the population size in total and per
/// covariate level.
///
/// The model is fitted by Poisson IRLS to every observable cell `(h, c)` (zeros included), as R's
/// `glm(count ~ …, family = poisson)` on the full table. The unobserved cells are predicted,
/// `μ̂_{0c} = exp(x_{0c}ᵀβ̂)`, and for a set `S` of level combinations (all of them, or those with
/// one level of one covariate) `N̂_S = n_S + Σ_{c∈S} μ̂_{0c}` with
/// `SE(N̂_S)² = Σ_{c∈S} μ̂_{0c} + g_Sᵀ V g_S`, `g_S = Σ_{c∈S} μ̂_{0c} x_{0c}`: the Poisson variance
/// of the unobserved count plus the delta-method variance of its estimate (the form Rcapture uses
/// for one unobserved cell; `V = (XᵀWX)⁻¹`).
///
/// When the data carry a ``ListCoverage``, the cells that put someone on a list that did not
/// operate for them are structural zeros, left out of the fit (Zwane, van der Pal-de Bruin &
/// van der Heijden 2004); coefficients they leave inestimable are dropped (and named in
/// ``FitWarning/notEstimableUnderCoverage(_:)``), and a combination of levels for which fewer than
/// two lists operated has no estimate, nor has any total that includes it.
public struct CovariateFit: Sendable {
  /// The model fitted.
  public let model: CovariateModel
  /// The data fitted (complete records only).
  public let data: CovariateCaptureData
  /// How it was fitted.
  public let options: FitOptions
  /// The coefficients in design order, named as R's `model.matrix` (`S1`, `AgeYoung`, `S1:AgeYoung`).
  public let coefficients: [Coefficient]
  /// The asymptotic covariance `(XᵀWX)⁻¹` (zero rows for aliased and −∞ coefficients).
  public let covariance: Matrix
  /// The fitted counts of the observable cells, in ``cells`` order by history within combination
  /// (0 at structural zeros).
  public let fittedValues: [Double]
  /// `D = 2 Σ [y log(y/μ̂) − (y − μ̂)]` over the observable cells fitted.
  public let deviance: Double
  /// Pearson's X² over the same cells (see ``goodnessOfFit``).
  let pearsonStatistic: Double
  /// Observable cells fitted (structural zeros left out) minus the design's rank.
  public let degreesOfFreedom: Int
  /// The Poisson log-likelihood.
  public let logLikelihood: Double
  /// The design's rank.
  public let rank: Int
  /// IRLS iterations used.
  public let iterations: Int
  /// Whether IRLS converged.
  public let converged: Bool
  /// Caveats.
  public internal(set) var warnings: [FitWarning]
  /// One entry per combination of covariate levels.
  public let cells: [CovariateCell]

  /// The number of cells fitted: observable cells less structural zeros.
  public var fittedCellCount: Int { design.cellIndices.count }
  /// The number of structural-zero cells left out of the fit.
  public var structuralZeroCount: Int { design.structuralZeroCount }
  /// The coefficients the coverage leaves inestimable, dropped from the model.
  public var droppedCoefficients: [String] { design.droppedColumns }

  /// The design (kept for intervals and the bootstrap).
  let design: CovariateDesign
  /// The counts of every cell of the full table (expected counts after EM).
  let counts: [Double]
  /// Whether the counts were completed by EM (then profile intervals are not available).
  let completedByEM: Bool
  /// The estimates with aliased coefficients set to 0 (−∞ kept).
  let estimates: [Double]

  /// The individuals observed with one combination of covariate levels and how many were missed.
  public struct CovariateCell: Sendable, Hashable {
    /// One level index per covariate.
    public let levels: [Int]
    /// The number observed (an expected count after EM for missing covariate values).
    public let observed: Double
    /// The fitted number recorded by no list, `μ̂_{0c}` (0 when it has no estimate).
    public let unobserved: Double
    /// Whether each list operated for these levels.
    public let operatingLists: [Bool]

    /// Whether the unobserved count has an estimate: two or more lists operated.
    public var hasEstimate: Bool { operatingLists.count { $0 } >= 2 }
  }

  /// The deviance and Pearson's X² with their χ² p-values on ``degreesOfFreedom``, and a
  /// warning in words when the model does not fit (p < 0.001).
  public var goodnessOfFit: GoodnessOfFit {
    GoodnessOfFit(deviance: deviance, pearson: pearsonStatistic, degreesOfFreedom: degreesOfFreedom)
  }

  /// `AIC = −2ℓ + 2·rank`.
  public var aic: Double { -2 * logLikelihood + 2 * Double(rank) }
  /// `BIC = −2ℓ + rank·log n`.
  public var bic: Double { -2 * logLikelihood + Double(rank) * .log(Double(data.observedTotal)) }
  /// The estimated population size.
  public var total: Double { totalEstimate.total }
  /// Its standard error.
  public var standardError: Double { totalEstimate.standardError }

  /// The estimate over every level combination.
  public var totalEstimate: CovariateLevelEstimate {
    estimate(over: cells.indices.map { $0 }, covariate: nil, level: nil)
  }

  /// `N̂`, `SE` and the observed count per level of covariate `covariate` (an index into
  /// ``CovariateModel/covariates``).
  public func breakdown(covariate: Int) -> [CovariateLevelEstimate] {
    model.covariates[covariate].levels.indices.map { level in
      estimate(
        over: cells.indices.filter { cells[$0].levels[covariate] == level },
        covariate: model.covariates[covariate].name, level: model.covariates[covariate].levels[level])
    }
  }

  /// The estimate over a set of combinations.
  func estimate(over combinations: [Int], covariate: String?, level: String?) -> CovariateLevelEstimate {
    let p = coefficients.count
    var gradient = [Double](repeating: 0, count: p)
    var unobserved = 0.0
    var observed = 0.0
    for c in combinations {
      observed += cells[c].observed
      let mu = cells[c].unobserved
      unobserved += mu
      guard mu > 0 else { continue }
      for j in 0..<p where estimates[j].isFinite {
        gradient[j] += mu * design.unobserved[c, j]
      }
    }
    var quadratic = 0.0
    for a in 0..<p where gradient[a] != 0 {
      for b in 0..<p where gradient[b] != 0 { quadratic += gradient[a] * covariance[a, b] * gradient[b] }
    }
    quadratic = max(quadratic, 0)
    let logStandardError = unobserved > 0 ? quadratic.squareRoot() / unobserved : 0
    let exists = !(logStandardError > options.maximumLogUnobservedStandardError && unobserved > 1)
    let tooFew = combinations.filter { !cells[$0].hasEstimate }.map(stratumName)
    return CovariateLevelEstimate(
      covariate: covariate, level: level, observed: observed, unobserved: unobserved,
      standardError: (unobserved + quadratic).squareRoot(), estimateExists: exists && tooFew.isEmpty,
      strataWithTooFewLists: tooFew)
  }

  /// `year=2010, sex=F` for combination `c`.
  func stratumName(_ c: Int) -> String {
    CovariateCaptureData.describe(levels: cells[c].levels, covariates: model.covariates)
  }
}

/// The population size of one covariate level (or of everyone): observed, estimated unobserved,
/// total and standard error (see ``CovariateFit``).
public struct CovariateLevelEstimate: Sendable, Hashable {
  /// The covariate, or `nil` for the total over all levels.
  public let covariate: String?
  /// The level, or `nil` for the total.
  public let level: String?
  /// The number observed, `n_S` (an expected count after EM for missing covariate values).
  public let observed: Double
  /// The estimated number recorded by no list.
  public let unobserved: Double
  /// `SE(N̂_S)`.
  public let standardError: Double
  /// Whether a finite estimate exists: `false` when the standard error of `log(unobserved)` exceeds
  /// ``FitOptions/maximumLogUnobservedStandardError`` (the unobserved count runs off to infinity),
  /// or when fewer than two lists operated for some of its combinations of levels.
  public let estimateExists: Bool
  /// The combinations of levels in this set for which fewer than two lists operated
  /// (`year=2010, form=labour`): their unobserved counts cannot be estimated, so neither can this
  /// total. Empty without a ``ListCoverage``.
  public let strataWithTooFewLists: [String]

  /// Why there is no estimate, as a sentence, or `nil` when there is one.
  public var noEstimateReason: String? {
    if !strataWithTooFewLists.isEmpty {
      return
        "fewer than two lists operated for \(strataWithTooFewLists.joined(separator: "; ")), so the number missed there cannot be estimated"
    }
    return estimateExists ? nil : "no finite estimate exists (the unobserved count runs off to infinity)"
  }

  /// `N̂_S = n_S + unobserved`.
  public var total: Double { observed + unobserved }

  /// A Wald or log-normal interval.
  /// - Throws: ``EstimationError/intervalNotAvailable(_:reason:)`` for the other methods, which
  ///   need the whole fit (``CovariateFit/profileLikelihoodInterval(level:)`` for the total,
  ///   ``CovariateBootstrap`` for levels); ``EstimationError/invalidLevel(_:)``.
  public func interval(_ method: IntervalMethod, level: Double = 0.95) throws(EstimationError)
    -> IntervalEstimate
  {
    try EstimationError.checkModelBased(method, level: level)
    switch method {
    case .logNormal:
      return LogNormalInterval.make(
        total: total, observed: observed, standardError: standardError, level: level)
    case .wald:
      return WaldInterval.make(
        total: total, observed: observed, standardError: standardError, level: level)
    case .profileLikelihood:
      throw .intervalNotAvailable(
        .profileLikelihood, reason: "a level's estimate has none; the fit's profileLikelihoodInterval gives the total's"
      )
    case .logWald:
      throw .intervalNotAvailable(
        .logWald,
        reason: "a covariate model's unobserved count is a sum over strata, not the exponential of one intercept")
    case .bootstrapPercentile, .bootstrapBCa, .credible:
      throw .notModelBased(method)
    }
  }
}

extension CovariateModel {
  /// Fits the model to the complete records of `data` by Poisson IRLS over all observable cells
  /// `(h, c)`, through BLAS/LAPACK (``PoissonIRLS``), with −∞ parameters removed exactly as for
  /// ``LogLinearModel`` fits.
  ///
  /// - Throws: ``EstimationError`` when the data have missing covariate values (use
  ///   ``CovariateModel/fitByEM(to:options:tolerance:maximumIterations:)``), the table is too large, the model is saturated, the unobserved cells are
  ///   not identifiable, or no finite estimate exists.
  public func fit(to data: CovariateCaptureData, options: FitOptions = FitOptions())
    throws(EstimationError) -> CovariateFit
  {
    precondition(
      data.listNames == listNames && data.covariates == covariates, "the model is for other data")
    for j in covariates.indices {
      let missing = data.missingCount(covariate: j)
      if missing > 0 { throw .missingCovariateValues(covariate: covariates[j].name, individuals: missing) }
    }
    let design = try CovariateDesign(model: self, coverage: data.coverageRules)
    return try fit(design: design, counts: design.counts(of: data), data: data, options: options)
  }

  /// The fit of given (possibly fractional, for EM) cell counts on a prepared design.
  ///
  /// ``CovariateLatticeIRLS`` answers when it can (no design rows formed), started from `start`
  /// (coefficients in design order) when given; otherwise the general fit on the design's rows.
  func fit(
    design: CovariateDesign, counts y: [Double], data: CovariateCaptureData, options: FitOptions,
    completedByEM: Bool = false, start: [Double]? = nil, prepared: CovariateLatticeCounts? = nil
  ) throws(EstimationError) -> CovariateFit {
    let p = design.columnNames.count
    guard p < design.cellIndices.count else {
      throw .saturatedModel(parameters: p, cells: design.cellIndices.count)
    }
    let core: CellFit
    if let lattice = CovariateLatticeIRLS.fit(
      design: design, counts: y, prepared: prepared, start: start, options: options)
    {
      core = lattice
    } else {
      let rows = try design.withRows(model: self, coverage: data.coverageRules)
      core = try CellFit.fit(
        design: rows.observed, columnNames: design.columnNames, counts: design.fittedCells(y),
        knownFullRank: false, options: options)
      if core.rank < p {
        try Self.requireIdentifiableUnobserved(design: rows, estimates: core.estimates, options: options)
      }
    }
    let estimates = core.estimates.map { $0.isNaN ? 0 : $0 }
    var fittedValues = [Double](repeating: 0, count: design.cellCount)
    for (row, cell) in design.cellIndices.enumerated() { fittedValues[cell] = core.fitted[row] }
    var cells: [CovariateFit.CovariateCell] = []
    cells.reserveCapacity(design.combinations.count)
    for (c, levels) in design.combinations.enumerated() {
      var eta = 0.0
      for j in 0..<p {
        let x = design.unobserved[c, j]
        if x != 0 { eta += x * estimates[j] }
      }
      var observed = 0.0
      for h in 0..<design.historyCount { observed += y[c * design.historyCount + h] }
      let estimable = design.hasEstimate(c)
      cells.append(
        .init(
          levels: levels, observed: observed, unobserved: eta.isNaN || !estimable ? 0 : .exp(eta),
          operatingLists: listNames.indices.map { design.operating[c] >> UInt32($0) & 1 == 1 }))
    }
    var fit = CovariateFit(
      model: self, data: data, options: options, coefficients: core.coefficients,
      covariance: core.covariance, fittedValues: fittedValues, deviance: core.deviance, pearsonStatistic: core.pearson,
      degreesOfFreedom: core.degreesOfFreedom, logLikelihood: core.logLikelihood, rank: core.rank,
      iterations: core.iterations, converged: core.converged,
      warnings: data.warnings.map(FitWarning.data) + core.warnings, cells: cells, design: design,
      counts: y, completedByEM: completedByEM, estimates: estimates)
    if !design.droppedColumns.isEmpty { fit.warnings.append(.notEstimableUnderCoverage(design.droppedColumns)) }
    let tooFew = fit.cells.indices.filter { !fit.cells[$0].hasEstimate }.map(fit.stratumName)
    if !tooFew.isEmpty { fit.warnings.append(.tooFewOperatingLists(strata: tooFew)) }
    let total = fit.totalEstimate
    if !total.estimateExists && tooFew.isEmpty {
      throw .estimateDoesNotExist(
        standardErrorOfLogUnobserved: (total.standardError * total.standardError - total.unobserved)
          .squareRoot() / total.unobserved)
    }
    if tooFew.isEmpty, total.unobserved > 0,
      (total.standardError * total.standardError - total.unobserved).squareRoot() / total.unobserved
        > options.maximumLogUnobservedStandardError
    {
      fit.warnings.append(.unobservedCountAtZero)
    }
    return fit
  }

  /// Throws unless every unobserved row not covered by a −∞ column lies in the row space of the
  /// observable cells' design (restricted to the cells and columns the fit kept): appending those
  /// rows must not raise the rank (Searle 1971, §5.4).
  static func requireIdentifiableUnobserved(
    design: CovariateDesign, estimates: [Double], options: FitOptions
  ) throws(EstimationError) {
    let p = estimates.count
    let boundary = (0..<p).filter { estimates[$0] == -.infinity }
    let kept = (0..<p).filter { estimates[$0] != -.infinity }
    let observedRows = (0..<design.observed.rows).filter { i in boundary.allSatisfy { design.observed[i, $0] == 0 } }
    let unobservedRows = (0..<design.unobserved.rows).filter { i in
      design.hasEstimate(i) && boundary.allSatisfy { design.unobserved[i, $0] == 0 }
    }
    var base = Matrix(rows: observedRows.count, columns: kept.count)
    var augmented = Matrix(rows: observedRows.count + unobservedRows.count, columns: kept.count)
    for (b, j) in kept.enumerated() {
      for (a, i) in observedRows.enumerated() {
        base[a, b] = design.observed[i, j]
        augmented[a, b] = design.observed[i, j]
      }
      for (a, i) in unobservedRows.enumerated() { augmented[observedRows.count + a, b] = design.unobserved[i, j] }
    }
    do {
      let rank = try PivotedQR(base, tolerance: options.rankTolerance).rank
      let augmentedRank = try PivotedQR(augmented, tolerance: options.rankTolerance).rank
      if augmentedRank > rank { throw EstimationError.unobservedCellsNotIdentifiable }
    } catch let error as LinearAlgebraError {
      throw .numerical(error)
    } catch {
      throw .unobservedCellsNotIdentifiable
    }
  }
}
