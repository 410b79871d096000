import DarkNumber
import DarkNumberBayes
import Foundation
import RealModule
import Testing

@Suite("Decomposable-graph model averaging against dga 2.0.2")
struct GraphModelAveragingTests {
  /// `"Nmissing = seq(0, 3130, by = 1) (3131 values)"` → the grid.
  static func grid(_ text: String) throws -> MissingGrid {
    let inside = try #require(text.split(separator: "(").dropFirst().first)
    let numbers = inside.split(separator: ",").map {
      Int($0.split(separator: "=").last!.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber })!
    }
    return try MissingGrid(start: numbers[0], stop: numbers[1], step: numbers[2])
  }

  /// `"[L1,L2][L3]"` → `[["L1","L2"],["L3"]]` as a set of sets.
  static func cliques(_ name: String) -> Set<Set<String>> {
    Set(
      name.dropFirst().dropLast().components(separatedBy: "][").map {
        Set($0.split(separator: ",").map(String.init))
      })
  }

  @Test("Posterior of N and top model weights on every dga reference run, to 1e-6")
  func reference() async throws {
    let document = try BayesFixtures.json("dga")
    let results = try #require(document["results"] as? [[String: Any]])
    #expect(results.count == 18)
    for run in results {
      let name = run["dataset"] as! String
      let label = run["label"] as! String
      let data = try BayesFixtures.data(name)
      var options = GraphModelAveraging.Options(
        delta: run["delta"] as? Double, grid: .fixed(try Self.grid(run["grid"] as! String)))
      if label.contains("negative-binomial") {
        options.prior = .negativeBinomial(size: 13.14, odds: 55.17)
      }
      let result = try await GraphModelAveraging.run(data: data, options: options)
      let context = "\(name) \(label)"
      #expect(result.models.count == run["n_models"] as! Int, "\(context)")
      let summary = result.summary
      for (mine, key) in [
        (summary.mean, "post_mean"), (summary.standardDeviation, "post_sd"),
        (summary.median, "post_median"), (summary.quantile(0.025)!, "q025"),
        (summary.quantile(0.975)!, "q975"), (summary.mode, "post_mode"),
      ] {
        let reference = run[key] as! Double
        #expect(isClose(mine, reference, relative: 1e-6), "\(context) \(key): \(mine) vs \(reference)")
      }
      let mass = run["mass_at_grid_top_1pct"] as! Double
      #expect(
        isClose(result.massNearTop, mass, relative: 1e-6, absolute: 1e-15),
        "\(context) top mass \(result.massNearTop) vs \(mass)")
      for model in run["top5_models"] as! [[String: Any]] {
        let wanted = Self.cliques(model["model"] as! String)
        let mine = try #require(result.models.first { Self.cliques(result.name(of: $0)) == wanted })
        let weight = model["weight"] as! Double
        let mean = model["post_mean_N_given_model"] as! Double
        #expect(isClose(mine.weight, weight, relative: 1e-6), "\(context) \(wanted) weight \(mine.weight) vs \(weight)")
        #expect(isClose(mine.meanTotal ?? .nan, mean, relative: 1e-6), "\(context) \(wanted) mean")
      }
    }
  }
}
