internal import RealModule

/// Discrete random variates — Poisson, binomial, negative binomial — drawn from a ``SplitMix64``
/// stream.
///
/// The draws are a deterministic function of the generator's state, so a seeded stream always
/// yields the same variates on every machine and thread count.
extension SplitMix64 {
  /// A Poisson(mean) draw: multiplication of uniforms for means below 10, otherwise Hörmann's
  /// transformed rejection with squeeze, PTRS (Hörmann 1993, "The transformed rejection method
  /// for generating Poisson random variables", Insurance: Mathematics and Economics 12, 39–45).
  public mutating func poisson(mean: Double) -> Int {
    precondition(mean >= 0 && mean.isFinite, "the Poisson mean must be finite and non-negative")
    if mean == 0 { return 0 }
    if mean < 10 {
      let limit = Double.exp(-mean)
      var product = uniform()
      var k = 0
      while product > limit {
        product *= uniform()
        k += 1
      }
      return k
    }
    let root = mean.squareRoot()
    let b = 0.931 + 2.53 * root
    let a = -0.059 + 0.02483 * b
    let inverseAlpha = 1.1239 + 1.1328 / (b - 3.4)
    let vr = 0.9277 - 3.6224 / (b - 2)
    while true {
      let u = uniform() - 0.5
      let v = uniform()
      let us = 0.5 - abs(u)
      let k = floorOf((2 * a / us + b) * u + mean + 0.43)
      if us >= 0.07 && v <= vr { return Int(k) }
      if k < 0 || (us < 0.013 && v > us) { continue }
      // The exact test, on the rarer draws the squeeze above did not settle.
      let left = Double.log(v) + Double.log(inverseAlpha) - Double.log(a / (us * us) + b)
      if left <= -mean + k * Double.log(mean) - logFactorial(k) { return Int(k) }
    }
  }

  /// Steps from the mode within which BTRS's exact test multiplies pmf ratios instead of
  /// evaluating log-factorials (Kachitvichyanukul & Schmeiser 1988, "Binomial random variate
  /// generation", CACM 31, 216–222, use the same recursive evaluation in BTPE).
  static let binomialRatioSteps = 20.0

  /// A Binomial(count, probability) draw: sequential search of the inverse distribution when
  /// `count·min(p, 1−p) < 10`, otherwise Hörmann's BTRS transformed rejection (Hörmann 1993,
  /// "The generation of binomial random variates", J. Statist. Comput. Simul. 46, 101–110), its
  /// exact test by pmf ratios near the mode (`binomialRatioSteps`) and log-factorials beyond.
  public mutating func binomial(count: Int, probability: Double) -> Int {
    precondition(count >= 0, "the binomial count must be non-negative")
    precondition(probability >= 0 && probability <= 1, "the binomial probability must be in [0, 1]")
    if count == 0 || probability == 0 { return 0 }
    if probability == 1 { return count }
    // Drawn for the smaller of p and 1 − p, then mirrored.
    if probability > 0.5 { return count - binomialBelowHalf(count: count, p: 1 - probability) }
    return binomialBelowHalf(count: count, p: probability)
  }

