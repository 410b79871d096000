import DarkNumber
internal import RealModule

/// One Markov chain of the latent-class capture–recapture sampler (Manrique-Vallier 2016,
/// "Bayesian population size estimation using Dirichlet process mixtures", Biometrics 72,
/// 1246–1254), sweeping in the order of R `LCMCR` 0.4.14's `CNPLCM_CR_Basic_Freq::Update`.
///
/// Model: individual `i` belongs to class `z_i ~ Categorical(π)`, with `π` the truncated
/// stick-breaking weights `π_k = V_k Π_{h<k}(1 − V_h)`, `V_k ~ Beta(1, α)` (`V_K = 1`),
/// `α ~ Gamma(a, rate b)`; list `j` records a member of class `k` with probability
/// `λ_jk ~ Beta(1, 1)`, independently over lists; `p(N) ∝ 1/N`. The `n₀ = N − n` unobserved
/// individuals are augmented. Allocations are kept as counts per observed capture pattern and
/// class.
struct LatentClassChain {
  let listCount: Int
  let classCount: Int
  /// Observed capture patterns (bitmasks) and their counts.
  let patterns: [UInt32]
  let frequencies: [Int]
  let observed: Int
  let shape: Double
  let rate: Double
  let missingLimit: Int

  /// `log λ_jk` and `log(1 − λ_jk)`, index `j·K + k`.
  private var logCapture: [Double]
  private var logMiss: [Double]
  /// `log π_k`.
  private var logWeights: [Double]
  /// `Σ_{k<K} log(1 − V_k)` of the last stick-breaking draw.
  private var logRemainder = 0.0
  /// Observed individuals per pattern and class, index `m·K + k`.
  private var allocations: [Int]
  /// Unobserved individuals per class.
  private var missingByClass: [Int]
  /// The number of unobserved individuals, `n₀`.
  private(set) var missing = 0
  /// The concentration α.
  private(set) var concentration: Double
  /// Sweeps in which the bound `n₀ ≤ missingLimit` had to be enforced.
  private(set) var boundHits = 0
  private var scratch: [Double]

  init(data: CaptureData, options: LatentClassOptions, generator: inout SplitMix64) {
    listCount = data.listCount
    classCount = options.classes
    patterns = data.cells.map(\.history.rawValue)
    frequencies = data.cells.map(\.count)
    observed = data.observedTotal
    shape = options.concentrationShape
    rate = options.concentrationRate
    missingLimit = options.missingBound * data.observedTotal
    let k = classCount
    allocations = [Int](repeating: 0, count: patterns.count * k)
    missingByClass = [Int](repeating: 0, count: k)
    scratch = [Double](repeating: 0, count: k)
    logWeights = [Double](repeating: 0, count: k)
    // LCMCR's start: α = 1, stick-breaking weights from Beta(1, 1) sticks, every class capturing
    // list j at its observed rate.
    concentration = 1
    logCapture = []
    logMiss = []
    for list in 0..<listCount {
      let rate = Double(data.listTotal(list)) / Double(data.observedTotal)
      logCapture += [Double](repeating: Double.log(rate), count: k)
      logMiss += [Double](repeating: Double.log(onePlus: -rate), count: k)
    }
    var remainder = 0.0
    for index in 0..<(k - 1) {
      let stick = generator.logBeta(1, 1)
      logWeights[index] = stick.log + remainder
      remainder += stick.logComplement
    }
    logWeights[k - 1] = remainder
    logRemainder = remainder
    // LCMCR's warm-up: α held at 0.3/K, then classes relabelled by decreasing weight.
    concentration = 0.3 / Double(k)
    for _ in 0..<options.warmUp { sweep(updatingConcentration: false, using: &generator) }
    relabelByWeight()
    boundHits = 0
  }

  /// The current population size `N = n + n₀`.
  var total: Int { observed + missing }

  /// The number of classes with at least one member (observed or not).
  var occupiedClasses: Int {
    (0..<classCount).reduce(0) { count, k in
      var members = missingByClass[k]
      for m in 0..<patterns.count { members += allocations[m * classCount + k] }
      return count + (members > 0 ? 1 : 0)
    }
  }

