import DarkNumberBayes
import Testing

@Suite("Posterior summaries")
struct PosteriorSummaryTests {
  @Test(
    "Summaries of draws equal R's mean, sd and quantile(type 7) of LCMCR's draws to 1e-12",
    arguments: ["HIV", "Ned_5", "UKdat", "UKdat_5", "dga_MY5", "kosovo_aggregate"])
  func lcmcrDraws(dataset: String) throws {
    let document = try BayesFixtures.json("lcmcr")
    let results = try #require(document["results"] as? [String: [String: Any]])
    let reference = try #require(results[dataset]?["posterior_N"] as? [String: Double])
    let summary = PosteriorSummary(draws: try BayesFixtures.lcmcrDraws(dataset))
    let pairs: [(Double, String)] = [
      (summary.mean, "mean"), (summary.standardDeviation, "sd"), (summary.median, "median"),
      (summary.quantile(0.025)!, "q025"), (summary.quantile(0.05)!, "q05"),
      (summary.quantile(0.25)!, "q25"), (summary.quantile(0.75)!, "q75"),
      (summary.quantile(0.95)!, "q95"), (summary.quantile(0.975)!, "q975"),
    ]
    for (mine, key) in pairs {
      let theirs = try #require(reference[key])
      #expect(isClose(mine, theirs, relative: 1e-12), "\(dataset) \(key): \(mine) vs \(theirs)")
    }
    #expect(summary.intervals.map(\.level) == [0.90, 0.95])
  }

  @Test("A grid distribution: quantile = first value whose cumulative mass reaches p; the mode; by hand")
  func grid() {
    let summary = PosteriorSummary(values: [10, 11, 12, 13], weights: [0.1, 0.4, 0.3, 0.2])
    #expect(isClose(summary.mean, 11.6, relative: 1e-15))
    #expect(isClose(summary.standardDeviation, 0.84.squareRoot(), relative: 1e-15))
    #expect(summary.median == 11)  // cumulative 0.5 reached exactly at 11
    #expect(summary.quantile(0.025) == 10 && summary.quantile(0.975) == 13)
    #expect(summary.mode == 11)
    let draws = PosteriorSummary(draws: [3, 1, 2, 2, 5])
    #expect(draws.mode == 2 && draws.median == 2)
    #expect(isClose(draws.quantile(0.25)!, 2, relative: 0))
  }
}
