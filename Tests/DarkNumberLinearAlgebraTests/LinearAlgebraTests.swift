import DarkNumberLinearAlgebra
import Testing

/// Hand-checkable cases for every BLAS/LAPACK wrapper, including the `info > 0` paths.
@Suite("Linear algebra")
struct LinearAlgebraTests {
  @Test("Cholesky of [[4,2],[2,3]] is [[2,1],[0,√2]] with the lower triangle zeroed")
  func cholesky() throws {
    var a = Matrix([[4, 2], [2, 3]])
    try Cholesky.factorize(&a)
    #expect(a == Matrix([[2, 1], [0, 2.0.squareRoot()]]))
    var b = [8.0, 7.0]
    try Cholesky.solve(factor: a, &b)
    // [[4,2],[2,3]]·[1.25,1.5] = [8, 7].
    #expect(abs(b[0] - 1.25) < 1e-14 && abs(b[1] - 1.5) < 1e-14)
    try Cholesky.invert(factor: &a)
    // Inverse of [[4,2],[2,3]] is [[3,-2],[-2,4]]/8.
    let expected = [3.0 / 8, -2.0 / 8, -2.0 / 8, 4.0 / 8]
    for (x, y) in zip(a.elements, expected) { #expect(abs(x - y) < 1e-15) }
  }

  @Test("A matrix that is not positive definite reports the failing minor")
  func notPositiveDefinite() {
    var a = Matrix([[1, 2], [2, 1]])
    #expect(throws: LinearAlgebraError.notPositiveDefinite(routine: "dpotrf", order: 2)) {
      try Cholesky.factorize(&a)
    }
  }

  @Test("Pivoted QR finds the rank of a matrix with a duplicated column and solves least squares")
  func pivotedQR() throws {
    // Columns: 1, x, x (aliased). y = 1 + 2x exactly.
    let a = Matrix([[1, 0, 0], [1, 1, 1], [1, 2, 2], [1, 3, 3]])
    let qr = try PivotedQR(a)
    #expect(qr.rank == 2)
    #expect(qr.estimable.filter { $0 }.count == 2)
    let x = try qr.solve([1, 3, 5, 7])
    #expect(abs(x[0] - 1) < 1e-12)
    #expect(abs(x[1] + x[2] - 2) < 1e-12)
    #expect(x[1] == 0 || x[2] == 0)
  }

  @Test("Pivoted QR of a full-rank matrix: (RᵀR)⁻¹ equals (AᵀA)⁻¹")
  func inverseGram() throws {
    let a = Matrix([[1, 0], [1, 1], [1, 2]])
    let qr = try PivotedQR(a)
    #expect(qr.rank == 2)
    let inverse = try qr.inverseGramOfEstimable()
    // AᵀA = [[3,3],[3,5]], inverse [[5,-3],[-3,3]]/6.
    let expected = Matrix([[5.0 / 6, -0.5], [-0.5, 0.5]])
    for (x, y) in zip(inverse.elements, expected.elements) { #expect(abs(x - y) < 1e-14) }
  }

  @Test("gemv, gemm and syrk agree with hand products")
  func blas() {
    let a = Matrix([[1, 2], [3, 4], [5, 6]])
    var y = [0.0, 0, 0]
    BLAS.gemv(a, [1, 1], into: &y)
    #expect(y == [3, 7, 11])
    var z = [0.0, 0]
    BLAS.gemv(transpose: true, a, [1, 0, 1], into: &z)
    #expect(z == [6, 8])
    var c = Matrix(rows: 2, columns: 2)
    BLAS.gemm(transposeA: true, a, a, into: &c)
    #expect(c == Matrix([[35, 44], [44, 56]]))
    var s = Matrix(rows: 2, columns: 2)
    BLAS.syrkUpper(a, into: &s)
    s.symmetrizeFromUpper()
    #expect(s == c)
  }

  @Test("The BLAS thread count can be set")
  func threads() {
    BLASThreads.set(1)
    #expect(BLASThreads.count == 1)
  }
}
