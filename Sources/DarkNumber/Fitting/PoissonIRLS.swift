public import DarkNumberLinearAlgebra
import RealModule

/// A Poisson regression with log link, `log μ = Xβ`, fitted by iteratively reweighted least
/// squares (McCullagh & Nelder 1989, §2.5; the algorithm of R's `glm.fit`).
///
/// Each iteration solves the weighted normal equations `XᵀWX β = XᵀWz` with `W = diag(μ)` and
/// working response `z = η + (y − μ)/μ`: `XᵀWX` by `dsyrk` on `W^½X`, then Cholesky (`dpotrf`,
/// two `dtrsv`). A design that is not of full column rank (checked once by pivoted QR) is solved by
/// pivoted QR instead, with aliased coefficients set to zero. Step halving guards against a rising
/// or non-finite deviance. Start: `μ = y + 0.1` as R's Poisson family.
///
/// The value is a reusable workspace: after `init`, ``fit(counts:options:)`` allocates nothing
/// inside its iteration loop, the same design can be refitted to many count vectors, and
/// ``load(rows:columns:knownFullRank:offset:fill:)`` refills it with another design without
/// allocating unless the new one is larger.
public struct PoissonIRLS: Sendable {
  /// The design `X` (`cells × parameters`).
  public private(set) var design: Matrix
  /// The rank of `X` (pivoted QR with the options' rank rule at construction).
  public private(set) var rank: Int = 0
  /// Which coefficients are estimable (not aliased).
  public private(set) var estimable: [Bool] = []
  /// The relative rank rule used for the design and the pivoted-QR fallback.
  public let rankTolerance: Double
  /// A known term added to the linear predictor, `η = Xβ + offset` (empty: none).
  public private(set) var offset: [Double]

  private var eta: [Double]
  private var mu: [Double]
  private var previousMu: [Double]
  private var weightedResponse: [Double]
  private var rootWeights: [Double]
  private var logCounts: [Double]
  private var beta: [Double]
  private var previousBeta: [Double]
  private var rightHandSide: [Double]
  private var scaled: Matrix
  private var gram: Matrix

  /// A workspace for `design`.
  /// - Throws: ``EstimationError/numericalFailure(reason:)`` if the rank check fails.
  ///
  /// - Parameters:
  ///   - design: `X`.
  ///   - rankTolerance: the pivoted-QR rank rule.
  ///   - knownFullRank: skip the rank check because `X` is known to have full column rank — true
  ///     for every non-saturated hierarchical log-linear model on the `2ᴷ − 1` observable cells
  ///     (by Möbius inversion, a combination of the columns `1[h ⊇ T]` that vanishes on every
  ///     non-empty history needs all `2ᴷ` terms). A Cholesky failure still falls back to QR.
  ///   - offset: a known term in the linear predictor, one per row (empty: none), as R's `offset`.
  public init(
    design: Matrix, rankTolerance: Double = FitOptions().rankTolerance, knownFullRank: Bool = false,
    offset: [Double] = []
  ) throws(EstimationError) {
    precondition(offset.isEmpty || offset.count == design.rows, "one offset per row")
    self.init(rankTolerance: rankTolerance)
    self.design = design
    self.offset = offset
    try prepare(knownFullRank: knownFullRank)
  }

  /// An empty workspace, to be filled by ``load(rows:columns:knownFullRank:offset:fill:)``.
  public init(rankTolerance: Double = FitOptions().rankTolerance) {
    design = Matrix(rows: 0, columns: 0)
    self.rankTolerance = rankTolerance
    offset = []
    eta = []
    mu = []
    previousMu = []
    weightedResponse = []
    rootWeights = []
    logCounts = []
    beta = []
    previousBeta = []
    rightHandSide = []
    scaled = Matrix(rows: 0, columns: 0)
    gram = Matrix(rows: 0, columns: 0)
  }