  /// One Gibbs sweep: allocations of the observed, λ, the sticks, n₀, allocations of the
  /// unobserved, and (after the warm-up) α — each from its full conditional.
  mutating func sweep(updatingConcentration: Bool, using generator: inout SplitMix64) {
    let k = classCount
    // 1. Classes of the observed individuals, pattern by pattern:
    //    P(z = k | pattern x) ∝ π_k Π_j λ_jk^{x_j} (1 − λ_jk)^{1 − x_j}.
    var classTotals = [Int](repeating: 0, count: k)
    for m in patterns.indices {
      let pattern = patterns[m]
      var largest = -Double.infinity
      for c in 0..<k {
        var value = logWeights[c]
        for j in 0..<listCount {
          value += pattern & (1 << j) != 0 ? logCapture[j * k + c] : logMiss[j * k + c]
        }
        scratch[c] = value
        if value > largest { largest = value }
      }
      var sum = 0.0
      for c in 0..<k {
        scratch[c] = Double.exp(scratch[c] - largest)
        sum += scratch[c]
      }
      drawMultinomial(count: frequencies[m], weightSum: sum, into: m * k, using: &generator)
      for c in 0..<k { classTotals[c] += allocations[m * k + c] }
    }
    // 2. λ_jk ~ Beta(1 + captured, 1 + not captured), the unobserved of the previous sweep
    //    counting as not captured.
    for j in 0..<listCount {
      for c in 0..<k {
        var captured = 0
        for m in patterns.indices where patterns[m] & (1 << j) != 0 {
          captured += allocations[m * k + c]
        }
        let missed = classTotals[c] - captured + missingByClass[c]
        let draw = generator.logBeta(1 + Double(captured), 1 + Double(missed))
        logCapture[j * k + c] = draw.log
        logMiss[j * k + c] = draw.logComplement
      }
    }
    // 3. Sticks: V_k ~ Beta(1 + n_k, α + Σ_{h>k} n_h), V_K = 1.
    var remaining = observed + missing
    var remainder = 0.0
    for c in 0..<(k - 1) {
      let members = classTotals[c] + missingByClass[c]
      remaining -= members
      let stick = generator.logBeta(1 + Double(members), concentration + Double(remaining))
      logWeights[c] = stick.log + remainder
      remainder += stick.logComplement
    }
    logWeights[k - 1] = remainder
    logRemainder = remainder
    // 4–5. n₀ | rest ~ NegBin(n, 1 − π₀) with π₀ = Σ_k π_k Π_j (1 − λ_jk), kept ≤ the bound.
    var missProbability = 0.0
    for c in 0..<k {
      var value = logWeights[c]
      for j in 0..<listCount { value += logMiss[j * k + c] }
      scratch[c] = value
      missProbability += Double.exp(value)
    }
    missing = drawMissing(missProbability: min(missProbability, 1), using: &generator)
    // 6. Classes of the unobserved: ∝ π_k Π_j (1 − λ_jk).
    for c in 0..<k { missingByClass[c] = 0 }
    if missing > 0 {
      let largest = scratch.max()!
      var sum = 0.0
      for c in 0..<k {
        scratch[c] = Double.exp(scratch[c] - largest)
        sum += scratch[c]
      }
      var left = missing
      var rest = sum
      for c in 0..<k where left > 0 {
        let share = c == k - 1 || rest <= scratch[c] ? 1 : scratch[c] / rest
        let drawn = generator.binomial(count: left, probability: share)
        missingByClass[c] = drawn
        left -= drawn
        rest -= scratch[c]
      }
    }
    // 7. α ~ Gamma(a + K − 1, rate b − Σ_{k<K} log(1 − V_k)).
    if updatingConcentration {
      concentration =
        generator.gamma(shape: shape + Double(k - 1)) / (rate - logRemainder)
    }
  }

  /// Splits `count` individuals over the classes with weights `scratch` (sum `weightSum`) by
  /// sequential binomials (a single categorical draw when `count == 1`).
  private mutating func drawMultinomial(
    count: Int, weightSum: Double, into offset: Int, using generator: inout SplitMix64
  ) {
    let k = classCount
    for c in 0..<k { allocations[offset + c] = 0 }
    if count == 1 {
      let target = generator.uniform() * weightSum
      var running = 0.0
      for c in 0..<k {
        running += scratch[c]
        if running > target || c == k - 1 {
          allocations[offset + c] = 1
          return
        }
      }
    }
    var left = count
    var rest = weightSum
    for c in 0..<k where left > 0 {
      let share = c == k - 1 || rest <= scratch[c] ? 1 : scratch[c] / rest
      let drawn = generator.binomial(count: left, probability: share)
      allocations[offset + c] = drawn
      left -= drawn
      rest -= scratch[c]
    }
  }

  /// `n₀ ~ NegBin(size n, success 1 − π₀)` truncated to `n₀ ≤ missingLimit`: LCMCR redraws
  /// until the bound holds; after 32 redraws the truncated law is sampled exactly by inversion
  /// from the bound downwards (its pmf then rises towards the bound).
  private mutating func drawMissing(missProbability: Double, using generator: inout SplitMix64)
    -> Int
  {
    if missProbability <= 0 { return 0 }
    if missProbability < 1 {
      let first = generator.negativeBinomial(
        size: Double(observed), probability: 1 - missProbability)
      if first <= missingLimit { return first }
      boundHits += 1
      for _ in 0..<32 {
        let draw = generator.negativeBinomial(
          size: Double(observed), probability: 1 - missProbability)
        if draw <= missingLimit { return draw }
      }
    } else {
      boundHits += 1
    }
    // P(n₀ = m) ∝ Γ(n + m)/(Γ(n) m!) π₀^m; from the bound down, weight ratio
    // P(m − 1)/P(m) = m / ((n + m − 1) π₀).
    let n = Double(observed)
    var weights: [Double] = [1]
    var sum = 1.0
    var m = missingLimit
    var weight = 1.0
    while m > 0 {
      weight *= Double(m) / ((n + Double(m) - 1) * missProbability)
      if weight < 1e-18 * sum { break }
      weights.append(weight)
      sum += weight
      m -= 1
    }
    var target = generator.uniform() * sum
    for (offset, value) in weights.enumerated() {
      target -= value
      if target <= 0 { return missingLimit - offset }
    }
    return missingLimit - (weights.count - 1)
  }

  /// Relabels the classes by decreasing `π_k` (LCMCR does this once, after the warm-up).
  private mutating func relabelByWeight() {
    let k = classCount
    let order = (0..<k).sorted {
      logWeights[$0] != logWeights[$1] ? logWeights[$0] > logWeights[$1] : $0 < $1
    }
    logWeights = order.map { logWeights[$0] }
    missingByClass = order.map { missingByClass[$0] }
    for j in 0..<listCount {
      let captured = order.map { logCapture[j * k + $0] }
      let missed = order.map { logMiss[j * k + $0] }
      for c in 0..<k {
        logCapture[j * k + c] = captured[c]
        logMiss[j * k + c] = missed[c]
      }
    }
    for m in patterns.indices {
      let row = order.map { allocations[m * k + $0] }
      for c in 0..<k { allocations[m * k + c] = row[c] }
    }
  }
}
