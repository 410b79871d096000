import DarkNumber
import Testing

/// Published stepwise (SparseMSE, threshold 0.02) estimates, rounded as published.
@Suite("Published MSE figures")
struct PublishedFiguresTests {
  @Test(
    "UK 2013 (5 lists) 11,313; Western U.S. 2,483; Greater New Orleans (185 records) 1,184",
    arguments: [("UKdat_5", 11313.0), ("Western", 2483.0), ("NewOrl", 1184.0)])
  func stepwise(dataset: String, published: Double) throws {
    let data = try ReferenceFixtures.data(dataset)
    let selection = try StepwiseSelection(data: data, threshold: 0.02)
    #expect(selection.fit.total.rounded() == published, "\(dataset): \(selection.fit.total)")
  }
}

@Suite("Published BIC figure")
struct PublishedBICTests {
  @Test("UK 2013 (5 lists): the best two-way model by BIC gives 22,991 (Silverman 2020's BIC alternative)")
  func ukBIC() async throws {
    let data = try ReferenceFixtures.data("UKdat_5")
    var options = CriterionSelection.Options()
    options.maximumOrder = 2
    let selection = try await CriterionSelection.run(data: data, options: options)
    #expect(selection.modelCount == 1024)
    #expect(selection.model.description == "[12,13,23,25,34]")
    #expect(selection.fit.total.rounded() == 22991)
    #expect(isClose(selection.entry.total, selection.fit.total, relative: 1e-8))
  }
}
