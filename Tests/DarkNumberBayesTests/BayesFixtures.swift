import DarkNumber
import Foundation

/// Loads the reference documents in `Fixtures/` (see its README).
enum BayesFixtures {
  static func json(_ name: String) throws -> [String: Any] {
    guard
      let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "json")
        ?? Bundle.module.url(forResource: name, withExtension: "json")
    else { throw FixtureError.missing(name) }
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    guard let dictionary = object as? [String: Any] else { throw FixtureError.malformed(name) }
    return dictionary
  }

  /// The `N` column of one of LCMCR's draw files, `lcmcr/lcmcr_N_<dataset>.csv`.
  static func lcmcrDraws(_ dataset: String) throws -> [Double] {
    guard
      let url = Bundle.module.url(
        forResource: "Fixtures/lcmcr/lcmcr_N_\(dataset)", withExtension: "csv")
        ?? Bundle.module.url(forResource: "lcmcr_N_\(dataset)", withExtension: "csv")
    else { throw FixtureError.missing(dataset) }
    let text = try String(contentsOf: url, encoding: .utf8)
    return text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line in
      line.split(separator: ",").last.flatMap { Double($0) }
    }
  }

  /// The bundled table called `name`.
  static func data(_ name: String) throws -> CaptureData {
    guard let dataset = Dataset.named(name) else { throw FixtureError.missing(name) }
    return try dataset.captureData()
  }

  enum FixtureError: Error { case missing(String), malformed(String) }
}

/// `|a − b| ≤ max(relative·|b|, absolute)`.
func isClose(_ a: Double, _ b: Double, relative: Double, absolute: Double = 0) -> Bool {
  abs(a - b) <= max(relative * abs(b), absolute)
}
