/// Why a model specification cannot be read.
public enum ModelSpecificationError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The specification is empty.
  case empty
  /// A term names a list that does not exist.
  case unknownList(String, term: String)
  /// Digit notation names list `digit` but there are only `listCount` lists.
  case listNumberOutOfRange(Int, listCount: Int, term: String)
  /// Digit notation needs `K ≤ 9`; use list names.
  case digitNotationNeedsAtMostNineLists(listCount: Int)
  /// The same term appears twice.
  case duplicateTerm(String)
  /// A term names the same list twice.
  case repeatedList(String, term: String)
  /// A token that is not a term.
  case malformed(String)
  /// A term names something that is neither a list nor a covariate of the data.
  case unknownName(String, term: String)
  /// A trend was asked for a covariate the data do not have.
  case unknownCovariate(String)
  /// A trend's polynomial degree must be at least 1 and below the covariate's number of levels.
  case invalidTrendDegree(covariate: String, degree: Int, levels: Int)
  /// A covariate used as a trend has a level that is not a number.
  case trendNotNumeric(covariate: String, level: String)

  /// One sentence for a person.
  public var description: String {
    switch self {
    case .empty: return "the model specification is empty."
    case .unknownList(let name, let term):
      return "unknown list \"\(name)\" in term \"\(term)\"."
    case .listNumberOutOfRange(let digit, let listCount, let term):
      return "list \(digit) in term \"\(term)\" does not exist; the data have \(listCount) lists."
    case .digitNotationNeedsAtMostNineLists(let listCount):
      return
        "digit notation like [12,3] needs at most 9 lists; the data have \(listCount); name the lists instead (\"A:B, C\")."
    case .duplicateTerm(let term): return "the term \"\(term)\" appears twice."
    case .repeatedList(let name, let term): return "list \"\(name)\" appears twice in term \"\(term)\"."
    case .malformed(let token): return "cannot read the term \"\(token)\"."
    case .unknownName(let name, let term):
      return "\"\(name)\" in term \"\(term)\" is neither a list nor a covariate of the data."
    case .unknownCovariate(let name): return "the data have no covariate called \"\(name)\"."
    case .invalidTrendDegree(let covariate, let degree, let levels):
      return
        "a trend of degree \(degree) in \(covariate) needs a degree from 1 to \(levels - 1) (its number of levels minus one)."
    case .trendNotNumeric(let covariate, let level):
      return "the covariate \"\(covariate)\" is used as a trend but its level \"\(level)\" is not a number."
    }
  }
}

extension LogLinearModel {
  /// Reads a model specification.
  ///
  /// Accepted forms (main effects are always included; every subset of a term is implied):
  /// - Rcapture/MultipleSystemsEstimation digits, `"[12,13,3]"`: each digit a 1-based list
  ///   position (only when `K ≤ 9`).
  /// - List names, `"LA:NG, LA:PF"` (any `K`); `*` may stand for `:`.
  /// - `"Mt"` or `"main"`: main effects only; `"all:k"` (or `".^k"`): every interaction up to
  ///   order `k`.
  ///
  /// - Throws: ``ModelSpecificationError`` naming the offending token.
  public init(specification: String, listNames: [String]) throws(ModelSpecificationError) {
    let listCount = listNames.count
    let text = specification.trimmingSpaces
    guard !text.isEmpty else { throw .empty }
    let lowered = text.lowercased()
    if lowered == "mt" || lowered == "main" || lowered == "[]" {
      self = .mainEffects(listCount: listCount)
      return
    }
    for prefix in ["all:", ".^", "~.^"] where lowered.hasPrefix(prefix) {
      guard let order = Int(lowered.dropFirst(prefix.count)), order >= 1 else {
        throw .malformed(text)
      }
      self = .allInteractions(listCount: listCount, upToOrder: min(order, listCount))
      return
    }
    var generators: [UInt32] = []
    var seenTerms = Set<UInt32>()
    if text.first == "[" {
      guard text.last == "]" else { throw .malformed(text) }
      guard listCount <= 9 else { throw .digitNotationNeedsAtMostNineLists(listCount: listCount) }
      let body = text.dropFirst().dropLast()
      for rawToken in body.split(separator: ",", omittingEmptySubsequences: false) {
        let token = String(rawToken).trimmingSpaces
        guard !token.isEmpty else { throw .malformed(text) }
        var term: UInt32 = 0
        for character in token {
          guard let digit = character.wholeNumberValue, character.isASCII else {
            throw .malformed(token)
          }
          guard (1...listCount).contains(digit) else {
            throw .listNumberOutOfRange(digit, listCount: listCount, term: token)
          }
          let bit = UInt32(1) << UInt32(digit - 1)
          if term & bit != 0 { throw .repeatedList(String(digit), term: token) }
          term |= bit
        }
        if !seenTerms.insert(term).inserted { throw .duplicateTerm(token) }
        generators.append(term)
      }
    } else {
      for rawToken in text.split(separator: ",", omittingEmptySubsequences: false) {
        let token = String(rawToken).trimmingSpaces
        guard !token.isEmpty else { throw .malformed(text) }
        var term: UInt32 = 0
        for rawName in token.split(
          omittingEmptySubsequences: false, whereSeparator: { $0 == ":" || $0 == "*" })
        {
          let name = String(rawName).trimmingSpaces
          guard let list = listNames.firstIndex(of: name) else {
            throw name.isEmpty ? .malformed(token) : .unknownList(name, term: token)
          }
          let bit = UInt32(1) << UInt32(list)
          if term & bit != 0 { throw .repeatedList(name, term: token) }
          term |= bit
        }
        if !seenTerms.insert(term).inserted { throw .duplicateTerm(token) }
        generators.append(term)
      }
    }
    self.init(listCount: listCount, generators: generators)
  }
}

extension StringProtocol {
  /// The text without leading and trailing spaces and tabs.
  var trimmingSpaces: String {
    var text = Substring(self)
    while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
    while let last = text.last, last == " " || last == "\t" { text.removeLast() }
    return String(text)
  }
}
