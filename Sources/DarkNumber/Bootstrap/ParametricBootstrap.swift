/// The parametric bootstrap of a fixed log-linear model (as Cruyff's `mse` and the CARE software):
/// a population of `N = round(N̂)` is drawn multinomially over all `2ᴷ` cells — the unobserved one
/// included — with probabilities `μ̂_h / N̂` (`μ̂₀ = e^{β̂₀}`); the unobserved are dropped, the same
/// model is refitted, and `N̂*` recorded. Replicate `i` uses stream `(seed, i)`.
public struct ParametricBootstrap: Sendable {
  /// The fitted model's `N̂`.
  public let estimate: Double
  /// `N̂*ᵢ`, `nil` where the refit had no estimate.
  public let replicates: [Double?]
  /// The seed.
  public let seed: UInt64

  /// Bootstraps `fit` with `replicates` draws on `concurrency` parallel tasks.
  /// - Throws: ``EstimationError/cancelled`` when the calling task is cancelled (checked between
  ///   replicates).
  public static func run(
    fit: LogLinearFit, replicates: Int = 1000, seed: UInt64 = 1234, concurrency: Int = 2
  ) async throws(EstimationError) -> ParametricBootstrap {
    let population = Int(fit.total.rounded())
    // Cell 0 is the unobserved; cell h the history with bitmask h.
    let weights = [fit.unobserved] + fit.fittedValues
    let sampling = Multinomial(weights: weights)
    let names = fit.data.listNames
    let model = fit.model
    let options = fit.options
    let values = try await Replicates.map(
      count: replicates, concurrency: concurrency, seed: seed, state: { () }
    ) { _, generator, _ -> Double? in
      let counts = sampling.sample(count: population, using: &generator)
      guard let sample = try? SelectionBootstrap.dataset(names, countsByHistory: counts.map(Double.init)),
        let refit = try? model.fit(to: sample, options: options)
      else { return nil }
      return refit.total
    }
    return ParametricBootstrap(estimate: fit.total, replicates: values, seed: seed)
  }

  /// The percentile interval (``IntervalMethod/bootstrapPercentile``, R's type-8 quantiles) at
  /// `level`.
  /// - Throws: ``EstimationError/bootstrapDegenerate`` with fewer than two finite replicates;
  ///   ``EstimationError/intervalNotAvailable(_:reason:)`` for any other method (a parametric
  ///   bootstrap has no jackknife acceleration for BCa).
  public func interval(_ method: IntervalMethod, level: Double = 0.95) throws(EstimationError)
    -> IntervalEstimate
  {
    try SelectionBootstrap.interval(
      method, sorted: replicates.compactMap { $0 }.sorted(), estimate: estimate, acceleration: nil, level: level)
  }
}
