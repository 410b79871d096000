import DarkNumber
import Testing

/// Properties any correct log-linear estimator has.
@Suite("Invariances")
struct InvarianceTests {
  @Test(
    "Permuting lists (and the model with them) leaves N̂ unchanged",
    arguments: ["UKdat_5", "Ned", "HIV", "kosovo_aggregate"])
  func permutation(dataset: String) throws {
    let data = try ReferenceFixtures.data(dataset)
    let k = data.listCount
    let order = Array((0..<k).reversed())
    let permuted = data.reorderingLists(order)
    for specification in ["Mt", "[12,23]", "all:2"] {
      let model = try LogLinearModel(specification: specification, listNames: data.listNames)
      // The same terms, written with the permuted lists' positions.
      let names = model.termNames(listNames: data.listNames).joined(separator: ", ")
      let permutedModel = try LogLinearModel(
        specification: names.isEmpty ? "Mt" : names, listNames: permuted.listNames)
      let a = try model.fit(to: data)
      let b = try permutedModel.fit(to: permuted)
      // IRLS stops at a 1e-10 relative deviance change; estimates agree far below 1e-8.
      #expect(isClose(a.total, b.total, relative: 1e-8), "\(specification)")
      #expect(isClose(a.deviance, b.deviance, relative: 1e-8, absolute: 1e-8))
    }
  }

  @Test("Scaling every count by k scales N̂ by k", arguments: [2, 3, 10])
  func scaling(k: Int) throws {
    for dataset in ["UKdat_5", "hare", "spina"] {
      let data = try ReferenceFixtures.data(dataset)
      let scaled = try CaptureData(
        listNames: data.listNames, counts: data.cells.map { ($0.history, $0.count * k) })
      let model = LogLinearModel.mainEffects(listCount: data.listCount)
      let base = try model.fit(to: data).total
      let result = try model.fit(to: scaled).total
      #expect(isClose(result, Double(k) * base, relative: 1e-9), "\(dataset)")
    }
  }

  @Test("N̂ is at least the number observed, and intervals contain N̂")
  func ordering() throws {
    for dataset in ["UKdat_5", "Ned_5", "HIV", "dga_MY5", "spina"] {
      let data = try ReferenceFixtures.data(dataset)
      let fit = try LogLinearModel.mainEffects(listCount: data.listCount).fit(to: data)
      #expect(fit.total >= Double(data.observedTotal))
      for method in IntervalMethod.modelBased {
        let interval = try fit.interval(method, level: 0.9)
        #expect((interval.lower.value ?? 0) <= fit.total && fit.total <= (interval.upper.value ?? .infinity))
      }
    }
  }
}
