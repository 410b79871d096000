import DarkNumber
import DarkNumberLinearAlgebra
internal import RealModule

/// Draws from the posterior of a Poisson log-linear model `log μᵢ = xᵢᵀβ` with independent
/// `N(0, 1/τⱼ)` priors on the coefficients (`τⱼ = 0`: a flat prior):
/// `log p(β | y) = Σᵢ (yᵢ xᵢᵀβ − e^{xᵢᵀβ}) − ½ Σⱼ τⱼ βⱼ² + const`.
///
/// MultipleSystemsEstimation's reference is MCMCpack's random-walk Metropolis (`MCMCpoisson`).
/// This sampler is an independence Metropolis–Hastings chain whose proposal is a multivariate
/// Student t with 5 degrees of freedom centred at the posterior mode `β̂` (found by Newton's
/// method) with scale `H⁻¹`, `H = XᵀŴX + diag(τ)` the negative Hessian there. Log-linear posteriors
/// on capture tables are close to Gaussian, so most proposals are accepted and successive draws
/// are nearly independent (an effective sample size close to the number of draws, against a few
/// hundred per 10,000 for a random walk); the t's heavy tails keep the chain uniformly ergodic
/// when the posterior has heavier tails than its Laplace approximation.
struct PoissonPosteriorSampler: Sendable {
  /// The design, row-major: `rows × columns`.
  let design: [Double]
  let rows: Int
  let columns: Int
  let counts: [Double]
  /// `τⱼ` for each coefficient.
  let precisions: [Double]

  static let degreesOfFreedom = 5.0

  /// The log posterior at `beta` (up to a constant).
  func logDensity(_ beta: [Double]) -> Double {
    var total = PoissonPosteriorMode.logLikelihood(
      design: design, columns: columns, rows: 0..<rows, counts: counts, beta: beta)
    for j in 0..<columns { total -= 0.5 * precisions[j] * beta[j] * beta[j] }
    return total
  }

  /// The posterior mode and the negative Hessian there (held by its Cholesky factor), from
  /// `start` (``PoissonPosteriorMode``); `nil` when the mode does not exist (the posterior is
  /// improper or its mode is at infinity).
  func mode(start: [Double]) -> (beta: [Double], precision: SmallPrecision)? {
    PoissonPosteriorMode.find(
      design: design, columns: columns, rows: Array(0..<rows), counts: counts, start: start
    ) { beta in
      var value = 0.0
      var hessian = [Double](repeating: 0, count: columns * columns)
      for j in 0..<columns {
        value -= 0.5 * precisions[j] * beta[j] * beta[j]
        hessian[j + j * columns] = -precisions[j]
      }
      return (value, zip(precisions, beta).map { -$0 * $1 }, hessian, nil)
    }
  }

  /// `burnIn + draws` iterations from the mode; returns the last `draws` states and the share of
  /// proposals accepted.
  func sample(
    mode: [Double], precision: SmallPrecision, draws: Int, burnIn: Int, using generator: inout SplitMix64
  ) -> (draws: [[Double]], acceptance: Double) {
    let nu = Self.degreesOfFreedom
    let p = Double(columns)
    // A proposal β = β̂ + R⁻¹z/√(w), RᵀR = H, z ~ N(0, I), w ~ χ²_ν/ν; log q(β) = −(ν + p)/2 ·
    // log(1 + zᵀz/(w ν)) up to a constant, since (β − β̂)ᵀH(β − β̂) = zᵀz/w.
    func propose() -> (beta: [Double], logProposal: Double) {
      let z = (0..<columns).map { _ in generator.standardNormal() }
      let w = 2 * generator.gamma(shape: nu / 2) / nu
      let offset = precision.backSubstitute(z.map { $0 / w.squareRoot() })
      let quadratic = z.reduce(0) { $0 + $1 * $1 } / w
      return (zip(mode, offset).map(+), -(nu + p) / 2 * Double.log(1 + quadratic / nu))
    }
    var state = mode
    var stateWeight = logDensity(mode)  // log π − log q at the mode (log q = 0 there)
    var kept: [[Double]] = []
    kept.reserveCapacity(draws)
    var accepted = 0
    for iteration in 0..<(burnIn + draws) {
      let (candidate, logProposal) = propose()
      let weight = logDensity(candidate) - logProposal
      if weight.isFinite && Double.log(generator.uniform()) < weight - stateWeight {
        state = candidate
        stateWeight = weight
        if iteration >= burnIn { accepted += 1 }
      }
      if iteration >= burnIn { kept.append(state) }
    }
    return (kept, Double(accepted) / Double(max(draws, 1)))
  }
}
