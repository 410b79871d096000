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

/// The layer edges `x_i` of the 128-layer normal ziggurat (`x_0 = V/f(R)`, `x_1 = R`, …,
/// `x_128 = 0`, each layer of area `V`) and the ratios `x_{i+1}/x_i` below which a point is
/// inside the layer's rectangle (Marsaglia & Tsang 2000).
enum Ziggurat {
  /// `R`, where the tail starts.
  static let tailStart = 3.442_619_855_899
  /// `V`, the area of each layer.
  static let layerArea = 9.912_563_035_262_17e-3

  /// `x_0 … x_128`, as ``recurrence()`` computes them (a test checks they agree to the last
  /// bit); literal, so they need no lazy initialisation on each access.
  static let edges: [Double] = [
    3.7130862467425505, 3.442619855899, 3.2230849845811416, 3.0832288582168683, 2.9786962526477803,
    2.894344007021529, 2.8231253505489105, 2.761169372387177, 2.7061135731218195,
    2.6564064112613597, 2.6109722484318474, 2.569033625924938, 2.5300096723888275,
    2.493454522095372, 2.4590181774118305, 2.42642064553375, 2.3954342780110625, 2.3658713701176386,
    2.3375752413392368, 2.310413683698763, 2.2842740596774718, 2.2590595738691985,
    2.2346863955909795, 2.2110814088787034, 2.188180432076049, 2.165926793748922,
    2.1442701823603953, 2.1231657086739766, 2.1025731351892385, 2.082456237992017,
    2.0627822745083084, 2.0435215366550676, 2.0246469733773855, 2.006133869963472, 1.98795957412762,
    1.9701032608543265, 1.9525457295535567, 1.9352692282966228, 1.9182573008645099,
    1.901494653105151, 1.884967035707759, 1.8686611409944887, 1.8525645117280911, 1.836665460258446,
    1.8209529965961255, 1.8054167642192285, 1.7900469825998586, 1.7748343955860695,
    1.7597702248995934, 1.7448461281138004, 1.7300541605637305, 1.7153867407136676,
    1.7008366185699169, 1.6863968467791681, 1.672060754097601, 1.6578219209540241,
    1.6436741568628686, 1.6296114794706347, 1.615628095043161, 1.6017183802213781,
    1.5878768648905761, 1.5740982160230008, 1.560377222366169, 1.5467087798599104,
    1.5330878776740433, 1.5195095847659401, 1.5059690368632033, 1.492461423781354,
    1.4789819769899242, 1.4655259573427108, 1.4520886428892246, 1.4386653166845635,
    1.42525125451406, 1.4118417124470577, 1.3984319141310053, 1.3850170377326518,
    1.3715922024273426, 1.3581524543301435, 1.344692751753547, 1.3312079496656273,
    1.317692783209414, 1.3041418501286168, 1.2905495919261964, 1.2769102735601556,
    1.263217961454621, 1.2494664995730682, 1.2356494832633627, 1.2217602305399964,
    1.2077917504159497, 1.1937367078331287, 1.1795873846639882, 1.1653356361647524,
    1.1509728421488674, 1.1364898520131608, 1.1218769225825422, 1.107123647534036,
    1.0922188769072774, 1.0771506248928957, 1.0619059636948243, 1.0464709007640454,
    1.0308302360681956, 1.0149673952513305, 0.9988642334929836, 0.982500803515429,
    0.9658550794011499, 0.9489026255113064, 0.9316161966151508, 0.9139652510230323,
    0.8959153525809377, 0.8774274291129234, 0.8584568431938132, 0.8389522142975774,
    0.8188539067003573, 0.7980920606440569, 0.7765839878947599, 0.7542306644540556,
    0.7309119106424888, 0.7064796113354365, 0.6807479186691546, 0.6534786387399752,
    0.6243585973360507, 0.5929629424714483, 0.5586921784081852, 0.5206560387620606,
    0.4774378372966898, 0.4265479863554235, 0.36287143109703196, 0.27232086481396467, 0.0,
  ]
  /// `x_{i+1}/x_i` for `i = 0 … 127`, likewise.
  static let ratios: [Double] = [
    0.9271586026096681, 0.9362302895738892, 0.9566079929529229, 0.9660963845448882,
    0.971681487982781, 0.9753938521821022, 0.9780541171685178, 0.980060694640489,
    0.9816315315239645, 0.9828963811271866, 0.9839375456663325, 0.9848098704733534,
    0.9855513792328944, 0.9861893030819736, 0.9867436799867864, 0.9872295978111943,
    0.9876586437103296, 0.9880398701570176, 0.9883804563121089, 0.9886861715693078,
    0.9889617072428545, 0.9892109183130244, 0.9894370025436909, 0.9896426351781105,
    0.9898300715969688, 0.9900012265183524, 0.9901577357834697, 0.9903010050508025,
    0.9904322485336944, 0.9905525200843218, 0.9906627383358567, 0.9907637071892196,
    0.9908561326209719, 0.9909406365607181, 0.991017768416579, 0.9910880146997187,
    0.991151807102165, 0.991209529308185, 0.9912615227624552, 0.9913080915739614,
    0.9913495066999154, 0.9913860095266759, 0.9914178149430195, 0.9914451139838447,
    0.9914680761085329, 0.9914868511670121, 0.9915015710974835, 0.9915123513923666,
    0.9915192923629307, 0.9915224802280646, 0.9915219880484646, 0.9915178765240442,
    0.9915101946694387, 0.9914989803800052, 0.9914842608986051, 0.9914660531916395,
    0.9914443642412228, 0.9914191912590011, 0.9913905218258715, 0.9913583339607497,
    0.9913225961204966, 0.9912832671321499, 0.9912402960576856, 0.991193621990624,
    0.991143173782899, 0.991088869699481, 0.9910306169972894, 0.9909683114239041,
    0.9909018366304913, 0.9908310634921467, 0.9907558493275227, 0.9906760370080955,
    0.9905914539457294, 0.9905019109452362, 0.9904072009063883, 0.990307097357238,
    0.990201352797563, 0.9900896968277136, 0.9899718340339569, 0.9898474415964779,
    0.9897161665803526, 0.9895776228628198, 0.9894313876418468, 0.9892769974609422,
    0.9891139436730952, 0.9889416672520418, 0.9887595528412437, 0.9885669219091597,
    0.9883630248526034, 0.9881470318569457, 0.9879180222809051, 0.987674972282531,
    0.9874167403388364, 0.9871420502305995, 0.9868494709610887, 0.9865373929461655,
    0.986203999644239, 0.9858472335755389, 0.98546475539409, 0.9850538942989907, 0.9846115875710347,
    0.9841343063494573, 0.9836179638544746, 0.9830578010168337, 0.9824482427525728,
    0.9817827157061126, 0.9810534148544756, 0.9802510014227667, 0.9793642073274506,
    0.9783793105963312, 0.9772794298852922, 0.9760435609386315, 0.9746452378300764,
    0.9730506368752245, 0.9712158326862985, 0.9690827290502092, 0.9665728537853818,
    0.9635775863118795, 0.959942176565901, 0.9554384188286962, 0.9497153478809163,
    0.9422042060159378, 0.9319193267489506, 0.9169927970716931, 0.8934105197245976,
    0.8507165493794344, 0.7504610213889943, 0.0,
  ]

  /// The edges and ratios from Marsaglia & Tsang's recurrence
  /// `x_{i+1} = √(−2 log(V/x_i + f(x_i)))`, `f(x) = exp(−x²/2)`.
  static func recurrence() -> (edges: [Double], ratios: [Double]) {
    let r = tailStart
    var edges = [Double](repeating: 0, count: 129)
    var density = Double.exp(-0.5 * r * r)
    edges[0] = layerArea / density
    edges[1] = r
    for i in 2..<128 {
      edges[i] = (-2 * Double.log(layerArea / edges[i - 1] + density)).squareRoot()
      density = Double.exp(-0.5 * edges[i] * edges[i])
    }
    edges[128] = 0
    return (edges, (0..<128).map { edges[$0 + 1] / edges[$0] })
  }
}
