internal import RealModule

/// Random variates from the standard distributions, drawn from a ``SplitMix64`` stream.
///
/// The draws are a deterministic function of the generator's state, so a seeded stream always
/// yields the same variates on every machine and thread count.
extension SplitMix64 {
  /// A uniform draw on the open interval (0, 1): the top 53 bits plus one half, scaled by 2⁻⁵³.
  public mutating func uniform() -> Double {
    (Double(next() >> 11) + 0.5) * 0x1.0p-53
  }

  /// A standard normal draw by the ziggurat method with 128 layers (Marsaglia & Tsang 2000,
  /// "The ziggurat method for generating random variables", J. Statist. Software 5(8), in
  /// Doornik's 2005 form that takes the uniform and the layer from one 64-bit word: the top 53
  /// bits give `u ∈ (−1, 1)`, the low 7 bits the layer). Tail beyond `R` by Marsaglia (1964).
  public mutating func standardNormal() -> Double {
    let table = Ziggurat.shared
    while true {
      let bits = next()
      let u = 2 * ((Double(bits >> 11) + 0.5) * 0x1.0p-53) - 1
      let layer = Int(bits & 0x7F)
      if abs(u) < table.ratios[layer] { return u * table.edges[layer] }
      if layer == 0 {
        // The base layer's overhang: the tail beyond R.
        var x: Double
        var y: Double
        repeat {
          x = Double.log(uniform()) / Ziggurat.tailStart
          y = Double.log(uniform())
        } while -2 * y < x * x
        return u < 0 ? x - Ziggurat.tailStart : Ziggurat.tailStart - x
      }
      let x = u * table.edges[layer]
      let outer = Double.exp(-0.5 * (table.edges[layer] * table.edges[layer] - x * x))
      let inner = Double.exp(-0.5 * (table.edges[layer + 1] * table.edges[layer + 1] - x * x))
      if inner + uniform() * (outer - inner) < 1 { return x }
    }
  }

  /// A Gamma(shape, 1) draw (scale 1; divide by a rate to rescale).
  ///
  /// Marsaglia & Tsang (2000), "A simple method for generating gamma variables", ACM TOMS 26,
  /// 363–372, for shape ≥ 1; for shape < 1, `Gamma(a) = Gamma(a + 1)·U^{1/a}` (their §6), computed
  /// through ``logGamma(shape:)`` so tiny shapes do not underflow before the caller needs them to.
  public mutating func gamma(shape: Double) -> Double {
    precondition(shape > 0, "the Gamma shape must be positive")
    if shape < 1 { return Double.exp(logGamma(shape: shape)) }
    return marsagliaTsang(shape: shape)
  }

  /// The logarithm of a Gamma(shape, 1) draw; exact in log scale for any positive shape, so
  /// shapes near zero (whose draws underflow `Double`) still give usable values.
  public mutating func logGamma(shape: Double) -> Double {
    precondition(shape > 0, "the Gamma shape must be positive")
    if shape >= 1 { return Double.log(marsagliaTsang(shape: shape)) }
    return Double.log(marsagliaTsang(shape: shape + 1)) + Double.log(uniform()) / shape
  }

  private mutating func marsagliaTsang(shape: Double) -> Double {
    let d = shape - 1.0 / 3.0
    let c = 1 / (9 * d).squareRoot()
    while true {
      var x: Double
      var v: Double
      repeat {
        x = standardNormal()
        v = 1 + c * x
      } while v <= 0
      v = v * v * v
      let u = uniform()
      let x2 = x * x
      if u < 1 - 0.0331 * x2 * x2 { return d * v }
      if Double.log(u) < 0.5 * x2 + d * (1 - v + Double.log(v)) { return d * v }
    }
  }

  /// A Beta(a, b) draw as `X / (X + Y)` with `X ~ Gamma(a)`, `Y ~ Gamma(b)`, computed from the
  /// logarithms so small parameters neither underflow to 0/0 nor lose the tail:
  /// `B = 1 / (1 + exp(log Y − log X))`.
  public mutating func beta(_ a: Double, _ b: Double) -> Double {
    let logX = logGamma(shape: a)
    let logY = logGamma(shape: b)
    return 1 / (1 + Double.exp(logY - logX))
  }

  /// `(B, 1 − B)` of one Beta(a, b) draw, each accurate to its own rounding (the complement is
  /// not computed as `1 − B`).
  ///
  /// With a shape equal to 1 the law has a closed form (Devroye 1986, *Non-Uniform Random
  /// Variate Generation*, §IX.3): `Beta(a, 1) = U^{1/a}` and `Beta(1, b) = 1 − U^{1/b}`, so
  /// `t = log U / shape` gives `e^t` and `−expm1(t)` from one uniform; `Beta(1, 1)` is `U`
  /// itself. Otherwise `X/(X + Y)` and `Y/(X + Y)` from two Gamma draws.
  public mutating func betaWithComplement(_ a: Double, _ b: Double) -> (
    value: Double, complement: Double
  ) {
    precondition(a > 0 && b > 0, "the Beta shapes must be positive")
    if a == 1 && b == 1 {
      // On the grid (k + ½)·2⁻⁵³, so 1 − u is exact.
      let u = uniform()
      return (u, 1 - u)
    }
    if a == 1 || b == 1 {
      let t = Double.log(uniform()) / (a == 1 ? b : a)
      let power = Double.exp(t)
      let rest = -Double.expMinusOne(t)
      return a == 1 ? (rest, power) : (power, rest)
    }
    let x = gamma(shape: a)
    let y = gamma(shape: b)
    let sum = x + y
    return (x / sum, y / sum)
  }

