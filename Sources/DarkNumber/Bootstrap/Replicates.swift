/// Runs `count` bootstrap replicates in parallel chunks (``ParallelWork``); replicate `i` gets its
/// own generator ``SplitMix64/stream(seed:index:)``, and results are returned in replicate order,
/// so the output does not depend on `concurrency`. Each task makes one `state` (a workspace reused by its
/// replicates; no result may depend on what an earlier replicate left in it). Cancelling the calling
/// task stops it between replicates with ``EstimationError/cancelled``.
enum Replicates {
  static func map<Value: Sendable, State>(
    count: Int, concurrency: Int, seed: UInt64, progress: (@Sendable (Int) -> Void)? = nil,
    state makeState: @escaping @Sendable () -> State,
    _ body:
      @escaping @Sendable (_ index: Int, _ generator: inout SplitMix64, _ state: inout State)
      -> Value
  ) async throws(EstimationError) -> [Value] {
    let tasks = max(1, min(concurrency, count))
    let chunk = (count + tasks - 1) / tasks
    let done = ProgressCounter()
    let pieces = await ParallelWork.cancellableMap(count: tasks) { task, cancellation -> [Value] in
      var state = makeState()
      let indices = (task * chunk)..<min(count, (task + 1) * chunk)
      var values: [Value] = []
      values.reserveCapacity(indices.count)
      for index in indices {
        if cancellation.isCancelled { break }
        var generator = SplitMix64.stream(seed: seed, index: UInt64(index))
        values.append(body(index, &generator, &state))
        if let progress { progress(done.add()) }
      }
      return values
    }
    guard let pieces else { throw .cancelled }
    return pieces.flatMap { $0 }
  }
}
