import ArgumentParser
import DarkNumber
import DarkNumberReports
import DarkNumberBayes
import DarkNumberLinearAlgebra
import Foundation

/// `darknumber simulate`: simulation studies of the estimators on scenarios with a known `N`.
struct SimulateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "simulate",
    abstract: "Run a simulation study (scenario → bias, RMSE, coverage), or merge shard outputs.",
    subcommands: [SimulateRunCommand.self, SimulateMergeCommand.self],
    defaultSubcommand: SimulateRunCommand.self)
}

/// `darknumber simulate SCENARIO …`.
struct SimulateRunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Simulate replicate tables from a scenario and run estimators on each.")

  @Argument(help: "The scenario (JSON; see docs/cli.md, e.g. Notebooks/scenarios/*.json).")
  var scenario: String

  @Option(help: "Replicates in the whole study.")
  var replicates: Int = 100

  @Option(help: "Estimators, comma-separated: mt, stepwise, stepwise+bca, bic, aic, bic+bca, dga, latent-class.")
  var estimators: String = "mt,stepwise"

  @Option(parsing: .unconditional, help: "Bootstrap replicates inside stepwise+bca and bic+bca.")
  var bootstrap: Int = SimulationEstimator.defaultBootstrapReplicates

  @Option(
    help:
      "Run only shard i of n (i from 1): a contiguous block of replicates, with the same seeds as the whole study; combine with `darknumber simulate merge`."
  )
  var shard: String?

  @Option(
    name: .shortAndLong,
    help: "Also write the JSON document (replicates and summary) to this file (what `merge` reads).")
  var output: String?

  @Option(help: "Write every replicate's estimates to this CSV file.")
  var replicatesCsv: String?

  @OptionGroup var rendering: OutputOptions
  @OptionGroup var execution: RunOptions
  @OptionGroup var randomness: SeedOptions

  /// The seed given, or this command's default.
  private var seed: UInt64 { randomness.seed(default: 1) }
  @OptionGroup var confidence: LevelOptions

  func validate() throws {
    guard replicates >= 1 && replicates <= 10_000_000 else {
      throw ValidationError("--replicates must be between 1 and 10,000,000.")
    }
    guard bootstrap >= 10 else { throw ValidationError("--bootstrap must be at least 10.") }
    _ = try shardRange()
  }

  /// `--shard i/n` as (zero-based index, count).
  func shardRange() throws -> (index: Int, count: Int)? {
    guard let shard else { return nil }
    let parts = shard.split(separator: "/").map { Int($0) }
    guard parts.count == 2, let i = parts[0], let n = parts[1], n >= 1, (1...n).contains(i) else {
      throw ValidationError("--shard expects i/n with 1 ≤ i ≤ n, e.g. 3/10; found \"\(shard)\".")
    }
    return (i - 1, n)
  }

  func run() async throws {
    try await CommandFailure.reporting {
      let (definition, text) = try ScenarioFile.load(scenario)
      let scenarioValue = try definition.scenario()
      if let problem = scenarioValue.problem { throw CommandFailure.data("\(scenario): \(problem).") }
      let names = estimators.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      guard !names.isEmpty else { throw CommandFailure.usage("--estimators needs at least one name.") }
      let chosen = try names.map { name in
        guard let estimator = Self.estimator(name, bootstrap: bootstrap, listCount: scenarioValue.listNames.count)
        else {
          throw CommandFailure.usage(
            "unknown estimator \"\(name)\"; expected mt, stepwise, stepwise+bca, bic, aic, bic+bca, dga or latent-class."
          )
        }
        return estimator
      }
      BLASThreads.setSingleThreadedStoppingWorkers()
      let shardInfo = try shardRange()
      let range =
        shardInfo.map { SimulationStudy.shardReplicates(replicates, index: $0.index, count: $0.count) }
        ?? 0..<replicates
      let progress = execution.reporter(label: "replicates", count: range.count)
      let records = try await SimulationStudy.run(
        scenario: scenarioValue, estimators: chosen, replicates: range, seed: seed, level: confidence.level,
        concurrency: execution.threads, progress: progress)
      execution.finish(progress)
      let document = SimulationDocument(
        scenario: text, scenarioName: scenarioValue.name, truth: scenarioValue.populationSize,
        seed: seed, replicates: replicates, level: confidence.level, bootstrap: bootstrap, estimators: names,
        shard: shardInfo.map { .init(index: $0.index + 1, count: $0.count) }, records: records)
      if let output { try TextFile.write(try JSONText.encode(document), to: output) }
      if let replicatesCsv { try TextFile.write(document.replicatesCSV(), to: replicatesCsv) }
      print(try document.rendered(as: rendering.format), terminator: "")
    }
  }

  /// The estimator called `name`: a Bayesian one, or the library's log-linear ones.
  static func estimator(_ name: String, bootstrap: Int, listCount: Int) -> SimulationEstimator? {
    SimulationEstimator.bayesian(named: name)
      ?? SimulationEstimator.named(name, bootstrapReplicates: bootstrap, listCount: listCount)
  }
}

/// `darknumber simulate merge FILE…`.
struct SimulateMergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Combine the --output files of `simulate --shard i/n` into exactly the unsharded study.")

  @Argument(help: "The shards' JSON outputs.")
  var files: [String]

  @Option(name: .shortAndLong, help: "Also write the merged JSON document to this file.")
  var output: String?

  @OptionGroup var rendering: OutputOptions

  func validate() throws {
    guard !files.isEmpty else { throw ValidationError("give the shard files to merge.") }
  }

  func run() throws {
    try CommandFailure.reporting {
      var documents: [SimulationDocument] = []
      for file in files {
        guard let contents = FileManager.default.contents(atPath: file) else {
          throw CommandFailure.other("cannot read the file \(file).")
        }
        do {
          documents.append(try JSONDecoder().decode(SimulationDocument.self, from: contents))
        } catch {
          throw CommandFailure.data(
            "\(file): not a `darknumber simulate --output` file (\(ScenarioFile.describe(error))).")
        }
      }
      let merged = try SimulationDocument.merge(documents, files: files)
      if let output { try TextFile.write(try JSONText.encode(merged), to: output) }
      print(try merged.rendered(as: rendering.format), terminator: "")
    }
  }
}
