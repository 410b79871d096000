import Testing

@testable import DarkNumber

/// Selection by an information criterion with existence checks, downhill search, and the
/// bootstrap that re-runs them (MultipleSystemsEstimation's `estimate_population_bic`,
/// `downhill_fit`; Silverman, Chan & Vincent 2024). No R values exist for these on the shared
/// tables, so each is checked against its definition computed by the general fitting path.
@Suite("Criterion and downhill selection, and their bootstrap")
struct CriterionSelectionTests {
  @Test("Models passed over really fail the check; MultipleSystemsEstimation's defaults")
  func passedOver() async throws {
    let data = try ReferenceFixtures.data("Ned")
    var options = CriterionSelection.Options()
    options.maximumOrder = 2
    let selection = try await CriterionSelection.run(data: data, options: options)
    for (model, code) in selection.passedOver {
      #expect(try ExistenceCheck(model: model, data: data).sparseMSECode == code)
    }
    #expect(try ExistenceCheck(model: selection.model, data: data).sparseMSECode == 0)
    #expect(CriterionSelection.defaultMaximumOrder(listCount: 5) == 3)
    #expect(CriterionSelection.defaultMaximumOrder(listCount: 6) == 2)
    #expect(CriterionSelection.defaultCandidateLimit(listCount: 4) == 20)
  }

  @Test(
    "The selection is the first model of Rcapture's closedpMS.t BIC ranking whose MLE exists; N̂ as R's to 1e-6",
    arguments: ["HIV", "kosovo_aggregate", "UKdat_5", "Ned_5", "dga_MY5"])
  func rcaptureRanking(dataset: String) async throws {
    let data = try ReferenceFixtures.data(dataset)
    let rows = try ModelSearchTests.csv("closedpMS_\(dataset)")
      .map {
        (model: $0["model"] ?? "", bic: Double($0["BIC"] ?? "") ?? .nan, total: Double($0["abundance"] ?? "") ?? .nan)
      }
      .sorted { $0.bic < $1.bic }
    var options = CriterionSelection.Options()
    options.maximumOrder = data.listCount - 1
    let selection = try await CriterionSelection.run(data: data, options: options)
    var expected: (model: String, total: Double)?
    for row in rows {
      let model = try LogLinearModel(specification: row.model, listNames: data.listNames)
      if try ExistenceCheck(model: model, data: data).sparseMSECode == 0 {
        expected = (row.model, row.total)
        break
      }
    }
    let reference = try #require(expected)
    #expect(selection.model.description == reference.model)
    #expect(isClose(selection.fit.total, reference.total, relative: 1e-6))
  }

  @Test("Artificial_3: the selection skips models whose MLE does not exist or is not identifiable")
  func artificial() async throws {
    let data = try ReferenceFixtures.data("Artificial_3")
    let selection = try await CriterionSelection.run(data: data)
    #expect(try ExistenceCheck(model: selection.model, data: data).sparseMSECode == 0)
    let candidates = try selection.candidates(limit: nil)
    for candidate in candidates {
      #expect(try ExistenceCheck(model: candidate.model, data: data).sparseMSECode == 0)
    }
    let names = Set(candidates.map(\.model.description))
    #expect(!names.contains("[12,13,23]"))
    #expect(!names.contains("[12,3]"))
  }

