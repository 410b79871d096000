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
    let lattice = try #require(
      CovariateLatticeIRLS.fit(design: design, counts: counts, start: initial, options: options))
    #expect(lattice.columnNames == general.columnNames)
    for (a, b) in zip(lattice.estimates, general.estimates) {
      #expect(isClose(a, b, relative: 1e-8, absolute: 1e-9), "\(model)")
    }
    let p = general.columnNames.count
    for i in 0..<p {
      for j in 0..<p {
        #expect(
          isClose(lattice.covariance[i, j], general.covariance[i, j], relative: 1e-7, absolute: 1e-12), "\(model)")
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
        specification:
          "S1:S2, S1:S3, Region:S1, Region:S2, Region:S3, Region:S4, Gender:S4, Age:S1, Age:Region, Region:Gender:Age",
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

  @Test("A candidate scored from the shared state of its parent, or from an anchor, reaches the parent-start score")
  func candidateStarts() throws {
    let data = try ListCoverageTests.lateStart()
    let parentModel = try CovariateModel(specification: "PO:KM, KM:year", data: data)
    let candidateModel = try CovariateModel(specification: "PO:KM, KM:year, IN:gender", data: data)
    let designs = CovariateDesignCache(coverage: data.coverageRules)
    let parent = try designs.entry(for: parentModel)
    let candidate = try designs.entry(for: candidateModel)
    let counts = parent.design.counts(of: data)
    let prepared = CovariateLatticeCounts(design: parent.design, counts: counts)
    let parentFit = try #require(CovariateLatticeIRLS.fit(design: parent.design, counts: counts, options: FitOptions()))
    let current = CovariateCandidateStarts.byID(ids: parent.columnIDs, values: parentFit.estimates)
    // Without an anchor: the parent's coefficients, the new term's at 0.
    let start = CovariateCandidateStarts.start(ids: candidate.columnIDs, current: current, anchor: nil)
    for (name, value) in zip(candidate.design.columnNames, start) {
      let index = parent.design.columnNames.firstIndex(of: name)
      #expect(value == index.map { parentFit.estimates[$0] } ?? 0, "\(name)")
    }
    let workspace = CovariateLatticeIRLS.Workspace()
    let plain = try #require(
      CovariateLatticeIRLS.score(
        design: candidate.design, data: prepared, start: start, options: FitOptions(), workspace: workspace))
    let state = try #require(
      CovariateLatticeIRLS.SharedStart(design: parent.design, data: prepared, beta: parentFit.estimates))
    let shared = try #require(
      CovariateLatticeIRLS.score(
        design: candidate.design, data: prepared, start: start, shared: state, options: FitOptions(),
        workspace: workspace))
    #expect(shared.logLikelihood == plain.logLikelihood && shared.coefficients == plain.coefficients)
    // An anchor: a candidate fitted before with a parent whose coefficients were 0.1 lower moves
    // by the parent's change (β⁰ = β_A(M) + β(P) − β_A(P)); the new term's own columns keep β_A(M).
    let anchor = CovariateCandidateStarts.Anchor(
      candidate: CovariateCandidateStarts.byID(ids: candidate.columnIDs, values: plain.coefficients.map { $0 - 0.05 }),
      parent: current.map { $0 - 0.1 })
    let moved = CovariateCandidateStarts.start(ids: candidate.columnIDs, current: current, anchor: anchor)
    for (j, name) in candidate.design.columnNames.enumerated() {
      let inParent = parent.design.columnNames.contains(name)
      #expect(isClose(moved[j], plain.coefficients[j] + (inParent ? 0.05 : -0.05), relative: 1e-14, absolute: 1e-14))
    }
    let anchored = try #require(
      CovariateLatticeIRLS.score(
        design: candidate.design, data: prepared, start: moved, options: FitOptions(), workspace: workspace))
    #expect(isClose(anchored.logLikelihood, plain.logLikelihood, relative: 1e-12))
    for (a, b) in zip(anchored.coefficients, plain.coefficients) {
      #expect(isClose(a, b, relative: 1e-6, absolute: 1e-8))
    }
  }

  @Test("A column at −∞ is left to the general fit")
  func boundary() throws {
    let data = try CovariateCaptureData(
      listNames: ["A", "B", "C"], covariates: [Covariate(name: "g", levels: ["x", "y"])],
      records: [
        .init(history: .init(rawValue: 1)!, levels: [0], count: 20),
        .init(history: .init(rawValue: 2)!, levels: [0], count: 15),
        .init(history: .init(rawValue: 4)!, levels: [0], count: 11),
        .init(history: .init(rawValue: 5)!, levels: [0], count: 4),
        .init(history: .init(rawValue: 6)!, levels: [0], count: 3),
        .init(history: .init(rawValue: 1)!, levels: [1], count: 17),
        .init(history: .init(rawValue: 2)!, levels: [1], count: 12),
        .init(history: .init(rawValue: 4)!, levels: [1], count: 9),
        .init(history: .init(rawValue: 5)!, levels: [1], count: 2),
        .init(history: .init(rawValue: 6)!, levels: [1], count: 5),
      ])
    // A and B never overlap: the A:B interaction's MLE is −∞.
    let model = try CovariateModel(specification: "A:B, A:C", data: data)
    let design = try CovariateDesign(model: model, coverage: nil)
    #expect(CovariateLatticeIRLS.fit(design: design, counts: design.counts(of: data), options: FitOptions()) == nil)
    let fit = try model.fit(to: data)
    #expect(fit.coefficients.contains { $0.name == "A:B" && $0.atBoundary })
  }
}
