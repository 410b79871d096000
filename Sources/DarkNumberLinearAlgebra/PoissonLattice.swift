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
                  if unsafe f[i] {
                    let value = unsafe m[i]
                    unsafe w[i] = value
                    unsafe r[i] = value * e[i] + y[i] - value
                  } else {
                    unsafe w[i] = 0
                    unsafe r[i] = 0
                  }
                  i &+= 1
                }
              }
            }
          }
        }
      }
    }
  }

  /// `exp g` entry by entry into `result` (1 where `g` is 0, as most lattice entries of a
  /// predictor's terms are); returns `max |g|`.
  public static func exponentials(_ g: [Double], into result: inout [Double]) -> Double {
    let n = g.count
    precondition(result.count == n, "one entry per cell")
    var largest = 0.0
    unsafe g.withUnsafeBufferPointer { source in
      unsafe result.withUnsafeMutableBufferPointer { target in
        var i = 0
        while i < n {
          let value = unsafe source[i]
          unsafe target[i] = value == 0 ? 1 : .exp(value)
          largest = max(largest, abs(value))
          i &+= 1
        }
      }
    }
    return largest
  }

  /// The deviance `2 Σ [y (log y − η) − (y − μ)]` over the fitted cells (`logCounts`: `log y`,
  /// anything where `y = 0`).
  public static func deviance(
    eta: [Double], mu: [Double], counts: [Double], logCounts: [Double], fitted: [Bool]
  ) -> Double {
    let n = eta.count
    precondition(mu.count == n && counts.count == n && logCounts.count == n && fitted.count == n, "one entry per cell")
    var sum = 0.0
    unsafe eta.withUnsafeBufferPointer { e in
      unsafe mu.withUnsafeBufferPointer { m in
        unsafe counts.withUnsafeBufferPointer { y in
          unsafe logCounts.withUnsafeBufferPointer { l in
            unsafe fitted.withUnsafeBufferPointer { f in
              var i = 0
              while i < n {
                if unsafe f[i] {
                  let count = unsafe y[i]
                  let logCount = unsafe l[i]
                  let linear = unsafe e[i]
                  let mean = unsafe m[i]
                  sum += (count > 0 ? count * (logCount - linear) : 0) - (count - mean)
                }
                i &+= 1
              }
            }
          }
        }
      }
    }
    return 2 * sum
  }
}
