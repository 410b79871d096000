import Testing

@testable import DarkNumber

/// Many lists: every entry point either answers or refuses with a typed error that names its limit —
/// never a crash, an allocation of 2ᴷ × 2ᴷ, or a run without bound (issue 19's hostile input).
@Suite("List-count limits: an answer or a typed refusal for 2 to 30 lists")
struct ListCountLimitTests {
  /// `listCount` lists, each person on one or two of them (deterministic).
  static func table(_ listCount: Int) throws -> CaptureData {
    var counts: [(CaptureHistory, Int)] = []
    for list in 0..<listCount {
      counts.append((CaptureHistory(lists: [list])!, 20 + list))
      counts.append((CaptureHistory(lists: [list, (list + 1) % listCount])!, 3))
    }
    let merged = Dictionary(counts.map { ($0.0, $0.1) }, uniquingKeysWith: +)
    return try CaptureData(listNames: (1...listCount).map { "L\($0)" }, counts: merged.map { ($0.key, $0.value) })
  }

  @Test(
    "Selections, the existence check and validation: beyond 14 lists a typed refusal", arguments: [15, 16, 20, 21, 30])
  func selectionLimits(listCount: Int) async throws {
    let data = try Self.table(listCount)
    let limit = ExistenceCheck.maximumListCount
    await #expect(throws: EstimationError.tooManyLists(listCount, limit: limit)) {
      _ = try await ModelSelection.run(.stepwise(threshold: 0.02), data: data)
    }
    await #expect(throws: EstimationError.tooManyLists(listCount, limit: limit)) {
      _ = try await ModelSelection.run(.criterion(.bic, maximumOrder: nil, candidateLimit: nil), data: data)
    }
    #expect(throws: EstimationError.tooManyLists(listCount, limit: limit)) {
      _ = try ExistenceCheck(model: .mainEffects(listCount: listCount), data: data)
    }
    if listCount > ListValidation.maximumListCount {
      await #expect(throws: EstimationError.tooManyLists(listCount, limit: ListValidation.maximumListCount)) {
        _ = try await ListValidation.run(data: data)
      }
    }
    await #expect(throws: EstimationError.searchTooLarge(lists: listCount, maximumOrder: listCount - 1)) {
      _ = try await ModelSearch.run(data: data)
    }
    var twoFactor = ModelSearch.Options()
    twoFactor.maximumOrder = 2
    await #expect(throws: EstimationError.searchTooLarge(lists: listCount, maximumOrder: 2)) {
      _ = try await ModelSearch.run(data: data, options: twoFactor)
    }
    if listCount > LogLinearModel.maximumFittedListCount {
      let fitLimit = EstimationError.tooManyLists(listCount, limit: LogLinearModel.maximumFittedListCount)
      #expect(throws: fitLimit) { _ = try LogLinearModel.mainEffects(listCount: listCount).fit(to: data) }
      #expect(throws: fitLimit) { _ = try ClosedPopulationTable(data: data, biasCorrected: true) }
      await #expect(throws: fitLimit) {
        _ = try await ModelSelection.run(.fixed(.mainEffects(listCount: listCount)), data: data)
      }
    }
  }

  @Test("Few lists answer; a search over 7 lists stops at two-factor models", arguments: [2, 3, 5, 7])
  func fewLists(listCount: Int) async throws {
    let data = try Self.table(listCount)
    if listCount >= 3 {
      _ = try await ModelSelection.run(.stepwise(threshold: 0.02), data: data)
      #expect(try await ListValidation.run(data: data).rows.count == 4 * listCount)
    }
    _ = try ClosedPopulationTable(data: data)
    if listCount == 7 {
      await #expect(throws: EstimationError.searchTooLarge(lists: 7, maximumOrder: 6)) {
        _ = try await ModelSearch.run(data: data)
      }
    } else {
      #expect(try await ModelSearch.run(data: data).modelCount > 0)
    }
  }
}
