import DarkNumberLinearAlgebra
import Foundation
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

  @Test("Interleaved lattices (entry h·width + c): each transformed as on its own, on 0 to 5 bits and widths 1, 3, 36")
  func interleaved() {
    for bits in 0...5 {
      for width in [1, 3, 36] {
        let size = 1 << bits
        let values = (0..<(size * width)).map { 0.5 + Double(($0 * 37) % 17) / 16 }
        var sums = values
        SubsetLattice.interleavedSubsetSums(&sums, width: width, bits: bits)
        var products = values
        SubsetLattice.interleavedSubsetProducts(&products, width: width, bits: bits)
        var supersets = values
        SubsetLattice.interleavedSupersetSums(&supersets, width: width, bits: bits)
        for c in 0..<width {
          var lattice = (0..<size).map { values[$0 * width + c] }
          var up = lattice
          SubsetLattice.subsetSums(&lattice, bits: bits)
          SubsetLattice.supersetSums(&up, bits: bits)
          for h in 0..<size {
            #expect(abs(sums[h * width + c] - lattice[h]) < 1e-12, "bits \(bits) width \(width)")
            #expect(abs(supersets[h * width + c] - up[h]) < 1e-12)
            var product = 1.0
            for other in 0..<size where other & h == other { product *= values[other * width + c] }
            #expect(abs(products[h * width + c] - product) <= 1e-12 * product)
          }
        }
      }
    }
  }

  @Test(
    "Poisson lattice steps: the scattered predictor, working weights, deviance and paired transforms equal their definitions"
  )
  func poissonLattice() {
    let width = 3
    let cells = 8 * width
    let rows = [0, 2, 5]
    let g = (0..<(rows.count * width)).map { Double($0 % 5) / 4 - 0.6 }
    var eta = [Double](repeating: .nan, count: cells)
    var mu = eta
    // Row i, lattice k takes value (i + k) % 4 of four distinct values.
    let map = (0..<(rows.count * width)).map { ($0 / width + $0 % width) % 4 }
    let scatter = PredictorScatter(rows: rows, width: width, map: map, valueCount: 4, latticeSize: cells)
    var exponentials = [Double](repeating: .nan, count: 4)
    let largest = scatter.apply(Array(g[0..<4]), exponentials: &exponentials, eta: &eta, mu: &mu)
    #expect(largest == g[0..<4].map(abs).max())
    for entry in 0..<cells {
      let row = rows.firstIndex(of: entry / width)
      let value = row.map { g[($0 + entry % width) % 4] } ?? 0
      #expect(eta[entry] == value && abs(mu[entry] - exp(value)) <= 1e-15 * exp(value))
    }
    // Both transforms of two arrays at once equal each on its own.
    var first = (0..<cells).map { Double($0 % 7) }
    var second = (0..<cells).map { Double($0 % 3) - 1 }
    var expectedFirst = first
    var expectedSecond = second
    SubsetLattice.interleavedSupersetSums(&expectedFirst, width: width, bits: 3)
    SubsetLattice.interleavedSupersetSums(&expectedSecond, width: width, bits: 3)
    SubsetLattice.interleavedSupersetSums(&first, &second, width: width, bits: 3)
    #expect(first == expectedFirst && second == expectedSecond)
    let fitted = (0..<cells).map { $0 % 5 != 0 }
    // Cells that are not fitted hold no count.
    let counts = (0..<cells).map { fitted[$0] ? Double(($0 * 7) % 4) : 0 }
    let mask = fitted.map { $0 ? 1.0 : 0 }
    let constants = counts.map { $0 > 0 ? $0 * log($0) - $0 : 0 }
    var weights = [Double](repeating: .nan, count: cells)
    var response = weights
    PoissonLattice.workingWeights(mu: mu, eta: eta, counts: counts, mask: mask, weights: &weights, response: &response)
    var deviance = 0.0
    for i in 0..<cells {
      #expect(weights[i] == (fitted[i] ? mu[i] : 0))
      #expect(abs(response[i] - (fitted[i] ? mu[i] * eta[i] + counts[i] - mu[i] : 0)) < 1e-14)
      if fitted[i] { deviance += 2 * ((counts[i] > 0 ? counts[i] * log(counts[i] / mu[i]) : 0) - (counts[i] - mu[i])) }
    }
    let computed = PoissonLattice.deviance(eta: eta, mu: mu, counts: counts, constants: constants, mask: mask)
    #expect(abs(computed - deviance) <= 1e-13 * abs(deviance))
  }

  @Test("The predictor's product transform equals exp(Xβ) on 0 to 5 bits (the unrolled first passes included)")
  func productsOnFewBits() {
    for bits in 0...5 {
      // The intercept and the main effects.
      let terms = [UInt32(0)] + (0..<bits).map { UInt32(1) << UInt32($0) }
      let beta = terms.indices.map { 0.3 - Double(($0 * 29) % 13) / 20 }
      var eta = [Double](repeating: .nan, count: 1 << bits)
      var mu = eta
      SubsetLattice.hierarchicalPredictor(
        terms: terms, coefficients: beta, bits: bits, eta: &eta, mu: &mu)
      let x = Self.design(terms: terms, bits: bits)
      for h in 0..<(1 << bits) {
        var expected = 0.0
        for a in terms.indices { expected += x[h][a] * beta[a] }
        #expect(abs(mu[h] - exp(expected)) <= 1e-13 * exp(expected), "bits \(bits), cell \(h)")
      }
    }
  }

  /// The design of a hierarchical model over `bits` lists: `x_hT = 1[h ⊇ T]` for the cells
  /// `h = 0 … 2ᴷ − 1`.
  private static func design(terms: [UInt32], bits: Int) -> [[Double]] {
    (0..<(1 << bits)).map { h in terms.map { UInt32(h) & $0 == $0 ? 1.0 : 0.0 } }
  }

  @Test("The hierarchical Gram matrix XᵀWX and Xᵀw equal the design's, with and without a mask")
  func gram() {
    let bits = 4
    let terms: [UInt32] = [0, 1, 2, 4, 8, 3, 12, 5]
    let p = terms.count
    let x = Self.design(terms: terms, bits: bits)
    let weights = (0..<(1 << bits)).map { 0.25 + Double(($0 * 11) % 7) }
    let unions = (0..<(p * p)).map { Int(terms[$0 % p] | terms[$0 / p]) }
    for mask in [[Bool](), (0..<(1 << bits)).map { $0 & 8 == 0 || $0 & 1 == 0 }] {
      var marginal = [Double](repeating: .nan, count: 1 << bits)
      var gram = [Double](repeating: .nan, count: p * p)
      SubsetLattice.hierarchicalGram(
        weights: weights, mask: mask, unions: unions, order: p, bits: bits, marginal: &marginal,
        gram: &gram)
      // Cell 0 (nobody listed) never counts; masked cells do not either.
      let w = (0..<(1 << bits)).map { h in h == 0 || (!mask.isEmpty && !mask[h]) ? 0 : weights[h] }
      for b in 0..<p {
        var xtw = 0.0
        for h in 0..<(1 << bits) { xtw += x[h][b] * w[h] }
        #expect(abs(marginal[Int(terms[b])] - xtw) < 1e-12)
        for a in 0...b {
          var expected = 0.0
          for h in 0..<(1 << bits) { expected += x[h][a] * w[h] * x[h][b] }
          #expect(abs(gram[a + b * p] - expected) < 1e-12, "(\(a), \(b))")
        }
      }
    }
  }

  @Test("The hierarchical predictor gives η = Xβ and μ = exp η, by products and (large β) cell by cell")
  func predictor() {
    let bits = 5
    let terms: [UInt32] = [0, 1, 2, 4, 8, 16, 3, 6, 24, 7]
    let x = Self.design(terms: terms, bits: bits)
    for scale in [1.0, 600.0] {
      // Σ|β| = 1.2·scale: 1.2 (products) and 720 (beyond 700: exponentials cell by cell).
      let beta = terms.indices.map { scale * (Double(($0 * 7) % 5) - 2) / 10 }
      var eta = [Double](repeating: .nan, count: 1 << bits)
      var mu = eta
      SubsetLattice.hierarchicalPredictor(
        terms: terms, coefficients: beta, bits: bits, eta: &eta, mu: &mu)
      for h in 0..<(1 << bits) {
        var expected = 0.0
        for a in terms.indices { expected += x[h][a] * beta[a] }
        #expect(abs(eta[h] - expected) < 1e-12 * max(1, abs(expected)))
        #expect(abs(mu[h] - exp(expected)) <= 1e-13 * exp(expected), "scale \(scale), cell \(h)")
      }
    }
  }
}
