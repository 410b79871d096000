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
/// individuals are augmented. The allocations are drawn pattern by pattern (a multinomial over
/// the classes for each observed capture pattern) and kept as class totals and captures per list
/// and class, all the later steps need.
struct LatentClassChain {
  let listCount: Int
  let classCount: Int
  /// Observed capture patterns (bitmasks) and their counts.
  let patterns: [UInt32]
  let frequencies: [Int]
  /// The row offsets `j·K` of each pattern's lists (ascending), pattern after pattern: pattern
  /// `m`'s are `listRows[listRowStart[m]..<listRowStart[m + 1]]`.
  let listRows: [Int]
  let listRowStart: [Int]
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
  /// Observed individuals per class.
  private var classTotals: [Int]
  /// Unobserved individuals per class.
  private var missingByClass: [Int]
  /// The number of unobserved individuals, `n₀`.
  private(set) var missing = 0
  /// The concentration α.
  private(set) var concentration: Double
  /// Sweeps in which the bound `n₀ ≤ missingLimit` had to be enforced.
  private(set) var boundHits = 0

  init(data: CaptureData, options: LatentClassOptions, generator: inout SplitMix64) {
    listCount = data.listCount
    classCount = options.classes
    patterns = data.cells.map(\.history.rawValue)
    frequencies = data.cells.map(\.count)
    var rows: [Int] = []
    var starts = [0]
    for cell in data.cells {
      for list in 0..<data.listCount where cell.history.contains(list: list) {
        rows.append(list * options.classes)
      }
      starts.append(rows.count)
    }
    listRows = rows
    listRowStart = starts
    observed = data.observedTotal
    shape = options.concentrationShape
    rate = options.concentrationRate
    missingLimit = options.missingBound * data.observedTotal
    let k = classCount
    classTotals = [Int](repeating: 0, count: k)
    missingByClass = [Int](repeating: 0, count: k)
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
    sweep(times: options.warmUp, updatingConcentration: false, using: &generator)
    relabelByWeight()
    boundHits = 0
  }

  /// The current population size `N = n + n₀`.
  var total: Int { observed + missing }

  /// The number of classes with at least one member (observed or not).
  var occupiedClasses: Int {
    (0..<classCount).count { classTotals[$0] + missingByClass[$0] > 0 }
  }

