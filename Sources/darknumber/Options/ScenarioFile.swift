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
  /// Read as a number so that `1000.5` gets its own message rather than "not valid JSON".
  let populationSize: Double
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
    // Keys first, as plain JSON: a misspelt key ("populationsize") is named as unknown rather than
    // reported as a missing one, and keys the decoder would skip silently are caught.
    let file: ScenarioFile
    do {
      let object = try JSONSerialization.jsonObject(with: contents)
      if let problem = unknownKey(object, allowed: keys, at: "the scenario") {
        throw CommandFailure.data("\(path): \(problem).")
      }
      file = try JSONDecoder().decode(ScenarioFile.self, from: contents)
    } catch let failure as CommandFailure {
      throw failure
    } catch {
      throw CommandFailure.data("\(path): not a valid scenario (\(describe(error))).")
    }
    return (file, String(decoding: contents, as: UTF8.self))
  }

  /// The keys a scenario may have, with those of its nested objects (a typo such as
  /// `"heterogenity"` would otherwise be ignored silently).
  private indirect enum Keys: Sendable {
    case object([String: Keys])
    case array(Keys)
    case value
  }

  private static let link = Keys.array(.object(["from": .value, "to": .value, "probability": .value]))
  private static let keys = Keys.object([
    "name": .value, "populationSize": .value,
    "lists": .array(.object(["name": .value, "probability": .value])),
    "fromModel": .object(["example": .value, "model": .value]),
    "heterogeneity": .object([
      "latentClasses": .array(.object(["share": .value, "shifts": .value])), "logNormal": .value,
    ]),
    "covariates": .array(
      .object(["name": .value, "levels": .array(.object(["name": .value, "share": .value, "shifts": .value]))])),
    "referrals": link, "exclusions": link, "disjoint": .value,
  ])

  /// The first key of `value` that `allowed` does not name, in words (`nil`: none).
  private static func unknownKey(_ value: Any, allowed: Keys, at place: String) -> String? {
    switch allowed {
    case .value: return nil
    case .array(let element):
      guard let array = value as? [Any] else { return nil }
      for (i, item) in array.enumerated() {
        if let problem = unknownKey(item, allowed: element, at: "\(place)[\(i)]") { return problem }
      }
      return nil
    case .object(let fields):
      guard let object = value as? [String: Any] else { return nil }
      for key in object.keys.sorted() {
        guard let inner = fields[key] else {
          return
            "\(place) has an unknown key \(quoted(key)); the keys are \(fields.keys.sorted().joined(separator: ", "))"
        }
        let where_ = place == "the scenario" ? key : "\(place).\(key)"
        if let problem = unknownKey(object[key]!, allowed: inner, at: where_) { return problem }
      }
      return nil
    }
  }

  /// `populationSize` as a whole number of people (the library checks its range; a size beyond
  /// 10¹⁵ is passed on as 10¹⁵ for it to refuse).
  private func people() throws -> Int {
    guard populationSize.rounded() == populationSize else {
      throw CommandFailure.data(
        "the scenario's populationSize must be a whole number of people; it is \(populationSize).")
    }
    return Int(min(max(populationSize, -1), 1e15))
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
          "the scenario's fromModel.example \(quoted(fromModel.example)) is not a bundled table of histories.")
      }
      let data = try dataset.captureData()
      let fit = try LogLinearModel(specification: fromModel.model, listNames: data.listNames).fit(to: data)
      return .fittedModel(fit, name: name ?? "\(fromModel.example) \(fit.model)", populationSize: try people())
    }
    guard let lists else { throw CommandFailure.data("the scenario needs \"lists\" or \"fromModel\".") }
    let names = lists.map(\.name)
    if let repeated = names.indices.first(where: { names[..<$0].contains(names[$0]) }) {
      throw CommandFailure.data("the scenario names the list \(quoted(names[repeated])) twice; list names must differ.")
    }
    func index(_ name: String) throws -> Int {
      guard let index = names.firstIndex(of: name) else {
        throw CommandFailure.data(
          "the scenario names an unknown list \(quoted(name)); its lists are \(names.joined(separator: ", ")).")
      }
      return index
    }
    func shifts(_ values: [String: Double]?) throws -> [Double] {
      var result = [Double](repeating: 0, count: names.count)
      for (name, value) in values ?? [:] { result[try index(name)] = value }
      return result
    }
    var scenario = SimulationScenario(
      name: name ?? "scenario", populationSize: try people(), listNames: names,
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
