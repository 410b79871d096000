import DarkNumber
import DarkNumberBayes
import Testing

@Suite("Decomposable-graph model averaging: grids, priors, warnings, errors")
struct GraphModelAveragingBehaviourTests {
  @Test("The automatic grid widens until the top 1% holds < 1e-6; a truncating fixed grid gets a warning")
  func automaticGrid() async throws {
    // HIV with δ = 2^-4: dga's reference run needed Nmissing up to 20n.
    let data = try BayesFixtures.data("HIV")
    let automatic = try await GraphModelAveraging.run(data: data)
    #expect(automatic.massNearTop < 1e-6)
    #expect(automatic.gridWidenings >= 2)
    #expect(automatic.warnings.isEmpty)
    let same = try await GraphModelAveraging.run(
      data: data, options: .init(grid: .fixed(automatic.grid)))
    #expect(same.summary.mean == automatic.summary.mean)
    let narrow = try await GraphModelAveraging.run(
      data: data, options: .init(grid: .fixed(try MissingGrid(start: 0, stop: 5 * data.observedTotal))))
    #expect(narrow.massNearTop > 1e-6)
    #expect(narrow.warnings.contains(.massNearGridTop(narrow.massNearTop)))
    #expect(narrow.summary.mean < automatic.summary.mean)
  }

  @Test("Renaming and reordering the lists changes neither the posterior of N nor the model weights")
  func invariance() async throws {
    let data = try BayesFixtures.data("HIV")
    let options = GraphModelAveraging.Options(grid: .fixed(try MissingGrid(start: 0, stop: 20_000, step: 4)))
    let original = try await GraphModelAveraging.run(data: data, options: options)
    let permuted = try await GraphModelAveraging.run(data: data.reorderingLists([2, 0, 3, 1]), options: options)
    #expect(isClose(permuted.summary.mean, original.summary.mean, relative: 1e-10))
    #expect(isClose(permuted.models[0].weight, original.models[0].weight, relative: 1e-9))
    let name = { (result: GraphAveragingResult, model: GraphAveragingResult.Model) in
      Set(model.graph.sortedCliques.map { Set($0.map { result.listNames[$0] }) })
    }
    #expect(name(permuted, permuted.models[0]) == name(original, original.models[0]))
  }

  @Test("Priors: uniform and custom log-priors enter as log p(N); a custom prior equal to 1/N reproduces the default")
  func priors() async throws {
    let data = try BayesFixtures.data("dga_MY3")
    let grid = GraphModelAveraging.Grid.fixed(try MissingGrid(start: 0, stop: 3_130))
    let reciprocal = try await GraphModelAveraging.run(data: data, options: .init(delta: 1, grid: grid))
    let custom = try await GraphModelAveraging.run(
      data: data, options: .init(delta: 1, prior: .custom { -Double.log($0) }, grid: grid))
    #expect(isClose(custom.summary.mean, reciprocal.summary.mean, relative: 1e-12))
    let uniform = try await GraphModelAveraging.run(data: data, options: .init(delta: 1, prior: .uniform, grid: grid))
    #expect(uniform.summary.mean > reciprocal.summary.mean)
    await #expect(throws: BayesError.self) {
      try await GraphModelAveraging.run(data: data, options: .init(prior: .custom { _ in .nan }, grid: grid))
    }
  }

  @Test("Lists that never overlap: a warning, and under p(N) ∝ 1 a typed error instead of a number")
  func noOverlap() async throws {
    let data = try CaptureData(
      listNames: ["A", "B", "C"],
      counts: [
        (CaptureHistory(lists: [0])!, 40), (CaptureHistory(lists: [1])!, 35),
        (CaptureHistory(lists: [2])!, 20), (CaptureHistory(lists: [0, 1])!, 5),
      ])
    let result = try await GraphModelAveraging.run(data: data, options: .init(delta: 1))
    #expect(result.warnings.contains(.listWithoutOverlap(list: "C")))
    let disjoint = try CaptureData(
      listNames: ["A", "B", "C"],
      counts: [(CaptureHistory(lists: [0])!, 40), (CaptureHistory(lists: [1])!, 35), (CaptureHistory(lists: [2])!, 20)])
    await #expect(throws: BayesError.self) {
      try await GraphModelAveraging.run(data: disjoint, options: .init(prior: .uniform))
    }
  }

  @Test("Invalid settings are typed errors")
  func invalid() async throws {
    let data = try BayesFixtures.data("dga_MY3")
    await #expect(throws: BayesError.self) { try await GraphModelAveraging.run(data: data, options: .init(delta: 0)) }
    await #expect(throws: BayesError.self) {
      try await GraphModelAveraging.run(data: data, options: .init(delta: -.infinity))
    }
    await #expect(throws: BayesError.self) {
      try await GraphModelAveraging.run(data: data, options: .init(grid: .automatic(tolerance: 0)))
    }
    #expect(throws: BayesError.self) { try MissingGrid(start: -1, stop: 10) }
    #expect(throws: BayesError.self) { try MissingGrid(start: 5, stop: 4) }
    #expect(throws: BayesError.self) { try MissingGrid(start: 0, stop: 10, step: 0) }
    let eight = try CaptureData(
      listNames: (1...8).map { "L\($0)" }, counts: [(CaptureHistory(lists: [0, 1])!, 3)])
    await #expect(throws: BayesError.tooManyListsForGraphAveraging(8)) {
      try await GraphModelAveraging.run(data: eight)
    }
  }

  @Test("A model prior of −∞ removes a graph; six lists work (18,154 graphs)")
  func modelPriorAndSixLists() async throws {
    let data = try BayesFixtures.data("dga_MY3")
    let grid = GraphModelAveraging.Grid.fixed(try MissingGrid(start: 0, stop: 3_130))
    let result = try await GraphModelAveraging.run(
      data: data,
      options: .init(delta: 1, grid: grid, modelLogPrior: { $0.edgeCount == 3 ? -.infinity : 0 }))
    #expect(result.models.first { $0.graph.edgeCount == 3 }?.weight == 0)
    #expect(isClose(result.models.reduce(0) { $0 + $1.weight }, 1, relative: 1e-12))
    let uk = try BayesFixtures.data("UKdat")
    let six = try await GraphModelAveraging.run(
      data: uk, options: .init(grid: .fixed(try MissingGrid(start: 0, stop: 10 * uk.observedTotal, step: 10))))
    #expect(six.models.count == 18_154)
    #expect(six.summary.median > Double(six.observedTotal))
  }
}
