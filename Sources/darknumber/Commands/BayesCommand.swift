import ArgumentParser
import DarkNumber
import DarkNumberReports
import DarkNumberBayes
import DarkNumberLinearAlgebra
import Foundation

/// `darknumber bayes`: the posterior of N by decomposable-graph model averaging (dga) or the
/// latent-class model (LCMCR).
struct BayesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bayes",
    abstract:
      "Posterior of N: model averaging over decomposable graphs (dga) or hierarchical log-linear models (conting), or the latent-class model (LCMCR)."
  )

  @OptionGroup var input: InputOptions

  @Option(
    help:
      "dga (Madigan & York model averaging, exact), loglinear (reversible jump over hierarchical log-linear models, conting's bict) or latent-class (Manrique-Vallier, Gibbs sampler)."
  )
  var method: BayesMethod = .dga

  @Option(help: "dga: the hyper-Dirichlet parameter (default 2^-K).")
  var delta: Double?

  @Option(
    help:
      "dga: the prior on N: reciprocal (1/N, dga's default), uniform, or negative-binomial:SIZE,ODDS. loglinear: sbh (Sabanés Bové–Held, default) or uip (unit information)."
  )
  var prior: PriorOption?

  @Option(help: "loglinear: the largest interaction order of the models (default 2).")
  var maxOrder: Int?

  @Option(help: "loglinear: iterations kept per chain (default 10,000).")
  var samples: Int?

  @Option(
    help:
      "loglinear: a cell known only up to a bound, as HISTORY<=COUNT with HISTORY the 0/1 digits in list order (e.g. 0001<=684); repeatable."
  )
  var censored: [String] = []

  @Option(
    help:
      "dga: the grid of unobserved counts START:STOP[:STEP] (default: 0…5n, doubled until the posterior mass in its top 1% is below 1e-6)."
  )
  var grid: String?

  @Option(help: "dga and loglinear: how many of the most probable graphs or models to report, or 'all'.")
  var top: CandidateLimit = .count(10)

  @Option(help: "latent-class: the number of latent classes K.")
  var classes: Int = LatentClassOptions().classes

  @Option(help: "latent-class: the shape a of the Gamma(a, b) prior on the concentration.")
  var alphaShape: Double = LatentClassOptions().concentrationShape

  @Option(help: "latent-class: the rate b of the Gamma(a, b) prior on the concentration.")
  var alphaRate: Double = LatentClassOptions().concentrationRate

  @Option(help: "latent-class and loglinear: independent chains (each from stream (seed, chain)).")
  var chains: Int = LatentClassOptions().chains

  @Option(
    help:
      "latent-class: sweeps discarded per chain after LCMCR's 500 warm-up sweeps (default 10,000); loglinear: iterations discarded per chain (default 1,000)."
  )
  var burnIn: Int?

  @Option(help: "latent-class: draws kept per chain.")
  var draws: Int = LatentClassOptions().draws

  @Option(help: "latent-class: sweeps per kept draw.")
  var thin: Int = LatentClassOptions().thinning

  @Option(
    help:
      "Write the posterior to this CSV file: every draw (chain, draw, N, alpha, occupiedClasses) for latent-class, (chain, draw, N) for loglinear, the distribution (N, probability) for dga."
  )
  var drawsCsv: String?

  @OptionGroup var rendering: OutputOptions
  @OptionGroup var execution: RunOptions
  @OptionGroup var randomness: SeedOptions

  /// The seed given, or this command's default (the library's `LatentClassOptions` default).
  private var seed: UInt64 { randomness.seed(default: LatentClassOptions().seed) }

  func validate() throws {
    if let delta, !(delta > 0 && delta.isFinite) { throw ValidationError("--delta must be a positive number.") }
    if method == .logLinear {
      if let prior, prior.logLinear == nil {
        throw ValidationError("--prior for loglinear is sbh or uip.")
      }
      if let problem = logLinearOptions().problem(listCount: nil) { throw ValidationError(problem + ".") }
      _ = try censoredCells(listCount: nil)
    } else {
      if prior?.population == nil && prior != nil {
        throw ValidationError("--prior sbh and uip go with --method loglinear.")
      }
      if maxOrder != nil || samples != nil || !censored.isEmpty {
        throw ValidationError("--max-order, --samples and --censored go with --method loglinear.")
      }
    }
    if let grid {
      do {
        _ = try MissingGrid(specification: grid)
      } catch {
        throw ValidationError("--grid: \(error.description).")
      }
    }
  }

  func run() async throws {
    try await CommandFailure.reporting {
      BLASThreads.setSingleThreadedStoppingWorkers()
      let data = try input.load()
      let report: BayesReport
      switch method {
      case .logLinear:
        var options = logLinearOptions()
        do {
          options.censored = try censoredCells(listCount: data.listCount)
        } catch let error as ValidationError {
          throw CommandFailure.usage(error.message)
        }
        options.seed = seed
        let progress = execution.reporter(label: "iterations", count: chains * (options.burnIn + options.samples))
        let result = try await LogLinearAveraging.run(
          data: data, options: options, concurrency: execution.threads, progress: progress)
        execution.finish(progress)
        report = BayesReport(source: input.sourceDescription, logLinear: result, data: data, top: top.limit)
      case .dga:
        var options = GraphModelAveraging.Options(delta: delta, prior: prior?.population ?? .reciprocal)
        if let grid { options.grid = .fixed(try MissingGrid(specification: grid)) }
        execution.status("averaging over decomposable graphs…")
        let result = try await GraphModelAveraging.run(data: data, options: options)
        execution.clearStatus()
        report = BayesReport(source: input.sourceDescription, averaging: result, top: top.limit)
      case .latentClass:
        let options = LatentClassOptions(
          classes: classes, concentrationShape: alphaShape, concentrationRate: alphaRate,
          burnIn: burnIn ?? LatentClassOptions().burnIn, draws: draws, thinning: thin, chains: chains, seed: seed)
        if let problem = options.problem { throw CommandFailure.usage(problem + ".") }
        let progress = execution.reporter(
          label: "sweeps", count: chains * ((burnIn ?? LatentClassOptions().burnIn) + draws * thin))
        let result = try await LatentClassModel.run(
          data: data, options: options, concurrency: execution.threads, progress: progress)
        execution.finish(progress)
        report = BayesReport(source: input.sourceDescription, latentClass: result)
      }
      if let drawsCsv { try TextFile.write(report.drawsCSV(), to: drawsCsv) }
      print(try report.addingDataWarnings(data.warnings).rendered(as: rendering.format), terminator: "")
    }
  }
}

