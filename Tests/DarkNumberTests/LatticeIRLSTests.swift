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

  @Test("Pooled workspaces: a fit is the same whatever the pool's workspace fitted before, and in concurrent tasks")
  func pooledWorkspaces() async throws {
    let uk = try ReferenceFixtures.data("UKdat_5")
    // Another five-list table: UKdat_5 with 3 more people in every observable cell.
    let ned = try CaptureData(
      listNames: uk.listNames,
      counts: (1..<32).map { (CaptureHistory(rawValue: UInt32($0))!, Int(uk.denseCounts()[$0 - 1]) + 3) })
    let main = LogLinearModel.mainEffects(listCount: 5)
    let twoWay = LogLinearModel.allInteractions(listCount: 5, upToOrder: 2)
    // A fresh workspace, outside the pool.
    var engine = LatticeIRLS(listCount: 5)
    let freshFit = engine.fit(
      terms: twoWay.latticeTerms, counts: [0] + uk.denseCounts(), options: FitOptions())
    let fresh = try #require(freshFit)
    // Through the pool, after other counts and another model have used it.
    _ = try main.fit(to: ned)
    _ = try twoWay.fit(to: ned)
    let pooled = try twoWay.fit(to: uk)
    // The engine reports the finite terms; the fit adds the −∞ ones.
    #expect(pooled.coefficients.filter { !$0.atBoundary }.map { $0.estimate ?? .nan } == fresh.coefficients)
    #expect(pooled.deviance == fresh.deviance)
    let results = await withTaskGroup(of: [Double].self) { group in
      for task in 0..<8 {
        group.addTask {
          let data = task.isMultiple(of: 2) ? uk : ned
          return (0..<50).map { _ in (try? twoWay.fit(to: data).total) ?? .nan }
        }
      }
      var all: [[Double]] = []
      for await result in group { all.append(result) }
      return all
    }
    let ukTotal = try twoWay.fit(to: uk).total
    let nedTotal = try twoWay.fit(to: ned).total
    for result in results {
      #expect(result.allSatisfy { $0 == ukTotal } || result.allSatisfy { $0 == nedTotal })
    }
  }
}