  /// ``binomial(count:probability:)`` for `0 < p ≤ ½` and `count ≥ 1`.
  private mutating func binomialBelowHalf(count: Int, p: Double) -> Int {
    let n = Double(count)
    let q = 1 - p
    if n * p < 10 {
      let s = p / q
      let a = (n + 1) * s
      // P(X = 0) = qⁿ; the exponent lies in (−20, 0] here (np < 10, p ≤ ½).
      var r = fastExponential(n * Double.log(onePlus: -p))
      var u = uniform()
      var x = 0
      while u > r {
        u -= r
        x += 1
        if x > count { return count }
        r *= a / Double(x) - s
      }
      return x
    }
    let spq = (n * p * q).squareRoot()
    let b = 1.15 + 2.53 * spq
    let inverseB = 1 / b
    let a = -0.0873 + 0.0248 * b + 0.01 * p
    let c = n * p + 0.5
    let vr = 0.92 - 4.2 * inverseB
    let alpha = (2.83 + 5.1 * inverseB) * spq
    let m = floorOf((n + 1) * p)
    let odds = p / q
    // The log-scale test's constants cost three logarithms; they are computed when first needed.
    var logOdds = 0.0
    var h = Double.nan
    while true {
      let u = uniform() - 0.5
      let v = uniform()
      let us = 0.5 - abs(u)
      let k = floorOf((2 * a / us + b) * u + c)
      if k < 0 || k > n { continue }
      if us >= 0.07 && v <= vr { return Int(k) }
      // The exact test: accept when v·α/(a/us² + b) ≤ f(k)/f(m), f the binomial pmf.
      let scaled = v * alpha / (a / (us * us) + b)
      if abs(k - m) <= Self.binomialRatioSteps && n < 1e12 {
        // Near the mode, f(k)/f(m) as the product of the ratios f(i)/f(i − 1) =
        // (n − i + 1)/i · p/q, numerator and denominator kept apart (each stays within
        // 10^±240 for these n and steps), so the test costs no logarithm.
        var numerator = 1.0
        var denominator = 1.0
        if k > m {
          var i = m + 1
          while i <= k {
            numerator *= (n - i + 1) * odds
            denominator *= i
            i += 1
          }
        } else {
          var i = k + 1
          while i <= m {
            numerator *= i
            denominator *= (n - i + 1) * odds
            i += 1
          }
        }
        if scaled * denominator <= numerator { return Int(k) }
        continue
      }
      if h.isNaN {
        logOdds = Double.log(odds)
        h = logFactorial(m) + logFactorial(n - m)
      }
      if Double.log(scaled) <= h - logFactorial(k) - logFactorial(n - k) + (k - m) * logOdds {
        return Int(k)
      }
    }
  }

  /// A negative binomial draw: the number of failures before the `size`-th success with success
  /// probability `probability`, as the Gamma–Poisson mixture
  /// `Poisson(Gamma(size)·(1 − p)/p)`. Its mean is `size·(1 − p)/p`.
  public mutating func negativeBinomial(size: Double, probability: Double) -> Int {
    precondition(size > 0 && probability > 0 && probability <= 1, "invalid negative binomial")
    if probability == 1 { return 0 }
    return poisson(mean: gamma(shape: size) * (1 - probability) / probability)
  }
}

/// `⌊x⌋` for `|x| < 2⁶²` through an integer conversion: `rounded(.down)` calls the C library's
/// `floor` on baseline x86-64, which has no rounding instruction, and these samplers call it per
/// draw. Beyond that range (possible only when a uniform lands within 2⁻⁶⁰ of ±½) `x` itself is
/// returned, which every caller then rejects.
@inline(__always)
func floorOf(_ x: Double) -> Double {
  guard abs(x) < 0x1p62 else { return x }
  let truncated = Double(Int(x))
  return truncated > x ? truncated - 1 : truncated
}

/// `log k!` for a non-negative integer-valued `k`: a table below 16, Stirling's series beyond
/// (error below 1e-15 relative there).
@usableFromInline func logFactorial(_ k: Double) -> Double {
  if k < 16 { return logFactorialTable[Int(k)] }
  let x = k + 1
  let inverse = 1 / x
  let inverse2 = inverse * inverse
  return (x - 0.5) * Double.log(x) - x + 0.918_938_533_204_672_8
    + inverse * (1.0 / 12 - inverse2 * (1.0 / 360 - inverse2 * (1.0 / 1260 - inverse2 / 1680)))
}

private let logFactorialTable: [Double] = {
  var table = [0.0]
  for k in 1..<16 { table.append(table[k - 1] + Double.log(Double(k))) }
  return table
}()
