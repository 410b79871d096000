import DarkNumber
import Foundation

/// Loads the reference JSON documents copied from the R runs (see `Fixtures/README.md`).
enum ReferenceFixtures {
  static func load(_ name: String) throws -> [String: Any] {
    guard
      let url = Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "json")
        ?? Bundle.module.url(forResource: name, withExtension: "json")
    else { throw FixtureError.missing(name) }
    let data = try Data(contentsOf: url)
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw FixtureError.malformed(name)
    }
    return object
  }

  enum FixtureError: Error { case missing(String), malformed(String) }

  /// The bundled table called `name`.
  static func data(_ name: String) throws -> CaptureData {
    guard let dataset = Dataset.named(name) else { throw FixtureError.missing(name) }
    return try dataset.captureData()
  }

  /// Rcapture's coefficient names (`Intercept`, `beta2`, `lambda1_3`) in R `glm` naming
  /// (`(Intercept)`, `NG`, `LA:PF`).
  static func rName(_ rcaptureName: String, listNames: [String]) -> String? {
    if rcaptureName == "Intercept" { return "(Intercept)" }
    if rcaptureName.hasPrefix("beta"), let index = Int(rcaptureName.dropFirst(4)) {
      return listNames[index - 1]
    }
    if rcaptureName.hasPrefix("lambda") {
      let indices = rcaptureName.dropFirst(6).split(separator: "_").compactMap { Int($0) }
      return indices.map { listNames[$0 - 1] }.joined(separator: ":")
    }
    return nil
  }
}

/// `|a − b| ≤ max(relative·|b|, absolute)`.
func isClose(_ a: Double, _ b: Double, relative: Double, absolute: Double = 0) -> Bool {
  abs(a - b) <= max(relative * abs(b), absolute)
}
