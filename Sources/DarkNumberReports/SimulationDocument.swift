package import DarkNumber
import Foundation

/// The study's document: settings, every replicate's estimates, and the summary.
package struct SimulationDocument: Codable, Report {
  package struct Shard: Codable, Equatable {
    package let index: Int
    package let count: Int
    /// Shard `index` (from 1) of `count`.
    package init(index: Int, count: Int) {
      self.index = index
      self.count = count
    }
  }
  package struct Replicate: Codable, Equatable {
    let replicate: Int
    let estimator: String
    let total: Double?
    let lower: Double?
    let upper: Double?
    let reason: String?

    /// What makes this row impossible in a study of `replicates` replicates of `estimators`
    /// (`nil`: nothing): an index or estimator outside the study, or an estimate or limit that is
    /// negative or above 10³⁰⁰ (a shard file edited by hand, or from another program).
    func problem(replicates: Int, estimators: [String]) -> String? {
      guard (0..<replicates).contains(replicate) else {
        return "the replicate number lies outside 0–\(replicates - 1)"
      }
      guard estimators.contains(estimator) else { return "not one of the study's estimators" }
      for (name, value) in [("estimate", total), ("lower limit", lower), ("upper limit", upper)] {
        if let value, !(value >= 0 && value <= 1e300) {
          return "the \(name) \(value) is not a population size (0 to 10³⁰⁰)"
        }
      }
      if let lower, let upper, lower > upper { return "the lower limit exceeds the upper limit" }
      if total == nil && reason == nil { return "neither an estimate nor a reason for its absence" }
      return nil
    }
  }
  package struct Summary: Encodable {
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

  package var schemaVersion = 1
  package var version = DarkNumberVersion.string
  package var command = "simulate"
  package let scenario: String
  package let scenarioName: String
  package let truth: Int
  package let seed: UInt64
  package let replicatesTotal: Int
  package let level: Double
  package let bootstrap: Int
  package let estimators: [String]
  package let shard: Shard?
  package let replicates: [Replicate]

  package enum CodingKeys: String, CodingKey {
    case schemaVersion, version, command, scenario, scenarioName, truth, seed, replicatesTotal, level, bootstrap
    case estimators, shard, replicates, summary
  }

  package init(
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

  package init(from decoder: any Decoder) throws {
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

  package func encode(to encoder: any Encoder) throws {
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
  package var records: [SimulationStudy.Record] {
    replicates.map { entry in
      SimulationStudy.Record(
        replicate: entry.replicate, estimator: estimators.firstIndex(of: entry.estimator) ?? 0,
        outcome: entry.total.map { .estimate(total: $0, lower: entry.lower, upper: entry.upper) }
          ?? .none(reason: entry.reason ?? ""))
    }
  }

  /// The summary per estimator.
  package var summary: [Summary] {
    SimulationStudy.summarize(records, estimators: estimators, truth: Double(truth)).map {
      Summary(
        estimator: $0.estimator, replicates: $0.replicates, estimates: $0.estimates, mean: $0.mean, bias: $0.bias,
        relativeBias: $0.relativeBias, rootMeanSquaredError: $0.rootMeanSquaredError,
        medianAbsoluteError: $0.medianAbsoluteError, coverage: $0.coverage, meanWidth: $0.meanWidth,
        noEstimateShare: $0.noEstimateShare)
    }
  }

  /// Shards of one study combined: the same settings, every replicate exactly once.
  package static func merge(_ documents: [SimulationDocument], files: [String]) throws -> SimulationDocument {
    guard let first = documents.first else { throw ReportFailure.usage("nothing to merge.") }
    for (document, file) in zip(documents, files) {
      guard document.scenario == first.scenario, document.seed == first.seed,
        document.replicatesTotal == first.replicatesTotal, document.level == first.level,
        document.bootstrap == first.bootstrap, document.estimators == first.estimators
      else {
        throw ReportFailure.data(
          "\(file) is from a different study (scenario, seed, replicates, level, bootstrap or estimators differ from \(files[0]))."
        )
      }
    }
    var seen = Set<Int>()
    var entries: [Replicate] = []
    for (document, file) in zip(documents, files) {
      for entry in document.replicates {
        if let problem = entry.problem(replicates: first.replicatesTotal, estimators: first.estimators) {
          throw ReportFailure.data("\(file): replicate \(entry.replicate), \(quoted(entry.estimator)): \(problem).")
        }
      }
      let replicates = Set(document.replicates.map(\.replicate))
      guard seen.isDisjoint(with: replicates) else {
        throw ReportFailure.data("\(file) repeats replicates another shard has.")
      }
      seen.formUnion(replicates)
      entries += document.replicates
    }
    let missing = first.replicatesTotal - seen.count
    guard missing == 0 else {
      throw ReportFailure.data(
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

  package func json() throws -> String { try JSONText.encode(self) }

  package func text() -> String {
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
          + NumberText.rightAligned(
            cell(row.relativeBias) {
              abs($0) < 1e6 ? String(format: "%+.1f%%", 100 * $0) : String(format: "%+.3g×", $0)
            }, 10)
          + NumberText.rightAligned(cell(row.rootMeanSquaredError) { NumberText.grouped($0) }, 10)
          + NumberText.rightAligned(cell(row.medianAbsoluteError) { NumberText.grouped($0) }, 10)
          + NumberText.rightAligned(cell(row.coverage) { String(format: "%.1f%%", 100 * $0) }, 10)
          + NumberText.rightAligned(cell(row.meanWidth) { NumberText.grouped($0, digits: 0) }, 10)
          + NumberText.rightAligned(String(format: "%.1f%%", 100 * row.noEstimateShare), 9))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  package func csv() -> String {
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
  package func replicatesCSV() -> String {
    var lines = ["replicate,estimator,total,lower,upper,reason"]
    for entry in replicates {
      lines.append(
        "\(entry.replicate),\(entry.estimator),\(NumberText.field(entry.total)),\(NumberText.field(entry.lower)),\(NumberText.field(entry.upper)),\"\(entry.reason ?? "")\""
      )
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