  @Test("Re-selection on the data's own counts picks the data's selection with the same N̂")
  func candidateSetOnData() async throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    var options = CriterionSelection.Options()
    options.maximumOrder = 2
    let selection = try await CriterionSelection.run(data: data, options: options)
    let counts = [0] + data.denseCounts()
    let set = CandidateSet(
      models: try selection.candidates(limit: nil).map(\.model),
      scorer: ModelScorer(
        criterion: .bic, listNames: data.listNames, observedTotal: data.observedTotal,
        fitOptions: FitOptions()),
      counts: counts)
    var workspace = ModelScorer.Workspace(listCount: 5)
    let choice = try #require(set.select(counts: counts, cache: ExistenceCache(), workspace: &workspace))
    #expect(set.models[choice.index] == selection.model)
    #expect(isClose(choice.total, selection.fit.total, relative: 1e-7))
  }

  /// The independent oracle `Notebooks/reference/make_selection_fixtures.py` (statsmodels GLM,
  /// scipy HiGHS for the linear program): BIC selection, downhill search, jackknife `â`.
  static func oracle(_ dataset: String) throws -> [String: Any] {
    let document = try ReferenceFixtures.load("statsmodels-selection")
    let results = try #require(document["results"] as? [String: [String: Any]])
    return try #require(results[dataset])
  }

  @Test(
    "BIC selection and downhill search equal the statsmodels/HiGHS oracle: models, path, N̂ and BIC to 1e-6",
    arguments: ["UKdat_5", "kosovo_aggregate", "Western", "Ned_5"])
  func againstOracle(dataset: String) async throws {
    let data = try ReferenceFixtures.data(dataset)
    let reference = try Self.oracle(dataset)
    let parse = { (text: String) throws -> LogLinearModel in
      try LogLinearModel(specification: text, listNames: data.listNames)
    }
    let bic = try #require(reference["bic"] as? [String: Any])
    var options = CriterionSelection.Options()
    options.maximumOrder = try #require(bic["maxOrder"] as? Int)
    let selection = try await CriterionSelection.run(data: data, options: options)
    #expect(selection.model == (try parse(try #require(bic["model"] as? String))))
    #expect(isClose(selection.fit.total, try #require(bic["total"] as? Double), relative: 1e-6))
    #expect(isClose(selection.fit.bic, try #require(bic["value"] as? Double), relative: 1e-6))
    let downhill = try #require(reference["downhill"] as? [String: Any])
    let search = try DownhillSelection(data: data)
    #expect(search.path == (try (try #require(downhill["path"] as? [String])).map(parse)))
    #expect(isClose(search.fit.total, try #require(downhill["total"] as? Double), relative: 1e-6))
    #expect(isClose(search.fit.bic, try #require(downhill["bic"] as? Double), relative: 1e-6))
    #expect(search.modelsConsidered == downhill["considered"] as? Int)
  }

  @Test("Jackknife acceleration of the BIC bootstrap (Kosovo, order 3, all models) equals the oracle's to 1e-6")
  func jackknife() async throws {
    let data = try ReferenceFixtures.data("kosovo_aggregate")
    let reference = try #require(try Self.oracle("kosovo_aggregate")["jackknifeAcceleration"] as? [String: Any])
    var options = SelectionBootstrap.Options()
    options.replicates = 10
    options.fitOptions = FitOptions()
    options.procedure = .criterion(
      .bic, maximumOrder: try #require(reference["maxOrder"] as? Int), candidateLimit: nil)
    let bootstrap = try await SelectionBootstrap.run(data: data, options: options)
    let expected = try #require(reference["ahat"] as? Double)
    #expect(isClose(try #require(bootstrap.acceleration), expected, relative: 1e-6))
  }

  @Test(
    "Bootstrap of a fixed model: N̂ and jackknife â equal the oracle's to 1e-6; a model without an estimate on the data is an error"
  )
  func fixedModel() async throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    let reference = try #require(try Self.oracle("UKdat_5")["fixedJackknifeAcceleration"] as? [String: Any])
    let model = try LogLinearModel(
      specification: try #require(reference["model"] as? String), listNames: data.listNames)
    var options = SelectionBootstrap.Options()
    options.replicates = 50
    options.fitOptions = FitOptions()
    options.procedure = .fixed(model)
    let bootstrap = try await SelectionBootstrap.run(data: data, options: options)
    #expect(isClose(bootstrap.estimate, try #require(reference["total"] as? Double), relative: 1e-6))
    #expect(isClose(try #require(bootstrap.acceleration), try #require(reference["ahat"] as? Double), relative: 1e-6))
    #expect(bootstrap.modelFrequencies.map(\.model) == [model])
    // Artificial_3's [12,3] has no MLE on the data, so the bootstrap of it has no point estimate.
    let artificial = try ReferenceFixtures.data("Artificial_3")
    var none = SelectionBootstrap.Options()
    none.replicates = 5
    none.procedure = .fixed(try LogLinearModel(specification: "[12,3]", listNames: artificial.listNames))
    await #expect(throws: EstimationError.self) {
      _ = try await SelectionBootstrap.run(data: artificial, options: none)
    }
  }

  @Test(
    "Stepwise, BIC and downhill bootstraps: identical with 1 and 2 tasks, another seed differs; one candidate means one model"
  )
  func determinism() async throws {
    let data = try ReferenceFixtures.data("kosovo_aggregate")
    for procedure in [
      SelectionProcedure.stepwise(threshold: 0.02),
      .criterion(.bic, maximumOrder: nil, candidateLimit: nil),
      .downhill(.bic, maximumOrder: nil, maximumSteps: 20),
    ] {
      var one = SelectionBootstrap.Options()
      one.replicates = 24
      one.procedure = procedure
      one.concurrency = 1
      var two = one
      two.concurrency = 2
      let a = try await SelectionBootstrap.run(data: data, options: one)
      let b = try await SelectionBootstrap.run(data: data, options: two)
      #expect(a.replicates == b.replicates)
      #expect(a.replicates.allSatisfy { $0 != nil })
      var other = one
      other.seed = 99
      #expect(try await SelectionBootstrap.run(data: data, options: other).replicates != a.replicates)
    }
    var single = SelectionBootstrap.Options()
    single.replicates = 16
    single.procedure = .criterion(.bic, maximumOrder: nil, candidateLimit: 1)
    let fixed = try await SelectionBootstrap.run(data: data, options: single)
    #expect(fixed.candidates == [fixed.model])
    #expect(fixed.modelFrequencies.map(\.model) == [fixed.model])
  }

  @Test("Neighbours: additions need every subset present, removals take maximal terms")
  func neighbours() throws {
    let main = LogLinearModel.mainEffects(listCount: 3)
    #expect(
      DownhillSelection.neighbours(of: main, maximumOrder: 2).map(\.description) == ["[12,3]", "[13,2]", "[23,1]"])
    let pairs = LogLinearModel.allInteractions(listCount: 3, upToOrder: 2)
    #expect(DownhillSelection.neighbours(of: pairs, maximumOrder: 2).count == 3)
    let larger = DownhillSelection.neighbours(of: pairs, maximumOrder: 3)
    #expect(larger.count == 4)
    #expect(larger.last?.description == "[123]")
    let chain = try LogLinearModel(specification: "[12,23]", listNames: ["A", "B", "C"])
    #expect(
      DownhillSelection.neighbours(of: chain, maximumOrder: 3).map(\.description) == ["[23,1]", "[12,3]", "[12,13,23]"])
  }

  @Test("Downhill on UK 2013 stops at a local minimum: no neighbour with an estimate has a smaller BIC")
  func downhill() throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    let selection = try DownhillSelection(data: data)
    #expect(selection.path.first == .mainEffects(listCount: 5))
    #expect(selection.path.last == selection.model)
    let bics = try selection.path.map { try $0.fit(to: data).bic }
    #expect(zip(bics, bics.dropFirst()).allSatisfy { $0 > $1 })
    for neighbour in DownhillSelection.neighbours(of: selection.model, maximumOrder: 4) {
      guard try ExistenceCheck(model: neighbour, data: data).sparseMSECode == 0 else { continue }
      #expect(try neighbour.fit(to: data).bic >= selection.fit.bic - 1e-9, "\(neighbour)")
    }
  }
}
