import DarkNumber
import Foundation
import Testing

/// Models with covariates against an independent oracle: statsmodels' Poisson GLM with patsy
/// formulas on the full table of histories by covariate levels
/// (`Notebooks/reference/make_covariate_fixtures.py`, versions in the fixture). Coefficients and
/// their standard errors, deviance, df, every fitted unobserved cell, N̂ and its SE in total and
/// per level agree to 1e-6 relative. Where the oracle's IRLS is still walking towards −∞ (the
/// spina "other" stratum has two people; statsmodels stops with standard errors above 10⁵) we
/// check that ours is at or towards the boundary too, and compare counts to 1e-6 absolute.
@Suite("Covariates: statsmodels oracle")
struct CovariateOracleTests {
  static func cases() throws -> [[String: Any]] {
    try ReferenceFixtures.load("statsmodels-covariates")["cases"] as? [[String: Any]] ?? []
  }

  /// The fit's coefficients and standard errors (1e-6; an SE beyond 10³ in statsmodels is a
  /// parameter at the boundary), deviance (1e-6) and df against a statsmodels fixture entry.
  static func expectCoefficientsAndDeviance(_ fit: CovariateFit, _ reference: [String: Any], _ name: String) throws {
    let coefficients = try #require(reference["coefficients"] as? [String: [String: Double]])
    #expect(coefficients.count == fit.coefficients.count, "\(name)")
    for coefficient in fit.coefficients {
      let expected = try #require(coefficients[coefficient.name], "\(name): \(coefficient.name)")
      if expected["se"]! > 1e3 {
        #expect(coefficient.atBoundary || (coefficient.standardError ?? 0) > 1e3, "\(name) \(coefficient.name)")
        continue
      }
      #expect(
        isClose(coefficient.estimate ?? .nan, expected["estimate"]!, relative: 1e-6, absolute: 1e-9),
        "\(name) \(coefficient.name)")
      #expect(
        isClose(coefficient.standardError ?? .nan, expected["se"]!, relative: 1e-6), "\(name) \(coefficient.name)")
    }
    #expect(isClose(fit.deviance, reference["deviance"] as? Double ?? .nan, relative: 1e-6), "\(name)")
    #expect(fit.degreesOfFreedom == reference["df"] as? Int, "\(name)")
    // Pearson's X² of the same fit (statsmodels' `pearson_chi2`), and the goodness of fit built on it.
    let goodness = fit.goodnessOfFit
    #expect(isClose(goodness.pearson, reference["pearson"] as? Double ?? .nan, relative: 1e-6), "\(name) Pearson")
    #expect(goodness.deviance == fit.deviance && goodness.degreesOfFreedom == fit.degreesOfFreedom)
  }

  static func data(file: String, covariates: [String]) throws -> CovariateCaptureData {
    if file == "trend-example.csv" {
      let url = try #require(Bundle.module.url(forResource: "Fixtures/covariates/trend-example", withExtension: "csv"))
      let all = try CovariateCaptureData(
        csv: [UInt8](try Data(contentsOf: url)), covariates: ["year", "sex"], source: file)
      return try #require(all.keepingCovariates(covariates.map { all.covariateIndex(named: $0)! }))
    }
    let all = try #require(Dataset.named("covariates/" + file.replacingOccurrences(of: ".csv", with: "")))
      .covariateData()
    return try #require(all.keepingCovariates(covariates.map { all.covariateIndex(named: $0)! }))
  }

  @Test("The oracle file holds nine cases")
  func count() throws { #expect(try Self.cases().count == 9) }

  @Test("Coefficients, SEs, deviance, df, unobserved cells, N̂ and SE in total and per level", arguments: 0..<9)
  func matches(index: Int) throws {
    let cases = try Self.cases()
    let reference = try #require(cases.indices.contains(index) ? cases[index] : nil)
    let name = reference["name"] as? String ?? ""
    let covariates = try #require(reference["covariates"] as? [String])
    let data = try Self.data(file: try #require(reference["file"] as? String), covariates: covariates)
    let trends = reference["trends"] as? [String: Int] ?? [:]
    let model = try CovariateModel(
      specification: try #require(reference["model"] as? String), data: data, trends: trends)
    let fit = try model.fit(to: data)
    try Self.expectCoefficientsAndDeviance(fit, reference, name)
    let unobserved = try #require(reference["unobserved"] as? [[String: Any]])
    #expect(unobserved.count == fit.cells.count)
    for cell in unobserved {
      let levels = try #require(cell["levels"] as? [String])
      let indices = levels.enumerated().map { data.covariates[$0.offset].index(of: $0.element)! }
      let ours = try #require(fit.cells.first { $0.levels == indices })
      #expect(
        isClose(ours.unobserved, cell["fitted"] as? Double ?? .nan, relative: 1e-6, absolute: 1e-6), "\(name) \(levels)"
      )
    }
    #expect(isClose(fit.total, reference["total"] as? Double ?? .nan, relative: 1e-6), "\(name)")
    #expect(isClose(fit.standardError, reference["se"] as? Double ?? .nan, relative: 1e-6), "\(name)")
    let levels = try #require(reference["levels"] as? [String: [String: Double]])
    for (j, covariate) in data.covariates.enumerated() {
      for estimate in fit.breakdown(covariate: j) {
        let expected = try #require(levels["\(covariate.name)=\(estimate.level!)"])
        #expect(estimate.observed == expected["observed"]!)
        #expect(isClose(estimate.total, expected["total"]!, relative: 1e-6), "\(name) \(covariate.name)")
        #expect(
          isClose(estimate.standardError, expected["se"]!, relative: 1e-6, absolute: 1e-3), "\(name) \(covariate.name)")
      }
    }
  }
}

