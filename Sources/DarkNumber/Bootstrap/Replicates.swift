/// Runs `count` bootstrap replicates in parallel chunks (``ParallelWork``); replicate `i` gets its
/// own generator ``SplitMix64/stream(seed:index:)``, and results are returned in replicate order,
/// so the output does not depend on `concurrency`. Each task makes one `state` (a workspace reused by its
/// replicates; no result may depend on what an earlier replicate left in it).
enum Replicates {
  static func map<Value: Sendable, State>(
    count: Int, concurrency: Int, seed: UInt64, progress: (@Sendable (Int) -> Void)? = nil,
    state makeState: @escaping @Sendable () -> State,
    _ body:
      @escaping @Sendable (_ index: Int, _ generator: inout SplitMix64, _ state: inout State)
      -> Value
  ) async -> [Value] {
    let tasks = max(1, min(concurrency, count))
    let chunk = (count + tasks - 1) / tasks
    let done = ProgressCounter()
    let pieces = ParallelWork.map(count: tasks) { task in
      var state = makeState()
      return ((task * chunk)..<min(count, (task + 1) * chunk)).map { index in
        var generator = SplitMix64.stream(seed: seed, index: UInt64(index))
        let value = body(index, &generator, &state)
        if let progress { progress(done.add()) }
        return value
      }
    }
    return pieces.flatMap { $0 }
  }
}
