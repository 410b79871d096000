import DarkNumber
import Testing

/// Every public `interval` call either gives the interval asked for or throws a typed error that
/// names the method: no crash, no silent substitute. A level outside (0, 1) is an error too.
@Suite("Intervals: unavailable kinds are typed errors")
struct IntervalAvailabilityTests {
  /// Whether `body` throws ``EstimationError/intervalNotAvailable(_:reason:)`` for `method`.
  static func refuses(_ method: IntervalMethod, _ body: () throws(EstimationError) -> IntervalEstimate) -> Bool {
    do {
      _ = try body()
      return false
    } catch {
      if case .intervalNotAvailable(let refused, let reason) = error { return refused == method && !reason.isEmpty }
      return false
    }
  }

  @Test("Two-list estimators: Wald and log-normal only")
  func twoList() throws {
    let estimate = try TwoListEstimate(estimator: .chapman, firstList: 100, secondList: 80, overlap: 20)
    #expect(try estimate.interval(.wald).method == .wald)
    #expect(try estimate.interval(.logNormal).method == .logNormal)
    #expect(
      Self.refuses(.profileLikelihood) { () throws(EstimationError) in try estimate.interval(.profileLikelihood) })
    #expect(Self.refuses(.logWald) { () throws(EstimationError) in try estimate.interval(.logWald) })
    #expect(throws: EstimationError.invalidLevel(1)) { try estimate.interval(.wald, level: 1) }
  }

  @Test("Single-source estimators: Wald and log-normal only")
  func singleSource() throws {
    let data = try CaptureFrequencies(counts: [(1, 40), (2, 20), (3, 25), (4, 15)], occasions: .continuous)
    let chao = try SingleSourceEstimate(estimator: .chao, data: data)
    #expect(try chao.interval(.logNormal).method == .logNormal)
    #expect(Self.refuses(.profileLikelihood) { () throws(EstimationError) in try chao.interval(.profileLikelihood) })
    #expect(Self.refuses(.logWald) { () throws(EstimationError) in try chao.interval(.logWald) })
    #expect(throws: EstimationError.invalidLevel(0)) { try chao.interval(.wald, level: 0) }
  }

  @Test("Closed-population models: log-Wald where N̂ = n + exp(β̂₀), a typed refusal for Mb")
  func closedPopulation() throws {
    let data = try ReferenceFixtures.data("HIV")
    let mt = try ClosedPopulationModel.mt.fit(to: data)
    #expect(try mt.interval(.logWald).method == .logWald)
    let mb = try ClosedPopulationModel.mb.fit(to: data)
    #expect(Self.refuses(.logWald) { () throws(EstimationError) in try mb.interval(.logWald) })
    // NaN is no level either (and is never equal to itself, so the case is matched).
    #expect {
      try mt.interval(.wald, level: .nan)
    } throws: { error in
      if case .invalidLevel(let level) = error as? EstimationError { return level.isNaN }
      return false
    }
  }

  @Test("A covariate level's estimate: Wald and log-normal; the profile and log-Wald refused, not replaced by Wald")
  func covariateLevel() throws {
    let data = try ListCoverageTests.trafficking(covariates: ["gender"])
    let fit = try CovariateModel(specification: "main", data: data).fit(to: data)
    let level = try #require(fit.breakdown(covariate: 0).first)
    #expect(try level.interval(.wald).method == .wald)
    #expect(try level.interval(.logNormal).method == .logNormal)
    #expect(Self.refuses(.profileLikelihood) { () throws(EstimationError) in try level.interval(.profileLikelihood) })
    #expect(Self.refuses(.logWald) { () throws(EstimationError) in try fit.totalEstimate.interval(.logWald) })
    // The total's profile interval comes from the fit.
    #expect(try fit.profileLikelihoodInterval().method == .profileLikelihood)
  }

  @Test("Log-linear fits give the four model-based intervals; a level outside (0, 1) is an error")
  func logLinear() throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    let fit = try LogLinearModel.mainEffects(listCount: 5).fit(to: data)
    for method in IntervalMethod.modelBased { #expect(try fit.interval(method).method == method) }
    #expect(throws: EstimationError.invalidLevel(1.5)) { try fit.interval(.logNormal, level: 1.5) }
    #expect(EstimationError.invalidLevel(1.5).description.contains("between 0 and 1"))
  }

  @Test("No single fit gives a bootstrap or credible interval: each refuses them by name")
  func fitsRefuseResamplingIntervals() throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    let fit = try LogLinearModel.mainEffects(listCount: 5).fit(to: data)
    let closed = try ClosedPopulationModel.mt.fit(to: ReferenceFixtures.data("HIV"))
    let twoList = try TwoListEstimate(estimator: .chapman, firstList: 100, secondList: 80, overlap: 20)
    let frequencies = try CaptureFrequencies(counts: [(1, 40), (2, 20), (3, 25), (4, 15)], occasions: .continuous)
    let chao = try SingleSourceEstimate(estimator: .chao, data: frequencies)
    let covariates = try ListCoverageTests.trafficking(covariates: ["gender"])
    let level = try CovariateModel(specification: "main", data: covariates).fit(to: covariates).totalEstimate
    #expect(IntervalMethod.allCases.filter { !$0.isModelBased } == [.bootstrapPercentile, .bootstrapBCa, .credible])
    for method in IntervalMethod.allCases where !method.isModelBased {
      #expect(Self.refuses(method) { () throws(EstimationError) in try fit.interval(method) })
      #expect(Self.refuses(method) { () throws(EstimationError) in try closed.interval(method) })
      #expect(Self.refuses(method) { () throws(EstimationError) in try twoList.interval(method) })
      #expect(Self.refuses(method) { () throws(EstimationError) in try chao.interval(method) })
      #expect(Self.refuses(method) { () throws(EstimationError) in try level.interval(method) })
    }
  }

  @Test("Bootstraps give percentile (and, with a jackknife, BCa) intervals and refuse the rest by name")
  func bootstrapsRefuseModelIntervals() async throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    let fit = try LogLinearModel.mainEffects(listCount: 5).fit(to: data)
    let parametric = try await ParametricBootstrap.run(fit: fit, replicates: 30, seed: 3, concurrency: 1)
    let percentile = try parametric.interval(.bootstrapPercentile, level: 0.9)
    #expect(percentile.method == .bootstrapPercentile && percentile.level == 0.9 && percentile.estimate == fit.total)
    #expect(Self.refuses(.bootstrapBCa) { () throws(EstimationError) in try parametric.interval(.bootstrapBCa) })
    var options = SelectionBootstrap.Options()
    options.replicates = 30
    options.procedure = .fixed(LogLinearModel.mainEffects(listCount: 5))
    options.concurrency = 1
    let bootstrap = try await SelectionBootstrap.run(data: data, options: options)
    #expect(try bootstrap.interval(.bootstrapBCa).method == .bootstrapBCa)
    for method in IntervalMethod.modelBased + [.credible] {
      #expect(Self.refuses(method) { () throws(EstimationError) in try parametric.interval(method) })
      #expect(Self.refuses(method) { () throws(EstimationError) in try bootstrap.interval(method) })
    }
  }

  @Test("A rate's interval is the count's, scaled: limits and estimate, method and notes kept")
  func scaledInterval() throws {
    let fit = try LogLinearModel.mainEffects(listCount: 5).fit(to: ReferenceFixtures.data("UKdat_5"))
    let interval = try fit.interval(.profileLikelihood)
    let rate = interval.scaled(by: 1e-3)
    #expect(rate.method == interval.method && rate.level == interval.level && rate.notes == interval.notes)
    #expect(rate.lower.value == interval.lower.value.map { $0 * 1e-3 })
    #expect(rate.upper.value == interval.upper.value.map { $0 * 1e-3 })
    #expect(rate.estimate == interval.estimate * 1e-3)
    #expect(
      IntervalEstimate(method: .wald, level: 0.9, lower: .finite(1), upper: .unbounded, estimate: 2)
        .scaled(by: 2).upper == .unbounded)
  }

  @Test("The sensitivity analysis refuses a level outside (0, 1) instead of crashing")
  func sensitivityLevel() async throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    await #expect(throws: EstimationError.invalidLevel(1)) {
      _ = try await SensitivityAnalysis.run(data: data, topModels: 0, level: 1)
    }
  }

  @Test("Numerical failures are told without the linear-algebra layer's routines")
  func numericalFailure() {
    let error = EstimationError.numericalFailure(reason: "the design is numerically singular")
    #expect(error.description == "the fit failed numerically: the design is numerically singular.")
  }
}
