import DarkNumber
import Testing

/// The closedp.t / closedp.0 table as one library call: each row is the model's own fit (or the
/// estimator's own estimate), failures are rows, and the options reach the models.
@Suite("Closed-population model table")
struct ClosedPopulationTableTests {
  @Test("hare: the 12 closedp.t rows equal the models' fits; Rcapture's Mt N̂; profile intervals except Mb, Mbh")
  func histories() throws {
    let data = try #require(Dataset.named("hare")).captureData()
    let table = try ClosedPopulationTable(data: data, level: 0.9)
    #expect(table.observedTotal == data.observedTotal)
    #expect(table.rows.map(\.name) == ClosedPopulationModel.standard.map(\.description))
    for (row, model) in zip(table.rows, ClosedPopulationModel.standard) {
      let fit = try model.fit(to: data)
      #expect(row.total == fit.total && row.standardError == fit.standardError && row.deviance == fit.deviance)
      #expect(row.aic == fit.aic && row.bic == fit.bic && row.degreesOfFreedom == fit.degreesOfFreedom)
      switch model {
      case .mb, .mbh:
        #expect(row.interval == nil && row.diagnostics.contains { $0.hasPrefix("no profile interval") })
      default:
        #expect(row.interval == (try fit.interval(.profileLikelihood, level: 0.9)))
      }
    }
    // Rcapture closedp.t, hare, Mt.
    #expect(isClose(table.rows[1].total ?? .nan, 75.0662013449291, relative: 1e-9))
    #expect(throws: EstimationError.invalidLevel(2)) { try ClosedPopulationTable(data: data, level: 2) }
  }

  @Test("θ reaches the Poisson and Gamma models; bias-corrected rows are closedp.bc's estimates")
  func options() throws {
    let data = try ReferenceFixtures.data("HIV")
    let table = try ClosedPopulationTable(data: data, poissonTheta: 3, gammaTheta: 2.5, biasCorrected: true)
    let poisson = try #require(table.rows.first { $0.name == "Mh Poisson3" })
    #expect(poisson.total == (try ClosedPopulationModel.mh(.poisson(theta: 3)).fit(to: data)).total)
    #expect(table.rows.contains { $0.name == "Mth Gamma2.5" })
    let corrected = table.rows.filter { $0.name.hasSuffix(" bc") }
    #expect(!corrected.isEmpty)
    for row in corrected {
      let model = try #require(
        ClosedPopulationTableTests.model(named: String(row.name.dropLast(3)), poissonTheta: 3, gammaTheta: 2.5))
      let estimate = try BiasCorrectedEstimate(model: model, data: data)
      #expect(row.total == estimate.total && row.standardError == estimate.standardError)
    }
  }

  @Test("ill in continuous time: closedp.0 rows, then Chao and Zelterman from f₁ and f₂")
  func frequencies() throws {
    let dataset = try #require(Dataset.named("captures-per-unit/ill"))
    let data = try CaptureFrequencies(csv: Array(dataset.csv.utf8), occasions: .continuous)
    let table = try ClosedPopulationTable(frequencies: data, truncation: 6)
    #expect(table.rows.map(\.name).suffix(2) == ["Chao (f1, f2)", "Zelterman (f1, f2)"])
    // rcapture-closedp-0.json, ill, Mh Chao (LB).
    #expect(isClose(table.rows[1].total ?? .nan, 9273.51092896172, relative: 1e-9))
    let chao = try SingleSourceEstimate(estimator: .chao, data: data)
    #expect(table.rows[table.rows.count - 2].total == chao.total)
  }

  /// The standard model named `name` with the given θ.
  static func model(named name: String, poissonTheta: Double, gammaTheta: Double) -> ClosedPopulationModel? {
    let models: [ClosedPopulationModel] = [
      .m0, .mt, .mh(.chao), .mh(.poisson(theta: poissonTheta)), .mh(.darroch), .mh(.gamma(theta: gammaTheta)),
      .mth(.chao), .mth(.poisson(theta: poissonTheta)), .mth(.darroch), .mth(.gamma(theta: gammaTheta)), .mb, .mbh,
    ]
    return models.first { $0.description == name }
  }
}
