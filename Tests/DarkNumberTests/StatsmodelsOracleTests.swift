import DarkNumber
import Testing

/// An independent oracle: statsmodels' Poisson GLM on designs built in Python
/// (`Notebooks/reference/make_fixtures.py`), fitted to a 1e-13 tolerance so that its covariance is
/// taken at the converged estimate, as ours. Everything agrees to 1e-6 relative (deviances near 0:
/// 1e-8 absolute).
@Suite("statsmodels oracle")
struct StatsmodelsOracleTests {
  static func fits() throws -> [[String: Any]] {
    try ReferenceFixtures.load("statsmodels-glm")["fits"] as? [[String: Any]] ?? []
  }

  @Test("The oracle file holds ten fits")
  func count() throws { #expect(try Self.fits().count == 10) }

  @Test("Coefficients, standard errors, deviance, df, AIC and N̂", arguments: 0..<10)
  func fit(index: Int) throws {
    let fits = try Self.fits()
    let reference = try #require(fits.indices.contains(index) ? fits[index] : nil)
    let table = try #require(reference["table"] as? String)
    let data = try ReferenceFixtures.data(table)
    let specification = try #require(reference["model"] as? String)
    let fit = try LogLinearModel(specification: specification, listNames: data.listNames).fit(to: data)
    let coefficients = try #require(reference["coefficients"] as? [String: Double])
    let errors = try #require(reference["standardErrors"] as? [String: Double])
    #expect(coefficients.count == fit.coefficients.count)
    for coefficient in fit.coefficients {
      let expected = try #require(coefficients[coefficient.name], "\(table) \(coefficient.name)")
      #expect(isClose(coefficient.estimate ?? .nan, expected, relative: 1e-6, absolute: 1e-9))
      let expectedError = try #require(errors[coefficient.name])
      #expect(isClose(coefficient.standardError ?? .nan, expectedError, relative: 1e-6))
    }
    #expect(isClose(fit.deviance, reference["deviance"] as? Double ?? .nan, relative: 1e-6, absolute: 1e-8))
    #expect(fit.degreesOfFreedom == reference["degreesOfFreedom"] as? Int)
    #expect(isClose(fit.aic, reference["aic"] as? Double ?? .nan, relative: 1e-6))
    #expect(isClose(fit.logLikelihood, reference["logLikelihood"] as? Double ?? .nan, relative: 1e-6))
    #expect(isClose(fit.total, reference["total"] as? Double ?? .nan, relative: 1e-6))
  }
}
