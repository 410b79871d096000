/// Cholesky factorisation and solves for small symmetric positive-definite systems, in plain Swift.
///
/// The arithmetic of LAPACK's unblocked `dpotf2` and BLAS `dtrsv` (the column-oriented
/// Cholesky–Banachiewicz scheme, Golub & Van Loan 2013, Alg. 4.2.1, with one reciprocal per
/// column instead of a division per entry), for orders up to a few dozen,
/// where a library call's fixed cost (argument checks, dispatch, ~1 µs) exceeds the work itself:
/// the weighted normal equations of a log-linear model with 16 parameters take about 700
/// multiply–adds. Larger systems belong to ``Cholesky``.
///
/// Matrices are `order × order` arrays in column-major order (element `(i, j)` at `i + j·order`).
public enum SmallCholesky {
  /// Replaces the upper triangle of `a` by `R` with `A = RᵀR` (the strictly lower triangle is not
  /// read or written). Returns `false`, leaving `a` partly overwritten, when a pivot is not
  /// positive or not finite — the condition under which `dpotrf` reports `info > 0`.
  public static func factorize(_ a: inout [Double], order n: Int) -> Bool {
    precondition(n >= 0 && a.count >= n * n, "expected order × order entries")
    return unsafe a.withUnsafeMutableBufferPointer { buffer in
      let p = buffer.baseAddress!
      var j = 0
      while j < n {
        let cj = unsafe p + j &* n
        let pivot = unsafe cj[j] - dot(cj, cj, j)
        guard pivot > 0 && pivot.isFinite else { return false }
        let root = pivot.squareRoot()
        // One division per column; the entries below are independent products.
        let reciprocal = 1 / root
        unsafe cj[j] = root
        var i = j &+ 1
        while i < n {
          let ci = unsafe p + i &* n
          unsafe ci[j] = (ci[j] - dot(cj, ci, j)) * reciprocal
          i &+= 1
        }
        j &+= 1
      }
      return true
    }
  }

  /// `Σ_{k<n} x[k]·y[k]`, in order.
  @inline(__always)
  private static func dot(
    _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ n: Int
  ) -> Double {
    var sum = 0.0
    var k = 0
    while k < n {
      sum += unsafe x[k] * y[k]
      k &+= 1
    }
    return sum
  }

  /// Solves `A x = b` given the factor `R` from ``factorize(_:order:)``: `Rᵀy = b`, then `Rx = y`.
  /// `b` (at least `order` entries) is overwritten by `x`.
  public static func solve(factor r: [Double], order n: Int, _ b: inout [Double]) {
    precondition(n >= 0 && r.count >= n * n && b.count >= n, "shapes do not match")
    unsafe r.withUnsafeBufferPointer { rBuffer in
      unsafe b.withUnsafeMutableBufferPointer { bBuffer in
        unsafe withUnsafeTemporaryAllocation(of: Double.self, capacity: max(n, 1)) { scratch in
          let rp = rBuffer.baseAddress!
          let bp = bBuffer.baseAddress!
          // 1/r_ii first: independent divisions, so the substitutions below chain only
          // multiplications.
          let reciprocal = scratch.baseAddress!
          var i = 0
          while i < n {
            unsafe reciprocal[i] = 1 / rp[i &+ i &* n]
            i &+= 1
          }
          i = 0
          while i < n {
            let ci = unsafe rp + i &* n
            unsafe bp[i] = (bp[i] - dot(ci, bp, i)) * reciprocal[i]
            i &+= 1
          }
          // Rx = y by columns: x_k = y_k / r_kk, then y_i −= r_ik x_k for i < k (contiguous).
          var k = n &- 1
          while k >= 0 {
            let ck = unsafe rp + k &* n
            let x = unsafe bp[k] * reciprocal[k]
            unsafe bp[k] = x
            i = 0
            while i < k {
              unsafe bp[i] -= ck[i] * x
              i &+= 1
            }
            k &-= 1
          }
        }
      }
    }
  }

  /// The full inverse `A⁻¹ = R⁻¹R⁻ᵀ` from the factor `R` of ``factorize(_:order:)``, column-major
  /// in `inverse` (`order × order` entries): `R⁻¹` by back substitution, then the products — the
  /// arithmetic of LAPACK's `dpotri` (`dtrtri` then `dlauum`), without `order` separate solves.
  public static func invert(factor r: [Double], order n: Int, into inverse: inout [Double]) {
    precondition(n >= 0 && r.count >= n * n && inverse.count >= n * n, "shapes do not match")
    unsafe r.withUnsafeBufferPointer { rBuffer in
      unsafe inverse.withUnsafeMutableBufferPointer { vBuffer in
        let rp = rBuffer.baseAddress!
        let v = vBuffer.baseAddress!
        // R⁻¹ (upper) in `inverse` first, column by column.
        var j = 0
        while j < n {
          let vj = unsafe v + j &* n
          var i = j &+ 1
          while i < n {
            unsafe vj[i] = 0
            i &+= 1
          }
          unsafe vj[j] = 1 / rp[j &+ j &* n]
          i = j &- 1
          while i >= 0 {
            var sum = 0.0
            var k = i &+ 1
            while k <= j {
              sum += unsafe rp[i &+ k &* n] * vj[k]
              k &+= 1
            }
            unsafe vj[i] = -sum / rp[i &+ i &* n]
            i &-= 1
          }
          j &+= 1
        }
        // (R⁻¹R⁻ᵀ)_{ab} = Σ_{k ≥ max(a, b)} R⁻¹_{ak} R⁻¹_{bk}: the upper triangle in place, row
        // by row from the top (row a needs only rows ≥ a of R⁻¹, not yet overwritten), then
        // mirrored.
        var a = 0
        while a < n {
          var b = a
          while b < n {
            var sum = 0.0
            var k = b
            while k < n {
              sum += unsafe v[a &+ k &* n] * v[b &+ k &* n]
              k &+= 1
            }
            unsafe v[a &+ b &* n] = sum
            b &+= 1
          }
          a &+= 1
        }
        var b = 0
        while b < n {
          var a = b &+ 1
          while a < n {
            unsafe v[a &+ b &* n] = v[b &+ a &* n]
            a &+= 1
          }
          b &+= 1
        }
      }
    }
  }
}
