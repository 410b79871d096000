/// The nonparametric bootstrap of SparseMSE's `estimatepopulation` (Chan, Silverman & Vincent
/// 2021, §3.3): the stepwise selection is re-run on every replicate, so the intervals carry the
/// uncertainty of the model choice.
///
/// Replicate `i` resamples the `n` observed individuals (a multinomial draw over the observed
/// histories with probabilities `count/n`) from its own stream ``SplitMix64/stream(seed:index:)``
/// and re-selects; the jackknife deletes one individual of each observed history in turn. The BCa
/// interval (Efron 1987; DiCiccio & Efron 1996) uses `ẑ₀ = Φ⁻¹(#{N̂*ᵢ < N̂}/B)` and the acceleration
/// `â = Σ cⱼ dⱼ³ / (6 (Σ cⱼ dⱼ²)^{3/2})` with `dⱼ` the jackknife residual of history `j` and `cⱼ` its
/// count, as SparseMSE; quantiles are R's type 8.
public struct SelectionBootstrap: Sendable {
  /// How the bootstrap runs.
  public struct Options: Sendable {
    /// Bootstrap replicates `B`.
    public var replicates: Int = 1000
    /// The seed; replicate `i` uses stream `(seed, i)`.
    public var seed: UInt64 = 1234
    /// The stepwise p-value threshold.
    public var threshold: Double = 0.02
    /// Parallel tasks (each with one BLAS thread).
    public var concurrency: Int = 2

    /// The defaults (SparseMSE's `nboot = 1000`, `pthresh = 0.02`).
    public init() {}
  }

  /// The point estimate on the data.
  public let estimate: Double
  /// The selected model on the data.
  public let model: LogLinearModel
  /// `N̂*ᵢ` for each replicate, `nil` where the re-selection found no estimate.
  public let replicates: [Double?]
  /// The jackknife acceleration `â`.
  public let acceleration: Double
  /// How often each model was selected across replicates, most frequent first.
  public let modelFrequencies: [(model: LogLinearModel, count: Int)]
  /// The options used.
  public let options: Options

  /// Runs the bootstrap on `data`. The result does not depend on `concurrency`.
  /// - Parameter progress: called with the number of replicates done (from any task).
  /// - Throws: ``EstimationError`` when the selection on the data itself fails.
  public static func stepwise(
    data: CaptureData, options: Options = Options(), progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(EstimationError) -> SelectionBootstrap {
    let cache = ExistenceCache()
    let selection = try StepwiseSelection(data: data, threshold: options.threshold, cache: cache)
    let outcomes = await replicate(data: data, options: options, cache: cache, progress: progress)
    var frequencies: [LogLinearModel: Int] = [:]
    for outcome in outcomes { if let model = outcome?.model { frequencies[model, default: 0] += 1 } }
    let ordered = frequencies.sorted { a, b in
      a.value != b.value ? a.value > b.value : a.key.description < b.key.description
    }
    // Jackknife: delete one individual of each observed history.
    var jackknife: [(count: Double, estimate: Double)] = []
    for (index, cell) in data.cells.enumerated() {
      var counts = data.cells.map { ($0.history, $0.count) }
      counts[index].1 -= 1
      let reduced = try Self.dataset(data.listNames, counts)
      let estimate = try StepwiseSelection(data: reduced, threshold: options.threshold, cache: cache)
        .fit.total
      jackknife.append((Double(cell.count), estimate))
    }
    let weight = jackknife.reduce(0) { $0 + $1.count }
    let mean = jackknife.reduce(0) { $0 + $1.count * $1.estimate } / weight
    var second = 0.0
    var third = 0.0
    for (count, estimate) in jackknife {
      let residual = mean - estimate
      second += count * residual * residual
      third += count * residual * residual * residual
    }
    let acceleration = second > 0 ? third / (6 * (second * second * second).squareRoot()) : 0
    return SelectionBootstrap(
      estimate: selection.fit.total, model: selection.model, replicates: outcomes.map { $0?.total },
      acceleration: acceleration, modelFrequencies: ordered.map { ($0.key, $0.value) },
      options: options)
  }

  /// `B` replicates: resample the observed individuals, re-select.
  private static func replicate(
    data: CaptureData, options: Options, cache: ExistenceCache, progress: (@Sendable (Int) -> Void)?
  ) async -> [(total: Double, model: LogLinearModel)?] {
    let histories = data.cells.map(\.history)
    let resampling = Multinomial(weights: data.cells.map { Double($0.count) })
    let n = data.observedTotal
    return await Replicates.map(
      count: options.replicates, concurrency: options.concurrency, seed: options.seed,
      progress: progress
    ) { _, generator -> (total: Double, model: LogLinearModel)? in
      let counts = resampling.sample(count: n, using: &generator)
      guard let sample = try? dataset(data.listNames, Array(zip(histories, counts))),
        let selection = try? StepwiseSelection(data: sample, threshold: options.threshold, cache: cache)
      else { return nil }
      return (selection.fit.total, selection.model)
    }
  }

  static func dataset(_ names: [String], _ counts: [(CaptureHistory, Int)]) throws(EstimationError)
    -> CaptureData
  {
    do {
      return try CaptureData(listNames: names, counts: counts)
    } catch {
      throw .noOverlap
    }
  }

  /// The finite replicates, sorted.
  public var sortedReplicates: [Double] { replicates.compactMap { $0 }.sorted() }

  /// A bootstrap interval at `level`: BCa (SparseMSE's) or percentile.
  /// - Throws: ``EstimationError/bootstrapDegenerate`` when every replicate lies on one side of N̂.
  public func interval(_ method: BootstrapIntervalMethod, level: Double = 0.95) throws(EstimationError)
    -> (lower: Double, upper: Double)
  {
    precondition(level > 0 && level < 1, "level must lie in (0, 1)")
    let sorted = sortedReplicates
    guard sorted.count >= 2 else { throw .bootstrapDegenerate }
    var probabilities = [0.5 - level / 2, 0.5 + level / 2]
    if method == .bca {
      let below = Double(sorted.filter { $0 < estimate }.count) / Double(sorted.count)
      guard below > 0 && below < 1 else { throw .bootstrapDegenerate }
      let z0 = Normal.quantile(below)
      probabilities = probabilities.map { alpha in
        let za0 = Normal.quantile(alpha) + z0
        return Normal.cdf(z0 + za0 / (1 - acceleration * za0))
      }
    }
    return (Self.quantileType8(sorted, probabilities[0]), Self.quantileType8(sorted, probabilities[1]))
  }

  /// R's `quantile(type = 8)`, median-unbiased: `h = p(n + ⅓) + ⅓`, interpolating the order
  /// statistics `x₍⌊h⌋₎` and `x₍⌊h⌋+1₎`.
  static func quantileType8(_ sorted: [Double], _ p: Double) -> Double {
    let n = Double(sorted.count)
    let h = p * (n + 1.0 / 3) + 1.0 / 3
    let j = Int(h.rounded(.down))
    if j < 1 { return sorted[0] }
    if j >= sorted.count { return sorted[sorted.count - 1] }
    let fraction = h - Double(j)
    return (1 - fraction) * sorted[j - 1] + fraction * sorted[j]
  }
}

/// How a bootstrap interval is formed.
public enum BootstrapIntervalMethod: String, Sendable, Hashable, CaseIterable {
  /// Bias-corrected and accelerated (Efron 1987).
  case bca
  /// Plain percentiles of the replicates.
  case percentile
}
