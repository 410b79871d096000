import Testing

@testable import DarkNumberReports

/// The documents' encoder never writes NaN or ∞: a non-finite number is an error naming its field.
@Suite("JSON encoding")
struct JSONTextTests {
  struct Row: Encodable {
    let total: Double
    let limits: [Double?]
  }

  @Test("Finite numbers and nulls encode; a non-finite number is an error naming its place")
  func nonFinite() throws {
    let text = try JSONText.encode(Row(total: 12.5, limits: [1, nil]))
    #expect(text.contains("\"total\" : 12.5") && text.contains("null"))
    for bad in [Double.nan, .infinity, -.infinity] {
      #expect {
        try JSONText.encode([Row(total: 1, limits: [2, bad])])
      } throws: { error in
        guard case .other(let message) = error as? ReportFailure else { return false }
        return message.contains("[0].limits[1]") && message.contains("non-finite")
      }
    }
  }
}
