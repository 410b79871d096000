/// A fixed list of hierarchical models among which an information criterion re-selects on many
/// count vectors: the bootstrap replicates and jackknife deletions of Silverman, Chan & Vincent
/// (2024, *Statistics and Computing* 34:44), MultipleSystemsEstimation's `bootstrapcal` and
/// `jackknifecal`.
///
/// On each count vector every model is fitted and scored (``ModelScorer``); the best-scoring model
/// whose MLE exists and is identifiable there (``ExistenceCache``, asked in rank order, so only
/// the leading models need a linear program) is the selection — the model MultipleSystemsEstimation
/// selects after checking every model first. Ties go to the model listed first.
struct CandidateSet: Sendable {
  /// The models, in their order of preference on ties.
  let models: [LogLinearModel]
  let terms: [[UInt32]]
  let scorer: ModelScorer
  /// Each model's coefficients on the data: the warm start on replicates.
  let starts: [LatticeIRLS.Start?]

  /// The set of `models`, fitted once to `counts` (the data, indexed by history) for warm starts.
  init(models: [LogLinearModel], scorer: ModelScorer, counts: [Double]) {
    self.models = models
    let terms = models.map(ModelScorer.terms(of:))
    self.terms = terms
    self.scorer = scorer
    var workspace = ModelScorer.Workspace(listCount: scorer.listNames.count)
    scorer.prepare(counts: counts, workspace: &workspace)
    starts = terms.map { scorer.score(terms: $0, counts: counts, workspace: &workspace)?.start }
  }

  /// The selected model's position in ``models`` and its `N̂`.
  struct Choice: Sendable {
    let index: Int
    let total: Double
  }

  /// The selection on `counts` (indexed by history, `2ᴷ` entries, entry 0 unused; they sum to
  /// the observed total), or `nil` when no model has an estimate.
  func select(counts y: [Double], cache: ExistenceCache, workspace: inout ModelScorer.Workspace)
    -> Choice?
  {
    scorer.prepare(counts: y, workspace: &workspace)
    var scored: [(value: Double, index: Int, total: Double)] = []
    scored.reserveCapacity(terms.count)
    for (index, modelTerms) in terms.enumerated() {
      if let score = scorer.score(
        terms: modelTerms, counts: y, workspace: &workspace, start: starts[index])
      {
        scored.append((score.value, index, score.total))
      }
    }
    scored.sort { $0.value != $1.value ? $0.value < $1.value : $0.index < $1.index }
    for candidate in scored {
      let code = try? cache.code(model: models[candidate.index], counts: y, listNames: scorer.listNames)
      if code == 0 { return Choice(index: candidate.index, total: candidate.total) }
    }
    return nil
  }
}
