internal import RealModule

/// The mode of a Poisson log-linear posterior, `log p(β | y) = Σᵢ (yᵢηᵢ − e^{ηᵢ}) + log π(β)`
/// with `η = Xβ`, by Newton's method with step halving: the one mode finder of Bayesian
/// thresholding (a normal prior per coefficient) and of log-linear model averaging (conting's
/// `beta_mode` with the unit-information or Sabanés Bové–Held prior).
enum PoissonPosteriorMode {
  /// A log prior at `β`: its value, gradient and Hessian (column-major), and a negative
  /// semi-definite stand-in for the Hessian where that is not (`nil`: it always is).
  typealias Prior = ([Double]) -> (value: Double, gradient: [Double], hessian: [Double], concave: [Double]?)

  /// `start + Σᵢ (yᵢηᵢ − e^{ηᵢ})` over `rows` of the row-major `design` (`columns` wide), `η = Xβ`:
  /// the Poisson log-likelihood up to a constant, added to `start`.
  static func logLikelihood(
    design: [Double], columns p: Int, rows: some Sequence<Int>, counts: [Double], beta: [Double],
    adding start: Double = 0
  ) -> Double {
    var value = start
    for h in rows {
      var eta = 0.0
      for j in 0..<p { eta += design[h * p + j] * beta[j] }
      value += counts[h] * eta - Double.exp(eta)
    }
    return value
  }

  /// The mode from `start` over the cells `rows` of the row-major `design` (`columns` wide), and
  /// the Cholesky factor of the posterior's negative Hessian there; `nil` when no mode is found
  /// (an improper posterior, a mode at infinity). Converged when a full Newton step moves no
  /// coefficient by more than 10⁻⁹, or when no step along the Newton direction gains any more.
  static func find(
    design: [Double], columns p: Int, rows: [Int], counts: [Double], start: [Double], prior: Prior
  ) -> (beta: [Double], precision: SmallPrecision)? {
    func logDensity(_ beta: [Double]) -> Double {
      logLikelihood(design: design, columns: p, rows: rows, counts: counts, beta: beta, adding: prior(beta).value)
    }
    /// The gradient and the negative Hessian (and its concave stand-in) at `beta`.
    func derivatives(_ beta: [Double]) -> (gradient: [Double], negative: [Double], concave: [Double]?) {
      let (_, priorGradient, priorHessian, priorConcave) = prior(beta)
      var gradient = priorGradient
      var information = [Double](repeating: 0, count: p * p)
      for h in rows {
        var eta = 0.0
        for j in 0..<p { eta += design[h * p + j] * beta[j] }
        let mu = Double.exp(eta)
        for i in 0..<p where design[h * p + i] != 0 {
          let xi = design[h * p + i]
          gradient[i] += xi * (counts[h] - mu)
          for j in 0..<p { information[i + j * p] += mu * xi * design[h * p + j] }
        }
      }
      return (
        gradient, zip(information, priorHessian).map { $0 - $1 },
        priorConcave.map { zip(information, $0).map { $0 - $1 } }
      )
    }
    func precision(_ d: (gradient: [Double], negative: [Double], concave: [Double]?)) -> SmallPrecision? {
      SmallPrecision(d.negative, order: p) ?? d.concave.flatMap { SmallPrecision($0, order: p) }
    }
    var beta = start
    var current = logDensity(beta)
    guard current.isFinite else { return nil }
    for _ in 0..<500 {
      let d = derivatives(beta)
      guard let newton = precision(d) else { return nil }
      let step = newton.solve(d.gradient)
      var length = 1.0
      var next = beta
      var value = -Double.infinity
      for _ in 0..<60 {
        next = zip(beta, step).map { $0 + length * $1 }
        value = logDensity(next)
        if value.isFinite && value >= current - 1e-12 * abs(current) { break }
        length /= 2
      }
      guard value.isFinite, value >= current - 1e-12 * abs(current) else { break }
      beta = next
      current = value
      if length == 1 && step.allSatisfy({ abs($0) < 1e-9 }) { break }
    }
    guard beta.allSatisfy(\.isFinite), let final = precision(derivatives(beta)) else { return nil }
    return (beta, final)
  }
}