  /// Replaces the design by a `rows × columns` one written by `fill` (which receives a zero
  /// matrix of that shape), reusing this workspace's storage.
  /// - Throws: ``EstimationError/numericalFailure(reason:)`` if the rank check fails.
  public mutating func load(
    rows: Int, columns: Int, knownFullRank: Bool, offset: [Double] = [],
    fill: (inout Matrix) -> Void
  ) throws(EstimationError) {
    precondition(offset.isEmpty || offset.count == rows, "one offset per row")
    design.reshape(rows: rows, columns: columns)
    fill(&design)
    self.offset = offset
    try prepare(knownFullRank: knownFullRank)
  }

  /// Sizes the work arrays for the current design and finds its rank.
  private mutating func prepare(knownFullRank: Bool) throws(EstimationError) {
    let n = design.rows
    let p = design.columns
    if knownFullRank && n >= p {
      rank = p
      estimable.removeAll(keepingCapacity: true)
      estimable.append(contentsOf: repeatElement(true, count: p))
    } else {
      do {
        let qr = try PivotedQR(design, tolerance: rankTolerance)
        rank = qr.rank
        estimable = qr.estimable
      } catch {
        throw .numerical(error)
      }
    }
    Self.resize(&eta, n)
    Self.resize(&mu, n)
    Self.resize(&previousMu, n)
    Self.resize(&weightedResponse, n)
    Self.resize(&rootWeights, n)
    Self.resize(&logCounts, n)
    Self.resize(&beta, p)
    Self.resize(&previousBeta, p)
    Self.resize(&rightHandSide, p)
    scaled.reshape(rows: n, columns: p)
    gram.reshape(rows: p, columns: p)
  }

  private static func resize(_ array: inout [Double], _ count: Int) {
    array.removeAll(keepingCapacity: true)
    array.append(contentsOf: repeatElement(0, count: count))
  }

  /// The outcome of one fit.
  public struct Result: Sendable {
    /// `β̂` (zero for aliased coefficients).
    public var coefficients: [Double]
    /// `(XᵀWX)⁻¹` at `β̂`, the asymptotic covariance of `β̂` (zero rows/columns for aliased).
    public var covariance: Matrix
    /// `μ̂ = exp(Xβ̂)`.
    public var fitted: [Double]
    /// `D = 2 Σ [y log(y/μ̂) − (y − μ̂)]`.
    public var deviance: Double
    /// IRLS iterations used.
    public var iterations: Int
    /// Whether the relative deviance change fell below the tolerance.
    public var converged: Bool
    /// The last relative deviance change.
    public var relativeChange: Double
    /// `Σ [y η̂ − μ̂]`, the Poisson log-likelihood without its `−Σ log y!` term.
    public var logLikelihoodKernel: Double
  }

  /// Fits the model to `counts` (one per row of the design, ≥ 0).
  /// - Throws: ``EstimationError`` when the deviance cannot be made finite or LAPACK fails.
  public mutating func fit(counts y: [Double], options: FitOptions = FitOptions())
    throws(EstimationError) -> Result
  {
    precondition(y.count == design.rows, "one count per cell")
    let n = design.rows
    // log y once per fit, so that each deviance D = 2 Σ [y (log y − η) − (y − μ)] needs no logarithm.
    for i in 0..<n {
      mu[i] = y[i] + 0.1
      eta[i] = .log(mu[i])
      logCounts[i] = y[i] > 0 ? .log(y[i]) : 0
    }
    var deviance = Self.deviance(y, mu)
    var iterations = 0
    var converged = false
    var relativeChange = Double.infinity
    for i in 0..<beta.count { beta[i] = 0 }
    while iterations < options.maximumIterations {
      iterations += 1
      for i in 0..<beta.count { previousBeta[i] = beta[i] }
      for i in 0..<n { previousMu[i] = mu[i] }
      try solveWeightedLeastSquares(y)
      var newDeviance = updateFitted(y)
      if iterations > 1 {
        newDeviance = StepControl.halvingSteps(
          deviance: newDeviance, previous: deviance, tolerance: options.tolerance,
          maximumHalvings: options.maximumStepHalvings
        ) {
          for j in 0..<beta.count { beta[j] = 0.5 * (beta[j] + previousBeta[j]) }
          return updateFitted(y)
        }
      }
      guard newDeviance.isFinite else { throw .nonFiniteDeviance }
      relativeChange = StepControl.relativeChange(newDeviance, from: deviance)
      deviance = newDeviance
      if relativeChange <= options.tolerance {
        converged = true
        break
      }
    }
    let covariance = try covariance(
      weights: options.covarianceWeights == .atEstimate ? mu : previousMu)
    var kernel = 0.0
    for i in 0..<n { kernel += (y[i] > 0 ? y[i] * eta[i] : 0) - mu[i] }
    return Result(
      coefficients: beta, covariance: covariance, fitted: mu, deviance: deviance,
      iterations: iterations, converged: converged, relativeChange: relativeChange,
      logLikelihoodKernel: kernel)
  }

