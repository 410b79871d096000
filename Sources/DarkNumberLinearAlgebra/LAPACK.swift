internal import CLAPACK

/// Cholesky factorisation `A = RᵀR` of a symmetric positive-definite matrix, and what it is used
/// for: solving `A x = b` and inverting `A`.
///
/// Functions work in place on caller-owned buffers so the IRLS loop allocates nothing.
public enum Cholesky {
  /// Replaces the upper triangle of `a` by the upper-triangular factor `R` with `A = RᵀR`; the
  /// strictly lower triangle is set to zero.
  ///
  /// - Throws: ``LinearAlgebraError/notPositiveDefinite(routine:order:)`` when a leading minor is
  ///   not positive definite (then `a` is left partly overwritten).
  /// The corresponding LAPACK routine is `dpotrf`.
  public static func factorize(_ a: inout Matrix) throws(LinearAlgebraError) {
    precondition(a.rows == a.columns, "Cholesky needs a square matrix")
    let n = Int32(a.rows)
    guard n > 0 else { return }
    let info = unsafe a.elements.withUnsafeMutableBufferPointer { ap in
      unsafe LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), n, ap.baseAddress, n)
    }
    try LinearAlgebraError.check(info, routine: "dpotrf")
    for j in 0..<a.columns {
      for i in (j + 1)..<max(a.rows, j + 1) { a[i, j] = 0 }
    }
  }

  /// Solves `A x = b` given the upper factor `R` from ``factorize(_:)``; `b` is overwritten by `x`.
  ///
  /// Two triangular solves, `Rᵀy = b` then `Rx = y` — what `dpotrs` does for one right-hand side,
  /// without its level-3 overhead on the tiny systems of IRLS.
  /// The corresponding BLAS routine is `dtrsv` (twice).
  public static func solve(factor: Matrix, _ b: inout [Double]) throws(LinearAlgebraError) {
    precondition(factor.rows == factor.columns && b.count == factor.rows, "shapes do not match")
    let n = Int32(factor.rows)
    guard n > 0 else { return }
    for i in 0..<factor.rows where factor[i, i] == 0 {
      throw .singular(routine: "dtrsv", index: i + 1)
    }
    unsafe factor.elements.withUnsafeBufferPointer { ap in
      unsafe b.withUnsafeMutableBufferPointer { bp in
        unsafe cblas_dtrsv(
          CblasColMajor, CblasUpper, CblasTrans, CblasNonUnit, n, ap.baseAddress, n, bp.baseAddress, 1)
        unsafe cblas_dtrsv(
          CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, n, ap.baseAddress, n, bp.baseAddress,
          1)
      }
    }
  }

  /// Replaces the upper factor `R` by the full symmetric inverse `A⁻¹ = R⁻¹R⁻ᵀ`.
  /// The corresponding LAPACK routine is `dpotri`.
  public static func invert(factor a: inout Matrix) throws(LinearAlgebraError) {
    precondition(a.rows == a.columns, "inverse needs a square matrix")
    let n = Int32(a.rows)
    guard n > 0 else { return }
    let info = unsafe a.elements.withUnsafeMutableBufferPointer { ap in
      unsafe LAPACKE_dpotri_work(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), n, ap.baseAddress, n)
    }
    try LinearAlgebraError.check(info, routine: "dpotri")
    a.symmetrizeFromUpper()
  }
}

/// A QR factorisation with column pivoting of the column-equilibrated matrix, `A·D·P = Q·R` with
/// `D = diag(1/‖aⱼ‖)`, and the numerical rank it implies.
///
/// **Rank rule.** Columns are first scaled to unit length (rank is invariant to column scaling,
/// and a design column such as Rcapture's `2ᵏ − 1` can reach 10¹⁵ next to 0/1 columns). With
/// `|R₁₁| ≥ |R₂₂| ≥ …` (column pivoting orders the diagonal), the rank is the number of diagonal
/// entries with `|Rᵢᵢ| > tolerance · |R₁₁|`; a zero column is never counted. The default
/// tolerance `1e-10` is tighter than R's `qr` (`1e-7`) because IRLS designs here are 0/1 matrices
/// whose smallest genuine singular values are far above it. Solutions and covariances are
/// returned on the original scale.
public struct PivotedQR: Sendable {
  /// The number of rows of `A`.
  public let rows: Int
  /// The number of columns of `A`.
  public let columns: Int
  /// `R` in the upper triangle and the Householder vectors below it (LAPACK's compact form).
  let factors: Matrix
  /// Householder scalars.
  let tau: [Double]
  /// `pivots[k]` is the zero-based column of `A` moved to position `k`.
  public let pivots: [Int]
  /// The column scale factors `1/‖aⱼ‖` (1 for a zero column).
  let scales: [Double]
  /// The numerical rank under the rule above.
  public let rank: Int

