import DarkNumber

/// The grid posterior's log-weight vectors (the base term at index 0, margin `A` at index `A`)
/// cut into short blocks and exponentiated once, so a graph's weights in a block are products
/// of precomputed factors instead of one exponential per graph and grid point.
///
/// In block `b` starting at `j₀`, each vector is split as
/// `t(j) = o + d·(j − j₀) + r(j)` (its value at the block start, the block's secant slope, and a
/// remainder); `e^{r(j)}` and `e^{−r(j)}` are stored. A graph's log weight is then
/// `L + D·(j − j₀) + Σ ± r(j)` with `L = Σ ± o`, `D = Σ ± d`, and its weight the product of
/// `e^{L + D(j − j₀)}` (a geometric sequence) and the factors. Blocks where some remainder
/// exceeds `remainderLimit` (sharp curvature near `m = 0`) are flagged for the direct method.
struct BlockFactors: Sendable {
  /// Grid points per block.
  static let blockSize = 256
  /// The largest |remainder| for which a block uses products: with at most 16 factors the
  /// product stays within e^{±320}, far from overflow.
  static let remainderLimit = 20.0

  let blocks: Int
  /// Per vector and block (`vector·blocks + block`): offset, slope, usable.
  let offsets: [Double]
  let slopes: [Double]
  let usable: [Bool]
  /// Per vector, `e^{r(j)}` and `e^{−r(j)}` over the whole grid.
  let factors: [[Double]]
  let inverses: [[Double]]

  /// The factors of every vector (an empty vector is skipped), vectors in parallel.
  static func make(vectors: [[Double]]) -> BlockFactors {
    let points = vectors[0].count
    let blocks = (points + blockSize - 1) / blockSize
    let parts = ParallelWork.map(count: vectors.count) { v in Part(vector: vectors[v], blocks: blocks) }
    return BlockFactors(
      blocks: blocks, offsets: parts.flatMap(\.offsets), slopes: parts.flatMap(\.slopes),
      usable: parts.flatMap(\.usable), factors: parts.map(\.factors),
      inverses: parts.map(\.inverses))
  }

  /// One vector's blocks.
  private struct Part: Sendable {
    var offsets: [Double]
    var slopes: [Double]
    var usable: [Bool]
    var factors: [Double] = []
    var inverses: [Double] = []

    init(vector: [Double], blocks: Int) {
      offsets = [Double](repeating: 0, count: blocks)
      slopes = offsets
      usable = [Bool](repeating: false, count: blocks)
      if vector.isEmpty { return }
      let points = vector.count
      let size = BlockFactors.blockSize
      factors = [Double](repeating: 1, count: points)
      inverses = [Double](repeating: 1, count: points)
      for b in 0..<blocks {
        let start = b * size
        let end = min(points, start + size)
        let offset = vector[start]
        let slope = end - start > 1 ? (vector[end - 1] - offset) / Double(end - start - 1) : 0
        var fits = offset.isFinite && slope.isFinite
        for j in start..<end where fits {
          let remainder = vector[j] - offset - slope * Double(j - start)
          if !(abs(remainder) <= BlockFactors.remainderLimit) {
            fits = false
            break
          }
          factors[j] = fastExponential(remainder)
          inverses[j] = fastExponential(-remainder)
        }
        offsets[b] = offset
        slopes[b] = slope
        usable[b] = fits
      }
    }
  }
}
