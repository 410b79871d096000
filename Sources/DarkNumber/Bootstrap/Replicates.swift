/// Runs `count` bootstrap replicates in parallel chunks; replicate `i` gets its own generator
/// ``SplitMix64/stream(seed:index:)``, and results are returned in replicate order, so the output
/// does not depend on `concurrency`. Each task makes one `state` (a workspace reused by its
/// replicates; no result may depend on what an earlier replicate left in it).
enum Replicates {
  static func map<Value: Sendable, State>(
    count: Int, concurrency: Int, seed: UInt64, progress: (@Sendable (Int) -> Void)? = nil,
    state makeState: @escaping @Sendable () -> State,
    _ body: @escaping @Sendable (_ index: Int, _ generator: inout SplitMix64, _ state: inout State)
      -> Value
  ) async -> [Value] {
    let tasks = max(1, min(concurrency, count))
    let chunk = (count + tasks - 1) / tasks
    let done = ProgressCounter()
    return await withTaskGroup(of: (Int, [Value]).self) { group in
      for task in 0..<tasks {
        let range = (task * chunk)..<min(count, (task + 1) * chunk)
        group.addTask {
          var state = makeState()
          let values = range.map { index in
            var generator = SplitMix64.stream(seed: seed, index: UInt64(index))
            let value = body(index, &generator, &state)
            if let progress { progress(done.add()) }
            return value
          }
          return (task, values)
        }
      }
      var pieces = [[Value]](repeating: [], count: tasks)
      for await (task, piece) in group { pieces[task] = piece }
      return pieces.flatMap { $0 }
    }
  }
}
