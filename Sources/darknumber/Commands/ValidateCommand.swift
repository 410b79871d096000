import ArgumentParser
import DarkNumber
import DarkNumberBayes
import DarkNumberReports
import DarkNumberLinearAlgebra

/// `darknumber validate`: each list in turn as a population of known size (Binette & Steorts
/// 2022) — does the method recover the people only on it from the other lists?
struct ValidateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract:
      "Hold out each list as a population of known size and see whether each method recovers the people only on it from the other lists (Binette & Steorts 2022).",
    discussion: """
      Methods: mt (independence), stepwise (SparseMSE), bic, aic, aicc, dga (model averaging, up to 5 \
      other lists) and latent-class (LCMCR). The interval judged is the profile likelihood for the \
      log-linear methods and the credible interval for the Bayesian ones.
      """)

  @OptionGroup var input: InputOptions

  @Option(
    parsing: .upToNextOption,
    help: "The methods to validate (default: mt stepwise bic aic; also aicc, dga, latent-class).")
  var method: [String] = ListValidation.defaultMethods.map(\.name)

  @OptionGroup var rendering: OutputOptions
  @OptionGroup var execution: RunOptions
  @OptionGroup var randomness: SeedOptions
  @OptionGroup var confidence: LevelOptions

  func validate() throws {
    let known = ListValidation.defaultMethods.map(\.name) + ["aicc"] + ListValidation.bayesianMethodNames
    for name in method where !known.contains(name.lowercased()) {
      throw ValidationError("--method \(name): not one of \(known.joined(separator: ", ")).")
    }
  }

  func run() async throws {
    try await CommandFailure.reporting {
      let data = try input.load()
      BLASThreads.setSingleThreadedStoppingWorkers()
      execution.status("validating \(method.count) method(s) on \(data.listCount) held-out lists…")
      let validation = try await ListValidation.run(
        data: data, methodNames: method, level: confidence.level, seed: randomness.seed(default: 1),
        concurrency: execution.threads)
      execution.clearStatus()
      let report = ValidationReport(source: input.sourceDescription, data: data, validation: validation)
      print(try report.rendered(as: rendering.format), terminator: "")
    }
  }
}