  /// `2 Σ [y log(y/μ) − (y − μ)]`, with `0 · log 0 = 0`.
  public static func deviance(_ y: [Double], _ mu: [Double]) -> Double {
    var sum = 0.0
    for i in 0..<y.count {
      let residual = y[i] > 0 ? y[i] * .log(y[i] / mu[i]) : 0
      sum += residual - (y[i] - mu[i])
    }
    return 2 * sum
  }

  /// Fills `scaled = W^½X`, `weightedResponse = W^½z` from the current `μ`, `η`.
  private mutating func weightDesign(_ y: [Double]) {
    let n = design.rows
    for i in 0..<n {
      let root = mu[i].squareRoot()
      rootWeights[i] = root
      let linear = offset.isEmpty ? eta[i] : eta[i] - offset[i]
      weightedResponse[i] = root * (linear + (y[i] - mu[i]) / mu[i])
    }
    scaled.assignRowScaled(design, by: rootWeights)
  }

  /// One IRLS step: `β ← (XᵀWX)⁻¹XᵀWz`.
  private mutating func solveWeightedLeastSquares(_ y: [Double]) throws(EstimationError) {
    weightDesign(y)
    if rank == design.columns {
      BLAS.syrkUpper(scaled, into: &gram)
      BLAS.gemv(transpose: true, scaled, weightedResponse, into: &rightHandSide)
      do {
        try Cholesky.factorize(&gram)
        try Cholesky.solve(factor: gram, &rightHandSide)
        for j in 0..<beta.count { beta[j] = rightHandSide[j] }
        return
      } catch {
        // Numerically not positive definite: fall through to pivoted QR.
      }
    }
    do {
      let qr = try PivotedQR(scaled, tolerance: rankTolerance)
      let solution = try qr.solve(weightedResponse)
      for j in 0..<beta.count { beta[j] = solution[j] }
    } catch {
      throw .numerical(error)
    }
  }

  /// `η = Xβ`, `μ = exp η`; returns the deviance `2 Σ [y (log y − η) − (y − μ)]`.
  private mutating func updateFitted(_ y: [Double]) -> Double {
    BLAS.gemv(design, beta, into: &eta)
    if !offset.isEmpty {
      for i in 0..<eta.count { eta[i] += offset[i] }
    }
    var sum = 0.0
    for i in 0..<eta.count {
      mu[i] = .exp(eta[i])
      let term = y[i] > 0 ? y[i] * (logCounts[i] - eta[i]) : 0
      sum += term - (y[i] - mu[i])
    }
    return 2 * sum
  }

  /// `(XᵀWX)⁻¹` with `W = diag(weights)`.
  private mutating func covariance(weights: [Double]) throws(EstimationError) -> Matrix {
    for i in 0..<design.rows { rootWeights[i] = weights[i].squareRoot() }
    scaled.assignRowScaled(design, by: rootWeights)
    if rank == design.columns {
      BLAS.syrkUpper(scaled, into: &gram)
      var factor = gram
      do {
        try Cholesky.factorize(&factor)
        try Cholesky.invert(factor: &factor)
        return factor
      } catch {
        // Fall back to pivoted QR below.
      }
    }
    do {
      return try PivotedQR(scaled, tolerance: rankTolerance).inverseGramOfEstimable()
    } catch {
      throw .numerical(error)
    }
  }
}
