internal import RealModule

/// Convergence diagnostics of Markov chains for one scalar (here N): the split potential scale
/// reduction factor R̂ (Gelman et al. 2013, *Bayesian Data Analysis*, 3rd ed., §11.4) and the
/// effective sample size with Geyer's (1992) initial monotone sequence (§11.5, as Stan and ArviZ
/// `ess(method="mean")` compute it). Both work on split chains: every chain's first and last
/// halves count as separate chains, so a drifting chain shows up.
public struct ConvergenceDiagnostics: Sendable, Hashable {
  /// Split-R̂ `= √((B/W + n − 1)/n)` over the `2m` half-chains of length `n`, with `W` the mean
  /// within-half variance and `B = n·Var(half means)`. Near 1 when the chains agree; above 1.01
  /// is a warning sign (Vehtari et al. 2021).
  public let splitRhat: Double
  /// The effective sample size of all draws together, `2m·n / τ̂`, with
  /// `τ̂ = −1 + 2 Σ_t ρ̂_t` over Geyer's initial positive, monotone sequence of autocorrelations
  /// `ρ̂_t = 1 − (W − mean autocovariance_t) / var⁺`, `var⁺ = (n−1)/n·W + Var(half means)`.
  public let effectiveSampleSize: Double

  /// The diagnostics of `chains` (each a sequence of draws of equal length ≥ 4).
  public init(chains: [[Double]]) {
    precondition(!chains.isEmpty && chains.allSatisfy { $0.count >= 4 })
    let length = chains.map(\.count).min()! / 2
    var halves: [[Double]] = []
    for chain in chains {
      halves.append(Array(chain[0..<length]))
      halves.append(Array(chain[(chain.count - length)...]))
    }
    let m = Double(halves.count)
    let n = Double(length)
    let means = halves.map { $0.reduce(0, +) / n }
    let grand = means.reduce(0, +) / m
    let meanVariance = means.reduce(0) { $0 + ($1 - grand) * ($1 - grand) } / (m - 1)
    var within = 0.0
    for (index, half) in halves.enumerated() {
      within += half.reduce(0) { $0 + ($1 - means[index]) * ($1 - means[index]) } / (n - 1)
    }
    within /= m
    let all = halves.joined()
    if all.max()! - all.min()! < 1e-15 {
      splitRhat = 1
      effectiveSampleSize = m * n
      return
    }
    splitRhat = ((n * meanVariance / within + n - 1) / n).squareRoot()
    let pooled = within * (n - 1) / n + meanVariance
    // ρ̂_t from the biased autocovariances (1/n) Σ_i (x_i − x̄)(x_{i+t} − x̄), averaged over halves.
    func rho(_ lag: Int) -> Double {
      var covariance = 0.0
      for (index, half) in halves.enumerated() {
        let mean = means[index]
        var sum = 0.0
        for i in 0..<(length - lag) { sum += (half[i] - mean) * (half[i + lag] - mean) }
        covariance += sum / n
      }
      return 1 - (within - covariance / m) / pooled
    }
    var rhos = [Double](repeating: 0, count: length)
    rhos[0] = 1
    var even = 1.0
    var odd = rho(1)
    rhos[1] = odd
    var t = 1
    while t < length - 3 && even + odd > 0 {
      even = rho(t + 1)
      odd = rho(t + 2)
      if even + odd >= 0 {
        rhos[t + 1] = even
        rhos[t + 2] = odd
      }
      t += 2
    }
    let maxLag = t - 2
    if even > 0 && maxLag + 1 < length { rhos[maxLag + 1] = even }
    t = 1
    while t <= maxLag - 2 {
      if rhos[t + 1] + rhos[t + 2] > rhos[t - 1] + rhos[t] {
        rhos[t + 1] = (rhos[t - 1] + rhos[t]) / 2
        rhos[t + 2] = rhos[t + 1]
      }
      t += 2
    }
    var tau = -1.0
    if maxLag >= 0 { for lag in 0...maxLag { tau += 2 * rhos[lag] } }
    if maxLag + 1 < length { tau += rhos[maxLag + 1] }
    tau = max(tau, 1 / Double.log10(m * n))
    effectiveSampleSize = m * n / tau
  }
}
