import Foundation
import Testing

@testable import DarkNumber

@Suite("The multinomial sampler")
struct MultinomialTests {
  /// `Multinomial.draw` (heavy classes by conditional binomials, light ones placed
  /// one at a time, few individuals one at a time) against the multinomial law: every draw sums to
  /// the count and leaves zero-weight classes empty; each class's mean is `np` (within 5 standard
  /// errors), its variance `np(1 − p)` (within 3%), and the covariance of the first two classes
  /// `−n p₀ p₁` (within 5 standard errors).
  @Test(
    "Means, variances and a covariance of the counts match Multinomial(n, w/Σw)",
    arguments: [
      ([0.5, 0.3, 0.1, 0.05, 0.03, 0.02], 40),  // heavy, light at the threshold, light
      ([0.6, 0.25, 0.1, 0.04, 0.01], 200),  // several heavy classes and a light tail
      ([1e-3, 0.7, 2e-3, 0.29, 7e-3, 0], 1_000),  // heavy classes between light ones; one empty
      ([0.2, 0.2, 0.2, 0.2, 0.2], 8),  // few individuals: one at a time
      ([3e-5, 2e-5, 1e-5, 0.99994], 6_000),  // one heavy class, a tiny light remainder
      ([0.3, 0.2] + [Double](repeating: 0.5 / 100, count: 100), 2_000),  // many light classes: bisection
    ] as [([Double], Int)])
  func multinomialLaw(weights: [Double], count: Int) {
    let k = weights.count
    let sum = weights.reduce(0, +)
    var generator = SplitMix64(seed: 23)
    var splitStore = [Int](repeating: 0, count: k)
    var cumulativeStore = [Double](repeating: 0, count: k)
    var heavyStore = [Int](repeating: 0, count: k)
    let repetitions = 200_000
    var totals = [Double](repeating: 0, count: k)
    var squares = [Double](repeating: 0, count: k)
    var products = 0.0
    var wrongSums = 0
    var zeroClassHits = 0
    do {
      var split = splitStore.mutableSpan
      var cumulative = cumulativeStore.mutableSpan
      var heavy = heavyStore.mutableSpan
      for _ in 0..<repetitions {
        Multinomial.draw(
          count: count, weights: weights.span, weightSum: sum, into: &split,
          cumulative: &cumulative, heavy: &heavy, using: &generator)
        var drawn = 0
        for c in 0..<k {
          let value = Double(split[c])
          totals[c] += value
          squares[c] += value * value
          drawn += split[c]
          if weights[c] == 0 && split[c] != 0 { zeroClassHits += 1 }
        }
        products += Double(split[0]) * Double(split[1])
        if drawn != count { wrongSums += 1 }
      }
    }
    #expect(wrongSums == 0)
    #expect(zeroClassHits == 0)
    let r = Double(repetitions)
    let n = Double(count)
    for c in 0..<k where weights[c] > 0 {
      let p = weights[c] / sum
      let mean = totals[c] / r
      let variance = squares[c] / r - mean * mean
      let exactVariance = n * p * (1 - p)
      #expect(
        abs(mean - n * p) < 5 * (exactVariance / r).squareRoot(),
        "class \(c): mean \(mean) vs \(n * p)")
      #expect(
        abs(variance - exactVariance) < 0.03 * exactVariance + 5 / r,
        "class \(c): variance \(variance) vs \(exactVariance)")
    }
    let p0 = weights[0] / sum
    let p1 = weights[1] / sum
    let covariance = products / r - (totals[0] / r) * (totals[1] / r)
    let exactCovariance = -n * p0 * p1
    let spread = ((n * p0 * (1 - p0)) * (n * p1 * (1 - p1)) + exactCovariance * exactCovariance) / r
    #expect(
      abs(covariance - exactCovariance) < 5 * spread.squareRoot() + 1e-12,
      "covariance \(covariance) vs \(exactCovariance)")
  }
}
