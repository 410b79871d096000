import RealModule

/// Tail probabilities of the Poisson distribution, summed in log space from the tail's start so
/// that small tails keep their relative accuracy. Beyond ``largeMean`` the terms to sum grow like
/// `√λ`, and the tails come from the incomplete gamma function instead:
/// `P(X ≥ k) = P(k, λ)` and `P(X ≤ k) = Q(k + 1, λ)`.
enum Poisson {
  /// The mean above which the tails are incomplete gamma functions, not sums.
  static let largeMean = 1e5

  /// `P(X ≤ k)` for `X ~ Poisson(λ)`.
  static func lowerTail(_ k: Int, mean lambda: Double) -> Double {
    if k < 0 { return 0 }
    if lambda <= 0 { return 1 }
    if lambda > largeMean { return IncompleteGamma.upper(Double(k) + 1, lambda) }
    if Double(k) >= lambda { return max(0, 1 - upperTail(k + 1, mean: lambda)) }
    // Terms increase up to k < λ: sum downwards from k.
    var term = logTerm(k, lambda)
    var sum = 0.0
    var i = k
    let first = term
    while i >= 0 {
      let value = Double.exp(term - first)
      sum += value
      if value < 1e-17 * sum { break }
      term -= Double.log(lambda) - Double.log(Double(i))
      i -= 1
    }
    return min(1, Double.exp(first) * sum)
  }

  /// `P(X ≥ k)` for `X ~ Poisson(λ)`.
  static func upperTail(_ k: Int, mean lambda: Double) -> Double {
    if k <= 0 { return 1 }
    if lambda <= 0 { return 0 }
    if lambda > largeMean { return IncompleteGamma.lower(Double(k), lambda) }
    if Double(k) <= lambda { return max(0, 1 - lowerTail(k - 1, mean: lambda)) }
    // Terms decrease from k > λ: sum upwards.
    let first = logTerm(k, lambda)
    var term = first
    var sum = 0.0
    var i = k
    while true {
      let value = Double.exp(term - first)
      sum += value
      if value < 1e-17 * sum { break }
      i += 1
      term += Double.log(lambda) - Double.log(Double(i))
    }
    return min(1, Double.exp(first) * sum)
  }

  /// `Σ log yᵢ!`: the part of a Poisson log-likelihood `Σ [y log μ − μ − log y!]` that no model
  /// changes (counts of 0 and 1 add nothing).
  static func logFactorialSum(_ counts: some Sequence<Double>) -> Double {
    var sum = 0.0
    for count in counts where count > 1 { sum += .logGamma(count + 1) }
    return sum
  }

  /// `log P(X = k) = −λ + k log λ − log k!`.
  private static func logTerm(_ k: Int, _ lambda: Double) -> Double {
    -lambda + Double(k) * Double.log(lambda) - Double.logGamma(Double(k) + 1)
  }
}
