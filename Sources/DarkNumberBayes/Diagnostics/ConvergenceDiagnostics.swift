internal import RealModule

/// Convergence diagnostics of Markov chains for one scalar (here N): the split potential scale
/// reduction factor R̂ and the effective sample size, as defined by Gelman et al. (2013),
/// *Bayesian Data Analysis*, 3rd ed., §11.4–11.5, with Geyer's (1992) initial monotone sequence
/// for the autocorrelation sum (as Stan computes them).
public struct ConvergenceDiagnostics: Sendable, Hashable {
  /// Split-R̂: each chain is halved, and `R̂ = √(var⁺ / W)` with `W` the mean within-half
  /// variance, `B` the between-half variance of the means, and `var⁺ = (n−1)/n·W + B/n`.
  /// Near 1 when the chains agree; above 1.01 is a warning sign (Vehtari et al. 2021).
  public let splitRhat: Double
  /// The effective sample size of all draws together, `m·n / (1 + 2 Σ_t ρ̂_t)`, where
  /// `ρ̂_t = 1 − V_t / (2 var⁺)` and `V_t` is the mean squared difference of draws `t` apart,
  /// summed over lag pairs while positive and non-increasing.
  public let effectiveSampleSize: Double

  /// The diagnostics of `chains` (each a sequence of draws; at least 4 draws per chain).
  /// Constant chains that all agree give `R̂ = 1` and an effective size equal to the draws.
  public init(chains: [[Double]]) {
    precondition(!chains.isEmpty && chains.allSatisfy { $0.count >= 4 })
    let length = chains.map(\.count).min()! / 2
    var halves: [ArraySlice<Double>] = []
    for chain in chains {
      halves.append(chain[0..<length])
      halves.append(chain[(chain.count - length)...])
    }
    let m = Double(halves.count)
    let n = Double(length)
    let means = halves.map { $0.reduce(0, +) / n }
    let grand = means.reduce(0, +) / m
    let between = n / (m - 1) * means.reduce(0) { $0 + ($1 - grand) * ($1 - grand) }
    var within = 0.0
    for (index, half) in halves.enumerated() {
      within += half.reduce(0) { $0 + ($1 - means[index]) * ($1 - means[index]) } / (n - 1)
    }
    within /= m
    let pooled = (n - 1) / n * within + between / n
    guard within > 0 else {
      splitRhat = between > 0 ? .infinity : 1
      effectiveSampleSize = between > 0 ? 1 : m * n
      return
    }
    splitRhat = (pooled / within).squareRoot()
    // ρ̂_t from the variogram V_t = mean over halves of (1/(n − t)) Σ (ψ_i − ψ_{i−t})².
    func autocorrelation(_ lag: Int) -> Double {
      var variogram = 0.0
      for half in halves {
        let start = half.startIndex
        var sum = 0.0
        for i in lag..<length {
          let difference = half[start + i] - half[start + i - lag]
          sum += difference * difference
        }
        variogram += sum / Double(length - lag)
      }
      variogram /= m
      return 1 - variogram / (2 * pooled)
    }
    var sum = 0.0
    var previousPair = Double.infinity
    var lag = 0
    while lag + 1 < length {
      let pair = autocorrelation(lag) + autocorrelation(lag + 1)
      if pair <= 0 { break }
      let monotone = min(pair, previousPair)
      sum += monotone
      previousPair = monotone
      lag += 2
    }
    // Σ_{t≥0} pairs counts ρ̂₀ = 1 once; τ = −1 + 2 Σ pairs = 1 + 2 Σ_{t≥1} ρ̂_t.
    let tau = max(-1 + 2 * sum, 1 / Double.log10(m * n))
    effectiveSampleSize = m * n / tau
  }
}
