import DarkNumberLinearAlgebra
import RealModule

/// ``PoissonIRLS`` specialised to hierarchical log-linear models on the complete table of
/// `2ᴷ − 1` observable cells, for the many small fits of model searches and bootstraps.
///
/// The same iteration as ``PoissonIRLS`` (R `glm.fit`'s: start `μ = y + 0.1`, weighted least
/// squares with `W = diag(μ)` and working response `z = η + (y − μ)/μ`, step halving while the
/// deviance rises, stop when `|ΔD|/(|D| + 0.1) ≤ tolerance`), but the design is never formed.
/// A term `T` (a bitmask of lists; `0` is the intercept) has column `1[h ⊇ T]`, so
/// `(XᵀWX)_{ST} = Σ_{h ⊇ S∪T} μ_h`, `(XᵀWz)_T = Σ_{h ⊇ T} μ_h z_h` and `η_h = Σ_{T ⊆ h} β_T`
/// are lattice sums (``SubsetLattice``) costing `K · 2ᴷ⁻¹` additions each, and the normal
/// equations are solved by ``SmallCholesky``. For five lists this is about 1 µs an iteration
/// against 2–3 µs through BLAS and LAPACK, whose per-call overhead dominates such small systems.
///
/// A term whose sufficient statistic `t_T = Σ_{h ⊇ T} y_h` is zero has its MLE at −∞: it is left
/// out with every cell containing it (fitted count 0), the exact limit that ``BoundaryReduction``
/// gives the general fit (Chan, Silverman & Vincent 2021).
struct LatticeIRLS: Sendable {
  /// `K`.
  let listCount: Int
  private let size: Int
  private var mu: [Double]
  private var previousMu: [Double]
  private var eta: [Double]
  private var logCounts: [Double]
  /// `log(y + 0.1)`, the linear predictor at R's cold start.
  private var startEta: [Double]
  /// The counts of the last fit and their superset sums `t_T = Σ_{h ⊇ T} y_h` (kept between fits
  /// of many models to the same counts).
  private var counts: [Double] = []
  /// `Σ_h log y_h!` of those counts.
  private(set) var logFactorialSum = 0.0
  private var countSums: [Double]
  private var active: [Bool]
  private var marginal: [Double]
  private var weighted: [Double]
  /// The finite terms of the last fit (the intercept first), and those at −∞.
  private var finite: [UInt32] = []
  private var boundary: [UInt32] = []
  private var beta: [Double] = []
  private var previousBeta: [Double] = []
  private var rightHandSide: [Double] = []
  private var gram: [Double] = []
  /// `t_T = Σ_{h ⊇ T} y_h` over the kept cells, by term position.
  private var statistics: [Double] = []
  /// `T_a ∪ T_b` for the upper triangle, `a + b·p`.
  private var unions: [Int] = []

  /// The outcome of one fit.
  struct Result: Sendable {
    /// The finite terms (the intercept `0` first), in the order of the model's terms.
    var finiteTerms: [UInt32]
    /// The terms at −∞.
    var boundaryTerms: [UInt32]
    /// `β̂` of the finite terms.
    var coefficients: [Double]
    /// `[(XᵀWX)⁻¹]₀₀`, the variance of the intercept `β̂₀ = log μ̂₀` (`nil` when not asked for).
    var interceptVariance: Double?
    /// `(XᵀWX)⁻¹` of the finite terms, column-major (only with ``Covariance/full``).
    var covariance: [Double]?
    /// `D = 2 Σ [y log(y/μ̂) − (y − μ̂)]`.
    var deviance: Double
    /// `Σ [y η̂ − μ̂]`, the Poisson log-likelihood without `−Σ log y!`.
    var logLikelihoodKernel: Double
    /// IRLS iterations used.
    var iterations: Int
    /// Whether the relative deviance change fell below the tolerance.
    var converged: Bool
    /// The last relative deviance change.
    var relativeChange: Double

    /// A warm start for the same model on nearby counts.
    var start: Start { Start(terms: finiteTerms, coefficients: coefficients) }
  }

  /// How much of `(XᵀWX)⁻¹` a fit computes.
  enum Covariance: Sendable {
    /// None (scores need only N̂ and the likelihood).
    case none
    /// `Var β̂₀`.
    case intercept
    /// The whole matrix.
    case full
  }

  /// Coefficients of some of a model's terms, to start IRLS from.
  struct Start: Sendable {
    let terms: [UInt32]
    let coefficients: [Double]
  }

