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
    abstract: "Posterior of N: model averaging over decomposable graphs (dga) or the latent-class model (LCMCR).")

  @OptionGroup var input: InputOptions

  @Option(help: "dga (Madigan & York model averaging, exact) or latent-class (Manrique-Vallier, Gibbs sampler).")
  var method: BayesMethod = .dga

  @Option(help: "dga: the hyper-Dirichlet parameter (default 2^-K).")
  var delta: Double?

  @Option(help: "dga: the prior on N: reciprocal (1/N, dga's default), uniform, or negative-binomial:SIZE,ODDS.")
  var prior: PriorOption = PriorOption(prior: .reciprocal)

  @Option(
    help:
      "dga: the grid of unobserved counts START:STOP[:STEP] (default: 0…5n, doubled until the posterior mass in its top 1% is below 1e-6)."
  )
  var grid: String?

  @Option(help: "dga: how many of the most probable graphs to report, or 'all'.")
  var top: CandidateLimit = .count(10)

  @Option(help: "latent-class: the number of latent classes K.")
  var classes: Int = LatentClassOptions().classes

  @Option(help: "latent-class: the shape a of the Gamma(a, b) prior on the concentration.")
  var alphaShape: Double = LatentClassOptions().concentrationShape

  @Option(help: "latent-class: the rate b of the Gamma(a, b) prior on the concentration.")
  var alphaRate: Double = LatentClassOptions().concentrationRate

  @Option(help: "latent-class: independent chains (each from stream (seed, chain)).")
  var chains: Int = LatentClassOptions().chains

  @Option(help: "latent-class: sweeps discarded per chain after LCMCR's 500 warm-up sweeps.")
  var burnIn: Int = LatentClassOptions().burnIn

  @Option(help: "latent-class: draws kept per chain.")
  var draws: Int = LatentClassOptions().draws

  @Option(help: "latent-class: sweeps per kept draw.")
  var thin: Int = LatentClassOptions().thinning

  @Option(
    help:
      "Write the posterior to this CSV file: every draw (chain, draw, N, alpha, occupiedClasses) for latent-class, the distribution (N, probability) for dga."
  )
  var drawsCsv: String?

  @OptionGroup var rendering: OutputOptions
  @OptionGroup var execution: RunOptions
  @OptionGroup var randomness: SeedOptions

  /// The seed given, or this command's default (the library's `LatentClassOptions` default).
  private var seed: UInt64 { randomness.seed(default: LatentClassOptions().seed) }

  func validate() throws {
    if let delta, !(delta > 0 && delta.isFinite) { throw ValidationError("--delta must be a positive number.") }
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
      case .dga:
        var options = GraphModelAveraging.Options(delta: delta, prior: prior.prior)
        if let grid { options.grid = .fixed(try MissingGrid(specification: grid)) }
        execution.status("averaging over decomposable graphs…")
        let result = try await GraphModelAveraging.run(data: data, options: options)
        execution.clearStatus()
        report = BayesReport(source: input.sourceDescription, averaging: result, top: top.limit)
        if let drawsCsv {
          var text = "N,probability\n"
          for (total, probability) in zip(result.totals, result.probabilities) {
            text += "\(Int(total)),\(probability)\n"
          }
          try TextFile.write(text, to: drawsCsv)
        }
      case .latentClass:
        let options = LatentClassOptions(
          classes: classes, concentrationShape: alphaShape, concentrationRate: alphaRate,
          burnIn: burnIn, draws: draws, thinning: thin, chains: chains, seed: seed)
        if let problem = options.problem { throw CommandFailure.usage(problem + ".") }
        let progress = execution.reporter(label: "sweeps", count: chains * (burnIn + draws * thin))
        let result = try await LatentClassModel.run(
          data: data, options: options, concurrency: execution.threads, progress: progress)
        execution.finish(progress)
        report = BayesReport(source: input.sourceDescription, latentClass: result)
        if let drawsCsv {
          var text = "chain,draw,N,alpha,occupiedClasses\n"
          for (index, chain) in result.chains.enumerated() {
            for draw in chain.totals.indices {
              text +=
                "\(index + 1),\(draw + 1),\(chain.totals[draw]),\(chain.concentrations[draw]),\(chain.occupiedClasses[draw])\n"
            }
          }
          try TextFile.write(text, to: drawsCsv)
        }
      }
      print(try report.addingDataWarnings(data.warnings).rendered(as: rendering.format), terminator: "")
    }
  }
}

/// The estimator of `darknumber bayes`.
enum BayesMethod: String, CaseIterable, ExpressibleByArgument {
  case dga
  case latentClass = "latent-class"
}

/// `--prior reciprocal|uniform|negative-binomial:SIZE,ODDS`.
struct PriorOption: ExpressibleByArgument {
  let prior: PopulationPrior

  init(prior: PopulationPrior) { self.prior = prior }

  init?(argument: String) {
    switch argument {
    case "reciprocal": prior = .reciprocal
    case "uniform": prior = .uniform
    default:
      let parts = argument.split(separator: ":", maxSplits: 1)
      guard parts.count == 2, parts[0] == "negative-binomial" else { return nil }
      let numbers = parts[1].split(separator: ",").compactMap { Double($0) }
      guard numbers.count == 2, numbers.allSatisfy({ $0 > 0 && $0.isFinite }) else { return nil }
      prior = .negativeBinomial(size: numbers[0], odds: numbers[1])
    }
  }

  static var allValueStrings: [String] { ["reciprocal", "uniform", "negative-binomial:SIZE,ODDS"] }
  var defaultValueDescription: String { "reciprocal" }
}
