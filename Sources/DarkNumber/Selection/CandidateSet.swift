import RealModule

/// A fixed list of hierarchical models among which an information criterion re-selects on many
/// count vectors: the bootstrap replicates and jackknife deletions of Silverman, Chan & Vincent
/// (2024, *Statistics and Computing* 34:44), MultipleSystemsEstimation's `bootstrapcal` and
/// `jackknifecal`.
///
/// On each count vector the models are scored (``ModelScorer``) in their listed order (the data's
/// ranking), keeping the best one whose MLE exists and is identifiable there: a model that beats
/// it is checked (``ExistenceCache``) and replaces it only if it passes. The result is the model
/// MultipleSystemsEstimation selects after checking every model first; ties go to the model
/// listed first. A model is not fitted at all when it cannot win: its log-likelihood is at most
/// the saturated one, `ℓ_sat = Σ (y log y − y − log y!)`, so its criterion is at least the
/// criterion of `ℓ_sat` with its own number of parameters.
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
    let terms = models.map(\.latticeTerms)
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
    select(counts: y, prefixes: [models.count], cache: cache, workspace: &workspace)[0]
  }

  /// The selection among the first `n` models for each `n` of `prefixes` (ascending, at most
  /// ``models``' count), from one pass: the best model so far after `n` models is the best of
  /// those `n` (a model skipped because it cannot beat the best so far cannot beat it in a
  /// prefix either) — MultipleSystemsEstimation's `vary_ntop_bca`.
  func select(
    counts y: [Double], prefixes: [Int], cache: ExistenceCache, workspace: inout ModelScorer.Workspace
  ) -> [Choice?] {
    scorer.prepare(counts: y, workspace: &workspace)
    var saturated = -workspace.logFactorials
    for h in 1..<y.count where y[h] > 0 { saturated += y[h] * (Double.log(y[h]) - 1) }
    var best: (value: Double, choice: Choice)?
    var choices: [Choice?] = []
    var next = 0
    for (index, modelTerms) in terms.enumerated() {
      while next < prefixes.count && prefixes[next] == index {
        choices.append(best?.choice)
        next += 1
      }
      if next == prefixes.count { break }
      if let best,
        scorer.criterion.value(
          logLikelihood: saturated, parameters: modelTerms.count, cells: y.count - 1,
          observed: scorer.observedTotal) >= best.value
      {
        continue
      }
      guard
        let score = scorer.score(
          terms: modelTerms, counts: y, workspace: &workspace, start: starts[index]),
        score.value < best?.value ?? .infinity,
        (try? cache.code(model: models[index], counts: y, listNames: scorer.listNames)) == 0
      else { continue }
      best = (score.value, Choice(index: index, total: score.total))
    }
    while choices.count < prefixes.count { choices.append(best?.choice) }
    return choices
  }
}
