import DarkNumberLinearAlgebra
import RealModule

/// The multinomial profile log-likelihood of the total `N` under a log-linear model with
/// covariates (Cormack 1992, extended to several unobserved cells).
///
/// With covariates the people recorded by no list fall in several cells `(0, c)` whose split is
/// never observed, only their sum `n₀ = N − n`. For a given `N` the Poisson likelihood of the
/// observed cells and of that sum, `Σᵢ (yᵢ log μᵢ − μᵢ) + n₀ log m − m` with `m = Σ_c μ_{0c}`, is
/// maximised over `β` by Newton's method (Fisher scoring where the observed information is not
/// positive definite, with step halving). At the maximum the fitted total is `N`, so — as for one
/// unobserved cell — `ℓ(N) = −D(N)/2 + c(N)` with the deviance `D(N)` of the observed cells and the
/// sum, and Cormack's correction `c(N)` (``ProfileLikelihood``). With no covariate this is exactly
/// ``ProfileLikelihood``.
struct CovariateProfileLikelihood {
  private let design: Matrix
  private let unobservedDesign: Matrix
  private let counts: [Double]
  private let observedTotal: Double
  private let start: [Double]
  private var beta: [Double]
  private var scaled: Matrix
  private var information: Matrix

  /// The profile of `fit`: its kept cells and columns (−∞ and aliased coefficients stay out).
  /// - Throws: ``EstimationError`` when the design's rows cannot be built again.
  init(fit: CovariateFit) throws(EstimationError) {
    let p = fit.coefficients.count
    let kept = (0..<p).filter { fit.estimates[$0].isFinite && fit.coefficients[$0].estimate != nil }
    let boundary = (0..<p).filter { fit.estimates[$0] == -.infinity }
    // The design's rows (a selection's cached designs have none).
    let observed = try fit.design.withRows(model: fit.model, coverage: fit.data.coverageRules).observed
    let rows = (0..<observed.rows).filter { i in boundary.allSatisfy { observed[i, $0] == 0 } }
    let unobservedRows = (0..<fit.design.unobserved.rows).filter { i in
      fit.design.hasEstimate(i) && boundary.allSatisfy { fit.design.unobserved[i, $0] == 0 }
    }
    var design = Matrix(rows: rows.count, columns: kept.count)
    var unobservedDesign = Matrix(rows: unobservedRows.count, columns: kept.count)
    for (b, j) in kept.enumerated() {
      for (a, i) in rows.enumerated() { design[a, b] = observed[i, j] }
      for (a, i) in unobservedRows.enumerated() { unobservedDesign[a, b] = fit.design.unobserved[i, j] }
    }
    let y = fit.design.fittedCells(fit.counts)
    self.design = design
    self.unobservedDesign = unobservedDesign
    counts = rows.map { y[$0] }
    observedTotal = Double(fit.data.observedTotal)
    start = kept.map { fit.estimates[$0] }
    beta = start
    scaled = Matrix(rows: rows.count, columns: kept.count)
    information = Matrix(rows: kept.count, columns: kept.count)
  }

  /// `ℓ(N)` for `N ≥ n`.
  mutating func logLikelihood(at total: Double) throws(EstimationError) -> Double {
    precondition(total >= observedTotal, "N cannot be below the observed total")
    let unobserved = total - observedTotal
    var deviance = try maximize(unobserved: unobserved)
    if !deviance.isFinite {
      beta = start
      deviance = try maximize(unobserved: unobserved)
    }
    guard deviance.isFinite else { throw .nonFiniteDeviance }
    return -deviance / 2 + ProfileLikelihood.cormackCorrection(total: total, unobserved: unobserved)
  }

  /// The objective `Σ (y η − μ) + n₀ log m − m` at `beta`, with `μ`, `μ₀` and `m`.
  private func objective(_ beta: [Double], unobserved n0: Double)
    -> (value: Double, mu: [Double], mu0: [Double], m: Double)
  {
    var eta = [Double](repeating: 0, count: design.rows)
    BLAS.gemv(design, beta, into: &eta)
    var eta0 = [Double](repeating: 0, count: unobservedDesign.rows)
    BLAS.gemv(unobservedDesign, beta, into: &eta0)
    var value = 0.0
    let mu = eta.map { Double.exp($0) }
    for i in eta.indices { value += counts[i] * eta[i] - mu[i] }
    let mu0 = eta0.map { Double.exp($0) }
    let m = mu0.reduce(0, +)
    value += (n0 > 0 ? n0 * .log(m) : 0) - m
    return (value, mu, mu0, m)
  }

