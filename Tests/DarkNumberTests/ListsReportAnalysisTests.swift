@testable import DarkNumber
import Testing

/// The lists report's analysis as one library call: every part equals the call it stands for,
/// and parts that fail are values.
@Suite("Lists report analysis")
struct ListsReportAnalysisTests {
  @Test("UKdat_5: selection, four intervals, BCa, the 12 models, the search and the profile curve")
  func ukdat() async throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    var settings = ListsReportAnalysis.Settings()
    settings.bootstrapReplicates = 40
    settings.level = 0.9
    let analysis = try await ListsReportAnalysis.run(data: data, settings: settings)
    let selection = try await ModelSelection.run(.stepwise(threshold: 0.02), data: data)
    let fit = analysis.selection.fit
    #expect(fit.model == selection.fit.model && fit.total == selection.fit.total)
    #expect(analysis.intervals.map(\.method) == ListsReportAnalysis.intervalMethods)
    for (method, result) in analysis.intervals {
      #expect(try result.get() == (try fit.interval(method, level: 0.9)))
    }
    let bootstrap = try #require(analysis.bootstrap)
    #expect(bootstrap.replicates.count == 40)
    let bca = try #require(try analysis.bootstrapInterval?.get())
    let expected = try bootstrap.interval(.bootstrapBCa, level: 0.9)
    #expect(bca.lower == expected.lower && bca.upper == expected.upper)
    #expect(analysis.standardModels?.rows.count == 12)
    let search = try #require(try analysis.search?.get())
    #expect(search.best.count + search.failureCount == search.modelCount)
    // The sensitivity table is the sensitivity analysis with the report's five top models.
    let sensitivity = try await SensitivityAnalysis.run(data: data, topModels: 5, level: 0.9, search: search)
    #expect(analysis.sensitivity.rows.map(\.label) == sensitivity.rows.map(\.label))
    #expect(analysis.sensitivity.rows.map(\.total) == sensitivity.rows.map(\.total))
    #expect(analysis.sensitivity.rows.count { $0.group == .topModel } == 5)
    let curve = try #require(analysis.profileCurve)
    #expect(curve.points.count + curve.omitted == ListsReportAnalysis.profilePoints)
    // Inside the profile interval the curve is above the cut-off, outside below.
    let profile = try fit.interval(.profileLikelihood, level: 0.9)
    let lower = try #require(profile.lower.value)
    let upper = try #require(profile.upper.value)
    for point in curve.points {
      let inside = point.populationSize > lower + 1e-6 * lower && point.populationSize < upper - 1e-6 * upper
      let outside = point.populationSize < lower - 1e-6 * lower || point.populationSize > upper + 1e-6 * upper
      if inside { #expect(point.logLikelihood > curve.cutoff) }
      if outside { #expect(point.logLikelihood < curve.cutoff) }
    }
  }

  @Test("Artificial_3: an interval that does not exist is a failure value, not a missing row")
  func failuresAreValues() async throws {
    let data = try #require(Dataset.named("Artificial_3")).captureData()
    let analysis = try await ListsReportAnalysis.run(data: data)
    #expect(analysis.intervals.count == ListsReportAnalysis.intervalMethods.count)
    #expect(analysis.bootstrap == nil && analysis.bootstrapInterval == nil)
    #expect(analysis.availableIntervals.count == analysis.intervals.filter { (try? $0.result.get()) != nil }.count)
    await #expect(throws: EstimationError.invalidLevel(0)) {
      var settings = ListsReportAnalysis.Settings()
      settings.level = 0
      _ = try await ListsReportAnalysis.run(data: data, settings: settings)
    }
  }

  @Test("The conclusion in words quotes the BCa interval, the registered and the missed, and the assumption")
  func conclusionWithBootstrap() async throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    var settings = ListsReportAnalysis.Settings.recommended
    #expect(settings.bootstrapReplicates == 1000 && ListsReportAnalysis.Settings.recommendedReplicates == 1000)
    #expect(settings.procedure == .stepwise(threshold: StepwiseSelection.defaultThreshold) && settings.level == 0.95)
    settings.bootstrapReplicates = 60
    let analysis = try await ListsReportAnalysis.run(data: data, settings: settings)
    let headline = try #require(analysis.headlineInterval)
    #expect(headline == (try analysis.bootstrapInterval?.get()))
    let lower = try #require(headline.lower.value)
    let upper = try #require(headline.upper.value)
    let n = Double(data.observedTotal)
    let text = analysis.conclusion
    for number in [lower, upper, n, lower - n, upper - n, analysis.selection.fit.total] {
      #expect(text.contains(ListsReportAnalysis.whole(number)), "\(number) in: \(text)")
    }
    #expect(text.hasPrefix("With 95% confidence, between "))
    #expect(text.contains("bootstrap BCa interval of 60 replicates") && text.contains("uncertainty of choosing"))
    #expect(text.contains("assumes that the chosen model (\(analysis.selection.fit.model))"))
    #expect(!text.contains("does not fit"))
    #expect(ListsReportAnalysis.whole(1_234_567.4) == "1,234,567" && ListsReportAnalysis.whole(999.5) == "1,000")
  }

  @Test("Without a bootstrap the profile interval is quoted with its caveat; a poor fit is said")
  func conclusionWithoutBootstrap() async throws {
    let data = try ReferenceFixtures.data("Ned")
    var settings = ListsReportAnalysis.Settings()
    settings.procedure = .fixed(try LogLinearModel(specification: "Mt", listNames: data.listNames))
    settings.level = 0.9
    let analysis = try await ListsReportAnalysis.run(data: data, settings: settings)
    let headline = try #require(analysis.headlineInterval)
    #expect(headline == (try analysis.selection.fit.interval(.profileLikelihood, level: 0.9)))
    let text = analysis.conclusion
    #expect(text.hasPrefix("With 90% confidence, between \(ListsReportAnalysis.whole(headline.lower.value ?? 0))"))
    #expect(text.contains("leaves out the uncertainty of choosing the model"))
    #expect(text.contains("does not fit the data well"))
  }
}
