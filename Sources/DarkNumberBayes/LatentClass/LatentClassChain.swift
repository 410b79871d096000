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
  /// The lists of each pattern (zero-based, ascending).
  let patternLists: [[Int]]
  let frequencies: [Int]
  let observed: Int
  let shape: Double
  let rate: Double
  let missingLimit: Int

  /// `λ_jk` and `1 − λ_jk` (each from its own Gamma draw, so both are accurate), index `j·K + k`.
  private var capture: [Double]
  private var miss: [Double]
  /// `π_k` and `log π_k`.
  private var weights: [Double]
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
  private var split: [Int]
  private var cumulative: [Double]
  private var classTotals: [Int]
  private var captured: [Int]
  private var absentWeights: [Double]
  private var odds: [Double]

  init(data: CaptureData, options: LatentClassOptions, generator: inout SplitMix64) {
    listCount = data.listCount
    classCount = options.classes
    patterns = data.cells.map(\.history.rawValue)
    patternLists = data.cells.map { cell in (0..<data.listCount).filter { cell.history.contains(list: $0) } }
    frequencies = data.cells.map(\.count)
    observed = data.observedTotal
    shape = options.concentrationShape
    rate = options.concentrationRate
    missingLimit = options.missingBound * data.observedTotal
    let k = classCount
    allocations = [Int](repeating: 0, count: patterns.count * k)
    missingByClass = [Int](repeating: 0, count: k)
    scratch = [Double](repeating: 0, count: k)
    split = [Int](repeating: 0, count: k)
    cumulative = [Double](repeating: 0, count: k)
    classTotals = [Int](repeating: 0, count: k)
    captured = [Int](repeating: 0, count: listCount * k)
    absentWeights = [Double](repeating: 0, count: k)
    odds = [Double](repeating: 0, count: listCount * k)
    weights = [Double](repeating: 0, count: k)
    logWeights = [Double](repeating: 0, count: k)
    // LCMCR's start: stick-breaking weights from Beta(1, 1) sticks, every class capturing list j
    // at its observed rate; α is held at 0.3/K through the warm-up.
    concentration = 0.3 / Double(k)
    capture = []
    miss = []
    for list in 0..<listCount {
      let rate = Double(data.listTotal(list)) / Double(data.observedTotal)
      capture += [Double](repeating: rate, count: k)
      miss += [Double](repeating: 1 - rate, count: k)
    }
    var remainder = 0.0
    for index in 0..<(k - 1) {
      let stick = generator.logBeta(1, 1)
      logWeights[index] = stick.log + remainder
      remainder += stick.logComplement
    }
    logWeights[k - 1] = remainder
    logRemainder = remainder
    for c in 0..<k { weights[c] = Double.exp(logWeights[c]) }
    // LCMCR's warm-up, then classes relabelled by decreasing weight.
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
    for c in 0..<k { classTotals[c] = 0 }
    for index in captured.indices { captured[index] = 0 }
    // π_k Π_j (1 − λ_jk) and the odds λ_jk / (1 − λ_jk): a pattern's weight is the first times
    // the odds of its lists.
    for c in 0..<k {
      var value = weights[c]
      for j in 0..<listCount { value *= miss[j * k + c] }
      absentWeights[c] = value
    }
    for index in odds.indices { odds[index] = capture[index] / miss[index] }
    for m in patterns.indices {
      // Class by class in the inner loops (contiguous rows of `odds` and `captured`).
      let lists = patternLists[m]
      for c in 0..<k { scratch[c] = absentWeights[c] }
      for j in lists {
        let row = j * k
        for c in 0..<k { scratch[c] *= odds[row + c] }
      }
      var sum = 0.0
      for c in 0..<k { sum += scratch[c] }
      if !(sum >= 1e-280 && sum.isFinite) { sum = logScaleWeights(pattern: patterns[m]) }
      drawMultinomial(count: frequencies[m], weightSum: sum, using: &generator)
      for c in 0..<k {
        allocations[m * k + c] = split[c]
        classTotals[c] += split[c]
      }
      for j in lists {
        let row = j * k
        for c in 0..<k { captured[row + c] += split[c] }
      }
    }
    // 2. λ_jk ~ Beta(1 + captured, 1 + not captured), the unobserved of the previous sweep
    //    counting as not captured (one uniform when either count is 0, as in empty classes).
    for j in 0..<listCount {
      for c in 0..<k {
        let hits = captured[j * k + c]
        let missed = classTotals[c] - hits + missingByClass[c]
        let draw = generator.betaWithComplement(1 + Double(hits), 1 + Double(missed))
        capture[j * k + c] = draw.value
        miss[j * k + c] = draw.complement
      }
    }
    // 3. Sticks: V_k ~ Beta(1 + n_k, α + Σ_{h>k} n_h), V_K = 1, in log scale (α may be tiny).
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
    for c in 0..<k { weights[c] = Double.exp(logWeights[c]) }
    // 4–5. n₀ | rest ~ NegBin(n, 1 − π₀) with π₀ = Σ_k π_k Π_j (1 − λ_jk), kept ≤ the bound.
    var missProbability = 0.0
    for c in 0..<k {
      var value = weights[c]
      for j in 0..<listCount { value *= miss[j * k + c] }
      scratch[c] = value
      missProbability += value
    }
    missing = drawMissing(missProbability: min(missProbability, 1), using: &generator)
    // 6. Classes of the unobserved: ∝ π_k Π_j (1 − λ_jk).
    for c in 0..<k { missingByClass[c] = 0 }
    if missing > 0 {
      var sum = missProbability
      if !(sum >= 1e-280 && sum.isFinite) { sum = logScaleWeights(pattern: 0) }
      drawMultinomial(count: missing, weightSum: sum, using: &generator)
      for c in 0..<k { missingByClass[c] = split[c] }
    }
    // 7. α ~ Gamma(a + K − 1, rate b − Σ_{k<K} log(1 − V_k)).
    if updatingConcentration {
      concentration =
        generator.gamma(shape: shape + Double(k - 1)) / (rate - logRemainder)
    }
  }

  /// The class weights of `pattern` recomputed in log scale and rescaled so the largest is 1,
  /// for the rare pattern whose linear-scale weights all underflow; returns their sum.
  private mutating func logScaleWeights(pattern: UInt32) -> Double {
    let k = classCount
    var largest = -Double.infinity
    for c in 0..<k {
      var value = logWeights[c]
      for j in 0..<listCount {
        value += Double.log(pattern & (1 << j) != 0 ? capture[j * k + c] : miss[j * k + c])
      }
      scratch[c] = value
      largest = max(largest, value)
    }
    var sum = 0.0
    for c in 0..<k {
      scratch[c] = Double.exp(scratch[c] - largest)
      sum += scratch[c]
    }
    return sum
  }

  /// Splits with at most this many individuals place them one at a time.
  static let categoricalLimit = 8
  /// Classes expected to receive at least this many individuals get a binomial draw of their
  /// own; the others share the individuals left over, placed one at a time (a uniform and a short
  /// scan each, a fraction of a binomial draw's cost).
  static let heavyExpectation = 4.0

  /// `split ~ Multinomial(count, scratch / weightSum)`.
  ///
  /// Few individuals are placed one at a time (a categorical draw each). Otherwise the classes
  /// expected to receive at least ``heavyExpectation`` individuals ("heavy") are drawn by
  /// conditional binomials
  /// (Devroye 1986, *Non-Uniform Random Variate Generation*, §XI.1.2), with all light classes
  /// merged into one last category; the individuals left for that category are then placed one at
  /// a time among the light classes. Regrouping categories and splitting a group given its count
  /// are both exact, and the binomial draws for nearly empty classes are saved.
  private mutating func drawMultinomial(
    count: Int, weightSum: Double, using generator: inout SplitMix64
  ) {
    let k = classCount
    for c in 0..<k { split[c] = 0 }
    if count <= Self.categoricalLimit {
      placeOneByOne(count, lighterThan: .infinity, using: &generator)
      return
    }
    let threshold = Self.heavyExpectation * weightSum / Double(count)
    var lightSum = 0.0
    var lastHeavy = -1
    for c in 0..<k {
      if scratch[c] < threshold { lightSum += scratch[c] } else { lastHeavy = c }
    }
    var left = count
    var rest = weightSum
    for c in 0..<k where left > 0 && scratch[c] >= threshold {
      let share =
        (c == lastHeavy && lightSum == 0) || rest <= scratch[c] ? 1 : scratch[c] / rest
      let drawn = generator.binomial(count: left, probability: share)
      split[c] = drawn
      left -= drawn
      rest -= scratch[c]
    }
    if left > 0 { placeOneByOne(left, lighterThan: threshold, using: &generator) }
  }

  /// Adds `count` individuals to `split`, each in class `c` with probability proportional to
  /// `scratch[c]` among the classes with `0 < scratch[c] < limit`.
  private mutating func placeOneByOne(
    _ count: Int, lighterThan limit: Double,
    using generator: inout SplitMix64
  ) {
    let k = classCount
    var running = 0.0
    var last = 0
    for c in 0..<k {
      if scratch[c] < limit && scratch[c] > 0 {
        running += scratch[c]
        last = c
      }
      cumulative[c] = running
    }
    for _ in 0..<count {
      // The first class whose cumulative weight exceeds the target (capped at `last`): the
      // cumulative weights rise, so it is the number of them at or below the target, counted
      // without a branch per class.
      let target = generator.uniform() * running
      var chosen = 0
      for c in 0..<last { chosen &+= cumulative[c] <= target ? 1 : 0 }
      split[chosen] += 1
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
    weights = order.map { weights[$0] }
    missingByClass = order.map { missingByClass[$0] }
    for j in 0..<listCount {
      let captured = order.map { capture[j * k + $0] }
      let missed = order.map { miss[j * k + $0] }
      for c in 0..<k {
        capture[j * k + c] = captured[c]
        miss[j * k + c] = missed[c]
      }
    }
    for m in patterns.indices {
      let row = order.map { allocations[m * k + $0] }
      for c in 0..<k { allocations[m * k + c] = row[c] }
    }
  }
}
