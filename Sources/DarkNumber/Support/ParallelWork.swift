import Dispatch
import Glibc
import Synchronization

/// Runs independent pieces of CPU-bound work on the calling thread and up to `cores − 1` helpers,
/// and returns their results in piece order.
///
/// The helpers run on Dispatch's global queue, outside Swift concurrency's cooperative pool (one
/// thread per core): a caller whose cooperative threads are busy or blocked — an app running
/// other tasks, or a harness that waits on a semaphore from one of them, as `package-benchmark`
/// does for async benchmarks — still gets every core, where a task group (or `concurrentPerform`
/// called from a cooperative thread) would get only the cooperative threads left. The calling
/// thread takes part; every participant takes the next piece from a shared counter until none is
/// left. Results do not depend on how the pieces were scheduled.
package enum ParallelWork {
  /// `[body(0), body(1), …, body(count − 1)]`, the calls made in parallel by at most `width`
  /// threads (and at most one per core).
  package static func map<Value: Sendable>(
    count: Int, width: Int = .max, _ body: @escaping @Sendable (_ piece: Int) -> Value
  ) -> [Value] {
    precondition(count >= 0 && width >= 1, "a non-negative number of pieces, at least one thread")
    if width == 1 || count <= 1 { return (0..<count).map { body($0) } }
    let shared = Shared<Value>(count: count)
    let work: @Sendable () -> Void = {
      while true {
        let piece = shared.next.wrappingAdd(1, ordering: .relaxed).oldValue
        if piece >= count { return }
        let value = body(piece)
        shared.results.withLock { $0[piece] = value }
      }
    }
    let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    let group = DispatchGroup()
    for _ in 1..<min(count, cores, width) {
      DispatchQueue.global().async(group: group, execute: work)
    }
    work()
    group.wait()
    return shared.results.withLock { results in results.map { $0! } }
  }

  /// ``map(count:width:_:)`` for an `async` caller that can be cancelled: once the calling task is
  /// cancelled, no further piece starts, `body` can see it through the ``Cancellation`` it is
  /// given (to stop between its own sweeps), and the call returns `nil` instead of results.
  package static func cancellableMap<Value: Sendable>(
    count: Int, width: Int = .max, _ body: @escaping @Sendable (_ piece: Int, _ cancellation: Cancellation) -> Value
  ) async -> [Value]? {
    let cancellation = Cancellation()
    let pieces = await withTaskCancellationHandler {
      if Task.isCancelled { cancellation.cancel() }
      return map(count: count, width: width) { piece -> Value? in
        cancellation.isCancelled ? nil : body(piece, cancellation)
      }
    } onCancel: {
      cancellation.cancel()
    }
    return cancellation.isCancelled ? nil : pieces.map { $0! }
  }

  /// Whether the task that started a ``cancellableMap(count:width:_:)`` was cancelled, readable
  /// from the worker threads (where `Task.isCancelled` has no task to ask).
  package final class Cancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    /// Whether the work should stop.
    package var isCancelled: Bool { flag.load(ordering: .relaxed) }

    /// Asks the work to stop.
    func cancel() { flag.store(true, ordering: .relaxed) }
  }

  /// The piece counter and the results, shared by the participants.
  private final class Shared<Value: Sendable>: Sendable {
    let next = Atomic<Int>(0)
    let results: Mutex<[Value?]>

    init(count: Int) { results = Mutex([Value?](repeating: nil, count: count)) }
  }
}
