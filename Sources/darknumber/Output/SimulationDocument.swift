import DarkNumber
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

/// The study's document: settings, every replicate's estimates, and the summary.
struct SimulationDocument: Codable, Report {
  struct Shard: Codable, Equatable { let index: Int; let count: Int }
  struct Replicate: Codable, Equatable {
    let replicate: Int
    let estimator: String
    let total: Double?
    let lower: Double?
    let upper: Double?
    let reason: String?
  }
  struct Summary: Encodable {
    let estimator: String
    let replicates: Int
    let estimates: Int
    let mean: Double?
    let bias: Double?
    let relativeBias: Double?
    let rootMeanSquaredError: Double?
    let medianAbsoluteError: Double?
    let coverage: Double?
    let meanWidth: Double?
    let noEstimateShare: Double
  }

  var schemaVersion = 1
  var version = DarkNumberVersion.string
  var command = "simulate"
  let scenario: String
  let scenarioName: String
  let truth: Int
  let seed: UInt64
  let replicatesTotal: Int
  let level: Double
  let bootstrap: Int
  let estimators: [String]
  let shard: Shard?
  let replicates: [Replicate]

  enum CodingKeys: String, CodingKey {
    case schemaVersion, version, command, scenario, scenarioName, truth, seed, replicatesTotal, level, bootstrap
    case estimators, shard, replicates, summary
  }

