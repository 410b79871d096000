import DarkNumber
import Foundation
import Testing

/// Structural zeros against an independent oracle: statsmodels' Poisson GLM on the table with the
/// structural-zero cells removed and the columns that leaves aliased dropped in sequence
/// (`Notebooks/reference/make_coverage_fixtures.py`, versions in the fixture). Four coverage
/// patterns — a list starting late, a list operating for one level only, two incomplete lists, and
/// a stratum where one list operated — twelve models. Coefficients and SEs, the dropped
/// coefficients, deviance, df, the number of structural zeros, every fitted unobserved cell, `N̂`
/// and its SE in total and per level agree to 1e-6 relative; strata and levels the oracle gives no
/// estimate have none here.
@Suite("Coverage: statsmodels oracle")
struct CoverageOracleTests {
  static func cases() throws -> [[String: Any]] {
    try ReferenceFixtures.load("statsmodels-coverage")["cases"] as? [[String: Any]] ?? []
  }

  static func file(_ path: String) throws -> [UInt8] {
    let name = (path as NSString).deletingPathExtension
    let url = try #require(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: "csv"))
    return [UInt8](try Data(contentsOf: url))
  }

  @Test("The oracle file holds twelve cases over four patterns")
  func count() throws {
    let cases = try Self.cases()
    #expect(cases.count == 12)
    #expect(Set(cases.compactMap { $0["pattern"] as? String }).count == 4)
  }