  /// `times` Gibbs sweeps, each drawing in turn the classes of the observed, λ, the sticks, n₀,
  /// the classes of the unobserved, and (after the warm-up) α — each from its full conditional.
  ///
  /// The state arrays are moved into locals for the duration, so the sweeps work on spans of
  /// them (no copy-on-write checks in the inner loops).
  mutating func sweep(times: Int, updatingConcentration: Bool, using generator: inout SplitMix64) {
    let k = classCount
    var captureStore: [Double] = []
    var missStore: [Double] = []
    var weightStore: [Double] = []
    var logWeightStore: [Double] = []
    var totalStore: [Int] = []
    var missingStore: [Int] = []
    exchangeState(
      &captureStore, &missStore, &weightStore, &logWeightStore, &totalStore, &missingStore)
    var scratchStore = [Double](repeating: 0, count: k)
    var cumulativeStore = [Double](repeating: 0, count: k)
    var absentStore = [Double](repeating: 0, count: k)
    var oddsStore = [Double](repeating: 0, count: listCount * k)
    var splitStore = [Int](repeating: 0, count: k)
    var capturedStore = [Int](repeating: 0, count: listCount * k)
    var heavyStore = [Int](repeating: 0, count: k)
    let patternStore = patterns
    let frequencyStore = frequencies
    let rowStore = listRows
    let rowStartStore = listRowStart
    do {
      var capture = captureStore.mutableSpan
      var miss = missStore.mutableSpan
      var weights = weightStore.mutableSpan
      var logWeights = logWeightStore.mutableSpan
      var classTotals = totalStore.mutableSpan
      var missingByClass = missingStore.mutableSpan
      var scratch = scratchStore.mutableSpan
      var cumulative = cumulativeStore.mutableSpan
      var absentWeights = absentStore.mutableSpan
      var odds = oddsStore.mutableSpan
      var split = splitStore.mutableSpan
      var captured = capturedStore.mutableSpan
      var heavy = heavyStore.mutableSpan
      let patterns = patternStore.span
      let frequencies = frequencyStore.span
      let rows = rowStore.span
      let rowStart = rowStartStore.span
      for _ in 0..<times {
        // 1. Classes of the observed individuals, pattern by pattern:
        //    P(z = k | pattern x) ∝ π_k Π_j λ_jk^{x_j} (1 − λ_jk)^{1 − x_j}.
        for c in 0..<k { classTotals[c] = 0 }
        for index in 0..<captured.count { captured[index] = 0 }
        // π_k Π_j (1 − λ_jk) and the odds λ_jk / (1 − λ_jk): a pattern's weight is the first
        // times the odds of its lists. (Step 4 of the previous sweep formed the same products;
        // keeping them for this step gave the same draws but ran 2.5–3% slower in A/B runs, a
        // matter of code layout, so they are formed again.)
        for c in 0..<k { absentWeights[c] = weights[c] }
        for j in 0..<listCount {
          for c in 0..<k { absentWeights[c] *= miss[j * k + c] }
        }
        for index in 0..<odds.count { odds[index] = capture[index] / miss[index] }
        for m in 0..<patterns.count {
          // Class by class in the inner loops (contiguous rows of `odds` and `captured`).
          let listRange = rowStart[m]..<rowStart[m + 1]
          for c in 0..<k { scratch[c] = absentWeights[c] }
          for r in listRange {
            let row = rows[r]
            for c in 0..<k { scratch[c] *= odds[row + c] }
          }
          var sum = 0.0
          for c in 0..<k { sum += scratch[c] }
          if !(sum >= 1e-280 && sum.isFinite) {
            sum = Self.logScaleWeights(
              pattern: patterns[m], lists: listCount, logWeights: logWeights.span,
              capture: capture.span, miss: miss.span, into: &scratch)
          }
          Multinomial.draw(
            count: frequencies[m], weights: scratch.span, weightSum: sum, into: &split,
            cumulative: &cumulative, heavy: &heavy, using: &generator)
          for c in 0..<k { classTotals[c] &+= split[c] }
          for r in listRange {
            let row = rows[r]
            for c in 0..<k { captured[row + c] &+= split[c] }
          }
        }
        // 2. λ_jk ~ Beta(1 + captured, 1 + not captured), the unobserved of the previous sweep
        //    counting as not captured (`betaWithComplement` takes one uniform when either count
        //    is 0, as in empty classes).
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
        for c in 0..<k {
          let value = logWeights[c]
          weights[c] = value >= -708 ? fastExponential(value) : Double.exp(value)
        }
        // 4–5. n₀ | rest ~ NegBin(n, 1 − π₀) with π₀ = Σ_k π_k Π_j (1 − λ_jk), kept ≤ the bound.
        for c in 0..<k { scratch[c] = weights[c] }
        for j in 0..<listCount {
          for c in 0..<k { scratch[c] *= miss[j * k + c] }
        }
        var missProbability = 0.0
        for c in 0..<k { missProbability += scratch[c] }
        missing = drawMissing(missProbability: min(missProbability, 1), using: &generator)
        // 6. Classes of the unobserved: ∝ π_k Π_j (1 − λ_jk).
        for c in 0..<k { missingByClass[c] = 0 }
        if missing > 0 {
          var sum = missProbability
          if !(sum >= 1e-280 && sum.isFinite) {
            sum = Self.logScaleWeights(
              pattern: 0, lists: listCount, logWeights: logWeights.span, capture: capture.span,
              miss: miss.span, into: &scratch)
          }
          Multinomial.draw(
            count: missing, weights: scratch.span, weightSum: sum, into: &split,
            cumulative: &cumulative, heavy: &heavy, using: &generator)
          for c in 0..<k { missingByClass[c] = split[c] }
        }
        // 7. α ~ Gamma(a + K − 1, rate b − Σ_{k<K} log(1 − V_k)).
        if updatingConcentration {
          concentration =
            generator.gamma(shape: shape + Double(k - 1)) / (rate - logRemainder)
        }
      }
    }
    exchangeState(
      &captureStore, &missStore, &weightStore, &logWeightStore, &totalStore, &missingStore)
  }

  /// Swaps the state arrays with the caller's (moves, no copies): the sweeps take them out for
  /// their spans and put them back.
  private mutating func exchangeState(
    _ capture: inout [Double], _ miss: inout [Double], _ weights: inout [Double],
    _ logWeights: inout [Double], _ classTotals: inout [Int], _ missingByClass: inout [Int]
  ) {
    swap(&capture, &self.capture)
    swap(&miss, &self.miss)
    swap(&weights, &self.weights)
    swap(&logWeights, &self.logWeights)
    swap(&classTotals, &self.classTotals)
    swap(&missingByClass, &self.missingByClass)
  }

  /// The class weights of `pattern` recomputed in log scale and rescaled so the largest is 1,
  /// for the rare pattern whose linear-scale weights all underflow; returns their sum.
  private static func logScaleWeights(
    pattern: UInt32, lists: Int, logWeights: Span<Double>, capture: Span<Double>,
    miss: Span<Double>, into weights: inout MutableSpan<Double>
  ) -> Double {
    let k = weights.count
    var largest = -Double.infinity
    for c in 0..<k {
      var value = logWeights[c]
      for j in 0..<lists {
        value += Double.log(pattern & (1 << j) != 0 ? capture[j * k + c] : miss[j * k + c])
      }
      weights[c] = value
      largest = max(largest, value)
    }
    var sum = 0.0
    for c in 0..<k {
      weights[c] = Double.exp(weights[c] - largest)
      sum += weights[c]
    }
    return sum
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
    classTotals = order.map { classTotals[$0] }
    for j in 0..<listCount {
      let captured = order.map { capture[j * k + $0] }
      let missed = order.map { miss[j * k + $0] }
      for c in 0..<k {
        capture[j * k + c] = captured[c]
        miss[j * k + c] = missed[c]
      }
    }
  }
}
