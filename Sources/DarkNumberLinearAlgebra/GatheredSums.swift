/// A fixed pattern of gathered weighted sums, `result[j] = Σ_{k ∈ range j} weights[k] · values[entries[k]]`:
/// the normal equations of a design whose entries are sums over lattices (``SubsetLattice``), where
/// each output is a short weighted sum of scattered inputs. The indices are checked once, when the
/// pattern is made, so that applying it — many times per fit — checks only the input's length.
public struct GatheredSums: Sendable {
  private let starts: [Int]
  private let entries: [Int]
  private let weights: [Double]
  /// Whether every weight is 1 (treatment-coded factors): the sums then skip the products.
  private let unitWeights: Bool
  /// The number of inputs every application reads.
  public let valueCount: Int
  /// The number of outputs.
  public var count: Int { starts.count - 1 }

  /// A pattern: output `j` sums terms `starts[j]..<starts[j + 1]` (`starts` ascending from 0 to
  /// `entries.count`), term `k` being `weights[k] · values[entries[k]]` with
  /// `0 ≤ entries[k] < valueCount`.
  public init(starts: [Int], entries: [Int], weights: [Double], valueCount: Int) {
    precondition(!starts.isEmpty && starts.first == 0 && starts.last == entries.count, "ranges must cover the terms")
    precondition(zip(starts, starts.dropFirst()).allSatisfy { $0 <= $1 }, "ranges must ascend")
    precondition(entries.count == weights.count, "one weight per entry")
    precondition(entries.allSatisfy { $0 >= 0 && $0 < valueCount }, "an entry outside the values")
    self.starts = starts
    self.entries = entries
    self.weights = weights
    unitWeights = weights.allSatisfy { $0 == 1 }
    self.valueCount = valueCount
  }

  /// Writes the sums of `values` (``valueCount`` entries) into `result` (``count`` entries), each
  /// in four interleaved partial sums (a gathered sum is bound by the latency of its additions).
  public func apply(_ values: [Double], into result: inout [Double]) {
    precondition(values.count == valueCount && result.count >= count, "shapes do not match")
    let count = self.count
    let unit = unitWeights
    unsafe values.withUnsafeBufferPointer { v in
      unsafe entries.withUnsafeBufferPointer { e in
        unsafe weights.withUnsafeBufferPointer { w in
          unsafe starts.withUnsafeBufferPointer { s in
            unsafe result.withUnsafeMutableBufferPointer { r in
              var j = 0
              while j < count {
                var k = unsafe s[j]
                let end = unsafe s[j &+ 1]
                var s0 = 0.0
                var s1 = 0.0
                var s2 = 0.0
                var s3 = 0.0
                if unit {
                  while k &+ 4 <= end {
                    unsafe s0 += v[e[k]]
                    unsafe s1 += v[e[k &+ 1]]
                    unsafe s2 += v[e[k &+ 2]]
                    unsafe s3 += v[e[k &+ 3]]
                    k &+= 4
                  }
                  while k < end {
                    unsafe s0 += v[e[k]]
                    k &+= 1
                  }
                } else {
                  while k &+ 4 <= end {
                    unsafe s0 += w[k] * v[e[k]]
                    unsafe s1 += w[k &+ 1] * v[e[k &+ 1]]
                    unsafe s2 += w[k &+ 2] * v[e[k &+ 2]]
                    unsafe s3 += w[k &+ 3] * v[e[k &+ 3]]
                    k &+= 4
                  }
                  while k < end {
                    unsafe s0 += w[k] * v[e[k]]
                    k &+= 1
                  }
                }
                unsafe r[j] = (s0 + s1) + (s2 + s3)
                j &+= 1
              }
            }
          }
        }
      }
    }
  }
}
