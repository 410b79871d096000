/// A hierarchical log-linear model over capture histories and categorical covariates.
///
/// The factors are the `K` lists (0/1 indicators `x_i`) and the `P` covariates of the data. A term
/// is a set of factors; its columns are the product of its lists' indicators and its covariates'
/// contrast columns (``CovariateCoding``). The model always holds the intercept, every list's and
/// every covariate's main effect, and every subset of each term (hierarchy). With cells `(h, c)` —
/// history `h`, covariate levels `c` — `log μ_{hc} = Σ_T x_T(h, c)ᵀ λ_T`, and the unobserved cells
/// `(0, c)` have only the intercept and the covariate-only terms: `μ_{0c}` estimates the number of
/// people with levels `c` recorded by no list (the log-linear models with covariates of
/// van der Heijden, Cruyff, van Dijk et al. for the Dutch national rapporteur; Zwane & van der
/// Heijden 2005 for categorical covariates).
///
/// Terms are bitmasks over factors: bit `i < K` is list `i`, bit `K + j` covariate `j`.
public struct CovariateModel: Sendable, Hashable, CustomStringConvertible {
  /// The lists' names.
  public let listNames: [String]
  /// The covariates, in the data's order.
  public let covariates: [Covariate]
  /// How each covariate enters the design.
  public let codings: [CovariateCoding]
  /// Every term but the intercept (main effects included), closed under subsets, sorted by the
  /// number of factors and then by the factors' positions.
  public let terms: [UInt64]

  /// The number of lists `K`.
  public var listCount: Int { listNames.count }
  /// A mask of the list bits.
  var listMask: UInt64 { (1 << UInt64(listCount)) - 1 }

  /// The model with main effects and the hierarchical closure of `generators` (bitmasks over
  /// lists and covariates as above).
  /// - Throws: ``ModelSpecificationError`` when a trend's degree or levels are impossible.
  public init(
    listNames: [String], covariates: [Covariate], codings: [CovariateCoding]? = nil,
    generators: [UInt64]
  ) throws(ModelSpecificationError) {
    let factorCount = listNames.count + covariates.count
    precondition(factorCount <= 64, "at most 64 lists and covariates")
    let codings = codings ?? covariates.map { _ in .factor }
    precondition(codings.count == covariates.count, "one coding per covariate")
    for (covariate, coding) in zip(covariates, codings) {
      guard case .polynomial(let degree) = coding else { continue }
      guard degree >= 1 && degree < covariate.levels.count else {
        throw .invalidTrendDegree(covariate: covariate.name, degree: degree, levels: covariate.levels.count)
      }
      for level in covariate.levels where Double(level) == nil {
        throw .trendNotNumeric(covariate: covariate.name, level: level)
      }
    }
    var closure = Set<UInt64>((0..<factorCount).map { UInt64(1) << UInt64($0) })
    for generator in generators {
      precondition(generator != 0 && generator >> UInt64(factorCount) == 0, "term beyond the factors")
      var subset = generator
      while subset != 0 {
        closure.insert(subset)
        subset = (subset - 1) & generator
      }
    }
    self.listNames = listNames
    self.covariates = covariates
    self.codings = codings
    self.terms = closure.sorted(by: Self.order)
  }

