import DarkNumber
import DarkNumberBayes

/// The posterior of N as the JSON documents of `bayes` and `select --method bayesthresh` give it.
struct PosteriorDocument: Encodable {
  let mean: Double
  let sd: Double
  let median: Double
  let mode: Double
  /// Keyed by probability: `0.025`, `0.05`, `0.25`, `0.5`, `0.75`, `0.95`, `0.975`.
  let quantiles: [String: Double]

  init(_ summary: PosteriorSummary) {
    mean = summary.mean
    sd = summary.standardDeviation
    median = summary.median
    mode = summary.mode
    var quantiles: [String: Double] = [:]
    for (p, value) in zip(PosteriorSummary.probabilities, summary.quantiles) { quantiles["\(p)"] = value }
    self.quantiles = quantiles
  }

  /// `(statistic, value)` rows for CSV output: mean, sd, median, mode, then `q0.025` … `q0.975`.
  var rows: [(String, Double)] {
    [("mean", mean), ("sd", sd), ("median", median), ("mode", mode)]
      + quantiles.sorted { Double($0.key)! < Double($1.key)! }.map { ("q\($0.key)", $0.value) }
  }

  /// A credible interval.
  struct Interval: Encodable {
    /// `credible`, as in every document with credible intervals.
    let method = "credible"
    let kind = "equal-tailed credible"
    let level: Double
    let lower: Double
    let upper: Double

    /// The equal-tailed intervals of `summary` (90% and 95%).
    static func all(_ summary: PosteriorSummary) -> [Interval] {
      summary.intervals.compactMap { interval in
        guard let lower = interval.lower.value, let upper = interval.upper.value else { return nil }
        return Interval(level: interval.level, lower: lower, upper: upper)
      }
    }
  }
}
