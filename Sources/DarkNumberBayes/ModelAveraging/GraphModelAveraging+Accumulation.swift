internal import DarkNumber
internal import RealModule

/// The inner loop of ``GraphModelAveraging``: the posterior mass of every graph at every grid
/// point, by blocks of the grid, in parallel, in a fixed order.
extension GraphModelAveraging {
  /// Per-grid posterior mass summed over graphs, and per graph its mass and `Σ N·mass`, all
  /// scaled by `e^{−scale}` (per graph indexed like the graphs summed).
  struct Accumulated: Sendable {
    var column: [Double]
    var weights: [Double]
    var weightedTotals: [Double]
    /// The largest log weight met.
    var largest: Double
  }

  /// Exponentiates the log weights of the `kept` graphs within `negligibleLogWeight` of `scale`.
  ///
  /// The grid is cut into ``BlockFactors`` blocks. In a block, a graph whose upper bound lies
  /// below the negligible level is skipped; otherwise its weights are products of precomputed
  /// factors, or (where a factor is not usable) `e^{row}` directly. Fixed chunks of blocks run in
  /// parallel (``ParallelWork``) and per-graph sums are added in chunk order, so results do not depend on the
  /// number of threads.
  static func accumulate(
    graphCount: Int, kept: [Int], plus allPlus: [[Int]], minus allMinus: [[Int]],
    modelPrior: [Double]?, vectors: [[Double]], totals: [Double], scale: Double,
    factors: BlockFactors
  ) -> Accumulated {
    let points = vectors[0].count
    let blockSize = BlockFactors.blockSize
    let blocks = factors.blocks
    let chunkCount = min(blocks, 16)
    let shifts = kept.map { (modelPrior?[$0] ?? 0) - scale }
    let plus = kept.map { allPlus[$0] }
    let minus = kept.map { allMinus[$0] }
    let pieces = ParallelWork.map(count: chunkCount) { chunk in
      let firstBlock = chunk * blocks / chunkCount
      let lastBlock = (chunk + 1) * blocks / chunkCount
      let first = firstBlock * blockSize
      let last = min(points, lastBlock * blockSize)
      var column = [Double](repeating: 0, count: last - first)
      var weights = [Double](repeating: 0, count: kept.count)
      var weightedTotals = [Double](repeating: 0, count: kept.count)
      var largest = -Double.infinity
      var row = [Double](repeating: 0, count: blockSize)
      for block in firstBlock..<lastBlock {
        let start = block * blockSize
        let count = min(points, start + blockSize) - start
        for position in kept.indices {
          // L, D and whether every factor is usable in this block.
          var level = shifts[position]
          var slope = 0.0
          var usable = true
          for v in plus[position] {
            level += factors.offsets[v * blocks + block]
            slope += factors.slopes[v * blocks + block]
            usable = usable && factors.usable[v * blocks + block]
          }
          for v in minus[position] {
            level -= factors.offsets[v * blocks + block]
            slope -= factors.slopes[v * blocks + block]
            usable = usable && factors.usable[v * blocks + block]
          }
          let slack = BlockFactors.remainderLimit * Double(plus[position].count + minus[position].count)
          let ends = (level, level + slope * Double(count - 1))
          let high = max(ends.0, ends.1) + slack
          let low = min(ends.0, ends.1) - slack
          if usable && high < -negligibleLogWeight { continue }
          let result: (weight: Double, weightedTotal: Double, largest: Double)
          if usable && low > -700 && high < 700 {
            // The base factor is applied in the sums; the first clique's is copied.
            let cliques = plus[position]
            copyRow(&row, factors.factors[cliques[1]], start: start, count: count)
            for v in cliques.dropFirst(2) {
              multiplyRow(&row, factors.factors[v], start: start, count: count)
            }
            for v in minus[position] {
              multiplyRow(&row, factors.inverses[v], start: start, count: count)
            }
            let sums = geometricSums(
              row, base: factors.factors[0], count: count, first: fastExponential(level),
              ratio: fastExponential(slope), into: &column, at: start - first, totals: totals,
              start: start)
            result = (sums.weight, sums.weightedTotal, high)
          } else {
            logWeightRow(
              &row, vectors: vectors, plus: plus[position], minus: minus[position],
              shift: shifts[position], start: start, count: count)
            result = exponentiate(
              row, count: count, into: &column, at: start - first, totals: totals, start: start)
          }
          weights[position] += result.weight
          weightedTotals[position] += result.weightedTotal
          largest = max(largest, result.largest)
        }
      }
      return Accumulated(
        column: column, weights: weights, weightedTotals: weightedTotals, largest: largest + scale)
    }
    var result = Accumulated(
      column: [], weights: [Double](repeating: 0, count: graphCount),
      weightedTotals: [Double](repeating: 0, count: graphCount), largest: -.infinity)
    for part in pieces {
      result.column += part.column
      for (position, g) in kept.enumerated() {
        result.weights[g] += part.weights[position]
        result.weightedTotals[g] += part.weightedTotals[position]
      }
      result.largest = max(result.largest, part.largest)
    }
    return result
  }

