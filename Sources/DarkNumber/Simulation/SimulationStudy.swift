/// A simulation study: replicate tables drawn from a ``SimulationScenario``, every estimator run on
/// each, and their bias, RMSE and interval coverage against the known `N`.
///
/// Replicate `i` draws its table from the stream `(seed, i)` and gives estimator `e` the seed of
/// stream `(seed ⊕ 0x5DEECE66D, i·64 + e)`, so results do not depend on the thread count, and a
/// shard (a slice of replicates run elsewhere) gives exactly the records of the full run.
public enum SimulationStudy {
  /// One estimator on one replicate.
  public struct Record: Sendable, Hashable {
    /// The replicate index.
    public let replicate: Int
    /// The estimator's index.
    public let estimator: Int
    /// What it gave.
    public let outcome: SimulationOutcome
    /// A record.
    public init(replicate: Int, estimator: Int, outcome: SimulationOutcome) {
      self.replicate = replicate
      self.estimator = estimator
      self.outcome = outcome
    }
  }

  /// The replicates of shard `index` of `count` out of `replicates`: a contiguous block.
  public static func shardReplicates(_ replicates: Int, index: Int, count: Int) -> Range<Int> {
    precondition(count >= 1 && (0..<count).contains(index), "shard index out of range")
    return (replicates * index / count)..<(replicates * (index + 1) / count)
  }

  /// The seed estimator `estimator` gets on replicate `replicate`.
  static func estimatorSeed(_ seed: UInt64, replicate: Int, estimator: Int) -> UInt64 {
    var generator = SplitMix64.stream(seed: seed ^ 0x5_DEEC_E66D, index: UInt64(replicate * 64 + estimator))
    return generator.next()
  }

  /// Runs `estimators` on the replicates in `range`, `concurrency` replicates at a time; records in
  /// replicate order, then estimator order. A replicate where nobody was recorded gives `.none`.
  /// - Throws: ``EstimationError/cancelled`` when the calling task is cancelled (checked between
  ///   replicates).
  public static func run(
    scenario: SimulationScenario, estimators: [SimulationEstimator], replicates range: Range<Int>,
    seed: UInt64, level: Double = 0.95, concurrency: Int = 2,
    progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(EstimationError) -> [Record] {
    precondition(estimators.count <= 64, "at most 64 estimators")
    let indices = Array(range)
    let tasks = max(1, min(concurrency, indices.count))
    let done = ProgressCounter()
    let records = await withTaskGroup(of: (Int, [Record]).self) { group in
      for task in 0..<tasks {
        group.addTask {
          var records: [Record] = []
          var position = task
          while position < indices.count && !Task.isCancelled {
            let replicate = indices[position]
            let data = scenario.generate(seed: seed, replicate: replicate)
            for (e, estimator) in estimators.enumerated() {
              let outcome: SimulationOutcome
              if let data {
                outcome = await estimator.run(data, estimatorSeed(seed, replicate: replicate, estimator: e), level)
              } else {
                outcome = .none(reason: "nobody was recorded")
              }
              records.append(Record(replicate: replicate, estimator: e, outcome: outcome))
            }
            if let progress { progress(done.add()) }
            position += tasks
          }
          return (task, records)
        }
      }
      var all: [Record] = []
      for await (_, records) in group { all += records }
      return all.sorted { ($0.replicate, $0.estimator) < ($1.replicate, $1.estimator) }
    }
    if Task.isCancelled { throw .cancelled }
    return records
  }

  /// Bias, RMSE and coverage of one estimator.
  public struct Summary: Sendable, Hashable {
    /// The estimator's name.
    public let estimator: String
    /// Replicates run.
    public let replicates: Int
    /// Replicates with an estimate.
    public let estimates: Int
    /// Mean `N̂`.
    public let mean: Double?
    /// `mean − N`.
    public let bias: Double?
    /// `bias / N`.
    public let relativeBias: Double?
    /// `√mean (N̂ − N)²`.
    public let rootMeanSquaredError: Double?
    /// The median of `|N̂ − N|`.
    public let medianAbsoluteError: Double?
    /// The share of replicates with an estimate whose interval contains `N` (an unbounded upper
    /// limit counts as containing it; a missing interval does not).
    public let coverage: Double?
    /// Mean width of the finite intervals.
    public let meanWidth: Double?
    /// The share of replicates without an estimate.
    public let noEstimateShare: Double
  }

  /// Summaries per estimator from `records` (of any order), against the truth `truth`.
  /// Sums run in replicate order, so merged shards give exactly the full run's numbers.
  public static func summarize(_ records: [Record], estimators: [String], truth: Double) -> [Summary] {
    let sorted = records.sorted { ($0.replicate, $0.estimator) < ($1.replicate, $1.estimator) }
    return estimators.enumerated().map { e, name in
      let mine = sorted.filter { $0.estimator == e }
      var totals: [Double] = []
      var covered = 0
      var widths: [Double] = []
      for record in mine {
        guard case .estimate(let total, let lower, let upper) = record.outcome else { continue }
        totals.append(total)
        if let lower, lower <= truth, upper.map({ truth <= $0 }) ?? true { covered += 1 }
        if let lower, let upper { widths.append(upper - lower) }
      }
      let count = Double(totals.count)
      // Sums of terms already divided by the count and squares of errors scaled by the largest
      // error: no overflow for any finite estimates.
      let mean = totals.isEmpty ? nil : totals.reduce(0) { $0 + $1 / count }
      let errors = totals.map { abs($0 - truth) }.sorted()
      let largest = errors.last ?? 0
      let squared: Double? =
        totals.isEmpty
        ? nil
        : largest == 0
          ? 0
          : largest * totals.reduce(0) { $0 + (($1 - truth) / largest) * (($1 - truth) / largest) / count }.squareRoot()
      let median: Double? =
        errors.isEmpty
        ? nil
        : errors.count % 2 == 1
          ? errors[errors.count / 2] : (errors[errors.count / 2 - 1] + errors[errors.count / 2]) / 2
      return Summary(
        estimator: name, replicates: mine.count, estimates: totals.count, mean: mean,
        bias: mean.map { $0 - truth }, relativeBias: mean.map { ($0 - truth) / truth },
        rootMeanSquaredError: squared, medianAbsoluteError: median,
        coverage: totals.isEmpty ? nil : Double(covered) / count,
        meanWidth: widths.isEmpty ? nil : widths.reduce(0, +) / Double(widths.count),
        noEstimateShare: mine.isEmpty ? 0 : Double(mine.count - totals.count) / Double(mine.count))
    }
  }
}
