/// Nonparametric bootstrap of a fit with covariates: percentile intervals for the total and for
/// every covariate level.
///
/// Replicate `i` redraws the `n` observed individuals from the observed records (multinomial with
/// the records' shares, missing covariate values kept as they are) with its own generator
/// ``SplitMix64/stream(seed:index:)``, refits the same model (by EM when values are missing) and
/// records `N̂` in total and per level. The output does not depend on the number of threads.
/// Replicates keep the data's ``ListCoverage``; a target without an estimate under it (fewer
/// than two lists operated somewhere in it) is NaN in every replicate and has no interval.
public struct CovariateBootstrap: Sendable {
  /// How many replicates, the seed and the parallelism.
  public struct Options: Sendable, Hashable {
    /// The number of replicates.
    public var replicates: Int = 1000
    /// The seed of the replicate streams.
    public var seed: UInt64 = 1234
    /// Replicates fitted at once.
    public var concurrency: Int = 2

    /// The defaults: 1,000 replicates, seed 1234, two at a time.
    public init() {}
  }

  /// What each replicate estimates: the total (`covariate == nil`), then every level of every
  /// covariate in order.
  public let targets: [(covariate: String?, level: String?)]
  /// Per replicate, one estimate per target; `nil` where the refit has no estimate.
  public let replicates: [[Double]?]
  /// The settings used.
  public let options: Options

  /// The replicates with an estimate.
  public var successfulReplicates: Int { replicates.count { $0 != nil } }

  /// The percentile interval (``IntervalMethod/bootstrapPercentile``, R's `quantile(type = 8)`)
  /// of target `index` at coverage `level`, around that target's estimate on the data.
  /// - Throws: ``EstimationError/bootstrapDegenerate`` when fewer than two replicates succeeded;
  ///   ``EstimationError/intervalNotAvailable(_:reason:)`` for any other method (no jackknife, so
  ///   no BCa).
  public func interval(_ method: IntervalMethod, target index: Int, estimate: Double, level: Double = 0.95)
    throws(EstimationError) -> IntervalEstimate
  {
    try SelectionBootstrap.interval(
      method, sorted: replicates.compactMap { $0?[index] }.filter(\.isFinite).sorted(), estimate: estimate,
      acceleration: nil, level: level)
  }

  /// The index of the target for `level` of `covariate`, or of the total when both are `nil`.
  public func targetIndex(covariate: String?, level: String?) -> Int? {
    targets.firstIndex { $0.covariate == covariate && $0.level == level }
  }

  /// Runs `estimate` (total first, then every level) on resampled `data`.
  static func run(
    data: CovariateCaptureData, targets: [(covariate: String?, level: String?)], options: Options,
    progress: (@Sendable (Int) -> Void)?,
    estimate: @escaping @Sendable (CovariateCaptureData) throws -> [Double]
  ) async throws(EstimationError) -> CovariateBootstrap {
    let values = try await Self.replicates(
      of: data, count: options.replicates, concurrency: options.concurrency, seed: options.seed,
      progress: progress
    ) { replicate -> [Double]? in
      guard let result = try? estimate(replicate), result.allSatisfy({ $0.isFinite || $0.isNaN }) else { return nil }
      return result
    }
    return CovariateBootstrap(targets: targets, replicates: values, options: options)
  }

  /// `body` on `count` nonparametric replicates of `data`, in replicate order: replicate `i`
  /// redraws the `n` observed individuals from the records (a multinomial with the records'
  /// shares, levels and coverage kept) from stream ``SplitMix64/stream(seed:index:)``.
  static func replicates<Value: Sendable>(
    of data: CovariateCaptureData, count: Int, concurrency: Int, seed: UInt64,
    progress: (@Sendable (Int) -> Void)?, _ body: @escaping @Sendable (CovariateCaptureData) -> Value?
  ) async throws(EstimationError) -> [Value?] {
    precondition(count >= 1, "at least one replicate")
    let records = data.records
    let sampler = Multinomial(weights: records.map { Double($0.count) })
    let n = data.observedTotal
    return try await Replicates.map(
      count: count, concurrency: concurrency, seed: seed, progress: progress, state: { () }
    ) { _, generator, _ -> Value? in
      let counts = sampler.sample(count: n, using: &generator)
      let resampled = zip(records, counts).map {
        CovariateCaptureData.Record(history: $0.history, levels: $0.levels, count: $1)
      }
      guard let replicate = try? data.replacingRecords(resampled) else { return nil }
      return body(replicate)
    }
  }

  /// The targets of a model's covariates: the total, then each level of each covariate.
  static func targets(of covariates: [Covariate]) -> [(covariate: String?, level: String?)] {
    [(nil, nil)] + covariates.flatMap { covariate in covariate.levels.map { (covariate.name, $0) } }
  }
}

extension CovariateFit {
  /// The estimates the bootstrap tracks: the total, then every level of every covariate; NaN for
  /// a target that has no estimate because fewer than two lists operated somewhere in it (the
  /// same in every replicate, as the coverage is).
  var targetEstimates: [Double] {
    ([totalEstimate] + model.covariates.indices.flatMap { breakdown(covariate: $0) }).map {
      $0.strataWithTooFewLists.isEmpty ? $0.total : .nan
    }
  }
}

extension CovariateBootstrap {
  /// Bootstraps `fit` nonparametrically: every replicate redraws the records and refits the
  /// model on the same design.
  /// - Throws: ``EstimationError/cancelled`` when the calling task is cancelled (checked between
  ///   replicates).
  public static func run(
    fit: CovariateFit, options: Options = .init(), progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(EstimationError) -> CovariateBootstrap {
    let model = fit.model
    let fitOptions = fit.options
    // The design is the same for every replicate: built once, only the counts change.
    let design = fit.design
    return try await run(
      data: fit.data, targets: targets(of: model.covariates), options: options, progress: progress
    ) { replicate in
      try model.fit(design: design, counts: design.counts(of: replicate), data: replicate, options: fitOptions)
        .targetEstimates
    }
  }
}
