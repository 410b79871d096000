import ArgumentParser
import DarkNumber
import DarkNumberReports
import DarkNumberLinearAlgebra
import Foundation

/// `darknumber check`: does the MLE of a model exist, and is it identifiable?
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check whether a model's maximum-likelihood estimate exists and is identifiable (SparseMSE checkident).")

  @OptionGroup var input: InputOptions

  @Option(help: "The log-linear model (default: all two-way terms).")
  var model: String = "all:2"

  @OptionGroup var rendering: OutputOptions

  func run() throws {
    try CommandFailure.reporting {
      let data = try input.load()
      let model = try LogLinearModel(specification: self.model, listNames: data.listNames)
      let check = try ExistenceCheck(model: model, data: data)
      switch rendering.format {
      case .json:
        print(try JSONText.encode(CheckDocument(model: model, check: check)), terminator: "")
      case .csv:
        print("model,code,exists,identifiable,lp_objective,empty_interactions")
        print(
          "\"\(model)\",\(check.sparseMSECode),\(check.estimateExists),\(check.identifiable),\(check.linearProgramObjective),\"\(check.emptyInteractions.joined(separator: " "))\""
        )
      case .text:
        print(CheckDocument(model: model, check: check).sentence)
      }
      if check.sparseMSECode != 0 { throw ExitCode(65) }
    }
  }
}
