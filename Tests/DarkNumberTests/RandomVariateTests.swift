@testable import DarkNumber
import Foundation
import Testing

@Suite("Random variates on SplitMix64")
struct RandomVariateTests {
  /// Sample mean and variance.
  static func moments(_ values: [Double]) -> (mean: Double, variance: Double) {
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    return (mean, variance)
  }

  /// The one-sample Kolmogorov–Smirnov statistic of `values` against `cdf`.
  static func kolmogorovSmirnov(_ values: [Double], cdf: (Double) -> Double) -> Double {
    let sorted = values.sorted()
    let n = Double(sorted.count)
    var largest = 0.0
    for (i, x) in sorted.enumerated() {
      let f = cdf(x)
      largest = max(largest, abs(f - Double(i) / n), abs(Double(i + 1) / n - f))
    }
    return largest
  }

  @Test("Standard normal (ziggurat): KS against Φ and the tail mass beyond 3.5")
  func normal() {
    var generator = SplitMix64(seed: 11)
    let draws = (0..<200_000).map { _ in generator.standardNormal() }
    let d = Self.kolmogorovSmirnov(draws) { 0.5 * erfc(-$0 / 2.0.squareRoot()) }
    #expect(d < 1.95 / (200_000.0).squareRoot())  // α = 0.001
    let tail = Double(draws.filter { abs($0) > 3.5 }.count) / 200_000
    #expect(abs(tail - 4.6525e-4) < 5 * (4.6525e-4 / 200_000).squareRoot())
  }

  @Test("The literal ziggurat tables are, to the last bit, the values of Marsaglia & Tsang's recurrence")
  func zigguratTables() {
    let computed = Ziggurat.recurrence()
    #expect(Ziggurat.edges.count == 129 && Ziggurat.ratios.count == 128)
    #expect(Ziggurat.edges.map(\.bitPattern) == computed.edges.map(\.bitPattern))
    #expect(Ziggurat.ratios.map(\.bitPattern) == computed.ratios.map(\.bitPattern))
  }

  @Test("fastExponential is within 2 ulp of the C library's exp on −708…709")
  func fastExponentialAccuracy() {
    var generator = SplitMix64(seed: 17)
    var worst = 0.0
    for index in 0..<400_000 {
      let u = generator.uniform()
      // Half over the whole range, half over the samplers' usual (−30, 0).
      let x = index % 2 == 0 ? -708 + 1_417 * u : -30 * u
      let exact = exp(x)
      worst = max(worst, abs(fastExponential(x) - exact) / exact.ulp)
    }
    for x in [-708.0, -1, 0, 1e-300, 1, 709] {
      worst = max(worst, abs(fastExponential(x) - exp(x)) / exp(x).ulp)
    }
    #expect(worst <= 2, "worst error \(worst) ulp")
  }

  @Test(
    "Gamma: mean, variance, and E[log X] = ψ(shape) for the log-scale draws",
    arguments: [0.05, 0.3, 1, 2.5, 40])
  func gamma(shape: Double) {
    var generator = SplitMix64(seed: 12)
    let draws = (0..<50_000).map { _ in generator.gamma(shape: shape) }
    let (mean, variance) = Self.moments(draws)
    #expect(abs(mean - shape) < 5 * (shape / 50_000).squareRoot())
    #expect(abs(variance - shape) < 0.1 * shape)
    let logDraws = (0..<50_000).map { _ in generator.logGamma(shape: shape) }
    let (logMean, _) = Self.moments(logDraws)
    // E[log X] = ψ(shape); ψ by its asymptotic series after recurrence.
    var x = shape
    var digamma = 0.0
    while x < 10 {
      digamma -= 1 / x
      x += 1
    }
    digamma += log(x) - 1 / (2 * x) - 1 / (12 * x * x) + 1 / (120 * pow(x, 4)) - 1 / (252 * pow(x, 6))
    #expect(abs(logMean - digamma) < 5 * (Self.moments(logDraws).variance / 50_000).squareRoot())
  }

