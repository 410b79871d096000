import RealModule

/// The χ² distribution's upper tail, for goodness-of-fit p-values.
enum ChiSquared {
  /// `P(χ²_ν > x) = Q(ν/2, x/2)`, the regularized upper incomplete gamma function, for `ν ≥ 1`
  /// and `x ≥ 0`; relative error about 1e-13 (checked against scipy's `chi2.sf`), and 0 only
  /// where the tail underflows (below about 1e-308).
  static func survival(_ x: Double, degreesOfFreedom: Int) -> Double {
    precondition(degreesOfFreedom >= 1, "χ² needs at least one degree of freedom")
    precondition(x >= 0 && x.isFinite, "a χ² statistic is finite and non-negative")
    return upperRegularizedGamma(Double(degreesOfFreedom) / 2, x / 2)
  }

  /// `Q(a, x) = Γ(a, x)/Γ(a)`: below `x = a + 1` as `1 − P(a, x)` by the series
  /// `P = e^{−x} xᵃ/Γ(a + 1) · Σₙ xⁿ/((a + 1)⋯(a + n))`; beyond, by the continued fraction
  /// `Γ(a, x) = e^{−x} xᵃ · 1/(x + 1 − a − 1(1 − a)/(x + 3 − a − 2(2 − a)/(x + 5 − a − ⋯)))`
  /// evaluated by the modified Lentz method (Abramowitz & Stegun 6.5.29 and 6.5.31).
  static func upperRegularizedGamma(_ a: Double, _ x: Double) -> Double {
    if x == 0 { return 1 }
    let logPrefactor = -x + a * .log(x) - .logGamma(a)
    if x < a + 1 {
      var term = 1 / a
      var sum = term
      var denominator = a
      for _ in 0..<10_000 {
        denominator += 1
        term *= x / denominator
        sum += term
        if abs(term) < abs(sum) * 1e-16 { break }
      }
      return max(0, 1 - sum * .exp(logPrefactor))
    }
    let tiny = 1e-300
    var b = x + 1 - a
    var c = 1 / tiny
    var d = 1 / b
    var fraction = d
    for i in 1..<10_000 {
      let n = Double(i)
      let numerator = -n * (n - a)
      b += 2
      d = numerator * d + b
      if abs(d) < tiny { d = tiny }
      c = b + numerator / c
      if abs(c) < tiny { c = tiny }
      d = 1 / d
      let step = d * c
      fraction *= step
      if abs(step - 1) < 1e-16 { break }
    }
    return .exp(logPrefactor) * fraction
  }
}
