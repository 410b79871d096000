/// Draws from a multinomial distribution: `count` trials, each falling in category `c` with
/// probability `weights[c] / Σ weights`. The one multinomial sampler of the package — the
/// bootstraps' resampling of individuals, the simulated populations, and the latent-class
/// sampler's class allocations all draw with it.
///
/// The work grows with the number of categories, not with `count` (beyond the few individuals
/// of light categories placed one at a time): see ``draw(count:weights:weightSum:into:cumulative:heavy:using:)``.
package struct Multinomial: Sendable {
  private let weights: [Double]
  private let weightSum: Double

  /// The distribution with non-negative, finite `weights`, not all zero.
  package init(weights: [Double]) {
    var sum = 0.0
    for weight in weights {
      precondition(weight >= 0 && weight.isFinite, "weights must be non-negative and finite")
      sum += weight
    }
    precondition(sum > 0 && sum.isFinite, "at least one weight must be positive")
    self.weights = weights
    self.weightSum = sum
  }

  /// Category counts of `count` trials (they sum to `count`).
  package func sample(count: Int, using generator: inout SplitMix64) -> [Int] {
    let k = weights.count
    var splitStore = [Int](repeating: 0, count: k)
    var cumulativeStore = [Double](repeating: 0, count: k)
    var heavyStore = [Int](repeating: 0, count: k)
    do {
      var split = splitStore.mutableSpan
      var cumulative = cumulativeStore.mutableSpan
      var heavy = heavyStore.mutableSpan
      Self.draw(
        count: count, weights: weights.span, weightSum: weightSum, into: &split,
        cumulative: &cumulative, heavy: &heavy, using: &generator)
    }
    return splitStore
  }

  /// Splits with at most this many individuals place them one at a time.
  package static let categoricalLimit = 8
  /// Above this many candidate classes, an individual's class is found by bisection of the
  /// running sums instead of a scan (the same class either way).
  static let scanLimit = 48
  /// Classes expected to receive more than this many individuals get a binomial draw of their
  /// own; the others share the individuals left over, placed one at a time (a uniform and a short
  /// scan each, a fraction of a binomial draw's cost).
  package static let heavyExpectation = 12.0

  /// `split ~ Multinomial(count, weights / weightSum)`.
  ///
  /// Few individuals are placed one at a time (a categorical draw each). Otherwise the classes
  /// expected to receive more than ``heavyExpectation`` individuals ("heavy") are drawn by
  /// conditional binomials
  /// (Devroye 1986, *Non-Uniform Random Variate Generation*, §XI.1.2), with all light classes
  /// merged into one last category; the individuals left for that category are then placed one at
  /// a time among the light classes. Regrouping categories and splitting a group given its count
  /// are both exact, and the binomial draws for nearly empty classes are saved. The caller owns
  /// the three buffers (one entry per class each), so a loop of draws allocates nothing.
  package static func draw(
    count: Int, weights: Span<Double>, weightSum: Double, into split: inout MutableSpan<Int>,
    cumulative: inout MutableSpan<Double>, heavy: inout MutableSpan<Int>,
    using generator: inout SplitMix64
  ) {
    let k = weights.count
    if count <= categoricalLimit {
      for c in 0..<k { split[c] = 0 }
      placeOneByOne(
        count, weights: weights, lighterThan: .infinity, into: &split, cumulative: &cumulative,
        using: &generator)
      return
    }
    let threshold = heavyExpectation * weightSum / Double(count)
    // The heavy classes (weight above the threshold) listed in `heavy`, without a branch per
    // class: every index is written, and the end of the list advances by the sign bit of
    // `threshold − w` (1 exactly when w > threshold). The classes with a positive weight are
    // counted alongside (for w ≥ 0, the sign bit of `bits(w) − 1` is 1 exactly when w = 0).
    var positive = 0
    var heavyCount = 0
    for c in 0..<k {
      split[c] = 0
      let w = weights[c]
      let isHeavy = (threshold - w).bitPattern >> 63
      heavy[heavyCount] = c
      heavyCount &+= Int(truncatingIfNeeded: isHeavy)
      positive &+= 1 &- Int(truncatingIfNeeded: (w.bitPattern &- 1) >> 63)
    }
    // Heavy classes have a positive weight, so the others with one are the light classes.
    let noLightWeight = positive == heavyCount
    var left = count
    var rest = weightSum
    for index in 0..<heavyCount where left > 0 {
      let c = heavy[index]
      let share =
        (index == heavyCount - 1 && noLightWeight) || rest <= weights[c] ? 1 : weights[c] / rest
      let drawn = generator.binomial(count: left, probability: share)
      split[c] = drawn
      left -= drawn
      rest -= weights[c]
    }
    if left > 0 {
      placeOneByOne(
        left, weights: weights, lighterThan: threshold, into: &split, cumulative: &cumulative,
        using: &generator)
    }
  }

  /// Adds `count` individuals to `split`, each in class `c` with probability proportional to
  /// `weights[c]` among the classes with `0 < weights[c] ≤ limit`.
  private static func placeOneByOne(
    _ count: Int, weights: Span<Double>, lighterThan limit: Double,
    into split: inout MutableSpan<Int>, cumulative: inout MutableSpan<Double>,
    using generator: inout SplitMix64
  ) {
    // The running sum over the light classes with a positive weight, without a branch per
    // class: for a non-negative w, the sign bit of `bits(w) − 1` is 1 exactly when w = 0, and
    // that of `limit − w` exactly when w > limit.
    var running = 0.0
    var last = 0
    for c in 0..<weights.count {
      let w = weights[c]
      let excluded = ((w.bitPattern &- 1) | (limit - w).bitPattern) >> 63
      running += w - w * Double(excluded)
      last = excluded == 0 ? c : last
      cumulative[c] = running
    }
    let bounds = cumulative.span.extracting(..<last)
    // The generator in a local for the loop: its state then stays in a register instead of
    // going through memory (the writes to `split` might alias it, as far as the compiler knows).
    var local = generator
    defer { generator = local }
    if bounds.count > scanLimit {
      // Many categories (a bootstrap's cells or records): the same first class, by bisection.
      for _ in 0..<count {
        let target = local.uniform() * running
        var low = 0
        var high = bounds.count
        while low < high {
          let middle = (low + high) >> 1
          if bounds[middle] > target { high = middle } else { low = middle + 1 }
        }
        split[low] += 1
      }
      return
    }
    for _ in 0..<count {
      // The first class whose cumulative weight exceeds the target (capped at `last`): the
      // cumulative weights rise, so it is `last` less the number of them above the target,
      // counted without a branch from the sign bits of `target − cumulative` (for finite values
      // the difference is negative exactly when the cumulative weight is larger).
      let target = local.uniform() * running
      var above: UInt64 = 0
      for c in bounds.indices { above &+= (target - bounds[c]).bitPattern >> 63 }
      split[last &- Int(truncatingIfNeeded: above)] += 1
    }
  }
}
