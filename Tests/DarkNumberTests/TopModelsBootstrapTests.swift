import Testing

@testable import DarkNumber

/// MultipleSystemsEstimation's `vary_ntop_bca`: one pass per replicate gives the bootstrap for
/// every number of top models, each exactly the bootstrap that re-selects among that many.
@Suite("BCa for the top n models (vary_ntop_bca)")
struct TopModelsBootstrapTests {
  @Test("Each row equals the bootstrap with that candidate limit, replicate for replicate")
  func rowsEqualLimitedBootstraps() async throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    var options = SelectionBootstrap.Options()
    options.replicates = 60
    options.procedure = .criterion(.bic, maximumOrder: 2, candidateLimit: nil)
    let varied = try await TopModelsBootstrap.run(data: data, tops: [20, 1, 5, nil], options: options)
    #expect(varied.rows.map(\.top).prefix(3) == [1, 5, 20])
    #expect(varied.rows.last?.isAll == true && varied.rows.dropLast().allSatisfy { !$0.isAll })
    #expect(varied.estimate == (try await SelectionBootstrap.run(data: data, options: options)).estimate)
    for row in varied.rows {
      options.procedure = .criterion(.bic, maximumOrder: 2, candidateLimit: row.isAll ? nil : row.top)
      let single = try await SelectionBootstrap.run(data: data, options: options)
      #expect(row.replicates == single.replicates, "top \(row.top)")
      #expect(row.acceleration == single.acceleration, "top \(row.top)")
      #expect(
        try row.interval(.bootstrapBCa).lowerValue == (try single.interval(.bootstrapBCa)).lowerValue,
        "top \(row.top)")
    }
    // With one model the replicates refit the data's best model: they vary less than with all.
    let spread = { (row: TopModelsBootstrap.Row) in
      let sorted = row.sortedReplicates
      return sorted[sorted.count * 9 / 10] - sorted[sorted.count / 10]
    }
    #expect(spread(varied.rows[0]) < spread(varied.rows[3]))
  }

  @Test("Only a criterion's selection, and n of at least 1")
  func refused() async throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    await #expect(throws: EstimationError.self) {
      try await TopModelsBootstrap.run(data: data, tops: [5])  // stepwise by default
    }
    var options = SelectionBootstrap.Options()
    options.procedure = .criterion(.bic, maximumOrder: 2, candidateLimit: nil)
    await #expect(throws: EstimationError.self) {
      try await TopModelsBootstrap.run(data: data, tops: [0], options: options)
    }
    await #expect(throws: EstimationError.self) {
      try await TopModelsBootstrap.run(data: data, tops: [], options: options)
    }
  }
}
