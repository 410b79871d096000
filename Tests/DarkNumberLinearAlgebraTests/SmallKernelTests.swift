import DarkNumberLinearAlgebra
import Testing

/// The plain-Swift kernels against LAPACK and against sums written out term by term.
@Suite("Small-system kernels")
struct SmallKernelTests {
  @Test("SmallCholesky agrees with dpotrf/dtrsv on a 12×12 SPD matrix to 1e-12; rejects an indefinite one")
  func cholesky() throws {
    let n = 12
    var b = Matrix(rows: n + 3, columns: n)
    for j in 0..<n {
      for i in 0..<(n + 3) { b[i, j] = Double((i * 7 + j * 13) % 11) - 5 + (i == j ? 9 : 0) }
    }
    var gram = Matrix(rows: n, columns: n)
    BLAS.syrkUpper(b, into: &gram)
    gram.symmetrizeFromUpper()
    var lapack = gram
    try Cholesky.factorize(&lapack)
    var rhs = (0..<n).map { Double($0) - 3.5 }
    var expected = rhs
    try Cholesky.solve(factor: lapack, &expected)
    var small = gram.elements
    #expect(SmallCholesky.factorize(&small, order: n))
    for j in 0..<n {
      for i in 0...j { #expect(abs(small[i + j * n] - lapack[i, j]) <= 1e-12 * abs(lapack[j, j])) }
    }
    SmallCholesky.solve(factor: small, order: n, &rhs)
    for i in 0..<n { #expect(abs(rhs[i] - expected[i]) <= 1e-12 * (1 + abs(expected[i]))) }
    var indefinite = [1.0, 2, 2, 1]
    #expect(!SmallCholesky.factorize(&indefinite, order: 2))
    // The inverse from the factor, against LAPACK's dpotri.
    var inverse = [Double](repeating: .nan, count: n * n)
    SmallCholesky.invert(factor: small, order: n, into: &inverse)
    var reference = lapack
    try Cholesky.invert(factor: &reference)
    for j in 0..<n {
      for i in 0..<n { #expect(abs(inverse[i + j * n] - reference[i, j]) <= 1e-12 * abs(reference[j, j]), "\(i),\(j)") }
    }
  }

  @Test("Subset and superset sums equal their definitions on 5 bits")
  func lattice() {
    let bits = 5
    let values = (0..<(1 << bits)).map { Double(($0 * 37) % 17) - 4.25 }
    var down = values
    SubsetLattice.subsetSums(&down, bits: bits)
    var up = values
    SubsetLattice.supersetSums(&up, bits: bits)
    for mask in 0..<(1 << bits) {
      var subsetSum = 0.0
      var supersetSum = 0.0
      for other in 0..<(1 << bits) {
        if other & mask == other { subsetSum += values[other] }
        if other & mask == mask { supersetSum += values[other] }
      }
      #expect(abs(down[mask] - subsetSum) < 1e-12)
      #expect(abs(up[mask] - supersetSum) < 1e-12)
    }
  }
}
