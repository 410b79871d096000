import Foundation
import Testing

@testable import DarkNumber

/// The lattice IRLS for covariate designs against the general fit on the design's rows: the same
/// coefficients, covariance, fitted values, deviance and log-likelihood, with factors, trends and
/// structural zeros, and from a warm start.
@Suite("Covariates: lattice IRLS")
struct CovariateLatticeIRLSTests {
  static func compare(_ model: CovariateModel, _ data: CovariateCaptureData, start: Bool = false) throws {
    let design = try CovariateDesign(model: model, coverage: data.coverageRules)
    let counts = design.counts(of: data)
    let options = FitOptions()
    let general = try CellFit.fit(
      design: design.observed, columnNames: design.columnNames, counts: design.fittedCells(counts),
      knownFullRank: false, options: options)
    let initial = start ? general.estimates.map { $0 * 0.9 } : nil
    let lattice = try #require(CovariateLatticeIRLS.fit(design: design, counts: counts, start: initial, options: options))
    #expect(lattice.columnNames == general.columnNames)
    for (a, b) in zip(lattice.estimates, general.estimates) {
      #expect(isClose(a, b, relative: 1e-8, absolute: 1e-9), "\(model)")
    }
    let p = general.columnNames.count
    for i in 0..<p {
      for j in 0..<p {
        #expect(isClose(lattice.covariance[i, j], general.covariance[i, j], relative: 1e-7, absolute: 1e-12), "\(model)")
      }
    }
    for (a, b) in zip(lattice.fitted, general.fitted) { #expect(isClose(a, b, relative: 1e-8, absolute: 1e-10)) }
    #expect(isClose(lattice.deviance, general.deviance, relative: 1e-9, absolute: 1e-9))
    #expect(isClose(lattice.logLikelihood, general.logLikelihood, relative: 1e-12))
    #expect(lattice.rank == general.rank)
  }

  @Test("ScotPWID with three covariates and a three-factor term")
  func scotland() throws {
    let data = try #require(Dataset.named("covariates/ScotPWID")).covariateData()
    try Self.compare(
      try CovariateModel(
        specification: "S1:S2, S1:S3, Region:S1, Region:S2, Region:S3, Region:S4, Gender:S4, Age:S1, Age:Region, Region:Gender:Age",
        data: data), data)
    try Self.compare(try CovariateModel(specification: "S1:S2, Region:S1", data: data), data, start: true)
  }

  @Test("The synthetic Dutch table with a year trend and with structural zeros")
  func trafficking() throws {
    let data = try ListCoverageTests.trafficking()
    try Self.compare(
      try CovariateModel(specification: "PO:KM, year:PO, IN:exploitation", data: data, trends: ["year": 2]), data)
    let covered = try ListCoverageTests.lateStart()
    try Self.compare(try CovariateModel(specification: "PO:KM, KM:year, IN:gender", data: covered), covered)
    try Self.compare(try CovariateModel(specification: "PO:KM, KM:year", data: covered), covered, start: true)
  }

  @Test("A column at −∞ is left to the general fit")
  func boundary() throws {
    let data = try CovariateCaptureData(
      listNames: ["A", "B", "C"], covariates: [Covariate(name: "g", levels: ["x", "y"])],
      records: [
        .init(history: .init(rawValue: 1)!, levels: [0], count: 20), .init(history: .init(rawValue: 2)!, levels: [0], count: 15),
        .init(history: .init(rawValue: 4)!, levels: [0], count: 11), .init(history: .init(rawValue: 5)!, levels: [0], count: 4),
        .init(history: .init(rawValue: 6)!, levels: [0], count: 3), .init(history: .init(rawValue: 1)!, levels: [1], count: 17),
        .init(history: .init(rawValue: 2)!, levels: [1], count: 12), .init(history: .init(rawValue: 4)!, levels: [1], count: 9),
        .init(history: .init(rawValue: 5)!, levels: [1], count: 2), .init(history: .init(rawValue: 6)!, levels: [1], count: 5),
      ])
    // A and B never overlap: the A:B interaction's MLE is −∞.
    let model = try CovariateModel(specification: "A:B, A:C", data: data)
    let design = try CovariateDesign(model: model, coverage: nil)
    #expect(CovariateLatticeIRLS.fit(design: design, counts: design.counts(of: data), options: FitOptions()) == nil)
    let fit = try model.fit(to: data)
    #expect(fit.coefficients.contains { $0.name == "A:B" && $0.atBoundary })
  }
}
