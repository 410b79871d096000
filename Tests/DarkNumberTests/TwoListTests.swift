import Foundation
import DarkNumber
import Testing

@Suite("Two-list estimators")
struct TwoListTests {
  @Test("Hand-computed case: n₁ = 100, n₂ = 80, m = 20")
  func handComputed() throws {
    let petersen = try TwoListEstimate(estimator: .lincolnPetersen, firstList: 100, secondList: 80, overlap: 20)
    #expect(petersen.total == 400)
    // n₁n₂(n₁−m)(n₂−m)/m³ = 100·80·80·60/8000 = 4800.
    #expect(isClose(petersen.standardError, 4800.0.squareRoot(), relative: 1e-14))
    let chapman = try TwoListEstimate(estimator: .chapman, firstList: 100, secondList: 80, overlap: 20)
    // 101·81/21 − 1 = 8160/21 = 388.571428…
    #expect(isClose(chapman.total, 8160.0 / 21.0, relative: 1e-14))
    // 101·81·80·60/(21²·22) = 39268800/9702.
    #expect(isClose(chapman.standardError, (39_268_800.0 / 9702.0).squareRoot(), relative: 1e-14))
    #expect(chapman.observedTotal == 160)
  }

  @Test("Chao (1987) log-normal interval on the Chapman estimate, computed by hand")
  func logNormalInterval() throws {
    // Chao (1987) log-normal interval, by hand: f₀ = N̂ − n, C = exp(1.959964·√log(1 + SE²/f₀²)).
    let estimate = try TwoListEstimate(estimator: .chapman, firstList: 100, secondList: 80, overlap: 20)
    let interval = try estimate.interval(.logNormal, level: 0.95)
    let f0 = 8160.0 / 21.0 - 160
    let variance = 39_268_800.0 / 9702.0
    let c = Foundation.exp(1.959963984540054 * Foundation.log(1 + variance / (f0 * f0)).squareRoot())
    #expect(isClose(interval.lower.value ?? .nan, 160 + f0 / c, relative: 1e-12))
    #expect(isClose(interval.upper.value ?? .nan, 160 + f0 * c, relative: 1e-12))
  }

  @Test("Published example: 100 trout tagged, 100 caught a month later, 10 tagged (RPubs 429479)")
  func publishedTrout() throws {
    // The tutorial reports Lincoln–Petersen 1000 and Chapman 926 (rounded).
    let petersen = try TwoListEstimate(estimator: .lincolnPetersen, firstList: 100, secondList: 100, overlap: 10)
    #expect(petersen.total == 1000)
    let chapman = try TwoListEstimate(estimator: .chapman, firstList: 100, secondList: 100, overlap: 10)
    #expect(chapman.total.rounded() == 926)
  }

  @Test("Lincoln–Petersen equals the main-effects log-linear estimate for two lists")
  func equalsLogLinear() throws {
    let data = try CaptureData(
      listNames: ["A", "B"],
      counts: [
        (CaptureHistory(lists: [0])!, 80), (CaptureHistory(lists: [1])!, 60), (CaptureHistory(lists: [0, 1])!, 20),
      ])
    let fit = try LogLinearModel.mainEffects(listCount: 2).fit(to: data)
    let petersen = try TwoListEstimate(estimator: .lincolnPetersen, data: data)
    #expect(isClose(fit.total, petersen.total, relative: 1e-9))
    #expect(isClose(fit.total, 400, relative: 1e-9))
    #expect(fit.degreesOfFreedom == 0)
  }

  @Test("No overlap: Lincoln–Petersen has no estimate, Chapman does")
  func noOverlap() throws {
    #expect(throws: EstimationError.noOverlap) {
      try TwoListEstimate(estimator: .lincolnPetersen, firstList: 10, secondList: 12, overlap: 0)
    }
    #expect(try TwoListEstimate(estimator: .chapman, firstList: 10, secondList: 12, overlap: 0).total == 142)
  }

  @Test("Both estimators on a table: rows equal the constructors; no overlap is a row saying why, not a gap")
  func allEstimators() throws {
    let data = try CaptureData(csv: Array("A,B,count\n1,0,100\n0,1,80\n1,1,20\n".utf8))
    let rows = try TwoListEstimate.all(data: data, level: 0.9)
    #expect(rows.map(\.estimator) == [.lincolnPetersen, .chapman])
    for row in rows {
      let direct = try TwoListEstimate(estimator: row.estimator, data: data)
      #expect(try row.outcome.get() == direct)
      #expect(row.intervals == [try direct.interval(.wald, level: 0.9), try direct.interval(.logNormal, level: 0.9)])
    }
    // Lists of 120 and 100 sharing 20: Lincoln–Petersen 120 · 100 / 20 = 600.
    #expect(isClose(try rows[0].outcome.get().total, 600, relative: 1e-14))
    let apart = try CaptureData(csv: Array("A,B,count\n1,0,100\n0,1,80\n".utf8))
    let separate = try TwoListEstimate.all(data: apart)
    #expect(throws: EstimationError.noOverlap) { try separate[0].outcome.get() }
    #expect(separate[0].intervals.isEmpty)
    #expect(try separate[1].outcome.get().total == 101 * 81 - 1)
    let three = try #require(Dataset.named("HIV")).captureData()
    #expect(throws: EstimationError.needsTwoLists(three.listCount)) { try TwoListEstimate.all(data: three) }
    #expect(throws: EstimationError.invalidListCounts(firstList: 10, secondList: 5, overlap: 6)) {
      try TwoListEstimate(estimator: .chapman, firstList: 10, secondList: 5, overlap: 6)
    }
  }
}
