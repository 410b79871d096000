internal import CLAPACK
internal import Glibc

/// The BLAS kernels the library uses, on column-major ``Matrix`` values.
///
/// Every function checks shapes with `precondition` (a shape mismatch is a programmer error)
/// and makes exactly one CBLAS call.
public enum BLAS {
  /// `y ← α·op(A)·x + β·y`, with `op(A) = A` or `Aᵀ`. The corresponding BLAS routine is `dgemv`.
  public static func gemv(
    transpose: Bool = false, alpha: Double = 1, _ a: Matrix, _ x: [Double], beta: Double = 0,
    into y: inout [Double]
  ) {
    let (m, n) = transpose ? (a.columns, a.rows) : (a.rows, a.columns)
    precondition(x.count == n && y.count == m, "gemv: shapes do not match")
    guard a.rows > 0 && a.columns > 0 else { return }
    let lda = Int32(max(1, a.rows))
    unsafe a.elements.withUnsafeBufferPointer { ap in
      unsafe x.withUnsafeBufferPointer { xp in
        unsafe y.withUnsafeMutableBufferPointer { yp in
          unsafe cblas_dgemv(
            CblasColMajor, transpose ? CblasTrans : CblasNoTrans, Int32(a.rows), Int32(a.columns),
            alpha, ap.baseAddress, lda, xp.baseAddress, 1, beta, yp.baseAddress, 1)
        }
      }
    }
  }

  /// `C ← α·op(A)·op(B) + β·C`. The corresponding BLAS routine is `dgemm`.
  public static func gemm(
    transposeA: Bool = false, transposeB: Bool = false, alpha: Double = 1, _ a: Matrix,
    _ b: Matrix, beta: Double = 0, into c: inout Matrix
  ) {
    let (m, k) = transposeA ? (a.columns, a.rows) : (a.rows, a.columns)
    let (kb, n) = transposeB ? (b.columns, b.rows) : (b.rows, b.columns)
    precondition(k == kb && c.rows == m && c.columns == n, "gemm: shapes do not match")
    guard m > 0 && n > 0 && k > 0 else { return }
    let ldc = Int32(max(1, c.rows))
    unsafe a.elements.withUnsafeBufferPointer { ap in
      unsafe b.elements.withUnsafeBufferPointer { bp in
        unsafe c.elements.withUnsafeMutableBufferPointer { cp in
          unsafe cblas_dgemm(
            CblasColMajor, transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k), alpha,
            ap.baseAddress, Int32(max(1, a.rows)), bp.baseAddress, Int32(max(1, b.rows)), beta,
            cp.baseAddress, ldc)
        }
      }
    }
  }

  /// The upper triangle of `C ← α·AᵀA + β·C` (`C` is `n × n` for an `m × n` matrix `A`); the
  /// strictly lower triangle is left untouched. The corresponding BLAS routine is `dsyrk`.
  public static func syrkUpper(alpha: Double = 1, _ a: Matrix, beta: Double = 0, into c: inout Matrix) {
    precondition(c.rows == a.columns && c.columns == a.columns, "syrk: shapes do not match")
    guard a.columns > 0 else { return }
    unsafe a.elements.withUnsafeBufferPointer { ap in
      unsafe c.elements.withUnsafeMutableBufferPointer { cp in
        unsafe cblas_dsyrk(
          CblasColMajor, CblasUpper, CblasTrans, Int32(a.columns), Int32(a.rows), alpha,
          ap.baseAddress, Int32(max(1, a.rows)), beta, cp.baseAddress, Int32(max(1, c.rows)))
      }
    }
  }
}

/// The process-wide OpenBLAS thread count.
///
/// Our matrices are small (at most 2ᴷ − 1 rows by a few dozen columns), so BLAS threading is
/// overhead; parallel replicates want one BLAS thread each. Process-global by nature: only the
/// executable should call ``set(_:)``.
public enum BLASThreads {
  /// Sets the number of OpenBLAS threads (`openblas_set_num_threads`).
  public static func set(_ count: Int) {
    precondition(count >= 1, "BLAS needs at least one thread")
    openblas_set_num_threads(Int32(count))
  }

  /// One OpenBLAS thread, with the worker threads a threaded OpenBLAS started at load stopped.
  ///
  /// OpenBLAS (the `pthread` build Debian installs) starts `cores − 1` workers when the library
  /// is loaded, and each spins (`sched_yield`) for about 2²⁸ cycles (≈ 0.1 s) before it sleeps:
  /// on a two-core machine that takes one core from the first tenth of a second of every run,
  /// whatever the thread count is set to. This stops them through OpenBLAS's own
  /// `blas_thread_shutdown_` (what it runs before `fork`), looked up at run time so that builds
  /// without it (OpenMP, serial) are left as they are; a later multi-threaded call restarts them.
  /// Call it only while no BLAS call is running — at the start of the executable.
  public static func setSingleThreadedStoppingWorkers() {
    set(1)
    guard let handle = unsafe dlopen(nil, RTLD_NOW),
      let symbol = unsafe dlsym(handle, "blas_thread_shutdown_")
    else { return }
    let shutdown = unsafe unsafeBitCast(symbol, to: (@convention(c) () -> Int32).self)
    _ = shutdown()
  }

  /// The current number of OpenBLAS threads (`openblas_get_num_threads`).
  public static var count: Int { Int(openblas_get_num_threads()) }
}