/// The estimator of `darknumber bayes`.
enum BayesMethod: String, CaseIterable, ExpressibleByArgument {
  case dga
  case logLinear = "loglinear"
  case latentClass = "latent-class"
}

extension BayesCommand {
  /// The loglinear settings given (the censored cells and the seed apart).
  func logLinearOptions() -> LogLinearAveraging.Options {
    var options = LogLinearAveraging.Options()
    options.maximumOrder = maxOrder ?? options.maximumOrder
    options.prior = prior?.logLinear ?? options.prior
    options.samples = samples ?? options.samples
    options.burnIn = burnIn ?? options.burnIn
    options.chains = chains
    return options
  }

  /// `--censored HISTORY<=COUNT` values as cells (the history's digits checked against
  /// `listCount` when known).
  func censoredCells(listCount: Int?) throws -> [LogLinearAveraging.CensoredCell] {
    try censored.map { text in
      let parts = text.split(separator: "<=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      let digits = parts.first ?? ""
      guard parts.count == 2, let bound = Int(parts[1].trimmingCharacters(in: .whitespaces)), bound >= 1,
        !digits.isEmpty, digits.allSatisfy({ $0 == "0" || $0 == "1" }), digits.contains("1"),
        listCount.map({ digits.count == $0 }) ?? true,
        let history = CaptureHistory(lists: digits.enumerated().filter { $0.element == "1" }.map(\.offset))
      else {
        throw ValidationError(
          "--censored \(quoted(text)): expected HISTORY<=COUNT, the history as one 0/1 digit per list (\(listCount.map { "\($0) lists" } ?? "in list order"), not all 0) and a bound of at least 1, e.g. 0001<=684."
        )
      }
      return LogLinearAveraging.CensoredCell(history: history, bound: bound)
    }
  }
}

/// `--prior reciprocal|uniform|negative-binomial:SIZE,ODDS` (dga) or `sbh|uip` (loglinear).
struct PriorOption: ExpressibleByArgument {
  /// dga's prior on N.
  var population: PopulationPrior?
  /// loglinear's prior on the parameters.
  var logLinear: LogLinearAveraging.Prior?

  init?(argument: String) {
    switch argument {
    case "sbh": logLinear = .contingSabanesBoveHeld
    case "uip": logLinear = .unitInformation
    case "reciprocal": population = .reciprocal
    case "uniform": population = .uniform
    default:
      let parts = argument.split(separator: ":", maxSplits: 1)
      guard parts.count == 2, parts[0] == "negative-binomial" else { return nil }
      let numbers = parts[1].split(separator: ",").compactMap { Double($0) }
      guard numbers.count == 2, numbers.allSatisfy({ $0 > 0 && $0.isFinite }) else { return nil }
      population = .negativeBinomial(size: numbers[0], odds: numbers[1])
    }
  }

  static var allValueStrings: [String] { ["reciprocal", "uniform", "negative-binomial:SIZE,ODDS", "sbh", "uip"] }
}
