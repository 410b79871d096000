import Testing

@testable import DarkNumber

/// Goodness of fit against an independent oracle (`Notebooks/reference/make_goodness_fixtures.py`):
/// scipy's `chi2.sf` for the χ² tail, and statsmodels' Poisson GLM for the deviance and Pearson's
/// X² of log-linear fits on bundled tables, each with its p-value — all to 1e-6 relative.
@Suite("Goodness of fit: deviance and Pearson χ² tests")
struct GoodnessOfFitTests {
  static func document() throws -> [String: Any] { try ReferenceFixtures.load("scipy-goodness") }

  @Test("The χ² upper tail equals scipy's chi2.sf from 0.99 down to 1e-225, and 0 where it underflows")
  func tails() throws {
    let tails = try #require(try Self.document()["tails"] as? [[String: Any]])
    #expect(tails.count == 14)
    for entry in tails {
      let x = try #require(entry["x"] as? Double)
      let df = try #require(entry["degreesOfFreedom"] as? Int)
      let expected = try #require(entry["survival"] as? Double)
      let value = ChiSquared.survival(x, degreesOfFreedom: df)
      #expect(isClose(value, expected, relative: 1e-9), "χ²(\(df)) > \(x): \(value) vs \(expected)")
    }
    #expect(ChiSquared.survival(0, degreesOfFreedom: 3) == 1)
  }

  @Test("Deviance, Pearson's X², df and both p-values equal statsmodels and scipy", arguments: 0..<7)
  func fits(index: Int) throws {
    let fits = try #require(try Self.document()["fits"] as? [[String: Any]])
    #expect(fits.count == 7)
    let reference = try #require(fits.indices.contains(index) ? fits[index] : nil)
    let data = try ReferenceFixtures.data(try #require(reference["table"] as? String))
    let model = try LogLinearModel(
      specification: try #require(reference["model"] as? String), listNames: data.listNames)
    let goodness = try model.fit(to: data).goodnessOfFit
    #expect(isClose(goodness.deviance, reference["deviance"] as? Double ?? .nan, relative: 1e-6))
    #expect(isClose(goodness.pearson, reference["pearson"] as? Double ?? .nan, relative: 1e-6))
    #expect(goodness.degreesOfFreedom == reference["degreesOfFreedom"] as? Int)
    #expect(isClose(goodness.pValue ?? .nan, reference["pValue"] as? Double ?? .nan, relative: 1e-6))
    #expect(
      isClose(goodness.pearsonPValue ?? .nan, reference["pearsonPValue"] as? Double ?? .nan, relative: 1e-6))
    #expect(goodness.isPoor == ((reference["pValue"] as? Double ?? 1) < 0.001))
  }

  @Test("The Dutch table under independence: a poor fit, said in words that point to selection")
  func poorFitWarning() throws {
    let data = try ReferenceFixtures.data("Ned")
    let goodness = try LogLinearModel(specification: "Mt", listNames: data.listNames).fit(to: data).goodnessOfFit
    #expect(goodness.isPoor)
    let warning = try #require(goodness.warning)
    #expect(warning.contains("deviance 448.9 on 56 degrees of freedom (p = 1.1e-62)"))
    #expect(warning.contains("darknumber select"))
    // Every report of the fit shows it, after the fit's own warnings.
    let independence = try LogLinearModel(specification: "Mt", listNames: data.listNames).fit(to: data)
    #expect(independence.warningSentences(checkedBy: nil).last == warning)
    // A model the data do not reject (p = 0.0019) gets no warning.
    let uk = try ReferenceFixtures.data("UKdat_5")
    let fit = try LogLinearModel(specification: "[12,13,25,34]", listNames: uk.listNames).fit(to: uk)
    #expect(!fit.goodnessOfFit.isPoor && fit.goodnessOfFit.warning == nil)
  }

  @Test("A saturated model has no test: no p-values, no warning; a closedp.t row carries its test")
  func saturated() throws {
    let data = try ReferenceFixtures.data("dga_MY3")
    let fit = try LogLinearModel(specification: "[12,13,23]", listNames: data.listNames).fit(to: data)
    #expect(fit.goodnessOfFit.degreesOfFreedom == 0)
    #expect(fit.goodnessOfFit.pValue == nil && fit.goodnessOfFit.pearsonPValue == nil)
    #expect(fit.goodnessOfFit.warning == nil && !fit.goodnessOfFit.isPoor)
    let table = try ClosedPopulationTable(data: try ReferenceFixtures.data("UKdat_5"))
    let mt = try #require(table.rows.first { $0.name == "Mt" })
    let goodness = try #require(mt.goodnessOfFit)
    // Rcapture's Mt is the independence model: its Pearson statistic is statsmodels' too.
    let fits = try #require(try Self.document()["fits"] as? [[String: Any]])
    let reference = try #require(fits.first { $0["table"] as? String == "UKdat_5" && $0["model"] as? String == "Mt" })
    #expect(isClose(goodness.pearson, reference["pearson"] as? Double ?? .nan, relative: 1e-6))
    #expect(goodness.degreesOfFreedom == mt.degreesOfFreedom && goodness.deviance == mt.deviance)
    #expect(
      isClose(goodness.pValue ?? .nan, ChiSquared.survival(goodness.deviance, degreesOfFreedom: 25), relative: 1e-12))
  }

  @Test("p-values print as reports show them: three decimals, then two significant digits")
  func probabilityText() {
    #expect(GoodnessOfFit.probabilityText(0.2094) == "0.209")
    #expect(GoodnessOfFit.probabilityText(0.001) == "0.001")
    #expect(GoodnessOfFit.probabilityText(1.0595e-62) == "1.1e-62")
    #expect(GoodnessOfFit.probabilityText(9.96e-5) == "1.0e-4")
    #expect(GoodnessOfFit.probabilityText(0) == "< 1e-300")
  }
}
