/// A caveat about valid data that an estimate may not survive.
public enum DataWarning: Sendable, Hashable, CustomStringConvertible {
  /// The list recorded nobody; its main effect is −∞ in every log-linear model.
  case emptyList(name: String)

  /// One sentence for a person.
  public var description: String {
    switch self {
    case .emptyList(let name):
      return "list \(name) recorded nobody; its capture probability is estimated as zero and it carries no information."
    }
  }
}
