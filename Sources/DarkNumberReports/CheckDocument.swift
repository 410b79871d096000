package import DarkNumber
import Foundation

/// The JSON form of an ``ExistenceCheck``.
package struct CheckDocument: Encodable {
  package let schemaVersion = 1
  package let command = "check"
  package let model: String
  package let code: Int
  package let estimateExists: Bool
  package let identifiable: Bool
  package let linearProgramObjective: Double
  package let emptyInteractions: [String]
  package let sentence: String

  package init(model: LogLinearModel, check: ExistenceCheck) {
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