  @Test(
    "Beta: mean and variance, including parameters below 1",
    arguments: [(0.2, 0.7), (1.0, 1.0), (3.0, 40.0), (200.0, 5.0)])
  func beta(parameters: (Double, Double)) {
    let (a, b) = parameters
    var generator = SplitMix64(seed: 13)
    let draws = (0..<50_000).map { _ in generator.beta(a, b) }
    let (mean, variance) = Self.moments(draws)
    let exactMean = a / (a + b)
    let exactVariance = a * b / ((a + b) * (a + b) * (a + b + 1))
    #expect(abs(mean - exactMean) < 5 * (exactVariance / 50_000).squareRoot())
    #expect(abs(variance - exactVariance) < 0.05 * exactVariance)
    let pairs = (0..<1_000).map { _ in generator.logBeta(a, b) }
    #expect(pairs.allSatisfy { abs(exp($0.log) + exp($0.logComplement) - 1) < 1e-12 })
  }

  @Test(
    "Beta with a unit shape (closed form from one uniform): KS against its CDF, for the draw, its complement and the log-scale pair",
    arguments: [(1.0, 1.0), (1.0, 7.5), (3.5, 1.0), (1.0, 0.05), (1.0, 2_000.0)])
  func unitShapeBeta(parameters: (Double, Double)) {
    let (a, b) = parameters
    // Beta(1, s) has F(x) = 1 − (1 − x)^s; Beta(s, 1) has F(x) = x^s.
    let cdf = { (x: Double, a: Double, b: Double) in a == 1 ? -expm1(b * log1p(-x)) : pow(x, a) }
    var generator = SplitMix64(seed: 15)
    let n = 50_000
    let critical = 1.95 / Double(n).squareRoot()  // α = 0.001
    let pairs = (0..<n).map { _ in generator.betaWithComplement(a, b) }
    // A draw that rounds to exactly 1 (most of them for Beta(1, 0.05)) makes ties the KS
    // statistic does not allow for; its complement, Beta(b, a), is computed on its own and is
    // tested in every case.
    if pairs.filter({ $0.value == 1 }).count < n / 100 {
      #expect(Self.kolmogorovSmirnov(pairs.map(\.value)) { cdf($0, a, b) } < critical)
    }
    #expect(Self.kolmogorovSmirnov(pairs.map(\.complement)) { cdf($0, b, a) } < critical)
    #expect(pairs.allSatisfy { $0.value > 0 && $0.complement > 0 && abs($0.value + $0.complement - 1) < 1e-15 })
    let logs = (0..<n).map { _ in generator.logBeta(a, b) }
    #expect(Self.kolmogorovSmirnov(logs.map { exp($0.logComplement) }) { cdf($0, b, a) } < critical)
    #expect(logs.allSatisfy { $0.log.isFinite && $0.logComplement.isFinite })
    #expect(logs.allSatisfy { abs(exp($0.log) + exp($0.logComplement) - 1) < 1e-12 })
  }

  @Test("Beta with both shapes above 1 (two Gamma draws): mean and variance of the draw and of its complement")
  func generalBeta() {
    var generator = SplitMix64(seed: 16)
    let (a, b) = (4.0, 9.0)
    let pairs = (0..<50_000).map { _ in generator.betaWithComplement(a, b) }
    let exactMean = a / (a + b)
    let exactVariance = a * b / ((a + b) * (a + b) * (a + b + 1))
    let (mean, variance) = Self.moments(pairs.map(\.value))
    #expect(abs(mean - exactMean) < 5 * (exactVariance / 50_000).squareRoot())
    #expect(abs(variance - exactVariance) < 0.05 * exactVariance)
    #expect(pairs.allSatisfy { abs($0.value + $0.complement - 1) < 1e-15 })
  }