  /// `(log B, log(1 − B))` of one Beta(a, b) draw, each accurate even when `B` rounds to 0 or 1.
  ///
  /// With a shape equal to 1 the closed form of ``betaWithComplement(_:_:)`` in log scale:
  /// `t = log U / shape` is one of the two logarithms and `log(−expm1 t)` the other.
  public mutating func logBeta(_ a: Double, _ b: Double) -> (log: Double, logComplement: Double) {
    precondition(a > 0 && b > 0, "the Beta shapes must be positive")
    if a == 1 || b == 1 {
      let t = Double.log(uniform()) / (a == 1 ? b : a)
      let other = Double.log(-Double.expMinusOne(t))
      return a == 1 ? (other, t) : (t, other)
    }
    if a >= 1 && b >= 1 {
      // Both Gamma draws are ≥ ~1e-3 with overwhelming probability and never underflow.
      let x = marsagliaTsang(shape: a)
      let y = marsagliaTsang(shape: b)
      let sum = x + y
      return (Double.log(x / sum), Double.log(y / sum))
    }
    let logX = logGamma(shape: a)
    let logY = logGamma(shape: b)
    let logSum = max(logX, logY) + Double.log(1 + Double.exp(-abs(logX - logY)))
    return (logX - logSum, logY - logSum)
  }

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
    let logMean = Double.log(mean)
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
      let left = Double.log(v) + Double.log(inverseAlpha) - Double.log(a / (us * us) + b)
      if left <= -mean + k * logMean - logFactorial(k) { return Int(k) }
    }
  }

  /// A Binomial(count, probability) draw: sequential search of the inverse distribution when
  /// `count·min(p, 1−p) < 10`, otherwise Hörmann's BTRS transformed rejection (Hörmann 1993,
  /// "The generation of binomial random variates", J. Statist. Comput. Simul. 46, 101–110).
  public mutating func binomial(count: Int, probability: Double) -> Int {
    precondition(count >= 0, "the binomial count must be non-negative")
    precondition(probability >= 0 && probability <= 1, "the binomial probability must be in [0, 1]")
    if count == 0 || probability == 0 { return 0 }
    if probability == 1 { return count }
    if probability > 0.5 { return count - binomial(count: count, probability: 1 - probability) }
    let n = Double(count)
    let p = probability
    let q = 1 - p
    if n * p < 10 {
      let s = p / q
      let a = (n + 1) * s
      var r = Double.exp(n * Double.log(onePlus: -p))
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
    let a = -0.0873 + 0.0248 * b + 0.01 * p
    let c = n * p + 0.5
    let vr = 0.92 - 4.2 / b
    let alpha = (2.83 + 5.1 / b) * spq
    let m = floorOf((n + 1) * p)
    // The exact test's constants cost three logarithms; most draws pass the squeeze without them.
    var logOdds = 0.0
    var h = Double.nan
    while true {
      let u = uniform() - 0.5
      var v = uniform()
      let us = 0.5 - abs(u)
      let k = floorOf((2 * a / us + b) * u + c)
      if k < 0 || k > n { continue }
      if us >= 0.07 && v <= vr { return Int(k) }
      if h.isNaN {
        logOdds = Double.log(p / q)
        h = logFactorial(m) + logFactorial(n - m)
      }
      v = Double.log(v * alpha / (a / (us * us) + b))
      if v <= h - logFactorial(k) - logFactorial(n - k) + (k - m) * logOdds { return Int(k) }
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

/// The layer edges `x_i` of the 128-layer normal ziggurat (`x_0 = V/f(R)`, `x_1 = R`, …,
/// `x_128 = 0`, each layer of area `V`) and the ratios `x_{i+1}/x_i` below which a point is
/// inside the layer's rectangle (Marsaglia & Tsang 2000).
struct Ziggurat: Sendable {
  /// `R`, where the tail starts.
  static let tailStart = 3.442_619_855_899
  /// `V`, the area of each layer.
  static let layerArea = 9.912_563_035_262_17e-3
  static let shared = Ziggurat()

  let edges: [Double]
  let ratios: [Double]

  private init() {
    let r = Self.tailStart
    var edges = [Double](repeating: 0, count: 129)
    var density = Double.exp(-0.5 * r * r)
    edges[0] = Self.layerArea / density
    edges[1] = r
    for i in 2..<128 {
      edges[i] = (-2 * Double.log(Self.layerArea / edges[i - 1] + density)).squareRoot()
      density = Double.exp(-0.5 * edges[i] * edges[i])
    }
    edges[128] = 0
    self.edges = edges
    ratios = (0..<128).map { edges[$0 + 1] / edges[$0] }
  }
}
