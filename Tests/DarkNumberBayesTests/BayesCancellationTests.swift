import DarkNumber
import DarkNumberBayes
import Synchronization
import Testing

/// The samplers stop when their task is cancelled — the chains between sweeps — and throw
/// `cancelled` instead of returning a posterior from part of the draws.
@Suite("Bayesian cancellation")
struct BayesCancellationTests {
  @Test("Latent-class chains stop between sweeps")
  func latentClass() async throws {
    let data = try BayesFixtures.data("dga_MY5")
    // 2 chains × 10⁸ sweeps: hours of work unless the chains stop.
    let options = LatentClassOptions(burnIn: 100_000_000, draws: 10, thinning: 1, chains: 2, seed: 5)
    let reached = Atomic<Int>(0)
    // The progress callback cancels the task from its own thread (chain 0 runs on the caller's);
    // the other chain must see it between its sweeps.
    let result = await Task {
      try await LatentClassModel.run(data: data, options: options, concurrency: 2) { done in
        reached.store(done, ordering: .relaxed)
        if done >= 2_000 { withUnsafeCurrentTask { $0?.cancel() } }
      }
    }.result
    #expect(throws: BayesError.cancelled) { try result.get() }
    #expect(reached.load(ordering: .relaxed) < 200_000_000)
  }

  @Test("Model averaging and the Bayesian sensitivity rows refuse to start when cancelled")
  func cancelledBeforeStart() async throws {
    let data = try BayesFixtures.data("UKdat_5")
    let averaging = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return try await GraphModelAveraging.run(data: data)
    }
    await #expect(throws: BayesError.cancelled) { try await averaging.value }
    let rows = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return try await SensitivityAnalysis.bayesianRows(data: data, seed: 1)
    }
    await #expect(throws: BayesError.cancelled) { try await rows.value }
  }
}