/// The profile-likelihood interval for the total against the oracle's, which maximises the same
/// likelihood by a different algorithm (EM over the split of `N − n` among the unobserved cells,
/// statsmodels' GLM as the M-step).
@Suite("Covariates: profile likelihood")
struct CovariateProfileTests {
  @Test("Limits match the EM oracle to 1e-6", arguments: [0, 4, 6])
  func oracle(index: Int) throws {
    let reference = try CovariateOracleTests.cases()[index]
    let covariates = try #require(reference["covariates"] as? [String])
    let data = try CovariateOracleTests.data(file: try #require(reference["file"] as? String), covariates: covariates)
    let model = try CovariateModel(specification: try #require(reference["model"] as? String), data: data)
    let interval = try model.fit(to: data).profileLikelihoodInterval(level: 0.95)
    let profile = try #require(reference["profile"] as? [String: Double])
    #expect(isClose(interval.lower.value ?? .nan, profile["lower"]!, relative: 1e-6))
    #expect(isClose(interval.upper.value ?? .nan, profile["upper"]!, relative: 1e-6))
    #expect(isClose(interval.estimate, profile["maximiser"]!, relative: 1e-5))
  }

  @Test("With a one-level covariate it is the lists-only profile interval (Rcapture's closedpCI.t)")
  func reducesToListsOnly() throws {
    let lists = try ReferenceFixtures.data("UKdat_5")
    let data = try CovariateCaptureData(
      listNames: lists.listNames, covariates: [Covariate(name: "all", levels: ["yes"])],
      records: lists.cells.map { .init(history: $0.history, levels: [0], count: $0.count) })
    let specification = "LA:NG, NG:PFNCA"
    let covariateFit = try CovariateModel(specification: specification, data: data).fit(to: data)
    let listFit = try LogLinearModel(specification: specification, listNames: lists.listNames).fit(to: lists)
    #expect(isClose(covariateFit.total, listFit.total, relative: 1e-9))
    #expect(isClose(covariateFit.standardError, listFit.standardError, relative: 1e-7))
    let a = try covariateFit.profileLikelihoodInterval()
    let b = try listFit.profileLikelihoodInterval()
    #expect(isClose(a.lower.value ?? .nan, b.lower.value ?? .nan, relative: 1e-6))
    #expect(isClose(a.upper.value ?? .nan, b.upper.value ?? .nan, relative: 1e-6))
  }
}