  /// `row[i] *= factor[start + i]` for `i < count`.
  @inline(never)
  private static func multiplyRow(_ row: inout [Double], _ factor: [Double], start: Int, count: Int) {
    for i in 0..<count { row[i] *= factor[start + i] }
  }

  /// `row[i] = factor[start + i]` for `i < count`.
  @inline(never)
  private static func copyRow(_ row: inout [Double], _ factor: [Double], start: Int, count: Int) {
    for i in 0..<count { row[i] = factor[start + i] }
  }

  /// Adds `w_i = row[i]·base[start + i]·first·ratioⁱ` to `column[at + i]`; returns `Σ w_i` and
  /// `Σ w_i·totals[start + i]`. Two interleaved geometric sequences (ratio²) and partial sums
  /// keep the multiply chains short.
  @inline(never)
  private static func geometricSums(
    _ row: [Double], base: [Double], count: Int, first: Double, ratio: Double,
    into column: inout [Double], at offset: Int, totals: [Double], start: Int
  ) -> (weight: Double, weightedTotal: Double) {
    var weights = (0.0, 0.0)
    var weightedTotals = (0.0, 0.0)
    var scales = (first, first * ratio)
    let step = ratio * ratio
    var i = 0
    while i + 1 < count {
      let w0 = row[i] * base[start + i] * scales.0
      let w1 = row[i + 1] * base[start + i + 1] * scales.1
      scales.0 *= step
      scales.1 *= step
      column[offset + i] += w0
      column[offset + i + 1] += w1
      weights.0 += w0
      weights.1 += w1
      weightedTotals.0 += w0 * totals[start + i]
      weightedTotals.1 += w1 * totals[start + i + 1]
      i += 2
    }
    if i < count {
      let w = row[i] * base[start + i] * scales.0
      column[offset + i] += w
      weights.0 += w
      weightedTotals.0 += w * totals[start + i]
    }
    return (weights.0 + weights.1, weightedTotals.0 + weightedTotals.1)
  }

  /// A graph's log weights at grid indices `start ..< start + count` into `row`:
  /// `shift + Σ_{v ∈ plus} vectors[v] − Σ_{v ∈ minus} vectors[v]`.
  static func logWeightRow(
    _ row: inout [Double], vectors: [[Double]], plus: [Int], minus: [Int], shift: Double,
    start: Int, count: Int
  ) {
    setRow(&row, from: vectors[plus[0]], start: start, count: count, plus: shift)
    for v in plus.dropFirst() { addToRow(&row, vectors[v], start: start, count: count) }
    for v in minus { subtractFromRow(&row, vectors[v], start: start, count: count) }
  }

  /// `row[i] = base[start + i] + shift` for `i < count`.
  @inline(never)
  private static func setRow(
    _ row: inout [Double], from base: [Double], start: Int, count: Int, plus shift: Double
  ) {
    for i in 0..<count { row[i] = base[start + i] + shift }
  }

  /// `row[i] += term[start + i]` for `i < count` (a loop the compiler vectorises on its own).
  @inline(never)
  private static func addToRow(_ row: inout [Double], _ term: [Double], start: Int, count: Int) {
    for i in 0..<count { row[i] += term[start + i] }
  }

  /// `row[i] −= term[start + i]` for `i < count`.
  @inline(never)
  private static func subtractFromRow(
    _ row: inout [Double], _ term: [Double], start: Int, count: Int
  ) {
    for i in 0..<count { row[i] -= term[start + i] }
  }

  /// Adds `e^{row[i]}` to `column[at + i]` for the entries above the negligible level; returns
  /// their sum, their sum weighted by `totals[start + i]`, and the largest `row[i]`.
  @inline(never)
  private static func exponentiate(
    _ row: [Double], count: Int, into column: inout [Double], at offset: Int, totals: [Double],
    start: Int
  ) -> (weight: Double, weightedTotal: Double, largest: Double) {
    var weight = 0.0
    var weightedTotal = 0.0
    var largest = -Double.infinity
    for i in 0..<count {
      let value = row[i]
      if value > largest { largest = value }
      if value < -negligibleLogWeight { continue }
      let w = fastExponential(value)
      column[offset + i] += w
      weight += w
      weightedTotal += w * totals[start + i]
    }
    return (weight, weightedTotal, largest)
  }
}
