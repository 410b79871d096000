import Dispatch
import Synchronization

/// Runs independent pieces of CPU-bound work on up to as many threads as there are pieces and cores,
/// and returns their results in piece order.
///
/// Built on Dispatch's `concurrentPerform`: the calling thread takes part and the other workers
/// come from Dispatch's pool, not from Swift concurrency's cooperative pool (one thread per core).
/// A caller whose cooperative threads are busy or blocked — an app running other tasks, or a
/// harness that waits on a semaphore from one of them, as `package-benchmark` does for async
/// benchmarks — still gets every core, where a task group would get the cooperative threads left.
/// Results do not depend on how the pieces were scheduled.
package enum ParallelWork {
  /// `[body(0), body(1), …, body(count − 1)]`, the calls made in parallel.
  package static func map<Value: Sendable>(
    count: Int, _ body: @Sendable (_ piece: Int) -> Value
  ) -> [Value] {
    precondition(count >= 0, "a non-negative number of pieces")
    if count <= 1 { return (0..<count).map { body($0) } }
    let results = Mutex<[Value?]>([Value?](repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: count) { piece in
      let value = body(piece)
      results.withLock { $0[piece] = value }
    }
    return results.withLock { results in results.map { $0! } }
  }
}
