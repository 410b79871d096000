import Testing

@testable import DarkNumber

/// The internal-consistency check (Binette & Steorts 2022) against an independent oracle:
/// statsmodels' Poisson GLM of the independence model on every held-out table
/// (`Notebooks/reference/make_validation_fixtures.py`), the estimate of the known cell and its
/// interval `exp(β̂₀ ± z·SE)` to 1e-6 relative.
@Suite("List validation: each list as a population of known size")
struct ListValidationTests {
  static let tables = ["UKdat_5", "Ned_5", "kosovo_aggregate", "Western", "NewOrl_5", "dga_MY5"]

  @Test("mt on every held-out table equals statsmodels; no estimate where the oracle has none", arguments: tables)
  func independence(table: String) async throws {
    let document = try ReferenceFixtures.load("statsmodels-validation")
    let references = try #require((document["tables"] as? [String: [[String: Any]]])?[table])
    let data = try ReferenceFixtures.data(table)
    let validation = try await ListValidation.run(
      data: data, methods: [try #require(ListValidation.method(named: "mt"))])
    #expect(validation.rows.count == data.listCount)
    for (row, reference) in zip(validation.rows, references) {
      let label = "\(table) \(row.list)"
      #expect(row.list == reference["list"] as? String, "\(label)")
      #expect(row.known == reference["known"] as? Int, "\(label) known")
      #expect(row.registered == reference["registered"] as? Int, "\(label) registered")
      guard reference["exists"] as? Bool == true else {
        #expect(throws: ListValidation.Failure.self, "\(label) has no estimate") { try row.outcome.get() }
        continue
      }
      let estimate = try row.outcome.get()
      #expect(isClose(estimate.estimate, reference["estimate"] as? Double ?? .nan, relative: 1e-6), "\(label)")
      let limits = try #require(reference["logWald"] as? [Double])
      let logWald = try #require(estimate.intervals.first { $0.method == .logWald })
      #expect(isClose(logWald.lower.value ?? .nan, limits[0], relative: 1e-6), "\(label) lower")
      #expect(isClose(logWald.upper.value ?? .nan, limits[1], relative: 1e-6), "\(label) upper")
      let profile = try #require(estimate.intervals.first)
      #expect(profile.method == .profileLikelihood)
      let known = Double(row.known)
      #expect(estimate.covered == ((profile.lower.value ?? 0) <= known && known <= (profile.upper.value ?? .infinity)))
      #expect(
        estimate.logRelativeError.map { isClose($0, Double.log(estimate.estimate / known), relative: 1e-12) }
          ?? (row.known == 0))
    }
  }

  @Test("The held-out table: the people on the list over the others, the known cell apart")
  func heldOutTable() throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    let (table, known) = try ListValidation.heldOut(data, list: 1)
    #expect(table.listNames == ["LA", "PFNCA", "GO", "GP"])
    #expect(known == data.count(of: CaptureHistory(lists: [1])!))
    #expect(table.observedTotal + known == data.listTotal(1))
    // LA & NG & GO in the data is LA & GO in the held-out table.
    #expect(table.count(of: CaptureHistory(lists: [0, 2])!) == data.count(of: CaptureHistory(lists: [0, 1, 3])!))
    let two = try CaptureData(
      listNames: ["A", "B"], counts: [(CaptureHistory(lists: [0, 1])!, 3), (CaptureHistory(lists: [0])!, 4)])
    #expect(throws: ListValidation.Failure.tooFewLists(2)) {
      _ = try ListValidation.heldOut(two, list: 0)
    }
  }

  @Test("Summaries: coverage over the estimates with an interval, mean log relative error; every method a row per list")
  func summaries() async throws {
    let data = try ReferenceFixtures.data("kosovo_aggregate")
    let validation = try await ListValidation.run(data: data, level: 0.9)
    #expect(validation.level == 0.9)
    #expect(validation.summaries.map(\.method) == ["mt", "stepwise", "bic", "aic"])
    #expect(validation.rows.count == 4 * data.listCount)
    for summary in validation.summaries {
      let rows = validation.rows.filter { $0.method == summary.method }
      let estimates = rows.compactMap { try? $0.outcome.get() }
      #expect(summary.lists == data.listCount && summary.estimated == estimates.count)
      let judged = estimates.compactMap(\.covered)
      #expect(summary.coverage == (judged.isEmpty ? nil : Double(judged.count { $0 }) / Double(judged.count)))
      let errors = estimates.compactMap(\.logRelativeError)
      #expect(
        isClose(summary.meanLogRelativeError ?? .nan, errors.reduce(0, +) / Double(errors.count), relative: 1e-12))
    }
    // A selection re-run on the held-out table is the selection's own answer there.
    let (table, _) = try ListValidation.heldOut(data, list: 0)
    let stepwise = try await ModelSelection.run(.stepwise(threshold: 0.02), data: table).fit
    let row = try #require(validation.rows.first { $0.method == "stepwise" && $0.list == data.listNames[0] })
    #expect(try row.outcome.get().estimate == stepwise.unobserved)
    await #expect(throws: EstimationError.invalidLevel(1)) { _ = try await ListValidation.run(data: data, level: 1) }
  }

  @Test("New Orleans (8 lists): every row and limit is a number or says why not; an overflowing limit is unbounded")
  func newOrleans() async throws {
    let data = try ReferenceFixtures.data("NewOrl")
    let validation = try await ListValidation.run(data: data)
    #expect(validation.rows.count == 4 * 8)
    for row in validation.rows {
      guard case .success(let estimate) = row.outcome else { continue }
      #expect(estimate.estimate.isFinite)
      for interval in estimate.intervals {
        #expect(interval.lower.value?.isFinite ?? true)
        #expect(interval.upper.value?.isFinite ?? true)
        if interval.upper == .unbounded && interval.method == .logWald {
          #expect(interval.notes.contains(.upperLimitOverflows))
        }
      }
    }
    let overflow = IntervalEstimate(
      method: .logWald, level: 0.95, lower: .finite(1), upper: .finite(.infinity), estimate: 2)
    #expect(overflow.upper == .unbounded && overflow.notes == [.upperLimitOverflows])
    let logWald = LogWaldInterval.make(observed: 10, logUnobserved: 700, variance: 100, level: 0.95)
    #expect(logWald.upper == .unbounded && logWald.lower.value?.isFinite == true)
  }
}
