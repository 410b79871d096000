import DarkNumber
import Foundation
import Testing

/// Cruyff's search path (`mse::model_search`): three stepwise stages, each from the previous end
/// and never below it, ending where no single move improves its penalty; the table's criteria
/// are the fits' and the reported model has the smallest BIC on the path.
@Suite("Covariates: Cruyff's search path")
struct CovariateSearchPathTests {
  static let candidates: CovariateSelection.Candidates = [.listPairs, .covariateLists]

  /// Two-factor terms of the candidate kinds among `data`'s lists and covariates.
  static func pool(_ data: CovariateCaptureData) -> [String] {
    let names = data.listNames + data.covariates.map(\.name)
    var result: [String] = []
    for a in names.indices {
      for b in (a + 1)..<names.count where a < data.listCount { result.append("\(names[a]):\(names[b])") }
    }
    return result
  }

  /// `−2ℓ + penalty · rank` of the model with `terms` on `data`, or `nil` when it has no estimate.
  static func score(_ terms: [String], data: CovariateCaptureData, penalty: Double) -> Double? {
    let model = try? CovariateModel(specification: terms.isEmpty ? "main" : terms.joined(separator: ", "), data: data)
    guard let fit = try? model?.fit(to: data) else { return nil }
    return -2 * fit.logLikelihood + penalty * Double(fit.rank)
  }

  @Test("Each stage ends where no single add or drop above its floor improves its penalty")
  func stagesAreLocalOptima() throws {
    let data = try ListCoverageTests.trafficking()
    let path = try CovariateSearchPath(
      data: data, start: try CovariateModel(specification: "main", data: data), candidates: Self.candidates)
    #expect(path.stages.count == 3)
    #expect(path.stages[1].path.first?.model == path.stages[0].fit.model.description)
    #expect(path.stages[2].path.first?.model == path.stages[1].fit.model.description)
    let n = Double(data.observedTotal)
    var floor: [String] = []
    for (stage, penalty) in zip(path.stages, [Double.log(n), 2, 1]) {
      // The stage's terms: the floor plus what it added.
      var terms = floor
      for step in stage.steps {
        if step.added { terms.append(step.term) } else { terms.removeAll { $0 == step.term } }
      }
      let current = try #require(Self.score(terms, data: data, penalty: penalty))
      for term in Self.pool(data) where !terms.contains(term) {
        if let value = Self.score(terms + [term], data: data, penalty: penalty) {
          #expect(value >= current - 1e-6, "adding \(term) improves the stage with penalty \(penalty)")
        }
      }
      for term in terms where !floor.contains(term) {
        if let value = Self.score(terms.filter { $0 != term }, data: data, penalty: penalty) {
          #expect(value >= current - 1e-6, "dropping \(term) improves the stage with penalty \(penalty)")
        }
      }
      floor = terms
    }
  }

  @Test("The table: criteria of the fits, deltas from the minimum, the smallest BIC reported")
  func table() throws {
    let data = try ListCoverageTests.lateStart()
    let path = try CovariateSearchPath(
      data: data, start: try CovariateModel(specification: "main", data: data), candidates: Self.candidates)
    let entries = path.entries
    #expect(entries.count == path.stages.reduce(1) { $0 + $1.steps.count })
    #expect(entries.first?.model.step == "start")
    let smallest = try #require(entries.map(\.bic).min())
    #expect(entries[path.chosen].bic == smallest)
    #expect(isClose(path.fit.bic, smallest, relative: 1e-9))
    let last = try #require(entries.last)
    #expect(isClose(last.aic, path.stages[2].fit.aic, relative: 1e-9))
    let p = Double(last.model.coefficients)
    let n = Double(data.observedTotal)
    #expect(isClose(last.aicc, last.aic + 2 * (p * p + p) / (n - p - 1), relative: 1e-12))
    #expect(entries.allSatisfy { $0.model.total.isFinite && $0.model.total > n })
  }
}