  @Test(
    "Coefficients, dropped terms, deviance, df, unobserved cells, N̂ and SE in total and per level", arguments: 0..<12)
  func matches(index: Int) throws {
    let cases = try Self.cases()
    let reference = try #require(cases.indices.contains(index) ? cases[index] : nil)
    let name = reference["name"] as? String ?? ""
    let covariates = try #require(reference["covariates"] as? [String])
    let coverage = try ListCoverage(
      csv: try Self.file(try #require(reference["coverage"] as? String)), covariates: covariates, source: "coverage")
    // The files have all three covariates; a case with fewer sums over the others.
    let all = try CovariateCaptureData(
      csv: try Self.file(try #require(reference["data"] as? String)), covariates: ["year", "gender", "exploitation"],
      source: "data")
    let data = try #require(all.keepingCovariates(covariates.map { all.covariateIndex(named: $0)! }))
      .withCoverage(coverage)
    let model = try CovariateModel(specification: try #require(reference["model"] as? String), data: data)
    let fit = try model.fit(to: data)
    #expect(fit.structuralZeroCount == reference["structuralZeros"] as? Int, "\(name)")
    #expect(fit.fittedCellCount == reference["cells"] as? Int, "\(name)")
    #expect(fit.droppedCoefficients == reference["dropped"] as? [String], "\(name)")
    try CovariateOracleTests.expectCoefficientsAndDeviance(fit, reference, name)
    func indices(_ levels: [String]) -> [Int] {
      levels.enumerated().map { data.covariates[$0.offset].index(of: $0.element)! }
    }
    let unobserved = try #require(reference["unobserved"] as? [[String: Any]])
    for cell in unobserved {
      let levels = try #require(cell["levels"] as? [String])
      let ours = try #require(fit.cells.first { $0.levels == indices(levels) })
      #expect(ours.hasEstimate)
      let operating = zip(data.listNames, ours.operatingLists).filter(\.1).map(\.0)
      #expect(operating == cell["operating"] as? [String], "\(name) \(levels)")
      #expect(
        isClose(ours.unobserved, cell["fitted"] as? Double ?? .nan, relative: 1e-6, absolute: 1e-6), "\(name) \(levels)"
      )
    }
    let without = reference["noEstimate"] as? [[String: Any]] ?? []
    #expect(fit.cells.count { !$0.hasEstimate } == without.count, "\(name)")
    for cell in without {
      let levels = try #require(cell["levels"] as? [String])
      #expect(fit.cells.first { $0.levels == indices(levels) }?.hasEstimate == false, "\(name) \(levels)")
    }
    if let total = reference["total"] as? Double {
      #expect(fit.totalEstimate.estimateExists)
      #expect(isClose(fit.total, total, relative: 1e-6), "\(name)")
      #expect(isClose(fit.standardError, reference["se"] as? Double ?? .nan, relative: 1e-6), "\(name)")
    } else {
      #expect(!fit.totalEstimate.estimateExists, "\(name)")
    }
    let levels = try #require(reference["levels"] as? [String: [String: Any]])
    for (j, covariate) in data.covariates.enumerated() {
      for estimate in fit.breakdown(covariate: j) {
        let expected = try #require(levels["\(covariate.name)=\(estimate.level!)"])
        #expect(estimate.observed == expected["observed"] as? Double)
        if let total = expected["total"] as? Double {
          #expect(estimate.estimateExists, "\(name) \(covariate.name)=\(estimate.level!)")
          #expect(isClose(estimate.total, total, relative: 1e-6), "\(name) \(covariate.name)")
          #expect(
            isClose(estimate.standardError, expected["se"] as? Double ?? .nan, relative: 1e-6),
            "\(name) \(covariate.name)")
        } else {
          #expect(!estimate.estimateExists, "\(name) \(covariate.name)=\(estimate.level!)")
        }
      }
    }
  }

  @Test(
    "Ignoring the coverage (non-operation read as non-capture) moves the per-level estimates", arguments: [0, 3, 6])
  func ignoringCoverage(index: Int) throws {
    let reference = try Self.cases()[index]
    let covariates = try #require(reference["covariates"] as? [String])
    let naive = try CovariateCaptureData(
      csv: try Self.file(try #require(reference["data"] as? String)), covariates: covariates, source: "data")
    let fit = try CovariateModel(specification: "main", data: naive).fit(to: naive)
    let expected = try #require(reference["withoutCoverage"] as? [String: Any])
    #expect(isClose(fit.total, expected["total"] as? Double ?? .nan, relative: 1e-6))
    let levels = try #require(expected["levels"] as? [String: [String: Any]])
    let aware = try #require(reference["levels"] as? [String: [String: Any]])
    var moved = 0.0
    for (j, covariate) in naive.covariates.enumerated() {
      for estimate in fit.breakdown(covariate: j) {
        let key = "\(covariate.name)=\(estimate.level!)"
        #expect(isClose(estimate.total, levels[key]?["total"] as? Double ?? .nan, relative: 1e-6), "\(key)")
        moved = max(moved, abs(estimate.total - (aware[key]?["total"] as? Double ?? estimate.total)) / estimate.total)
      }
    }
    // The naive model puts the missing overlaps into the wrong levels: some level moves by > 5%.
    #expect(moved > 0.05)
  }

  @Test(
    "The profile-likelihood interval of the total under structural zeros matches the EM oracle", arguments: [0, 1, 7])
  func profile(index: Int) throws {
    let reference = try Self.cases()[index]
    let covariates = try #require(reference["covariates"] as? [String])
    let coverage = try ListCoverage(
      csv: try Self.file(try #require(reference["coverage"] as? String)), covariates: covariates, source: "coverage")
    let data = try CovariateCaptureData(
      csv: try Self.file(try #require(reference["data"] as? String)), covariates: covariates, source: "data",
      coverage: coverage)
    let model = try CovariateModel(specification: try #require(reference["model"] as? String), data: data)
    let interval = try model.fit(to: data).profileLikelihoodInterval(level: 0.95)
    let expected = try #require(reference["profile"] as? [String: Double])
    #expect(isClose(interval.lower.value ?? .nan, expected["lower"]!, relative: 1e-6))
    #expect(isClose(interval.upper.value ?? .nan, expected["upper"]!, relative: 1e-6))
    #expect(isClose(interval.estimate, expected["maximiser"]!, relative: 1e-6))
  }
}
