import Foundation
import DarkNumber
import Testing

@Suite("Intervals")
struct IntervalTests {
  @Test("Everybody on both lists: N̂ = n at the boundary, profile lower limit set to n")
  func everybodyObserved() throws {
    let data = try CaptureData(listNames: ["A", "B"], counts: [(CaptureHistory(lists: [0, 1])!, 10)])
    let fit = try LogLinearModel.mainEffects(listCount: 2).fit(to: data)
    #expect(isClose(fit.total, 10, relative: 1e-8))
    #expect(fit.warnings.contains(.unobservedCountAtZero))
    let profile = try fit.interval(.profileLikelihood)
    #expect(profile.lower == .finite(10))
    #expect(profile.notes.contains(.lowerLimitSetToObserved))
    #expect((profile.upper.value ?? .infinity) > 10)
  }

  @Test("Wald and log-normal limits follow their formulas (UKdat_5, main effects)")
  func formulas() throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    let fit = try LogLinearModel.mainEffects(listCount: 5).fit(to: data)
    let z90 = 1.6448536269514722
    let wald = try fit.interval(.wald, level: 0.9)
    #expect(isClose(wald.lower.value ?? .nan, fit.total - z90 * fit.standardError, relative: 1e-12))
    #expect(isClose(wald.upper.value ?? .nan, fit.total + z90 * fit.standardError, relative: 1e-12))
    let logNormal = try fit.interval(.logNormal, level: 0.9)
    let f0 = fit.unobserved
    let ratio = fit.standardError / f0
    // C = exp(z √log(1 + SE²/f₀²)); the limits are n + f₀/C and n + f₀C.
    let lower = try #require(logNormal.lower.value)
    let upper = try #require(logNormal.upper.value)
    let c = (upper - 2744) / f0
    #expect(isClose((lower - 2744) * c, f0, relative: 1e-12))
    #expect(isClose(c, expOf(z90 * (logOf(1 + ratio * ratio)).squareRoot()), relative: 1e-12))
  }

  @Test("The profile limits sit where the log-likelihood has dropped by χ²₁(level)/2")
  func profileDrop() throws {
    let data = try ReferenceFixtures.data("HIV")
    let model = LogLinearModel.mainEffects(listCount: 4)
    let interval = try model.fit(to: data).interval(.profileLikelihood, level: 0.8)
    var profile = try ProfileLikelihood(model: model, data: data)
    let top = try profile.logLikelihood(at: interval.estimate)
    let drop = 1.2815515655446004 * 1.2815515655446004 / 2
    for limit in [interval.lower, interval.upper] {
      let value = try #require(limit.value)
      #expect(abs(try profile.logLikelihood(at: value) - (top - drop)) < 1e-6)
    }
  }
}

private func expOf(_ x: Double) -> Double { Foundation.exp(x) }
private func logOf(_ x: Double) -> Double { Foundation.log(x) }
