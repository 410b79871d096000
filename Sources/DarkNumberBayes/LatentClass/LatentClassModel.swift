public import DarkNumber

/// The nonparametric latent-class model for multiple-list data (Manrique-Vallier 2016,
/// Biometrics 72, 1246–1254; R `LCMCR`): heterogeneous capture probabilities as a
/// Dirichlet-process mixture of product-Bernoulli classes, sampled by Gibbs with data
/// augmentation (one sweep per iteration of each chain).
public enum LatentClassModel {
  /// Runs `options.chains` chains in parallel (at most `concurrency` at once) and summarises the
  /// posterior of N over all their draws. Chain `c` uses `SplitMix64.stream(seed:index: c)`, so
  /// the draws do not depend on `concurrency`.
  ///
  /// - Parameters:
  ///   - data: the table.
  ///   - options: LCMCR's prior and chain settings.
  ///   - concurrency: chains run at once.
  ///   - progress: called with the number of sweeps finished over all chains (every 1,000 sweeps
  ///     per chain).
  /// - Throws: ``BayesError/invalidOption(_:)`` for invalid options; ``BayesError/cancelled`` when
  ///   the calling task is cancelled (every chain checks between sweeps).
  public static func run(
    data: CaptureData, options: LatentClassOptions = LatentClassOptions(), concurrency: Int = 2,
    progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(BayesError) -> LatentClassResult {
    if let problem = options.problem { throw .invalidOption(problem) }
    guard concurrency >= 1 else { throw .invalidOption("at least one chain must run at a time") }
    let done = ProgressCounter()
    // At most `concurrency` chains at once, each from its own stream (the same draws however
    // many run together).
    let chains = await ParallelWork.cancellableMap(count: options.chains, width: concurrency) { index, cancellation in
      runChain(
        index: index, data: data, options: options, done: done, progress: progress, cancellation: cancellation)
    }
    guard let chains else { throw .cancelled }
    return LatentClassResult(data: data, options: options, chains: chains)
  }

  private static func runChain(
    index: Int, data: CaptureData, options: LatentClassOptions, done: ProgressCounter,
    progress: (@Sendable (Int) -> Void)?, cancellation: ParallelWork.Cancellation
  ) -> LatentClassResult.Chain {
    var generator = SplitMix64.stream(seed: options.seed, index: UInt64(index))
    var chain = LatentClassChain(data: data, options: options, generator: &generator)
    var sinceReport = 0
    func advance(_ sweeps: Int) {
      sinceReport += sweeps
      while sinceReport >= 1_000 {
        let total = done.add(1_000)
        progress?(total)
        sinceReport -= 1_000
      }
    }
    var burnInLeft = options.burnIn
    while burnInLeft > 0 && !cancellation.isCancelled {
      let sweeps = min(burnInLeft, 1_000)
      chain.sweep(times: sweeps, updatingConcentration: true, using: &generator)
      advance(sweeps)
      burnInLeft -= sweeps
    }
    let burnInHits = chain.boundHits
    var totals: [Int] = []
    var concentrations: [Double] = []
    var occupied: [Int] = []
    totals.reserveCapacity(options.draws)
    concentrations.reserveCapacity(options.draws)
    occupied.reserveCapacity(options.draws)
    for _ in 0..<options.draws where !cancellation.isCancelled {
      chain.sweep(times: options.thinning, updatingConcentration: true, using: &generator)
      advance(options.thinning)
      totals.append(chain.total)
      concentrations.append(chain.concentration)
      occupied.append(chain.occupiedClasses)
    }
    return LatentClassResult.Chain(
      totals: totals, concentrations: concentrations, occupiedClasses: occupied,
      boundHits: chain.boundHits - burnInHits)
  }
}
