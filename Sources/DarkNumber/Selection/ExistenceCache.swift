import Synchronization

/// Remembers SparseMSE error codes of ``ExistenceCheck`` by model and by which cells are empty.
///
/// Whether the MLE exists and is identifiable depends only on the model and on the support of the
/// counts (which cells are zero): the sufficient statistics lie in the relative interior of the
/// marginal cone exactly when the support is not contained in a proper facial set (Fienberg &
/// Rinaldo 2012). Bootstrap replicates share supports, so their stepwise selections re-ask the same
/// questions; the cache answers them without another linear program. It only saves time: every
/// answer is the one the linear program would give.
public final class ExistenceCache: Sendable {
  private struct Key: Hashable {
    let interactions: [UInt32]
    let support: [UInt64]
  }

  private let codes = Mutex<[Key: Int]>([:])

  /// An empty cache.
  public init() {}

  /// SparseMSE's code (0 ok, 1 no MLE, 2 not identifiable, 3 both) for `model` on `data`.
  /// - Throws: ``EstimationError`` as ``ExistenceCheck/init(model:data:)``.
  public func code(model: LogLinearModel, data: CaptureData) throws(EstimationError) -> Int {
    var support = [UInt64](repeating: 0, count: ((1 << data.listCount) + 63) / 64)
    for cell in data.cells {
      let h = Int(cell.history.rawValue)
      support[h / 64] |= 1 << UInt64(h % 64)
    }
    return try code(model: model, support: support) { () throws(EstimationError) in data }
  }

  /// The code for `model` on `counts` (indexed by history, `2ᴷ` entries; entry 0 unused) over
  /// lists named `listNames`; the data are only assembled when the answer is not known yet.
  func code(model: LogLinearModel, counts: [Double], listNames: [String]) throws(EstimationError)
    -> Int
  {
    var support = [UInt64](repeating: 0, count: (counts.count + 63) / 64)
    for h in 1..<counts.count where counts[h] > 0 { support[h / 64] |= 1 << UInt64(h % 64) }
    return try code(model: model, support: support) { () throws(EstimationError) in
      try SelectionBootstrap.dataset(listNames, countsByHistory: counts)
    }
  }

  private func code(
    model: LogLinearModel, support: [UInt64], data: () throws(EstimationError) -> CaptureData
  ) throws(EstimationError) -> Int {
    let key = Key(interactions: model.interactions, support: support)
    if let known = codes.withLock({ $0[key] }) { return known }
    let code = try ExistenceCheck.code(model: model, data: data())
    codes.withLock { $0[key] = code }
    return code
  }
}
