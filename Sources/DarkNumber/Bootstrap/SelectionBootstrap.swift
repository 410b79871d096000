import RealModule

/// The nonparametric bootstrap of a model selection: SparseMSE's `estimatepopulation` for the
/// stepwise procedure (Chan, Silverman & Vincent 2021, §3.3) and MultipleSystemsEstimation's
/// `estimate_population_bic` and downhill bootstrap (Silverman, Chan & Vincent 2024, *Statistics
/// and Computing* 34:44): the selection is re-run on every replicate, so the intervals carry the
/// uncertainty of the model choice — or, for ``SelectionProcedure/fixed(_:)``, the model is
/// refitted as it is (`estimate_population_fixed`); a replicate on which its MLE does not exist
/// has no estimate.
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
    /// The selection re-run on every replicate.
    public var procedure: SelectionProcedure = .stepwise(threshold: StepwiseSelection.defaultThreshold)
    /// How the models of the replicates and jackknife deletions are fitted: by default R
    /// `glm.fit`'s settings (tolerance `1e-8`, at most 25 iterations), which SparseMSE and
    /// MultipleSystemsEstimation use in their bootstraps — enough for N̂ and the criterion to 7
    /// digits, and fewer iterations than the tighter ``FitOptions`` default, which the selection on
    /// the data keeps.
    public var fitOptions = FitOptions.glmCompatible
    /// Parallel tasks (each with one BLAS thread).
    public var concurrency: Int = 2

    /// The defaults (SparseMSE's `nboot = 1000`, stepwise with `pthresh = 0.02`).
    public init() {}
  }

  /// The selection on the data.
  public let selection: ModelSelection
  /// The point estimate on the data.
  public var estimate: Double { selection.fit.total }
  /// The selected model on the data.
  public var model: LogLinearModel { selection.model }
  /// `N̂*ᵢ` for each replicate, `nil` where the re-selection found no estimate.
  public let replicates: [Double?]
  /// The jackknife acceleration `â`; `nil` when a jackknife deletion has no estimate (then only
  /// percentile intervals exist, as MultipleSystemsEstimation).
  public let acceleration: Double?
  /// How often each model was selected across replicates, most frequent first.
  public let modelFrequencies: [(model: LogLinearModel, count: Int)]
  /// The models a criterion re-selected among (empty for stepwise and downhill).
  public let candidates: [LogLinearModel]
  /// The options used.
  public let options: Options

  /// Runs the bootstrap on `data`. The result does not depend on `concurrency`.
  /// - Parameters:
  ///   - data: the table.
  ///   - options: replicates, seed, procedure, fit settings and concurrency.
  ///   - selection: the selection on the data by `options.procedure`, when already made (else
  ///     it is made here with the default ``FitOptions``).
  ///   - cache: answers repeated existence checks (share the one `selection` used).
  ///   - progress: called with the number of replicates done (from any task).
  /// - Throws: ``EstimationError`` when the selection on the data itself fails;
  ///   ``EstimationError/cancelled`` when the calling task is cancelled (checked between
  ///   replicates and jackknife deletions).
  public static func run(
    data: CaptureData, options: Options = Options(), selection: ModelSelection? = nil,
    cache: ExistenceCache = ExistenceCache(), progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(EstimationError) -> SelectionBootstrap {
    let selector = try await Selector(
      data: data, options: options, selection: selection, cache: cache)
    let (outcomes, deletions) = try await resample(data: data, options: options, progress: progress) {
      counts, workspace in selector.select(counts: counts, workspace: &workspace)
    }
    var frequencies: [LogLinearModel: Int] = [:]
    for outcome in outcomes { if let model = outcome?.model { frequencies[model, default: 0] += 1 } }
    let ordered = frequencies.sorted { a, b in
      a.value != b.value ? a.value > b.value : a.key.description < b.key.description
    }
    let jackknife = deletions.compactMap { deletion in deletion.outcome.map { (deletion.count, $0.total) } }
    let acceleration = jackknife.count == deletions.count ? Self.acceleration(jackknife) : nil
    return SelectionBootstrap(
      selection: selector.selection, replicates: outcomes.map { $0?.total },
      acceleration: acceleration, modelFrequencies: ordered.map { ($0.key, $0.value) },
      candidates: selector.candidates?.models ?? [], options: options)
  }

  /// The nonparametric bootstrap's and the jackknife's tables, each passed to `choose`: replicate
  /// `i` resamples the observed people (multinomial with the observed shares) from stream
  /// `(seed, i)`; deletion `j` removes one person of the `j`-th observed history (its count
  /// returned with the outcome, for ``acceleration(_:)``). Counts are indexed by history.
  /// - Throws: ``EstimationError/cancelled`` when the calling task is cancelled.
  static func resample<Outcome: Sendable>(
    data: CaptureData, options: Options, progress: (@Sendable (Int) -> Void)?,
    choose: @escaping @Sendable (_ counts: [Double], _ workspace: inout ModelScorer.Workspace) -> Outcome
  ) async throws(EstimationError) -> (replicates: [Outcome], deletions: [(count: Double, outcome: Outcome)]) {
    let resampling = Multinomial(weights: data.cells.map { Double($0.count) })
    let histories = data.cells.map { Int($0.history.rawValue) }
    let n = data.observedTotal
    let listCount = data.listCount
    let replicates = try await Replicates.map(
      count: options.replicates, concurrency: options.concurrency, seed: options.seed,
      progress: progress, state: { ModelScorer.Workspace(listCount: listCount) }
    ) { _, generator, workspace -> Outcome in
      let draw = resampling.sample(count: n, using: &generator)
      var counts = [Double](repeating: 0, count: 1 << listCount)
      for (history, count) in zip(histories, draw) { counts[history] = Double(count) }
      return choose(counts, &workspace)
    }
    var deletions: [(count: Double, outcome: Outcome)] = []
    var workspace = ModelScorer.Workspace(listCount: listCount)
    var counts = [0] + data.denseCounts()
    for cell in data.cells {
      if Task.isCancelled { throw .cancelled }
      let h = Int(cell.history.rawValue)
      counts[h] -= 1
      deletions.append((Double(cell.count), choose(counts, &workspace)))
      counts[h] += 1
    }
    return (replicates, deletions)
  }

  /// The selection on the data and its re-run on a count vector.
  private struct Selector: Sendable {
    let selection: ModelSelection
    let candidates: CandidateSet?
    let data: CaptureData
    let options: Options
    let scorer: ModelScorer
    let cache: ExistenceCache

    init(
      data: CaptureData, options: Options, selection: ModelSelection?, cache: ExistenceCache
    ) async throws(EstimationError) {
      self.data = data
      self.options = options
      self.cache = cache
      if let selection {
        self.selection = selection
      } else {
        self.selection = try await ModelSelection.run(
          options.procedure, data: data, concurrency: options.concurrency, cache: cache)
      }
      let criterion: InformationCriterion
      switch options.procedure {
      case .stepwise, .fixed: criterion = .bic  // unused: no criterion ranks their models
      case .criterion(let chosen, _, _), .downhill(let chosen, _, _): criterion = chosen
      }
      let scorer = ModelScorer(
        criterion: criterion, listNames: data.listNames, observedTotal: data.observedTotal,
        fitOptions: options.fitOptions)
      self.scorer = scorer
      if case .criterion(let selected) = self.selection,
        case .criterion(_, _, let limit) = options.procedure
      {
        candidates = CandidateSet(
          models: try selected.candidates(limit: limit).map(\.model), scorer: scorer,
          counts: [0] + data.denseCounts())
      } else {
        candidates = nil
      }
    }

    /// `N̂` of `model` on `counts` by ``LatticeIRLS``, with the general fit's test for an
    /// unobserved count running off to infinity.
    private func total(of model: LogLinearModel, counts: [Double], workspace: inout ModelScorer.Workspace)
      throws(EstimationError) -> Double
    {
      guard
        let result = workspace.lattice.fit(
          terms: model.latticeTerms, counts: counts, options: options.fitOptions),
        let variance = result.interceptVariance
      else { throw .nonFiniteDeviance }
      _ = try options.fitOptions.unobservedCountIsZero(
        intercept: result.coefficients[0], interceptVariance: variance)
      return Double(data.observedTotal) + Double.exp(result.coefficients[0])
    }

    /// The selection on `counts` (indexed by history): `N̂` and the model, or `nil`.
    func select(counts: [Double], workspace: inout ModelScorer.Workspace)
      -> (total: Double, model: LogLinearModel)?
    {
      switch options.procedure {
      case .stepwise(let threshold):
        do {
          let (model, _) = try StepwiseSelection.search(
            listCount: data.listCount, counts: counts, threshold: threshold,
            code: { model throws(EstimationError) in
              try cache.code(model: model, counts: counts, listNames: data.listNames)
            },
            fitted: { model throws(EstimationError) in
              _ = try total(of: model, counts: counts, workspace: &workspace)
              return (0..<counts.count).map { workspace.lattice.fitted($0) }
            })
          return (try total(of: model, counts: counts, workspace: &workspace), model)
        } catch {
          return nil
        }
      case .fixed(let model):
        guard (try? cache.code(model: model, counts: counts, listNames: data.listNames)) == 0,
          let total = try? total(of: model, counts: counts, workspace: &workspace)
        else { return nil }
        return (total, model)
      case .criterion:
        guard let candidates,
          let choice = candidates.select(counts: counts, cache: cache, workspace: &workspace)
        else { return nil }
        return (choice.total, candidates.models[choice.index])
      case .downhill(_, let maximumOrder, let steps):
        guard
          let outcome = DownhillSelection.search(
            counts: counts, scorer: scorer,
            maximumOrder: maximumOrder ?? data.listCount - 1, maximumSteps: steps, cache: cache,
            workspace: &workspace)
        else { return nil }
        return (outcome.total, outcome.path[outcome.path.count - 1])
      }
    }
  }

  /// The data with counts indexed by history (`2ᴷ` entries, entry 0 unused).
  static func dataset(_ names: [String], countsByHistory counts: [Double]) throws(EstimationError)
    -> CaptureData
  {
    try dataset(
      names,
      (1..<counts.count).compactMap { h in
        counts[h] > 0 ? (CaptureHistory(rawValue: UInt32(h))!, Int(counts[h])) : nil
      })
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

  /// A bootstrap interval at `level`: ``IntervalMethod/bootstrapBCa`` (SparseMSE's) or
  /// ``IntervalMethod/bootstrapPercentile``, around ``estimate``.
  /// - Throws: ``EstimationError/bootstrapDegenerate`` when every replicate lies on one side of N̂;
  ///   ``EstimationError/intervalNotAvailable(_:reason:)`` for a model-based or credible method,
  ///   and for BCa when a jackknife deletion had no estimate (no acceleration).
  public func interval(_ method: IntervalMethod, level: Double = 0.95) throws(EstimationError)
    -> IntervalEstimate
  {
    try Self.interval(
      method, sorted: sortedReplicates, estimate: estimate, acceleration: acceleration, level: level)
  }

  /// The percentile or BCa interval of `sorted` replicates around `estimate` (see the type's
  /// documentation for the formulas); `acceleration` `nil` means no jackknife, so no BCa.
  /// - Throws: ``EstimationError/bootstrapDegenerate`` for fewer than two replicates or for BCa
  ///   with every replicate on one side of the estimate;
  ///   ``EstimationError/intervalNotAvailable(_:reason:)`` for other methods and for BCa without
  ///   an acceleration.
  static func interval(
    _ method: IntervalMethod, sorted: [Double], estimate: Double, acceleration: Double?,
    level: Double
  ) throws(EstimationError) -> IntervalEstimate {
    guard method == .bootstrapPercentile || method == .bootstrapBCa else {
      throw .intervalNotAvailable(
        method, reason: "a bootstrap gives percentile and BCa intervals; the fitted model gives the others")
    }
    try EstimationError.checkLevel(level)
    guard sorted.count >= 2 else { throw .bootstrapDegenerate }
    var probabilities = [0.5 - level / 2, 0.5 + level / 2]
    if method == .bootstrapBCa {
      guard let acceleration else {
        throw .intervalNotAvailable(
          method, reason: "no jackknife acceleration (a deletion had no estimate, or none ran)")
      }
      let below = Double(sorted.filter { $0 < estimate }.count) / Double(sorted.count)
      guard below > 0 && below < 1 else { throw .bootstrapDegenerate }
      probabilities = probabilities.map { bcaProbability($0, below: below, acceleration: acceleration) }
    }
    return IntervalEstimate(
      method: method, level: level, lower: .finite(quantileType8(sorted, probabilities[0])),
      upper: .finite(quantileType8(sorted, probabilities[1])), estimate: estimate)
  }

  /// BCa's adjusted tail probability for the nominal `alpha` (Efron 1987):
  /// `Φ(ẑ₀ + (ẑ₀ + z_α)/(1 − â(ẑ₀ + z_α)))` with `ẑ₀ = Φ⁻¹(below)`, `below` the share of replicates
  /// under the estimate.
  static func bcaProbability(_ alpha: Double, below: Double, acceleration: Double) -> Double {
    let z0 = Normal.quantile(below)
    let za0 = Normal.quantile(alpha) + z0
    return Normal.cdf(z0 + za0 / (1 - acceleration * za0))
  }

  /// The jackknife acceleration `â = Σ cⱼ dⱼ³ / (6 (Σ cⱼ dⱼ²)^{3/2})`, `dⱼ` the deviation of
  /// deletion `j`'s estimate from the count-weighted mean and `cⱼ` how many individuals share it.
  static func acceleration(_ jackknife: [(count: Double, estimate: Double)]) -> Double {
    let weight = jackknife.reduce(0) { $0 + $1.count }
    let mean = jackknife.reduce(0) { $0 + $1.count * $1.estimate } / weight
    var second = 0.0
    var third = 0.0
    for (count, estimate) in jackknife {
      let residual = mean - estimate
      second += count * residual * residual
      third += count * residual * residual * residual
    }
    return second > 0 ? third / (6 * (second * second * second).squareRoot()) : 0
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
