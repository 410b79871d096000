public import DarkNumber

/// A summary of the posterior distribution of the population size `N`.
public struct PosteriorSummary: Sendable, Hashable {
  /// The posterior mean `E[N | data]`.
  public let mean: Double
  /// The posterior standard deviation.
  public let standardDeviation: Double
  /// The posterior median.
  public let median: Double
  /// The most probable value (grid posteriors) or the most frequent draw.
  public let mode: Double
  /// Quantiles at the probabilities ``PosteriorSummary/probabilities``, in that order.
  public let quantiles: [Double]
  /// The 90% and 95% equal-tailed credible intervals (`IntervalMethod.credible`, the
  /// `(1 ∓ level)/2` quantiles, with the posterior median as their estimate).
  public let intervals: [IntervalEstimate]

  /// The probabilities of ``quantiles``: 0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975.
  public static let probabilities: [Double] = [0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975]

  /// The quantile at probability `p`, one of ``probabilities``.
  public func quantile(_ p: Double) -> Double? {
    Self.probabilities.firstIndex(of: p).map { quantiles[$0] }
  }

  /// The summary of a distribution on increasing `values` with probabilities `weights` (summing
  /// to 1). Quantile `p` is the smallest value whose cumulative probability reaches `p` (R's
  /// `quantile(type = 1)` for a discrete distribution, as plotted by dga users).
  public init(values: [Double], weights: [Double]) {
    precondition(values.count == weights.count && !values.isEmpty)
    var mean = 0.0
    var best = 0
    for index in values.indices {
      mean += weights[index] * values[index]
      if weights[index] > weights[best] { best = index }
    }
    var variance = 0.0
    for index in values.indices {
      let deviation = values[index] - mean
      variance += weights[index] * deviation * deviation
    }
    var quantiles = [Double](repeating: values[values.count - 1], count: Self.probabilities.count)
    var next = 0
    var cumulative = 0.0
    for index in values.indices where next < Self.probabilities.count {
      cumulative += weights[index]
      // A relative slack of 1e-12 keeps exact halves (p = 0.5 reached exactly) on the left value.
      while next < Self.probabilities.count && cumulative >= Self.probabilities[next] - 1e-12 {
        quantiles[next] = values[index]
        next += 1
      }
    }
    self.init(
      mean: mean, standardDeviation: variance.squareRoot(), mode: values[best],
      quantiles: quantiles)
  }

  /// The summary of Monte Carlo draws. Quantiles interpolate linearly between order statistics
  /// (R's default `quantile(type = 7)`, as LCMCR users compute them); the mode is the most
  /// frequent draw (the smallest such).
  public init(draws: [Double]) {
    precondition(!draws.isEmpty)
    let sorted = draws.sorted()
    let count = Double(sorted.count)
    let mean = sorted.reduce(0, +) / count
    let variance =
      sorted.count > 1
      ? sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (count - 1) : 0
    var mode = sorted[0]
    var modeRun = 0
    var run = 0
    for index in sorted.indices {
      run = index > 0 && sorted[index] == sorted[index - 1] ? run + 1 : 1
      if run > modeRun {
        modeRun = run
        mode = sorted[index]
      }
    }
    let quantiles = Self.probabilities.map { p -> Double in
      let position = p * (count - 1)
      let low = Int(position.rounded(.down))
      let high = min(low + 1, sorted.count - 1)
      return sorted[low] + (position - Double(low)) * (sorted[high] - sorted[low])
    }
    self.init(
      mean: mean, standardDeviation: variance.squareRoot(), mode: mode, quantiles: quantiles)
  }

  private init(mean: Double, standardDeviation: Double, mode: Double, quantiles: [Double]) {
    self.mean = mean
    self.standardDeviation = standardDeviation
    self.mode = mode
    self.quantiles = quantiles
    self.median = quantiles[3]
    self.intervals = [
      IntervalEstimate(
        method: .credible, level: 0.90, lower: .finite(quantiles[1]), upper: .finite(quantiles[5]),
        estimate: quantiles[3]),
      IntervalEstimate(
        method: .credible, level: 0.95, lower: .finite(quantiles[0]), upper: .finite(quantiles[6]),
        estimate: quantiles[3]),
    ]
  }
}
