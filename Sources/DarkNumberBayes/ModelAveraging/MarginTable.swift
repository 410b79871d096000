import DarkNumber
internal import RealModule

/// The observed table's margins over every non-empty set of lists, with the pieces of the
/// hyper-Dirichlet margin likelihood that do not depend on the unobserved count.
struct MarginTable: Sendable {
  let listNames: [String]
  let observedTotal: Int
  let delta: Double
  /// `2^K δ`, the total Dirichlet weight of every margin.
  let cellTotal: Double
  /// `Σ_h log y_h!` over the observed cells.
  let logFactorialSum: Double
  /// Per subset bitmask `A`: the observed count on none of `A`'s lists.
  let absentCounts: [Double]
  /// Per subset `A`: `Σ_{c ≠ 0} log Γ(y_{A,c} + α_A) − 2^{|A|} log Γ(α_A)`.
  let constants: [Double]
  /// Per subset `A`: `α_A = δ·2^{K−|A|}`.
  let alphas: [Double]
  /// Lists that recorded someone, none of whom appears on another list.
  let isolatedLists: [String]

  init(data: CaptureData, delta: Double) {
    let listCount = data.listCount
    let size = 1 << listCount
    var counts = [Double](repeating: 0, count: size)
    for cell in data.cells { counts[Int(cell.history.rawValue)] = Double(cell.count) }
    listNames = data.listNames
    observedTotal = data.observedTotal
    self.delta = delta
    cellTotal = delta * Double(size)
    logFactorialSum = counts.reduce(0) { $0 + Double.logGamma($1 + 1) }
    var absent = [Double](repeating: Double(data.observedTotal), count: size)
    var constants = [Double](repeating: 0, count: size)
    var alphas = [Double](repeating: cellTotal, count: size)
    var margin = [Double](repeating: 0, count: size)
    for subset in 1..<size {
      for index in 0..<size { margin[index] = 0 }
      for history in 1..<size { margin[history & subset] += counts[history] }
      let alpha = delta * Double(1 << (listCount - subset.nonzeroBitCount))
      let logGammaAlpha = Double.logGamma(alpha)
      var constant = -Double(1 << subset.nonzeroBitCount) * logGammaAlpha
      // Every non-empty sub-pattern of `subset` is a cell of its margin (zeros included).
      var pattern = subset
      while pattern != 0 {
        constant += margin[pattern] == 0 ? logGammaAlpha : Double.logGamma(margin[pattern] + alpha)
        pattern = (pattern - 1) & subset
      }
      absent[subset] = margin[0]
      constants[subset] = constant
      alphas[subset] = alpha
    }
    absentCounts = absent
    self.constants = constants
    self.alphas = alphas
    isolatedLists = (0..<listCount).filter { list in
      data.listTotal(list) > 0
        && data.cells.allSatisfy { !$0.history.contains(list: list) || $0.history.listCount == 1 }
    }.map { data.listNames[$0] }
  }

  /// Per subset `A` (index = bitmask; index 0 empty): the vector over the grid of
  /// `log L_A(m) = normaliser(m) + constant_A + log Γ(m + absent_A + α_A)`, subsets computed in
  /// parallel (each vector is a pure function of its subset).
  func marginTerms(grid: MissingGrid, normaliser: [Double]) -> [[Double]] {
    ParallelWork.map(count: constants.count) { subset in
      subset == 0 ? [] : marginTerm(subset: subset, grid: grid, normaliser: normaliser)
    }
  }

  /// One subset's vector of ``marginTerms(grid:normaliser:)``.
  private func marginTerm(subset: Int, grid: MissingGrid, normaliser: [Double]) -> [Double] {
    let offset = absentCounts[subset] + alphas[subset]
    let constant = constants[subset]
    var terms = logGammaSequence(from: Double(grid.start) + offset, step: grid.step, count: grid.count)
    for index in terms.indices { terms[index] += normaliser[index] + constant }
    return terms
  }

  /// The caveats of an analysis of this table.
  func warnings(massNearTop: Double) -> [BayesWarning] {
    var result = isolatedLists.map { BayesWarning.listWithoutOverlap(list: $0) }
    if massNearTop > 1e-6 { result.append(.massNearGridTop(massNearTop)) }
    return result
  }
}
