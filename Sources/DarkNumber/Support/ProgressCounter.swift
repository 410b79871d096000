import Synchronization

/// A count shared by parallel tasks for progress reports (bootstrap replicates, sampler sweeps).
public final class ProgressCounter: Sendable {
  private let value = Atomic<Int>(0)

  /// A count starting at zero.
  public init() {}

  /// Adds `amount` and returns the new count.
  public func add(_ amount: Int = 1) -> Int { value.add(amount, ordering: .relaxed).newValue }
}