  init(
    scenario: String, scenarioName: String, truth: Int, seed: UInt64, replicates total: Int, level: Double,
    bootstrap: Int, estimators: [String], shard: Shard?, records: [SimulationStudy.Record]
  ) {
    self.scenario = scenario
    self.scenarioName = scenarioName
    self.truth = truth
    self.seed = seed
    replicatesTotal = total
    self.level = level
    self.bootstrap = bootstrap
    self.estimators = estimators
    self.shard = shard
    replicates = records.map { record in
      switch record.outcome {
      case .estimate(let total, let lower, let upper):
        return Replicate(
          replicate: record.replicate, estimator: estimators[record.estimator], total: total, lower: lower,
          upper: upper, reason: nil)
      case .none(let reason):
        return Replicate(
          replicate: record.replicate, estimator: estimators[record.estimator], total: nil, lower: nil, upper: nil,
          reason: reason)
      }
    }
  }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
    version = try container.decode(String.self, forKey: .version)
    command = try container.decode(String.self, forKey: .command)
    scenario = try container.decode(String.self, forKey: .scenario)
    scenarioName = try container.decode(String.self, forKey: .scenarioName)
    truth = try container.decode(Int.self, forKey: .truth)
    seed = try container.decode(UInt64.self, forKey: .seed)
    replicatesTotal = try container.decode(Int.self, forKey: .replicatesTotal)
    level = try container.decode(Double.self, forKey: .level)
    bootstrap = try container.decode(Int.self, forKey: .bootstrap)
    estimators = try container.decode([String].self, forKey: .estimators)
    shard = try container.decodeIfPresent(Shard.self, forKey: .shard)
    replicates = try container.decode([Replicate].self, forKey: .replicates)
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(schemaVersion, forKey: .schemaVersion)
    try container.encode(version, forKey: .version)
    try container.encode(command, forKey: .command)
    try container.encode(scenario, forKey: .scenario)
    try container.encode(scenarioName, forKey: .scenarioName)
    try container.encode(truth, forKey: .truth)
    try container.encode(seed, forKey: .seed)
    try container.encode(replicatesTotal, forKey: .replicatesTotal)
    try container.encode(level, forKey: .level)
    try container.encode(bootstrap, forKey: .bootstrap)
    try container.encode(estimators, forKey: .estimators)
    try container.encode(shard, forKey: .shard)
    try container.encode(replicates, forKey: .replicates)
    try container.encode(summary, forKey: .summary)
  }

  /// The library's records.
  var records: [SimulationStudy.Record] {
    replicates.map { entry in
      SimulationStudy.Record(
        replicate: entry.replicate, estimator: estimators.firstIndex(of: entry.estimator) ?? 0,
        outcome: entry.total.map { .estimate(total: $0, lower: entry.lower, upper: entry.upper) }
          ?? .none(reason: entry.reason ?? ""))
    }
  }

  /// The summary per estimator.
  var summary: [Summary] {
    SimulationStudy.summarize(records, estimators: estimators, truth: Double(truth)).map {
      Summary(
        estimator: $0.estimator, replicates: $0.replicates, estimates: $0.estimates, mean: $0.mean, bias: $0.bias,
        relativeBias: $0.relativeBias, rootMeanSquaredError: $0.rootMeanSquaredError,
        medianAbsoluteError: $0.medianAbsoluteError, coverage: $0.coverage, meanWidth: $0.meanWidth,
        noEstimateShare: $0.noEstimateShare)
    }
  }

  /// Shards of one study combined: the same settings, every replicate exactly once.
  static func merge(_ documents: [SimulationDocument], files: [String]) throws -> SimulationDocument {
    guard let first = documents.first else { throw CommandFailure.usage("nothing to merge.") }
    for (document, file) in zip(documents, files) {
      guard document.scenario == first.scenario, document.seed == first.seed,
        document.replicatesTotal == first.replicatesTotal, document.level == first.level,
        document.bootstrap == first.bootstrap, document.estimators == first.estimators
      else {
        throw CommandFailure.data(
          "\(file) is from a different study (scenario, seed, replicates, level, bootstrap or estimators differ from \(files[0]))."
        )
      }
    }
    var seen = Set<Int>()
    var entries: [Replicate] = []
    for (document, file) in zip(documents, files) {
      let replicates = Set(document.replicates.map(\.replicate))
      guard seen.isDisjoint(with: replicates) else {
        throw CommandFailure.data("\(file) repeats replicates another shard has.")
      }
      seen.formUnion(replicates)
      entries += document.replicates
    }
    let missing = first.replicatesTotal - seen.count
    guard missing == 0 else {
      throw CommandFailure.data(
        "the shards cover \(seen.count) of \(first.replicatesTotal) replicates; \(missing) are missing.")
    }
    let order = Dictionary(uniqueKeysWithValues: first.estimators.enumerated().map { ($1, $0) })
    entries.sort { ($0.replicate, order[$0.estimator] ?? 0) < ($1.replicate, order[$1.estimator] ?? 0) }
    var merged = first
    merged = SimulationDocument(
      scenario: first.scenario, scenarioName: first.scenarioName, truth: first.truth, seed: first.seed,
      replicatesTotal: first.replicatesTotal, level: first.level, bootstrap: first.bootstrap,
      estimators: first.estimators, shard: nil, replicates: entries)
    return merged
  }

  private init(
    scenario: String, scenarioName: String, truth: Int, seed: UInt64, replicatesTotal: Int, level: Double,
    bootstrap: Int, estimators: [String], shard: Shard?, replicates: [Replicate]
  ) {
    self.scenario = scenario
    self.scenarioName = scenarioName
    self.truth = truth
    self.seed = seed
    self.replicatesTotal = replicatesTotal
    self.level = level
    self.bootstrap = bootstrap
    self.estimators = estimators
    self.shard = shard
    self.replicates = replicates
  }

  func json() throws -> String { try JSONText.encode(self) }

  func text() -> String {
    var lines = ["DarkNumber \(DarkNumberVersion.string) — simulation study", ""]
    lines.append("Scenario   \(scenarioName): N = \(NumberText.grouped(Double(truth), digits: 0))")
    let shardText = shard.map { ", shard \($0.index)/\($0.count)" } ?? ""
    lines.append(
      "Study      \(replicates.count / max(estimators.count, 1)) of \(replicatesTotal) replicates\(shardText), seed \(seed), \(Int(level * 100))% intervals"
    )
    lines.append("")
    lines.append(
      "  " + NumberText.padded("estimator", 14) + NumberText.rightAligned("mean N̂", 11)
        + NumberText.rightAligned("rel. bias", 10)
        + NumberText.rightAligned("RMSE", 10) + NumberText.rightAligned("med |err|", 10)
        + NumberText.rightAligned("coverage", 10)
        + NumberText.rightAligned("width", 10) + NumberText.rightAligned("no est.", 9))
    func cell(_ value: Double?, _ transform: (Double) -> String) -> String { value.map(transform) ?? "—" }
    for row in summary {
      lines.append(
        "  " + NumberText.padded(row.estimator, 14)
          + NumberText.rightAligned(cell(row.mean) { NumberText.grouped($0) }, 11)
          + NumberText.rightAligned(cell(row.relativeBias) { String(format: "%+.1f%%", 100 * $0) }, 10)
          + NumberText.rightAligned(cell(row.rootMeanSquaredError) { NumberText.grouped($0) }, 10)
          + NumberText.rightAligned(cell(row.medianAbsoluteError) { NumberText.grouped($0) }, 10)
          + NumberText.rightAligned(cell(row.coverage) { String(format: "%.1f%%", 100 * $0) }, 10)
          + NumberText.rightAligned(cell(row.meanWidth) { NumberText.grouped($0, digits: 0) }, 10)
          + NumberText.rightAligned(String(format: "%.1f%%", 100 * row.noEstimateShare), 9))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  func csv() -> String {
    var lines = [
      "estimator,replicates,estimates,mean,bias,relative_bias,rmse,median_absolute_error,coverage,mean_width,no_estimate_share"
    ]
    for row in summary {
      lines.append(
        "\(row.estimator),\(row.replicates),\(row.estimates),\(NumberText.field(row.mean)),\(NumberText.field(row.bias)),\(NumberText.field(row.relativeBias)),\(NumberText.field(row.rootMeanSquaredError)),\(NumberText.field(row.medianAbsoluteError)),\(NumberText.field(row.coverage)),\(NumberText.field(row.meanWidth)),\(row.noEstimateShare)"
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Every replicate's estimates as CSV.
  func replicatesCSV() -> String {
    var lines = ["replicate,estimator,total,lower,upper,reason"]
    for entry in replicates {
      lines.append(
        "\(entry.replicate),\(entry.estimator),\(NumberText.field(entry.total)),\(NumberText.field(entry.lower)),\(NumberText.field(entry.upper)),\"\(entry.reason ?? "")\""
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
