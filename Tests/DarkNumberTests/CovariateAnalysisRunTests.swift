import DarkNumber
import Foundation
import Testing

/// ``CovariateAnalysis``: the one library call behind `estimate/select --covariates` and the
/// covariate report. Its numbers are the fit's (checked against statsmodels elsewhere); here: that
/// they are the fit's, that rates and suppression are applied, and that the bootstraps are the
/// ones asked for.
@Suite("Covariates: the analysis in one call")
struct CovariateAnalysisRunTests {
  @Test("Fixed model: total intervals, a table per covariate with rates, suppression of small counts")
  func fixed() async throws {
    let data = try ListCoverageTests.lateStart()
    let model = try CovariateModel(specification: "PO:KM, IN:exploitation", data: data)
    var settings = CovariateAnalysis.Settings(model: .fixed(model))
    let gender = data.covariateIndex(named: "gender")!
    settings.denominators = [gender: PopulationDenominators(covariate: data.covariates[gender], sizes: [8.5e6, 8.4e6])]
    settings.suppressBelow = 1000
    let analysis = try await CovariateAnalysis.run(data: data, settings: settings)
    let fit = try model.fit(to: data)
    #expect(analysis.fit.total == fit.total)
    #expect(analysis.totalIntervals.map(\.method) == [.wald, .logNormal, .profileLikelihood])
    let profile = try fit.profileLikelihoodInterval()
    #expect(
      analysis.totalIntervals[2] == profile
    )
    #expect(analysis.tables.map(\.covariate) == ["year", "gender", "exploitation"])
    for table in analysis.tables {
      let levels = fit.breakdown(covariate: table.covariateIndex)
      #expect(table.rows.map(\.estimate.total) == levels.map(\.total))
    }
    let genderRows = analysis.tables[1].rows
    #expect(genderRows[0].rate == 100_000 * genderRows[0].estimate.total / 8.5e6)
    #expect(
      isClose(
        genderRows[0].rateIntervals[1].lower.value ?? .nan,
        (genderRows[0].intervals[1].lower.value ?? .nan) * 100_000 / 8.5e6,
        relative: 1e-14))
    #expect(analysis.tables[0].rows[0].rate == nil)
    // "other" (911 observed) is below 1,000, and one more exploitation level must go with it.
    let exploitation = analysis.tables[2].rows
    #expect(exploitation.first { $0.estimate.level == "other" }?.observedSuppressed == true)
    #expect(exploitation.count { $0.observedSuppressed } >= 2)
    #expect(analysis.bootstrap == nil && analysis.reselection == nil)
    #expect(analysis.verdicts.first?.requiredByCoverage == true)
    #expect(analysis.warnings.contains { $0.contains("inestimable") } == false)
  }

  @Test("Selection with a bootstrap re-selects; a fixed model with a bootstrap holds it")
  func bootstraps() async throws {
    let data = try #require(Dataset.named("covariates/spina")).covariateData()
    let start = try CovariateModel(specification: "main", data: data)
    var settings = CovariateAnalysis.Settings(model: .selected(start: start, criterion: .bic, candidates: .all))
    settings.bootstrapReplicates = 20
    let selected = try await CovariateAnalysis.run(data: data, settings: settings)
    #expect(selected.reselection?.replicates.count == 20)
    #expect(selected.bootstrap == nil)
    #expect(selected.totalIntervals.map(\.method).contains(.bootstrapBCa))
    settings.model = .fixed(selected.fit.model)
    let fixed = try await CovariateAnalysis.run(data: data, settings: settings)
    #expect(fixed.bootstrap?.replicates.count == 20)
    #expect(fixed.reselection == nil)
    #expect(fixed.totalIntervals.map(\.method) == [.wald, .logNormal, .profileLikelihood, .bootstrapPercentile])
    // The selection's warm-started fit and the fixed fit reach the same MLE.
    #expect(isClose(fixed.fit.total, selected.fit.total, relative: 1e-9))
  }

  @Test("A bootstrap interval that cannot be formed (one replicate) is a warning naming the target, not a silent gap")
  func unavailableBootstrapIntervals() async throws {
    let data = try #require(Dataset.named("covariates/spina")).covariateData()
    let start = try CovariateModel(specification: "main", data: data)
    var settings = CovariateAnalysis.Settings(model: .selected(start: start, criterion: .bic, candidates: .all))
    settings.bootstrapReplicates = 1
    let analysis = try await CovariateAnalysis.run(data: data, settings: settings)
    let methods = analysis.totalIntervals.map(\.method)
    #expect(!methods.contains(.bootstrapPercentile) && !methods.contains(.bootstrapBCa))
    #expect(analysis.warnings.contains { $0.hasPrefix("no bootstrap percentile interval for the total") })
    #expect(analysis.warnings.contains { $0.hasPrefix("no bootstrap BCa interval for the total") })
    let level = try #require(data.covariates.first)
    #expect(analysis.warnings.contains { $0.contains("interval for \(level.name) = ") })
  }
}
