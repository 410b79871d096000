/// How many units were caught exactly `k` times, `f_k` for `k = 1, 2, …` — data with no per-list
/// histories (species detections, one-source registers, a register observed in continuous time).
public struct CaptureFrequencies: Sendable, Hashable {
  /// The number of capture occasions `t`.
  public enum Occasions: Sendable, Hashable, CustomStringConvertible {
    /// `t` occasions: `f_k ~ Poisson(N·C(t,k)·pᵏ(1 − p)^{t−k})` under `M0`.
    case finite(Int)
    /// Continuous time (`t = ∞`): `f_k ~ Poisson(N·e^{−λ}λᵏ/k!)` under `M0`.
    case continuous

    /// `t`, or `∞`.
    public var description: String {
      switch self {
      case .finite(let t): return String(t)
      case .continuous: return "∞"
      }
    }
  }

  /// `f_k` at index `k − 1`, up to the largest `k` observed (zeros included).
  public let frequencies: [Int]
  /// The number of occasions.
  public let occasions: Occasions
  /// `n = Σ f_k`.
  public let observedTotal: Int

  /// Frequencies from `(k, f_k)` pairs; duplicated `k` are summed.
  /// - Throws: ``DataError`` for `k < 1`, `k > t`, negative counts, overflow, or nobody observed.
  public init(counts: [(captures: Int, count: Int)], occasions: Occasions) throws(DataError) {
    var largest = 0
    for (k, count) in counts {
      if count < 0 { throw .invalidCount(String(count), InputLocation(line: 0), reason: .negative) }
      if count > 0 { largest = max(largest, k) }
    }
    var frequencies = [Int](repeating: 0, count: largest)
    var total = 0
    for (k, count) in counts where count > 0 {
      guard k >= 1 else { throw .captureNumberOutOfRange(k, occasions: occasions.description, nil) }
      if case .finite(let t) = occasions, k > t {
        throw .captureNumberOutOfRange(k, occasions: occasions.description, nil)
      }
      let (sum, overflow) = total.addingReportingOverflow(count)
      if overflow || sum > CaptureData.maximumCount { throw .totalTooLarge(source: nil) }
      total = sum
      frequencies[k - 1] += count
    }
    guard total > 0 else { throw .noObservations }
    self.frequencies = frequencies
    self.occasions = occasions
    self.observedTotal = total
  }

  /// The frequencies of `data`'s histories (`k` = lists per history, `t = K`).
  public init(histories data: CaptureData) {
    var frequencies = [Int](repeating: 0, count: data.listCount)
    for cell in data.cells { frequencies[cell.history.listCount - 1] += cell.count }
    while frequencies.last == 0 { frequencies.removeLast() }
    self.frequencies = frequencies
    occasions = .finite(data.listCount)
    observedTotal = data.observedTotal
  }

  /// Reads a `nbcap,count` CSV (the layout of Rcapture's number-of-captures data).
  /// - Throws: ``DataError`` naming the line and column of the first problem.
  public init(csv bytes: [UInt8], occasions: Occasions, source: String? = nil) throws(DataError) {
    let table = try CSVTable(bytes: bytes, source: source)
    guard let header = table.header else { throw .emptyInput(source: source) }
    guard header.fields.count == 2 else {
      throw .raggedRow(InputLocation(source: source, line: header.line), expected: 2, found: header.fields.count)
    }
    guard !table.rows.isEmpty else { throw .noDataRows(source: source) }
    var counts: [(captures: Int, count: Int)] = []
    for row in table.rows {
      guard row.fields.count == 2 else {
        throw .raggedRow(InputLocation(source: source, line: row.line), expected: 2, found: row.fields.count)
      }
      let kLocation = InputLocation(source: source, line: row.line, column: 1, columnName: header.fields[0])
      let k = try CaptureData.parseCount(row.fields[0], at: kLocation)
      let count = try CaptureData.parseCount(
        row.fields[1],
        at: InputLocation(source: source, line: row.line, column: 2, columnName: header.fields[1]))
      if k < 1 {
        throw .captureNumberOutOfRange(k, occasions: occasions.description, kLocation)
      }
      if case .finite(let t) = occasions, k > t {
        throw .captureNumberOutOfRange(k, occasions: occasions.description, kLocation)
      }
      counts.append((k, count))
    }
    try self.init(counts: counts, occasions: occasions)
  }

  /// `f_k` (zero beyond the largest observed `k`).
  public func frequency(_ k: Int) -> Int { k >= 1 && k <= frequencies.count ? frequencies[k - 1] : 0 }
}
