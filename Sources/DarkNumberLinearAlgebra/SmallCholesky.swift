/// Cholesky factorisation and solves for small symmetric positive-definite systems, in plain Swift.
///
/// The same arithmetic as LAPACK's unblocked `dpotf2` and BLAS `dtrsv` (the column-oriented
/// Cholesky–Banachiewicz scheme, Golub & Van Loan 2013, Alg. 4.2.1), for orders up to a few dozen,
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
    precondition(a.count >= n * n, "expected order × order entries")
    return unsafe a.withUnsafeMutableBufferPointer { p in
      for j in 0..<n {
        let cj = j * n
        let pivot = unsafe p[cj + j] - dot(p.baseAddress! + cj, p.baseAddress! + cj, j)
        guard pivot > 0 && pivot.isFinite else { return false }
        let root = pivot.squareRoot()
        unsafe p[cj + j] = root
        var i = j + 1
        while i < n {
          let ci = i * n
          unsafe p[ci + j] = (p[ci + j] - dot(p.baseAddress! + cj, p.baseAddress! + ci, j)) / root
          i += 1
        }
      }
      return true
    }
  }

  /// `Σ_{k<n} x[k]·y[k]` with four partial sums (vectorisable; rounding differs from a plain loop
  /// only in the order of additions).
  @inline(__always)
  private static func dot(
    _ x: UnsafeMutablePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int
  ) -> Double {
    var s0 = 0.0
    var s1 = 0.0
    var s2 = 0.0
    var s3 = 0.0
    var k = 0
    while k + 4 <= n {
      s0 += unsafe x[k] * y[k]
      s1 += unsafe x[k + 1] * y[k + 1]
      s2 += unsafe x[k + 2] * y[k + 2]
      s3 += unsafe x[k + 3] * y[k + 3]
      k += 4
    }
    while k < n {
      s0 += unsafe x[k] * y[k]
      k += 1
    }
    return (s0 + s1) + (s2 + s3)
  }

  /// Solves `A x = b` given the factor `R` from ``factorize(_:order:)``: `Rᵀy = b`, then `Rx = y`.
  /// `b` (at least `order` entries) is overwritten by `x`.
  public static func solve(factor r: [Double], order n: Int, _ b: inout [Double]) {
    precondition(r.count >= n * n && b.count >= n, "shapes do not match")
    unsafe r.withUnsafeBufferPointer { rp in
      unsafe b.withUnsafeMutableBufferPointer { bp in
        for i in 0..<n {
          let ci = i * n
          var sum = unsafe bp[i]
          for k in 0..<i { sum -= unsafe rp[ci + k] * bp[k] }
          unsafe bp[i] = sum / rp[ci + i]
        }
        // Rx = y by columns: x_k = y_k / r_kk, then y_i −= r_ik x_k for i < k (contiguous).
        var k = n - 1
        while k >= 0 {
          let ck = k * n
          let x = unsafe bp[k] / rp[ck + k]
          unsafe bp[k] = x
          for i in 0..<k { unsafe bp[i] -= rp[ck + i] * x }
          k -= 1
        }
      }
    }
  }

  /// The full inverse `A⁻¹ = R⁻¹R⁻ᵀ` from the factor `R` of ``factorize(_:order:)``, column-major
  /// in `inverse` (`order × order` entries): `R⁻¹` by back substitution, then the products — the
  /// arithmetic of LAPACK's `dpotri` (`dtrtri` then `dlauum`), without `order` separate solves.
  public static func invert(factor r: [Double], order n: Int, into inverse: inout [Double]) {
    precondition(r.count >= n * n && inverse.count >= n * n, "shapes do not match")
    // R⁻¹ (upper) in `inverse` first.
    for j in 0..<n {
      for i in (j + 1)..<max(n, j + 1) { inverse[i + j * n] = 0 }
      inverse[j + j * n] = 1 / r[j + j * n]
      var i = j - 1
      while i >= 0 {
        var sum = 0.0
        for k in (i + 1)...j { sum += r[i + k * n] * inverse[k + j * n] }
        inverse[i + j * n] = -sum / r[i + i * n]
        i -= 1
      }
    }
    // (R⁻¹R⁻ᵀ)_{ab} = Σ_{k ≥ max(a, b)} R⁻¹_{ak} R⁻¹_{bk}: the upper triangle in place, row by
    // row from the top (row a needs only rows ≥ a of R⁻¹, not yet overwritten), then mirrored.
    for a in 0..<n {
      for b in a..<n {
        var sum = 0.0
        for k in b..<n { sum += inverse[a + k * n] * inverse[b + k * n] }
        inverse[a + b * n] = sum
      }
    }
    for b in 0..<n {
      for a in (b + 1)..<max(n, b + 1) { inverse[a + b * n] = inverse[b + a * n] }
    }
  }
}
