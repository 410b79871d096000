import DarkNumber
import Synchronization
import Testing

/// Cancels a task once its progress callback reports `threshold` units done, and remembers how far
/// the work got; the work is CPU-bound, so it stops only if the library checks for cancellation.
final class CancelAfter<Value: Sendable>: Sendable {
  private let threshold: Int
  private let state = Mutex<(task: Task<Value, any Error>?, reached: Int, due: Bool)>((nil, 0, false))

  init(threshold: Int) { self.threshold = threshold }

  /// The progress callback to hand to the library.
  var progress: @Sendable (Int) -> Void {
    { [self] done in
      let task = state.withLock { state -> Task<Value, any Error>? in
        state.reached = max(state.reached, done)
        guard done >= threshold && !state.due else { return nil }
        state.due = true
        return state.task
      }
      task?.cancel()
    }
  }

  /// Runs `body` in a task (cancelled when the progress reaches the threshold) and returns its
  /// error and the largest progress reported.
  func run(_ body: @escaping @Sendable () async throws -> Value) async -> (error: (any Error)?, reached: Int) {
    let task = Task { try await body() }
    let due = state.withLock { state in
      state.task = task
      return state.due
    }
    if due { task.cancel() }
    let error: (any Error)?
    do {
      _ = try await task.value
      error = nil
    } catch let thrown {
      error = thrown
    }
    return (error, state.withLock { $0.reached })
  }
}

/// Every CPU-bound `async` API stops when its task is cancelled — between replicates, models or
/// sweeps — and throws `cancelled` instead of returning part of a result.
@Suite("Cancellation: async work stops between replicates and says so")
struct CancellationTests {
  /// Runs `body` with a progress callback that cancels it at `threshold` units, and checks that
  /// it threw `cancelled` having done fewer than the `total` it was asked for.
  static func expectStops<Value: Sendable>(
    threshold: Int, total: Int,
    _ body: @escaping @Sendable (@escaping @Sendable (Int) -> Void) async throws -> Value
  ) async {
    let gate = CancelAfter<Value>(threshold: threshold)
    let outcome = await gate.run { try await body(gate.progress) }
    #expect(outcome.error as? EstimationError == .cancelled)
    #expect(outcome.reached >= threshold && outcome.reached < total)
  }

  /// Runs `body` in a task cancelled before it starts and checks that it threw `cancelled`.
  static func expectCancelledAtStart<Value: Sendable>(_ body: @escaping @Sendable () async throws -> Value) async {
    let task = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return try await body()
    }
    await #expect(throws: EstimationError.cancelled) { try await task.value }
  }

  @Test("The selection bootstrap stops between replicates")
  func selectionBootstrap() async throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    var options = SelectionBootstrap.Options()
    options.replicates = 200_000
    options.concurrency = 2
    let settings = options
    await Self.expectStops(threshold: 20, total: settings.replicates) { progress in
      try await SelectionBootstrap.run(data: data, options: settings, progress: progress)
    }
  }

  @Test("The parametric and the covariate bootstraps stop between replicates")
  func otherBootstraps() async throws {
    let fit = try LogLinearModel.mainEffects(listCount: 5).fit(to: ReferenceFixtures.data("UKdat_5"))
    // The parametric bootstrap reports no progress: cancelled before it starts, it draws nothing.
    await Self.expectCancelledAtStart {
      try await ParametricBootstrap.run(fit: fit, replicates: 1_000_000, seed: 1, concurrency: 2)
    }

    let data = try ListCoverageTests.trafficking(covariates: ["gender"])
    let covariateFit = try CovariateModel(specification: "main", data: data).fit(to: data)
    var options = CovariateBootstrap.Options()
    options.replicates = 100_000
    let settings = options
    await Self.expectStops(threshold: 10, total: settings.replicates) { progress in
      try await CovariateBootstrap.run(fit: covariateFit, options: settings, progress: progress)
    }
  }

  @Test("A simulation study stops between replicates")
  func simulation() async throws {
    let estimators = [SimulationEstimator.named("mt", listCount: 4)!]
    await Self.expectStops(threshold: 5, total: 1_000_000) { progress in
      try await SimulationStudy.run(
        scenario: SimulationTests.scenario, estimators: estimators, replicates: 0..<1_000_000, seed: 3,
        progress: progress)
    }
  }

  @Test("The model search, the sensitivity analysis and the lists report stop when cancelled")
  func cancelledBeforeStart() async throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    await Self.expectCancelledAtStart { try await ModelSearch.run(data: data) }
    await Self.expectCancelledAtStart { try await SensitivityAnalysis.run(data: data, topModels: 0) }
    await Self.expectCancelledAtStart { try await ListsReportAnalysis.run(data: data) }
  }
}