  /// A workspace for tables over `listCount` lists.
  init(listCount: Int) {
    precondition(listCount >= 1 && listCount <= 20, "lattice fits are for at most 20 lists")
    self.listCount = listCount
    size = 1 << listCount
    mu = [Double](repeating: 0, count: size)
    previousMu = mu
    eta = mu
    logCounts = mu
    startEta = mu
    marginal = mu
    weighted = mu
    countSums = mu
    active = [Bool](repeating: false, count: size)
  }

  /// The fitted count of `history` after the last fit (0 for removed cells).
  func fitted(_ history: Int) -> Double { active[history] ? mu[history] : 0 }

  /// Fits the model with `terms` (the intercept `0` first, then the main effects and
  /// interactions of a hierarchical model) to `counts` (indexed by history, `2ᴷ` entries; entry 0
  /// is ignored).
  ///
  /// - Parameters:
  ///   - start: coefficients to start from instead of `μ = y + 0.1` (a warm start; terms it
  ///     lacks start at 0, terms now at −∞ are dropped).
  ///   - covariance: how much of `(XᵀWX)⁻¹` to compute at the options' weights (one more
  ///     factorisation, and one solve per column asked for).
  /// - Returns: `nil` when the design left after removing the −∞ terms is rank deficient, the
  ///   normal equations are numerically not positive definite, or the deviance cannot be made
  ///   finite; ``LogLinearModel/fit(to:options:)``, with its pivoted-QR fallback, then answers.
  mutating func fit(
    terms: [UInt32], counts y: [Double], options: FitOptions, start: Start? = nil,
    covariance wanted: Covariance = .intercept
  ) -> Result? {
    precondition(y.count == size, "one count per history, 2^K in all")
    precondition(terms.first == 0, "the intercept comes first")
    if y != counts {
      counts = y
      logFactorialSum = Poisson.logFactorialSum(y.dropFirst())
      for h in 0..<size {
        countSums[h] = h == 0 ? 0 : y[h]
        logCounts[h] = y[h] > 0 ? .log(y[h]) : 0
        startEta[h] = .log(y[h] + 0.1)
      }
      SubsetLattice.supersetSums(&countSums, bits: listCount)
    }
    finite.removeAll(keepingCapacity: true)
    boundary.removeAll(keepingCapacity: true)
    for term in terms {
      if term != 0 && countSums[Int(term)] == 0 { boundary.append(term) } else { finite.append(term) }
    }
    var keptCells = 0
    active[0] = false
    for h in 1..<size {
      var keep = true
      for term in boundary where UInt32(h) & term == term { keep = false }
      active[h] = keep
      if keep { keptCells += 1 }
    }
    // The finite terms and the kept cells are both closed under subsets, so the reduced design
    // has full column rank unless it is saturated on the kept cells (Möbius inversion on them: a
    // vanishing combination has coefficients ±c on every kept cell and on ∅).
    guard finite.count <= keptCells else { return nil }
    let terms = finite
    let p = terms.count
    Self.resize(&beta, p)
    Self.resize(&previousBeta, p)
    Self.resize(&rightHandSide, p)
    Self.resize(&gram, p * p)
    Self.resize(&statistics, p)
    unions.removeAll(keepingCapacity: true)
    unions.append(contentsOf: repeatElement(0, count: p * p))
    for b in 0..<p {
      statistics[b] = countSums[Int(terms[b])]
      for a in 0...b { unions[a + b * p] = Int(terms[a] | terms[b]) }
    }
    var deviance: Double
    // Whether η = Xβ holds (not at the cold start, where η = log(y + 0.1)).
    var consistent = start != nil
    if let start {
      // Align: `terms` is a subsequence of the model's terms, as is `start.terms`.
      var j = 0
      for a in 0..<p {
        while j < start.terms.count && start.terms[j] != terms[a] { j += 1 }
        if j < start.terms.count {
          beta[a] = start.coefficients[j]
        } else {
          beta[a] = 0
          j = 0
        }
      }
      deviance = updateFitted(terms, y)
    } else {
      var sum = 0.0
      for h in 1..<size where active[h] {
        mu[h] = y[h] + 0.1
        eta[h] = startEta[h]
        sum += (y[h] > 0 ? y[h] * (logCounts[h] - eta[h]) : 0) - (y[h] - mu[h])
      }
      deviance = 2 * sum
      for a in 0..<p { beta[a] = 0 }
    }
    var iterations = 0
    var converged = false
    var relativeChange = Double.infinity
    while iterations < options.maximumIterations {
      iterations += 1
      for a in 0..<p { previousBeta[a] = beta[a] }
      guard solveNormalEquations(terms, y, consistent: consistent) else { return nil }
      // The weights of this step become the previous ones; `updateFitted` writes every cell.
      swap(&mu, &previousMu)
      consistent = true
      var newDeviance = updateFitted(terms, y)
      if iterations > 1 || start != nil {
        newDeviance = StepControl.halvingSteps(
          deviance: newDeviance, previous: deviance, tolerance: options.tolerance,
          maximumHalvings: options.maximumStepHalvings
        ) {
          for a in 0..<p { beta[a] = 0.5 * (beta[a] + previousBeta[a]) }
          return updateFitted(terms, y)
        }
      }
      guard newDeviance.isFinite else { return nil }
      relativeChange = StepControl.relativeChange(newDeviance, from: deviance)
      deviance = newDeviance
      if relativeChange <= options.tolerance {
        converged = true
        break
      }
    }
    var variance: Double? = nil
    var inverse: [Double]? = nil
    if wanted != .none {
      // Columns of (XᵀWX)⁻¹ at the chosen weights: solve (XᵀWX) x = e_b.
      formGram(terms, weights: options.covarianceWeights == .atEstimate ? mu : previousMu)
      guard SmallCholesky.factorize(&gram, order: p) else { return nil }
      if wanted == .full {
        var columns = [Double](repeating: 0, count: p * p)
        SmallCholesky.invert(factor: gram, order: p, into: &columns)
        variance = columns[0]
        inverse = columns
      } else {
        for a in 0..<p { rightHandSide[a] = a == 0 ? 1 : 0 }
        SmallCholesky.solve(factor: gram, order: p, &rightHandSide)
        variance = rightHandSide[0]
      }
    }
    var kernel = 0.0
    for h in 1..<size where active[h] { kernel += (y[h] > 0 ? y[h] * eta[h] : 0) - mu[h] }
    return Result(
      finiteTerms: finite, boundaryTerms: boundary, coefficients: beta, interceptVariance: variance,
      covariance: inverse, deviance: deviance,
      logLikelihoodKernel: kernel, iterations: iterations, converged: converged,
      relativeChange: relativeChange)
  }

