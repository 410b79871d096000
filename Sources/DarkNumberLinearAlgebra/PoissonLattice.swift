import RealModule

/// Elementwise steps of Poisson IRLS on lattice arrays (``SubsetLattice``), over the cells where
/// `fitted` is true (the others — the all-zero history, structural zeros — take no part): the
/// working weights, the exponentials of a predictor's terms, and the deviance. Plain loops, their
/// lengths checked once per call.
public enum PoissonLattice {
  /// `w = μ` and `w·z = μη + y − μ` on the fitted cells, 0 elsewhere.
  public static func workingWeights(
    mu: [Double], eta: [Double], counts: [Double], fitted: [Bool], weights: inout [Double],
    response: inout [Double]
  ) {
    let n = mu.count
    precondition(
      eta.count == n && counts.count == n && fitted.count == n && weights.count == n && response.count == n,
      "one entry per cell")
    unsafe mu.withUnsafeBufferPointer { m in
      unsafe eta.withUnsafeBufferPointer { e in
        unsafe counts.withUnsafeBufferPointer { y in
          unsafe fitted.withUnsafeBufferPointer { f in
            unsafe weights.withUnsafeMutableBufferPointer { w in
              unsafe response.withUnsafeMutableBufferPointer { r in
                var i = 0
                while i < n {
                  let value = unsafe m[i]
                  let working = unsafe value * e[i] + y[i] - value
                  let keep = unsafe f[i]
                  unsafe w[i] = keep ? value : 0
                  unsafe r[i] = keep ? working : 0
                  i &+= 1
                }
              }
            }
          }
        }
      }
    }
  }

  /// A predictor from its non-zero rows: for the `i`-th of `rows` (ascending), `r`, and every
  /// `k < width`, `eta[r·width + k] = g[i·width + k]` and `mu[r·width + k] = exp g[i·width + k]`;
  /// every other entry of `eta` is 0 and of `mu` 1. Returns `max |g|`. With the rows the terms of a
  /// design and `width` interleaved lattices (``SubsetLattice/interleavedSubsetSums(_:width:bits:)``),
  /// the exponentials are one per term and combination, not one per cell.
  public static func scatterPredictor(
    _ g: [Double], rows: [Int], width: Int, eta: inout [Double], mu: inout [Double]
  ) -> Double {
    let n = eta.count
    precondition(mu.count == n && g.count == rows.count * width, "shapes do not match")
    precondition(
      zip(rows, rows.dropFirst()).allSatisfy { $0 < $1 } && (rows.first ?? 0) >= 0
        && ((rows.last ?? -1) + 1) * width <= n,
      "rows must ascend within the lattice")
    var largest = 0.0
    unsafe g.withUnsafeBufferPointer { source in
      unsafe eta.withUnsafeMutableBufferPointer { e in
        unsafe mu.withUnsafeMutableBufferPointer { m in
          var i = 0
          while i < n {
            unsafe e[i] = 0
            unsafe m[i] = 1
            i &+= 1
          }
          var index = 0
          for row in rows {
            var k = 0
            let offset = row &* width
            while k < width {
              let value = unsafe source[index]
              unsafe e[offset &+ k] = value
              unsafe m[offset &+ k] = .exp(value)
              largest = max(largest, abs(value))
              index &+= 1
              k &+= 1
            }
          }
        }
      }
    }
    return largest
  }

  /// The deviance `2 Σ [y (log y − η) − (y − μ)]` over the fitted cells (`logCounts`: `log y`,
  /// 0 where `y = 0`), summed in four interleaved partial sums.
  public static func deviance(
    eta: [Double], mu: [Double], counts: [Double], logCounts: [Double], fitted: [Bool]
  ) -> Double {
    let n = eta.count
    precondition(mu.count == n && counts.count == n && logCounts.count == n && fitted.count == n, "one entry per cell")
    var sums = SIMD4<Double>()
    unsafe eta.withUnsafeBufferPointer { e in
      unsafe mu.withUnsafeBufferPointer { m in
        unsafe counts.withUnsafeBufferPointer { y in
          unsafe logCounts.withUnsafeBufferPointer { l in
            unsafe fitted.withUnsafeBufferPointer { f in
              @inline(__always) func term(_ i: Int) -> Double {
                let count = unsafe y[i]
                let value = unsafe (count > 0 ? count * (l[i] - e[i]) : 0) - (count - m[i])
                return unsafe f[i] ? value : 0
              }
              var i = 0
              while i &+ 4 <= n {
                sums += SIMD4(term(i), term(i &+ 1), term(i &+ 2), term(i &+ 3))
                i &+= 4
              }
              while i < n {
                sums[0] += term(i)
                i &+= 1
              }
            }
          }
        }
      }
    }
    return 2 * sums.sum()
  }
}
