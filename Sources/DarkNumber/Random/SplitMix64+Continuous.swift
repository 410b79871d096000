internal import RealModule

/// Continuous random variates — uniform, normal (ziggurat), gamma, beta — drawn from a
/// ``SplitMix64`` stream.
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
  ///
  /// The common case (a point inside its layer's rectangle, about 99% of draws) is inlined; the
  /// wedges and the tail are left to `standardNormalOutsideRectangle(u:layer:)`.
  @inline(__always)
  public mutating func standardNormal() -> Double {
    let bits = next()
    let u = 2 * ((Double(bits >> 11) + 0.5) * 0x1.0p-53) - 1
    let layer = Int(bits & 0x7F)
    if abs(u) < Ziggurat.ratios[layer] { return u * Ziggurat.edges[layer] }
    return standardNormalOutsideRectangle(u: u, layer: layer)
  }

  /// The rest of ``standardNormal()`` once `(u, layer)` fell outside the layer's rectangle: the
  /// wedge test, the base layer's tail, and fresh draws until one is accepted.
  @inline(never)
  mutating func standardNormalOutsideRectangle(u firstU: Double, layer firstLayer: Int) -> Double {
    var u = firstU
    var layer = firstLayer
    while true {
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
      let edge = Ziggurat.edges[layer]
      let nextEdge = Ziggurat.edges[layer + 1]
      let x = u * edge
      let outer = Double.exp(-0.5 * (edge * edge - x * x))
      let inner = Double.exp(-0.5 * (nextEdge * nextEdge - x * x))
      if inner + uniform() * (outer - inner) < 1 { return x }
      let bits = next()
      u = 2 * ((Double(bits >> 11) + 0.5) * 0x1.0p-53) - 1
      layer = Int(bits & 0x7F)
      if abs(u) < Ziggurat.ratios[layer] { return u * Ziggurat.edges[layer] }
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
      // `e^t` and `1 − e^t` from one exponential each: near 1, `1 − e^t = −expm1(t)` and
      // `e^t = 1 + expm1(t)` (no cancellation above ½); below ½, `e^t` and `1 − e^t` directly.
      let t = Double.log(uniform()) / (a == 1 ? b : a)
      let power: Double
      let rest: Double
      if t > -0.693_147_180_559_945_3 {
        let change = Double.expMinusOne(t)
        power = 1 + change
        rest = -change
      } else {
        power = t >= -708 ? fastExponential(t) : Double.exp(t)
        rest = 1 - power
      }
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
}
