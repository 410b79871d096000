import DarkNumberLinearAlgebra
import Testing

@testable import DarkNumber

/// The lattice fit (no design matrix; zeta transforms and a plain-Swift Cholesky) against the
/// BLAS/LAPACK fit of the same design: two implementations of one IRLS, to rounding.
@Suite("Lattice IRLS against the BLAS/LAPACK path")
struct LatticeIRLSTests {
  @Test(
    "Coefficients, covariance, fitted counts, deviance, rank and −∞ terms agree to 1e-8",
    arguments: [("UKdat_5", 2), ("Ned", 2), ("kosovo_aggregate", 3), ("Western", 2)])
  func agreement(dataset: String, order: Int) throws {
    let data = try ReferenceFixtures.data(dataset)
    var compared = 0
    var boundaries = 0
    for (index, model) in HierarchicalModelEnumerator(listCount: data.listCount, maximumOrder: order).enumerated()
    where index % 7 == 0 && compared < 120 {
      let names = model.latticeTerms.map { DesignMatrix.columnName(of: $0, listNames: data.listNames) }
      guard
        let lattice = CellFit.lattice(
          terms: model.latticeTerms, listCount: model.listCount, columnNames: names,
          counts: data.denseCounts(), options: FitOptions())
      else { continue }
      let design = DesignMatrix(model: model, listNames: data.listNames)
      let blas = try CellFit.fit(
        design: design.matrix, columnNames: design.columnNames, counts: data.denseCounts(),
        knownFullRank: true, options: FitOptions())
      #expect(lattice.columnNames == blas.columnNames)
      #expect(lattice.rank == blas.rank)
      #expect(isClose(lattice.deviance, blas.deviance, relative: 1e-8, absolute: 1e-9), "\(model)")
      #expect(isClose(lattice.logLikelihood, blas.logLikelihood, relative: 1e-10))
      #expect(lattice.coefficients.map(\.atBoundary) == blas.coefficients.map(\.atBoundary))
      for (a, b) in zip(lattice.coefficients, blas.coefficients) where !a.atBoundary {
        #expect(isClose(a.estimate ?? .nan, b.estimate ?? .nan, relative: 1e-8, absolute: 1e-8), "\(model) \(a.name)")
        #expect(isClose(a.standardError ?? .nan, b.standardError ?? .nan, relative: 1e-7), "\(model) \(a.name)")
      }
      for (a, b) in zip(lattice.fitted, blas.fitted) {
        #expect(isClose(a, b, relative: 1e-7, absolute: 1e-9))
      }
      #expect(lattice.warnings.count == blas.warnings.count)
      if lattice.coefficients.contains(where: \.atBoundary) { boundaries += 1 }
      compared += 1
    }
    #expect(compared >= 15)
    if dataset == "Ned" { #expect(boundaries > 0) }
  }
}
