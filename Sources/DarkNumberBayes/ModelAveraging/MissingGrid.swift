/// The values of the unobserved count `N − n` at which a grid posterior is evaluated: dga's
/// `Nmissing = seq(start, stop, by = step)`.
public struct MissingGrid: Sendable, Hashable {
  /// The smallest unobserved count (≥ 0).
  public let start: Int
  /// The largest unobserved count on the grid (`start + (count − 1)·step`).
  public let stop: Int
  /// The spacing (≥ 1).
  public let step: Int

  /// The grid `start, start + step, …` up to `stop`.
  public init(start: Int, stop: Int, step: Int = 1) throws(BayesError) {
    guard start >= 0 else { throw .invalidOption("the grid must start at 0 or more unobserved") }
    guard step >= 1 else { throw .invalidOption("the grid step must be at least 1") }
    guard stop >= start else { throw .invalidOption("the grid's end must not be below its start") }
    guard (stop - start) / step < 10_000_000 else {
      throw .invalidOption("the grid must have at most 10,000,000 points")
    }
    self.start = start
    self.step = step
    self.stop = start + (stop - start) / step * step
  }

  /// The grid written `START:STOP` or `START:STOP:STEP` (whole numbers).
  /// - Throws: ``BayesError/invalidOption(_:)`` for another form, and as ``init(start:stop:step:)``.
  public init(specification: String) throws(BayesError) {
    let numbers = specification.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
    guard (2...3).contains(numbers.count), numbers.allSatisfy({ $0 != nil }) else {
      throw .invalidOption("the grid \"\(specification)\" is not START:STOP or START:STOP:STEP with whole numbers")
    }
    try self.init(start: numbers[0]!, stop: numbers[1]!, step: numbers.count == 3 ? numbers[2]! : 1)
  }

  /// The number of grid points.
  public var count: Int { (stop - start) / step + 1 }

  /// The `index`-th unobserved count.
  public func value(at index: Int) -> Int { start + index * step }

  /// All grid values.
  public var values: [Int] { Array(stride(from: start, through: stop, by: step)) }

  /// dga's usual grid `0, 1, …, multiple·n`, coarsened to at most `maximumPoints` points.
  public static func multiple(_ multiple: Int, of observed: Int, maximumPoints: Int = 50_001)
    -> MissingGrid
  {
    let stop = max(1, multiple * observed)
    let step = max(1, (stop + maximumPoints - 2) / (maximumPoints - 1))
    // Valid by construction: start 0, step ≥ 1, stop ≥ 1.
    return try! MissingGrid(start: 0, stop: stop, step: step)
  }
}
