import DarkNumberLinearAlgebra
import RealModule

/// Fits hierarchical log-linear models to a count vector by ``LatticeIRLS`` and scores them by an
/// information criterion — the inner loop of re-selection on bootstrap replicates and jackknife
/// deletions.
///
/// A term whose cells hold nobody (`t_T = Σ_{h ⊇ T} y_h = 0`) is at −∞ and its cells are left out,
/// as ``LogLinearModel/fit(to:options:)`` does; a model whose design is then rank deficient or
/// whose fit fails has no score. Whether a scored model's MLE exists is the caller's question
/// (``ExistenceCache``): a fit whose MLE does not exist still gets a score, from wherever IRLS
/// stopped. Scores count every parameter, −∞ ones included, as MultipleSystemsEstimation's
/// `fit_hier_model`.
struct ModelScorer: Sendable {
  let criterion: InformationCriterion
  let listNames: [String]
  let observedTotal: Int
  let fitOptions: FitOptions

  /// Per-task buffers and the current count vector's statistics.
  struct Workspace {
    var lattice: LatticeIRLS
    var statistics: [Double]
    var logFactorials = 0.0

    init(listCount: Int) {
      lattice = LatticeIRLS(listCount: listCount)
      statistics = [Double](repeating: 0, count: 1 << listCount)
    }
  }

  /// A model's score and `N̂`, and its finite terms with their coefficients (a warm start for
  /// nearby count vectors).
  struct Score: Sendable {
    let value: Double
    let total: Double
    let start: Start
  }

  /// Coefficients of some of a model's terms, to start IRLS from.
  struct Start: Sendable {
    let terms: [UInt32]
    let coefficients: [Double]

    /// The coefficients of `kept` (a subsequence of the model's terms in the same order), those
    /// of terms not in ``terms`` zero.
    func aligned(to kept: [UInt32]) -> [Double] {
      var result = [Double](repeating: 0, count: kept.count)
      var j = 0
      for (i, term) in kept.enumerated() {
        while j < terms.count && terms[j] != term { j += 1 }
        if j < terms.count { result[i] = coefficients[j] } else { j = 0 }
      }
      return result
    }
  }

  /// The terms ``LatticeIRLS`` needs for `model`: the intercept `0`, the main effects, the
  /// interactions.
  static func terms(of model: LogLinearModel) -> [UInt32] {
    [0] + (0..<model.listCount).map { UInt32(1) << UInt32($0) } + model.interactions
  }

  /// Makes `counts` (indexed by history, `2ᴷ` entries, entry 0 unused) the current count vector.
  func prepare(counts y: [Double], workspace: inout Workspace) {
    for h in 0..<y.count { workspace.statistics[h] = y[h] }
    SubsetLattice.supersetSums(&workspace.statistics, bits: listNames.count)
    var logFactorials = 0.0
    for h in 1..<y.count where y[h] > 1 { logFactorials += Double.logGamma(y[h] + 1) }
    workspace.logFactorials = logFactorials
  }

  /// The score of the model with `terms` on the prepared `counts`, or `nil` (see the type).
  /// - Parameter start: the coefficients of the same model on nearby counts (a bootstrap
  ///   replicate's data), IRLS's starting point. The fit converges to the same MLE, in fewer
  ///   iterations.
  func score(
    terms: [UInt32], counts y: [Double], workspace: inout Workspace, start: Start? = nil
  ) -> Score? {
    var kept: [UInt32] = []
    var boundary: [UInt32] = []
    for term in terms {
      if term != 0 && workspace.statistics[Int(term)] == 0 { boundary.append(term) } else { kept.append(term) }
    }
    if !boundary.isEmpty {
      // Full column rank unless saturated on the kept cells (see `ModelSearch.Kernel.fit`).
      var keptCells = 0
      for h in 1..<UInt32(y.count) where !boundary.contains(where: { h & $0 == $0 }) { keptCells += 1 }
      guard kept.count <= keptCells else { return nil }
    }
    guard
      let result = workspace.lattice.fit(
        terms: kept, boundary: boundary, counts: y, options: fitOptions,
        start: start.map { $0.terms == kept ? $0.coefficients : $0.aligned(to: kept) },
        interceptVariance: false)
    else { return nil }
    let total = Double(observedTotal) + Double.exp(result.coefficients[0])
    guard total.isFinite else { return nil }
    let value = criterion.value(
      logLikelihood: result.logLikelihoodKernel - workspace.logFactorials, parameters: terms.count,
      cells: y.count - 1, observed: observedTotal)
    return Score(value: value, total: total, start: Start(terms: kept, coefficients: result.coefficients))
  }
}
