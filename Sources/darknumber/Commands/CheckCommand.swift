import ArgumentParser
import DarkNumber
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

/// The JSON form of an ``ExistenceCheck``.
struct CheckDocument: Encodable {
  let schemaVersion = 1
  let command = "check"
  let model: String
  let code: Int
  let estimateExists: Bool
  let identifiable: Bool
  let linearProgramObjective: Double
  let emptyInteractions: [String]
  let sentence: String

  init(model: LogLinearModel, check: ExistenceCheck) {
    self.model = model.description
    code = check.sparseMSECode
    estimateExists = check.estimateExists
    identifiable = check.identifiable
    linearProgramObjective = check.linearProgramObjective
    emptyInteractions = check.emptyInteractions
    var parts: [String] = []
    parts.append(
      check.estimateExists
        ? "the maximum-likelihood estimate exists (linear program optimum \(check.linearProgramObjective) > 0)"
        : "the maximum-likelihood estimate does not exist (linear program optimum 0: the counts lie on the boundary of the marginal cone)"
    )
    parts.append(
      check.identifiable
        ? "it is identifiable"
        : "it is not identifiable (the design loses \(check.rankDeficiency) rank)")
    if !check.emptyInteractions.isEmpty {
      parts.append(
        "interactions set to −∞ for lists that never overlap: \(check.emptyInteractions.joined(separator: ", "))")
    }
    sentence = "Model \(model): " + parts.joined(separator: "; ") + "."
  }
}