  @Test(
    "Poisson and binomial: chi-square against the exact probabilities (inversion and transformed-rejection regimes)",
    arguments: [
      (0, 3.5, 0.0), (0, 25.0, 0.0), (0, 4_000.0, 0.0), (40, 0.1, 1), (60, 0.3, 1), (30, 0.5, 1),
      (5_000, 0.02, 1), (900, 0.7, 1), (200_000, 0.4, 1),
    ])
  func discrete(case parameters: (Int, Double, Double)) {
    let (count, value, isBinomial) = parameters
    var generator = SplitMix64(seed: 14)
    let n = 100_000
    let draws = (0..<n).map { _ in
      isBinomial == 1 ? generator.binomial(count: count, probability: value) : generator.poisson(mean: value)
    }
    // log pmf
    func logPMF(_ k: Int) -> Double {
      if isBinomial == 1 {
        return lgamma(Double(count) + 1) - lgamma(Double(k) + 1) - lgamma(Double(count - k) + 1)
          + Double(k) * log(value) + Double(count - k) * log1p(-value)
      }
      return Double(k) * log(value) - value - lgamma(Double(k) + 1)
    }
    let mean = isBinomial == 1 ? Double(count) * value : value
    let sd = (isBinomial == 1 ? mean * (1 - value) : mean).squareRoot()
    // Bins of expected count ≥ 50 between the 0.1% tails, plus the two tails.
    let low = max(0, Int(mean - 4 * sd))
    let high = isBinomial == 1 ? min(count, Int(mean + 4 * sd) + 1) : Int(mean + 4 * sd) + 1
    var observed = [Int: Int]()
    for draw in draws { observed[min(max(draw, low - 1), high + 1), default: 0] += 1 }
    var expected = [Int: Double]()
    var inside = 0.0
    for k in low...high {
      expected[k] = Double(n) * exp(logPMF(k))
      inside += exp(logPMF(k))
    }
    var lowerTail = 0.0
    if low > 0 { for k in 0..<low { lowerTail += exp(logPMF(k)) } }
    expected[low - 1] = Double(n) * lowerTail
    expected[high + 1] = Double(n) * max(0, 1 - inside - lowerTail)
    // Merge small bins in order.
    var chiSquare = 0.0
    var bins = 0
    var pendingObserved = 0.0
    var pendingExpected = 0.0
    for k in (low - 1)...(high + 1) {
      pendingObserved += Double(observed[k] ?? 0)
      pendingExpected += expected[k] ?? 0
      if pendingExpected >= 50 {
        chiSquare += (pendingObserved - pendingExpected) * (pendingObserved - pendingExpected) / pendingExpected
        bins += 1
        pendingObserved = 0
        pendingExpected = 0
      }
    }
    if pendingExpected > 0 {
      chiSquare +=
        (pendingObserved - pendingExpected) * (pendingObserved - pendingExpected) / max(pendingExpected, 1e-300)
      bins += 1
    }
    // Wilson–Hilferty 99.9% quantile of χ²(bins − 1).
    let df = Double(bins - 1)
    let critical = df * pow(1 - 2 / (9 * df) + 3.090 * (2 / (9 * df)).squareRoot(), 3)
    #expect(chiSquare < critical, "χ² \(chiSquare) on \(bins - 1) df (critical \(critical))")
    #expect(draws.allSatisfy { $0 >= 0 && (isBinomial == 0 || $0 <= count) })
  }

  @Test("Negative binomial: mean size·(1 − p)/p and variance mean/p")
  func negativeBinomial() {
    var generator = SplitMix64(seed: 15)
    let draws = (0..<50_000).map { _ in Double(generator.negativeBinomial(size: 1_896, probability: 0.2)) }
    let (mean, variance) = Self.moments(draws)
    #expect(abs(mean - 7_584) < 5 * (7_584 / 0.2 / 50_000).squareRoot())
    #expect(abs(variance - 37_920) < 0.05 * 37_920)
  }
}
