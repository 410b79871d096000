import RealModule

/// Fits hierarchical log-linear models to a count vector by ``LatticeIRLS`` and scores them by an
/// information criterion — the inner loop of re-selection on bootstrap replicates and jackknife
/// deletions.
///
/// Terms whose cells hold nobody are at −∞ and their cells left out, as
/// ``LogLinearModel/fit(to:options:)`` does; a model whose design is then rank deficient or whose
/// fit fails has no score. Whether a scored model's MLE exists is the caller's question
/// (``ExistenceCache``): a fit whose MLE does not exist still gets a score, from wherever IRLS
/// stopped. Scores count every parameter, −∞ ones included, as MultipleSystemsEstimation's
/// `fit_hier_model`.
struct ModelScorer: Sendable {
  let criterion: InformationCriterion
  let listNames: [String]
  let observedTotal: Int
  let fitOptions: FitOptions

  /// Per-task buffers and the current count vector's `Σ log y!`.
  struct Workspace {
    var lattice: LatticeIRLS
    var logFactorials = 0.0

    init(listCount: Int) {
      lattice = LatticeIRLS(listCount: listCount)
    }
  }

  /// A model's score and `N̂`, and where its fit ended (a warm start for nearby count vectors).
  struct Score: Sendable {
    let value: Double
    let total: Double
    let start: LatticeIRLS.Start
  }

  /// Makes `counts` (indexed by history, `2ᴷ` entries, entry 0 unused) the current count vector.
  func prepare(counts y: [Double], workspace: inout Workspace) {
    workspace.logFactorials = Poisson.logFactorialSum(y.dropFirst())
  }

  /// The score of the model with `terms` on the prepared `counts`, or `nil` (see the type).
  /// - Parameter start: where the same model's fit on nearby counts ended (the data, for a
  ///   bootstrap replicate): the fit converges to the same MLE in fewer iterations.
  func score(
    terms: [UInt32], counts y: [Double], workspace: inout Workspace,
    start: LatticeIRLS.Start? = nil
  ) -> Score? {
    guard
      let result = workspace.lattice.fit(
        terms: terms, counts: y, options: fitOptions, start: start, covariance: .none)
    else { return nil }
    let total = Double(observedTotal) + Double.exp(result.coefficients[0])
    guard total.isFinite else { return nil }
    let value = criterion.value(
      logLikelihood: result.logLikelihoodKernel - workspace.logFactorials, parameters: terms.count,
      cells: y.count - 1, observed: observedTotal)
    return Score(value: value, total: total, start: result.start)
  }
}
