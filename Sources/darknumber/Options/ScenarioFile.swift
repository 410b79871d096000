import DarkNumber
import DarkNumberReports
import Foundation

/// The scenario file (JSON), documented in docs/cli.md:
/// `{"name", "populationSize", "lists": [{"name", "probability"}], "heterogeneity":
/// {"latentClasses": [{"share", "shifts": {LIST: x}}]} | {"logNormal": σ}, "covariates": [{"name",
/// "levels": [{"name", "share", "shifts": {LIST: x}}]}], "referrals"/"exclusions": [{"from", "to",
/// "probability"}], "disjoint": [[LIST, LIST]]}`, or `{"name", "populationSize", "fromModel":
/// {"example", "model"}}` to draw from a log-linear model fitted to a bundled table.
struct ScenarioFile: Decodable {
  struct List: Decodable { let name: String; let probability: Double }
  struct LatentClass: Decodable { let share: Double; let shifts: [String: Double]? }
  struct Heterogeneity: Decodable { let latentClasses: [LatentClass]?; let logNormal: Double? }
  struct Level: Decodable { let name: String; let share: Double; let shifts: [String: Double]? }
  struct Covariate: Decodable { let name: String; let levels: [Level] }
  struct Link: Decodable { let from: String; let to: String; let probability: Double }
  struct FittedModel: Decodable { let example: String; let model: String }

  let name: String?
  let populationSize: Int
  let lists: [List]?
  let fromModel: FittedModel?
  let heterogeneity: Heterogeneity?
  let covariates: [Covariate]?
  let referrals: [Link]?
  let exclusions: [Link]?
  let disjoint: [[String]]?

  /// Reads and decodes `path`; returns the definition and the file's text.
  static func load(_ path: String) throws -> (ScenarioFile, String) {
    guard let contents = FileManager.default.contents(atPath: path) else {
      throw CommandFailure.other("cannot read the file \(path).")
    }
    do {
      return (try JSONDecoder().decode(ScenarioFile.self, from: contents), String(decoding: contents, as: UTF8.self))
    } catch {
      throw CommandFailure.data("\(path): not a valid scenario (\(describe(error))).")
    }
  }

  /// A decoding error in one phrase: where and what.
  static func describe(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    func path(_ context: DecodingError.Context) -> String { JSONText.path(context.codingPath) }
    switch error {
    case .keyNotFound(let key, let context): return "\(path(context)): missing \"\(key.stringValue)\""
    case .typeMismatch(_, let context): return "\(path(context)): \(context.debugDescription)"
    case .valueNotFound(_, let context): return "\(path(context)): missing value"
    case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
    @unknown default: return "\(error)"
    }
  }

  /// The library's scenario.
  func scenario() throws -> SimulationScenario {
    if let fromModel {
      guard let dataset = Dataset.named(fromModel.example), dataset.kind == .histories else {
        throw CommandFailure.data(
          "the scenario's fromModel.example \"\(fromModel.example)\" is not a bundled table of histories.")
      }
      let data = try dataset.captureData()
      let fit = try LogLinearModel(specification: fromModel.model, listNames: data.listNames).fit(to: data)
      return .fittedModel(fit, name: name ?? "\(fromModel.example) \(fit.model)", populationSize: populationSize)
    }
    guard let lists else { throw CommandFailure.data("the scenario needs \"lists\" or \"fromModel\".") }
    let names = lists.map(\.name)
    func index(_ name: String) throws -> Int {
      guard let index = names.firstIndex(of: name) else {
        throw CommandFailure.data(
          "the scenario names an unknown list \"\(name)\"; its lists are \(names.joined(separator: ", ")).")
      }
      return index
    }
    func shifts(_ values: [String: Double]?) throws -> [Double] {
      var result = [Double](repeating: 0, count: names.count)
      for (name, value) in values ?? [:] { result[try index(name)] = value }
      return result
    }
    var scenario = SimulationScenario(
      name: name ?? "scenario", populationSize: populationSize, listNames: names,
      captureProbabilities: lists.map(\.probability))
    if let classes = heterogeneity?.latentClasses {
      scenario.heterogeneity = .latentClasses(try classes.map { .init(share: $0.share, shifts: try shifts($0.shifts)) })
    } else if let sd = heterogeneity?.logNormal {
      scenario.heterogeneity = .logNormal(standardDeviation: sd)
    }
    scenario.covariates = try (covariates ?? []).map { covariate in
      .init(
        name: covariate.name, shares: covariate.levels.map(\.share),
        effects: try covariate.levels.map { try shifts($0.shifts) })
    }
    scenario.referrals = try (referrals ?? []).map {
      .init(from: try index($0.from), to: try index($0.to), probability: $0.probability)
    }
    scenario.exclusions = try (exclusions ?? []).map {
      .init(from: try index($0.from), to: try index($0.to), probability: $0.probability)
    }
    scenario.disjointPairs = try (disjoint ?? []).map { try $0.map(index) }
    return scenario
  }
}