  /// Reads `"LA:NG, age, age:PF, year"`: terms separated by commas (or `+`), factors within a
  /// term by `:` (or `*`), each factor a list or covariate name of `data`. Main effects of every
  /// list and covariate are always included; `Mt` or `main` asks for nothing more.
  /// `trends` maps covariate names to a polynomial degree (others are factors).
  ///
  /// - Throws: ``ModelSpecificationError`` naming the offending token.
  public init(specification: String, data: CovariateCaptureData, trends: [String: Int] = [:])
    throws(ModelSpecificationError)
  {
    let names = data.listNames + data.covariates.map(\.name)
    var codings = [CovariateCoding](repeating: .factor, count: data.covariates.count)
    for (name, degree) in trends.sorted(by: { $0.key < $1.key }) {
      guard let index = data.covariateIndex(named: name) else { throw .unknownCovariate(name) }
      codings[index] = .polynomial(degree: degree)
    }
    let text = specification.trimmingSpaces
    guard !text.isEmpty else { throw .empty }
    var generators: [UInt64] = []
    if !["mt", "main"].contains(text.lowercased()) {
      var seen = Set<UInt64>()
      for rawToken in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "," || $0 == "+" }) {
        let token = rawToken.trimmingSpaces
        guard !token.isEmpty else { throw .malformed(text) }
        var term: UInt64 = 0
        for rawName in token.split(omittingEmptySubsequences: false, whereSeparator: { $0 == ":" || $0 == "*" }) {
          let name = rawName.trimmingSpaces
          guard let factor = names.firstIndex(of: name) else {
            throw name.isEmpty ? .malformed(token) : .unknownName(name, term: token)
          }
          let bit = UInt64(1) << UInt64(factor)
          if term & bit != 0 { throw .repeatedList(name, term: token) }
          term |= bit
        }
        if !seen.insert(term).inserted { throw .duplicateTerm(token) }
        generators.append(term)
      }
    }
    try self.init(
      listNames: data.listNames, covariates: data.covariates, codings: codings, generators: generators)
  }

  /// By number of factors, then lexicographically by factor positions.
  static func order(_ a: UInt64, _ b: UInt64) -> Bool {
    if a.nonzeroBitCount != b.nonzeroBitCount { return a.nonzeroBitCount < b.nonzeroBitCount }
    let difference = a ^ b
    return difference != 0 && a & (difference & (~difference &+ 1)) != 0
  }

  /// The factor positions in a term, ascending.
  static func factors(of term: UInt64) -> [Int] {
    var result: [Int] = []
    var rest = term
    while rest != 0 {
      result.append(rest.trailingZeroBitCount)
      rest &= rest &- 1
    }
    return result
  }

  /// The generating class: terms not contained in a larger one.
  public var generatingClass: [UInt64] {
    terms.filter { term in !terms.contains { $0 != term && $0 & term == term } }
  }

  /// The name of factor `factor` (a list or a covariate).
  func factorName(_ factor: Int) -> String {
    factor < listCount ? listNames[factor] : covariates[factor - listCount].name
  }

  /// The generating class spelled with names, larger terms first, `LA:NG, age:PF, year` (main
  /// effects of lists and covariates not in a larger term are listed too).
  public var description: String {
    generatingClass.sorted { a, b in
      a.nonzeroBitCount != b.nonzeroBitCount ? a.nonzeroBitCount > b.nonzeroBitCount : Self.order(a, b)
    }.map { Self.factors(of: $0).map(factorName).joined(separator: ":") }
      .joined(separator: ", ")
  }

  /// The list-only part: the log-linear model of the interactions among lists alone.
  public var listModel: LogLinearModel {
    LogLinearModel(
      listCount: listCount,
      generators: terms.filter { $0 & ~listMask == 0 }.map { UInt32(truncatingIfNeeded: $0) })
  }

  /// The covariates (indices) that share a term with list `list`.
  public func covariatesInteracting(withList list: Int) -> [Int] {
    covariates.indices.filter { j in
      let pair = (UInt64(1) << UInt64(list)) | (UInt64(1) << UInt64(listCount + j))
      return terms.contains { $0 & pair == pair }
    }
  }

  /// The model without covariate `covariate`: every term with it removed from the term (the model
  /// one fits after collapsing the table over that covariate); `nil` when no covariate remains
  /// (see ``listModel``).
  public func removingCovariate(_ covariate: Int) -> CovariateModel? {
    guard covariates.count > 1 else { return nil }
    let bit = listCount + covariate
    let generators = generatingClass.map { term -> UInt64 in
      let low = term & ((UInt64(1) << UInt64(bit)) - 1)
      let high = (term >> UInt64(bit + 1)) << UInt64(bit)
      return low | high
    }.filter { $0 != 0 }
    var kept = covariates
    kept.remove(at: covariate)
    var keptCodings = codings
    keptCodings.remove(at: covariate)
    // The remaining codings were valid before.
    return try! CovariateModel(
      listNames: listNames, covariates: kept, codings: keptCodings, generators: generators)
  }
}
