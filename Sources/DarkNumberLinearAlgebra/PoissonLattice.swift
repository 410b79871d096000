import RealModule

/// Elementwise steps of Poisson IRLS on lattice arrays (``SubsetLattice``), over the cells where
/// `fitted` is true (the others — the all-zero history, structural zeros — take no part): the
/// working weights, the exponentials of a predictor's terms, and the deviance. Plain loops, their
/// lengths checked once per call.
public enum PoissonLattice {
  /// `w = μ` and `w·z = μη + y − μ` on the fitted cells (`mask` 1), 0 elsewhere (`mask` 0, where
  /// `y` must be 0 and `η`, `μ` finite).
  public static func workingWeights(
    mu: [Double], eta: [Double], counts: [Double], mask: [Double], weights: inout [Double],
    response: inout [Double]
  ) {
    let n = mu.count
    precondition(
      eta.count == n && counts.count == n && mask.count == n && weights.count == n && response.count == n,
      "one entry per cell")
    unsafe mu.withUnsafeBufferPointer { m in
      unsafe eta.withUnsafeBufferPointer { e in
        unsafe counts.withUnsafeBufferPointer { y in
          unsafe mask.withUnsafeBufferPointer { f in
            unsafe weights.withUnsafeMutableBufferPointer { w in
              unsafe response.withUnsafeMutableBufferPointer { r in
                var i = 0
                while i < n {
                  let value = unsafe f[i] * m[i]
                  unsafe w[i] = value
                  unsafe r[i] = value * e[i] + y[i] - value
                  i &+= 1
                }
              }
            }
          }
        }
      }
    }
  }

  /// The deviance `2 Σ [y (log y − η) − (y − μ)]` over the fitted cells, as
  /// `2 Σ [c − yη + mask·μ]` with `c = y log y − y` (both 0 off the fitted cells, where `mask` is 0
  /// and `η`, `μ` finite), summed in four interleaved partial sums.
  public static func deviance(
    eta: [Double], mu: [Double], counts: [Double], constants: [Double], mask: [Double]
  ) -> Double {
    let n = eta.count
    precondition(mu.count == n && counts.count == n && constants.count == n && mask.count == n, "one entry per cell")
    var s0 = 0.0
    var s1 = 0.0
    var s2 = 0.0
    var s3 = 0.0
    unsafe eta.withUnsafeBufferPointer { e in
      unsafe mu.withUnsafeBufferPointer { m in
        unsafe counts.withUnsafeBufferPointer { y in
          unsafe constants.withUnsafeBufferPointer { c in
            unsafe mask.withUnsafeBufferPointer { f in
              var i = 0
              while i &+ 4 <= n {
                unsafe s0 += c[i] - y[i] * e[i] + f[i] * m[i]
                unsafe s1 += c[i &+ 1] - y[i &+ 1] * e[i &+ 1] + f[i &+ 1] * m[i &+ 1]
                unsafe s2 += c[i &+ 2] - y[i &+ 2] * e[i &+ 2] + f[i &+ 2] * m[i &+ 2]
                unsafe s3 += c[i &+ 3] - y[i &+ 3] * e[i &+ 3] + f[i &+ 3] * m[i &+ 3]
                i &+= 4
              }
              while i < n {
                unsafe s0 += c[i] - y[i] * e[i] + f[i] * m[i]
                i &+= 1
              }
            }
          }
        }
      }
    }
    return 2 * ((s0 + s1) + (s2 + s3))
  }
}

/// Where a predictor's distinct values go on interleaved lattices
/// (``SubsetLattice/interleavedSubsetSums(_:width:bits:)``): for the `i`-th of `rows` (a history
/// `r` holding terms) and lattice `k < width`, entry `r·width + k` takes value `map[i·width + k]`;
/// the other rows hold no term. A row's value is the same for every combination of levels its
/// terms do not involve, so a predictor has far fewer distinct values than entries — and needs
/// one exponential per distinct value. The indices are checked once, when the pattern is made.
public struct PredictorScatter: Sendable {
  private let rows: [Int]
  private let map: [Int]
  /// The number of interleaved lattices.
  public let width: Int
  /// The number of distinct values.
  public let valueCount: Int
  /// The number of lattice entries written.
  public let latticeSize: Int

  /// A pattern over `latticeSize` entries: `rows` ascending with `(rows.last + 1) · width ≤
  /// latticeSize`, `map` one index below `valueCount` per row and lattice.
  public init(rows: [Int], width: Int, map: [Int], valueCount: Int, latticeSize: Int) {
    precondition(width >= 0 && map.count == rows.count * width, "one value per row and lattice")
    precondition(
      zip(rows, rows.dropFirst()).allSatisfy { $0 < $1 } && (rows.first ?? 0) >= 0
        && ((rows.last ?? -1) + 1) * width <= latticeSize,
      "rows must ascend within the lattice")
    precondition(map.allSatisfy { $0 >= 0 && $0 < valueCount }, "a value outside the values")
    self.rows = rows
    self.map = map
    self.width = width
    self.valueCount = valueCount
    self.latticeSize = latticeSize
  }

  /// `η` and `exp η` before their subset sums and products: the distinct values `g` scattered into
  /// `eta` and their exponentials (formed once each, in `exponentials`) into `mu`; every entry of
  /// a row without terms is 0 in `eta` and 1 in `mu`. Returns `max |g|`.
  public func apply(
    _ g: [Double], exponentials: inout [Double], eta: inout [Double], mu: inout [Double]
  ) -> Double {
    precondition(
      g.count == valueCount && exponentials.count == valueCount && eta.count == latticeSize
        && mu.count == latticeSize,
      "shapes do not match")
    var largest = 0.0
    let width = self.width
    let size = latticeSize
    unsafe g.withUnsafeBufferPointer { values in
      unsafe exponentials.withUnsafeMutableBufferPointer { powers in
        var d = 0
        while d < values.count {
          let value = unsafe values[d]
          unsafe powers[d] = .exp(value)
          largest = max(largest, abs(value))
          d &+= 1
        }
        unsafe map.withUnsafeBufferPointer { m in
          unsafe eta.withUnsafeMutableBufferPointer { e in
            unsafe mu.withUnsafeMutableBufferPointer { u in
              var i = 0
              while i < size {
                unsafe e[i] = 0
                unsafe u[i] = 1
                i &+= 1
              }
              var index = 0
              for row in rows {
                let offset = row &* width
                var k = 0
                while k < width {
                  let source = unsafe m[index]
                  unsafe e[offset &+ k] = values[source]
                  unsafe u[offset &+ k] = powers[source]
                  index &+= 1
                  k &+= 1
                }
              }
            }
          }
        }
      }
    }
    return largest
  }
}
