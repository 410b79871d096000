/// Draws from a multinomial distribution by inverting the cumulative weights: each of `count`
/// trials picks category `j` with probability `wⱼ / Σw` (binary search on the running sums).
struct Multinomial: Sendable {
  private let cumulative: [Double]

  /// The distribution with non-negative `weights` (not all zero).
  init(weights: [Double]) {
    var sums: [Double] = []
    sums.reserveCapacity(weights.count)
    var running = 0.0
    for weight in weights {
      precondition(weight >= 0, "weights must be non-negative")
      running += weight
      sums.append(running)
    }
    precondition(running > 0, "at least one weight must be positive")
    cumulative = sums
  }

  /// Category counts of `count` trials.
  func sample(count: Int, using generator: inout some RandomNumberGenerator) -> [Int] {
    var result = [Int](repeating: 0, count: cumulative.count)
    let total = cumulative[cumulative.count - 1]
    for _ in 0..<count {
      let draw = Double.random(in: 0..<total, using: &generator)
      var low = 0
      var high = cumulative.count - 1
      while low < high {
        let middle = (low + high) / 2
        if cumulative[middle] > draw { high = middle } else { low = middle + 1 }
      }
      result[low] += 1
    }
    return result
  }
}