  /// `gram = XᵀWX` (upper triangle) with `W = diag(weights)` over the kept cells, and
  /// `marginal = Xᵀw`.
  private mutating func formGram(_ terms: [UInt32], weights: [Double]) {
    SubsetLattice.hierarchicalGram(
      weights: weights, mask: boundary.isEmpty ? [] : active, unions: unions, order: terms.count,
      bits: listCount, marginal: &marginal, gram: &gram)
  }

  /// One IRLS step: `β ← (XᵀWX)⁻¹XᵀWz`. `false` when `XᵀWX` is not positive definite.
  ///
  /// When `η = Xβ` (`consistent`), `XᵀWz = XᵀWXβ + Xᵀ(y − μ)`, so the step is the Newton step
  /// `β ← β + (XᵀWX)⁻¹(t − Xᵀμ)` and needs no second lattice sum (`Xᵀμ` is the diagonal-free
  /// part of the Gram computation, `t` the sufficient statistics).
  private mutating func solveNormalEquations(_ terms: [UInt32], _ y: [Double], consistent: Bool)
    -> Bool
  {
    formGram(terms, weights: mu)
    let p = terms.count
    if consistent {
      for a in 0..<p { rightHandSide[a] = statistics[a] - marginal[Int(terms[a])] }
    } else {
      weighted[0] = 0
      // μ z = μ η + y − μ.
      for h in 1..<size { weighted[h] = active[h] ? mu[h] * eta[h] + (y[h] - mu[h]) : 0 }
      SubsetLattice.supersetSums(&weighted, bits: listCount)
      for a in 0..<p { rightHandSide[a] = weighted[Int(terms[a])] }
    }
    guard SmallCholesky.factorize(&gram, order: p) else { return false }
    SmallCholesky.solve(factor: gram, order: p, &rightHandSide)
    if consistent {
      for a in 0..<p { beta[a] += rightHandSide[a] }
    } else {
      for a in 0..<p { beta[a] = rightHandSide[a] }
    }
    return true
  }

  /// `η = Xβ`, `μ = exp η` (``SubsetLattice/hierarchicalPredictor(terms:coefficients:bits:eta:mu:)``);
  /// returns the deviance over the kept cells.
  private mutating func updateFitted(_ terms: [UInt32], _ y: [Double]) -> Double {
    SubsetLattice.hierarchicalPredictor(
      terms: terms, coefficients: beta, bits: listCount, eta: &eta, mu: &mu)
    var sum = 0.0
    for h in 1..<size where active[h] {
      sum += (y[h] > 0 ? y[h] * (logCounts[h] - eta[h]) : 0) - (y[h] - mu[h])
    }
    return 2 * sum
  }

  private static func resize(_ array: inout [Double], _ count: Int) {
    array.removeAll(keepingCapacity: true)
    array.append(contentsOf: repeatElement(0, count: count))
  }
}