  /// Maximises the objective for `n₀` from the current `beta`; returns the deviance.
  private mutating func maximize(unobserved n0: Double) throws(EstimationError) -> Double {
    let p = beta.count
    var current = objective(beta, unobserved: n0)
    for _ in 0..<200 {
      guard current.value.isFinite, current.m > 0 else { return .infinity }
      var score = [Double](repeating: 0, count: p)
      let residual = zip(counts, current.mu).map { $0 - $1 }
      BLAS.gemv(transpose: true, design, residual, into: &score)
      var g = [Double](repeating: 0, count: p)
      BLAS.gemv(transpose: true, unobservedDesign, current.mu0, into: &g)
      let ratio = n0 / current.m
      for j in 0..<p { score[j] += (ratio - 1) * g[j] }
      var step = score
      if !solve(&step, mu: current.mu, mu0: current.mu0, g: g, m: current.m, ratio: ratio, observed: true) {
        step = score
        guard solve(&step, mu: current.mu, mu0: current.mu0, g: g, m: current.m, ratio: ratio, observed: false)
        else { return .infinity }
      }
      var length = 1.0
      var candidate = zip(beta, step).map { $0 + $1 }
      var next = objective(candidate, unobserved: n0)
      var halvings = 0
      while !(next.value >= current.value - 1e-12 * abs(current.value)) && halvings < 40 {
        length /= 2
        candidate = beta.indices.map { beta[$0] + length * step[$0] }
        next = objective(candidate, unobserved: n0)
        halvings += 1
      }
      guard next.value.isFinite else { return .infinity }
      let change = next.value - current.value
      beta = candidate
      current = next
      let largest = step.reduce(0) { max($0, abs($1)) } * length
      if abs(change) <= 1e-13 * (abs(current.value) + 1) && largest < 1e-8 { break }
    }
    var deviance = 0.0
    for i in counts.indices {
      let y = counts[i]
      let mu = current.mu[i]
      deviance += (y > 0 ? y * .log(y / mu) : 0) - (y - mu)
    }
    deviance += (n0 > 0 ? n0 * .log(n0 / current.m) : 0) - (n0 - current.m)
    return 2 * deviance
  }

  /// Solves `I δ = s` in place with the observed (or expected) information; `false` when it is
  /// not positive definite.
  private mutating func solve(
    _ step: inout [Double], mu: [Double], mu0: [Double], g: [Double], m: Double, ratio: Double,
    observed: Bool
  ) -> Bool {
    let p = beta.count
    scaled.assignRowScaled(design, by: mu.map { $0.squareRoot() })
    BLAS.syrkUpper(scaled, into: &information)
    for a in 0..<p {
      for b in a..<p {
        var extra = 0.0
        if observed {
          for c in 0..<unobservedDesign.rows {
            extra += (1 - ratio) * mu0[c] * unobservedDesign[c, a] * unobservedDesign[c, b]
          }
          extra += ratio / m * g[a] * g[b]
        } else {
          extra = g[a] * g[b] / m
        }
        information[a, b] += extra
      }
    }
    // Directions the data barely inform (a parameter drifting towards −∞ with fitted counts
    // near 0) can make the information numerically singular; a small ridge (damped Newton) then
    // keeps the step finite without changing the maximum.
    let largest = (0..<p).reduce(0.0) { max($0, information[$1, $1]) }
    var ridge = 0.0
    for _ in 0..<6 {
      var factor = information
      for j in 0..<p { factor[j, j] += ridge }
      var solution = step
      do {
        try Cholesky.factorize(&factor)
        try Cholesky.solve(factor: factor, &solution)
        if solution.allSatisfy(\.isFinite) {
          step = solution
          return true
        }
      } catch {}
      ridge = ridge == 0 ? 1e-10 * max(largest, 1) : ridge * 100
    }
    return false
  }
}

extension CovariateFit {
  /// The multinomial profile-likelihood interval for the total `N` (Cormack 1992, with the
  /// unobserved cells of all covariate levels summed; see `CovariateProfileLikelihood`).
  /// - Throws: ``EstimationError`` when a profile fit fails,
  ///   ``EstimationError/tooFewOperatingLists(strata:)`` when the total has no estimate, and
  ///   ``EstimationError/profileNotAvailable(model:)`` for a fit completed by EM (whose completed
  ///   table is not data; use ``CovariateBootstrap/run(emFit:options:progress:)``).
  public func profileLikelihoodInterval(level: Double = 0.95) throws(EstimationError)
    -> IntervalEstimate
  {
    guard !completedByEM else { throw .profileNotAvailable(model: model.description + " (fitted by EM)") }
    let tooFew = totalEstimate.strataWithTooFewLists
    guard tooFew.isEmpty else { throw .tooFewOperatingLists(strata: tooFew) }
    var profile = try CovariateProfileLikelihood(fit: self)
    return try ProfileIntervalSearch.interval(
      observedTotal: Double(data.observedTotal), poissonTotal: total, level: level
    ) { (total: Double) throws(EstimationError) -> Double in try profile.logLikelihood(at: total) }
  }
}