  /// Factorises `a`. The corresponding LAPACK routine is `dgeqp3`.
  public init(_ a: Matrix, tolerance: Double = 1e-10) throws(LinearAlgebraError) {
    rows = a.rows
    columns = a.columns
    var factors = a
    var scales = [Double](repeating: 1, count: a.columns)
    for j in 0..<a.columns {
      var sum = 0.0
      for i in 0..<a.rows { sum += a[i, j] * a[i, j] }
      if sum > 0 {
        scales[j] = 1 / sum.squareRoot()
        for i in 0..<a.rows { factors[i, j] *= scales[j] }
      }
    }
    self.scales = scales
    var tau = [Double](repeating: 0, count: min(a.rows, a.columns))
    var jpvt = [Int32](repeating: 0, count: a.columns)
    let m = Int32(a.rows)
    let n = Int32(a.columns)
    let lda = Int32(max(1, a.rows))
    var optimal = 0.0
    var info = unsafe factors.elements.withUnsafeMutableBufferPointer { ap in
      unsafe LAPACKE_dgeqp3_work(
        LAPACK_COL_MAJOR, m, n, ap.baseAddress, lda, &jpvt, &tau, &optimal, -1)
    }
    try LinearAlgebraError.check(info, routine: "dgeqp3")
    var work = [Double](repeating: 0, count: max(1, Int(optimal)))
    let lwork = Int32(work.count)
    info = unsafe factors.elements.withUnsafeMutableBufferPointer { ap in
      unsafe LAPACKE_dgeqp3_work(
        LAPACK_COL_MAJOR, m, n, ap.baseAddress, lda, &jpvt, &tau, &work, lwork)
    }
    try LinearAlgebraError.check(info, routine: "dgeqp3")
    self.factors = factors
    self.tau = tau
    self.pivots = jpvt.map { Int($0) - 1 }
    let diagonalCount = min(a.rows, a.columns)
    let largest = diagonalCount > 0 ? abs(factors[0, 0]) : 0
    var rank = 0
    while rank < diagonalCount && abs(factors[rank, rank]) > tolerance * largest && largest > 0 {
      rank += 1
    }
    self.rank = rank
  }

  /// Whether column `j` of `A` is among the `rank` linearly independent pivoted columns.
  public var estimable: [Bool] {
    var result = [Bool](repeating: false, count: columns)
    for k in 0..<rank { result[pivots[k]] = true }
    return result
  }

  /// The least-squares solution of `A x ≈ b` restricted to the estimable columns; aliased
  /// columns get coefficient 0 (R reports them as `NA`).
  /// The corresponding LAPACK routines are `dormqr` (apply `Qᵀ`) and `dtrtrs` (solve `R₁₁`).
  public func solve(_ b: [Double]) throws(LinearAlgebraError) -> [Double] {
    precondition(b.count == rows, "right-hand side has the wrong length")
    var qtb = b
    try applyQTranspose(&qtb)
    var head = Array(qtb.prefix(rank))
    try solveR11(&head)
    var x = [Double](repeating: 0, count: columns)
    for k in 0..<rank { x[pivots[k]] = head[k] * scales[pivots[k]] }
    return x
  }

  /// `(R₁₁ᵀR₁₁)⁻¹` scattered back to the original column order: the covariance (up to the scale
  /// factor) of the estimable coefficients; rows and columns of aliased coefficients are zero.
  /// The corresponding LAPACK routine is `dtrtrs`.
  public func inverseGramOfEstimable() throws(LinearAlgebraError) -> Matrix {
    // R₁₁⁻¹ column by column, then (R₁₁⁻¹)(R₁₁⁻¹)ᵀ.
    var inverse = Matrix(rows: rank, columns: rank)
    for k in 0..<rank {
      var unit = [Double](repeating: 0, count: rank)
      unit[k] = 1
      try solveR11(&unit)
      for i in 0..<rank { inverse[i, k] = unit[i] }
    }
    var result = Matrix(rows: columns, columns: columns)
    for a in 0..<rank {
      for b in 0..<rank {
        var sum = 0.0
        for k in 0..<rank { sum += inverse[a, k] * inverse[b, k] }
        result[pivots[a], pivots[b]] = sum * scales[pivots[a]] * scales[pivots[b]]
      }
    }
    return result
  }

  private func applyQTranspose(_ b: inout [Double]) throws(LinearAlgebraError) {
    let k = Int32(tau.count)
    guard k > 0 else { return }
    let m = Int32(rows)
    let lda = Int32(max(1, rows))
    var optimal = 0.0
    var info = unsafe factors.elements.withUnsafeBufferPointer { ap in
      unsafe b.withUnsafeMutableBufferPointer { bp in
        unsafe LAPACKE_dormqr_work(
          LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: "T")), m, 1, k,
          ap.baseAddress, lda, tau, bp.baseAddress, m, &optimal, -1)
      }
    }
    try LinearAlgebraError.check(info, routine: "dormqr")
    var work = [Double](repeating: 0, count: max(1, Int(optimal)))
    let lwork = Int32(work.count)
    info = unsafe factors.elements.withUnsafeBufferPointer { ap in
      unsafe b.withUnsafeMutableBufferPointer { bp in
        unsafe LAPACKE_dormqr_work(
          LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), CChar(UInt8(ascii: "T")), m, 1, k,
          ap.baseAddress, lda, tau, bp.baseAddress, m, &work, lwork)
      }
    }
    try LinearAlgebraError.check(info, routine: "dormqr")
  }

  /// Solves `R₁₁ y = v` in place (`v.count == rank`).
  private func solveR11(_ v: inout [Double]) throws(LinearAlgebraError) {
    let r = Int32(rank)
    guard r > 0 else { return }
    let lda = Int32(max(1, rows))
    let info = unsafe factors.elements.withUnsafeBufferPointer { ap in
      unsafe v.withUnsafeMutableBufferPointer { vp in
        unsafe LAPACKE_dtrtrs_work(
          LAPACK_COL_MAJOR, CChar(UInt8(ascii: "U")), CChar(UInt8(ascii: "N")),
          CChar(UInt8(ascii: "N")), r, 1, ap.baseAddress, lda, vp.baseAddress, r)
      }
    }
    try LinearAlgebraError.check(info, routine: "dtrtrs")
  }
}
