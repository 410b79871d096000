/// Stepwise selection of a log-linear model with covariates by an information criterion.
///
/// Candidates are two-factor terms of the kinds asked for — list × list, covariate × list,
/// covariate × covariate — on top of every main effect. Each step fits every model that adds one
/// candidate not in the model or (after the first) removes one added term that no larger term
/// contains, and moves to the one with the smallest criterion (``InformationCriterion``, with the
/// observable cells `(h, c)` fitted — structural zeros left out — as AICc's sample size) while that
/// improves on the current model by more than 10⁻⁷. Candidates whose fit has no estimate (not
/// identifiable, or the unobserved count running to infinity) are skipped. Candidates are scored
/// without their covariance matrices (the lattice fit's score), each from a start near its MLE
/// (the same move's fit one step earlier, moved by the change of the
/// current model), and only the model moved to is fitted in full, from the same start. This is
/// the forward–backward search used for the Dutch estimates with covariates (van der Heijden,
/// Cruyff, van Dijk et al. for UNODC), with the criterion of ``CriterionSelection``.
public struct CovariateSelection: Sendable {
  /// Which kinds of two-factor terms may enter.
  public struct Candidates: OptionSet, Sendable, Hashable {
    /// The bits of the set.
    public let rawValue: Int
    /// Creates a set from its raw value.
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// Interactions of two lists.
    public static let listPairs = Candidates(rawValue: 1)
    /// Interactions of a covariate with a list.
    public static let covariateLists = Candidates(rawValue: 2)
    /// Interactions of two covariates.
    public static let covariatePairs = Candidates(rawValue: 4)
    /// All three.
    public static let all: Candidates = [.listPairs, .covariateLists, .covariatePairs]
  }

  /// One move.
  public struct Step: Sendable, Hashable {
    /// The term, as factor names (`S1:Region`).
    public let term: String
    /// Whether it was added (`false`: removed).
    public let added: Bool
    /// The criterion after the move.
    public let criterion: Double
  }

  /// A model the search moved to (the first: the start), as Cruyff's `mse` path table shows it.
  public struct PathModel: Sendable, Hashable {
    /// `start`, or the move: `+ PO:KM`, `− KM:year`.
    public let step: String
    /// The model, as ``CovariateModel/description`` spells it.
    public let model: String
    /// The Poisson log-likelihood.
    public let logLikelihood: Double
    /// The design's rank.
    public let parameters: Int
    /// The number of coefficients, aliased ones included (Cruyff's AICc counts them).
    public let coefficients: Int
    /// The deviance and its degrees of freedom.
    public let deviance: Double
    /// The residual degrees of freedom.
    public let degreesOfFreedom: Int
    /// `N̂` (NaN when the total has no estimate under the coverage).
    public let total: Double
    /// The model's generating class.
    let generators: [UInt64]

    init(step: String, fit: CovariateFit) {
      self.step = step
      model = fit.model.description
      generators = fit.model.generatingClass
      logLikelihood = fit.logLikelihood
      parameters = fit.rank
      coefficients = fit.coefficients.count
      deviance = fit.deviance
      degreesOfFreedom = fit.degreesOfFreedom
      let total = fit.totalEstimate
      self.total = total.strataWithTooFewLists.isEmpty ? total.total : .nan
    }
  }

  /// A move must lower the criterion by more than this (R's `step`: 10⁻⁷), so that a term the
  /// coverage leaves inestimable — the same model under another name — never enters on a tie.
  static let minimumImprovement = 1e-7

  /// The selected model's fit.
  public let fit: CovariateFit
  /// The moves, in order.
  public let steps: [Step]
  /// The criterion.
  public let criterion: InformationCriterion
  /// When set, the search ranked models by `−2ℓ + penalty · rank` instead of ``criterion``
  /// (the last stage of ``CovariateSearchPath`` uses 1).
  public let penalty: Double?
  /// How many models were fitted.
  public let fittedModels: Int
  /// The start and every model moved to, in order.
  public let path: [PathModel]
  /// The candidates scored, as starting values for the selections of resampled data (empty
  /// unless asked for).
  let recordedStarts: CovariateCandidateStarts

  /// Selects on `data` (complete records) starting from `start` (its terms are never removed;
  /// its codings — factor or trend — are kept).
  /// - Throws: ``EstimationError`` when even the starting model has no estimate.
  public init(
    data: CovariateCaptureData, start base: CovariateModel, criterion: InformationCriterion = .aic,
    candidates: Candidates = .all, maximumSteps: Int = 100,
    options: FitOptions = FitOptions()
  ) throws(EstimationError) {
    try self.init(
      data: data, start: base, criterion: criterion, candidates: candidates, maximumSteps: maximumSteps,
      options: options, designs: CovariateDesignCache(coverage: data.coverageRules))
  }

  /// The selection with designs taken from (and added to) `designs`, which must hold designs of
  /// `data`'s layout. With `penalty`, models are ranked by `−2ℓ + penalty · rank` (``criterion``
  /// then only names the stage). Candidates start from `references` where it has them (the fits of
  /// the selection on the data, for a replicate's); with `recordStarts`, ``recordedStarts`` keeps
  /// every candidate scored, to serve as such references.
  init(
    data: CovariateCaptureData, start base: CovariateModel, criterion: InformationCriterion,
    candidates: Candidates, maximumSteps: Int, options: FitOptions, designs: CovariateDesignCache,
    penalty: Double? = nil, references: CovariateCandidateStarts? = nil, recordStarts: Bool = false
  ) throws(EstimationError) {
    for j in data.covariates.indices {
      let missing = data.missingCount(covariate: j)
      if missing > 0 { throw .missingCovariateValues(covariate: data.covariates[j].name, individuals: missing) }
    }
    let k = data.listCount
    let p = data.covariates.count
    var pool: [UInt64] = []
    for a in 0..<(k + p) {
      for b in (a + 1)..<(k + p) {
        let kind: Candidates = b < k ? .listPairs : (a < k ? .covariateLists : .covariatePairs)
        if candidates.contains(kind) { pool.append((UInt64(1) << UInt64(a)) | (UInt64(1) << UInt64(b))) }
      }
    }
    func make(_ generators: [UInt64]) -> CovariateModel {
      // Codings were validated by `base`.
      try! CovariateModel(
        listNames: base.listNames, covariates: base.covariates, codings: base.codings, generators: generators)
    }
    func score(_ fit: CovariateFit) -> Double {
      if let penalty { return -2 * fit.logLikelihood + penalty * Double(fit.rank) }
      return criterion.value(
        logLikelihood: fit.logLikelihood, parameters: fit.rank, cells: fit.fittedCellCount,
        observed: data.observedTotal)
    }
    var counts: [Double]?
    var prepared: CovariateLatticeCounts?
    let workspace = CovariateLatticeIRLS.Workspace()
    /// A fit's coefficients by column number (NaN: not estimated).
    func coefficients(of fit: CovariateFit, _ entry: CovariateDesignCache.Entry) -> [Double] {
      var byName: [String: Double] = [:]
      for coefficient in fit.coefficients {
        if let estimate = coefficient.estimate, estimate.isFinite { byName[coefficient.name] = estimate }
      }
      return CovariateCandidateStarts.byID(
        ids: entry.columnIDs, values: entry.design.columnNames.map { byName[$0] ?? .nan })
    }
    func fitModel(_ generators: [UInt64], start: [Double]?) throws(EstimationError) -> CovariateFit {
      let model = make(generators)
      let design = try designs.design(for: model)
      if counts == nil { counts = design.counts(of: data) }
      if prepared == nil { prepared = CovariateLatticeCounts(design: design, counts: counts!) }
      return try model.fit(
        design: design, counts: counts!, data: data, options: options, start: start, prepared: prepared)
    }
    /// A scored candidate: its criterion, its start, and its coefficients by column number
    /// (`nil` from the general fit).
    struct Scored {
      let value: Double
      let start: [Double]
      let coefficients: [Double]?
    }
    /// A candidate's criterion (`nil`: no estimate): scored without its covariance where the lattice
    /// fit applies — the winner is then fitted in full from the same start, to the same numbers.
    /// `shared`: the current model's state, the start of a candidate that adds a term when there is
    /// no anchor — unless the coverage drops one of the current model's columns from the
    /// candidate's design.
    func candidateScore(
      _ generators: [UInt64], current: [Double], anchor: CovariateCandidateStarts.Anchor?,
      shared: (state: CovariateLatticeIRLS.SharedStart, columns: Set<String>)?
    ) -> Scored? {
      guard let entry = try? designs.entry(generators: generators.sorted(), model: { make(generators) }) else {
        return nil
      }
      let design = entry.design
      let start = CovariateCandidateStarts.start(ids: entry.columnIDs, current: current, anchor: anchor)
      let sharedState =
        anchor != nil
        ? nil
        : shared.flatMap { shared in
          design.droppedColumns.contains(where: shared.columns.contains) ? nil : shared.state
        }
      if let prepared,
        let result = CovariateLatticeIRLS.score(
          design: design, data: prepared, start: start, shared: sharedState, options: options,
          workspace: workspace)
      {
        guard result.estimateExists else { return nil }
        let value: Double
        if let penalty {
          value = -2 * result.logLikelihood + penalty * Double(result.rank)
        } else {
          value = criterion.value(
            logLikelihood: result.logLikelihood, parameters: result.rank, cells: design.cellIndices.count,
            observed: data.observedTotal)
        }
        return Scored(
          value: value, start: start,
          coefficients: CovariateCandidateStarts.byID(ids: entry.columnIDs, values: result.coefficients))
      }
      guard let fit = try? fitModel(generators, start: start) else { return nil }
      return Scored(value: score(fit), start: start, coefficients: nil)
    }
    var generators = base.generatingClass
    var current = try fitModel(generators, start: nil)
    var currentScore = score(current)
    var path = [PathModel(step: "start", fit: current)]
    var steps: [Step] = []
    var fitted = 1
    let startTerms = Set(base.terms)
    var recorded = CovariateCandidateStarts()
    /// The previous step's candidates, by move (added, term), as anchors for this step's.
    var previous: [Move: CovariateCandidateStarts.Anchor] = [:]
    struct Move: Hashable {
      let added: Bool
      let term: UInt64
    }
    for _ in 0..<maximumSteps {
      var best: (generators: [UInt64], score: Double, term: UInt64, added: Bool, start: [Double])?
      let terms = Set(make(generators).terms)
      let currentEntry = try designs.entry(for: make(generators))
      let known = coefficients(of: current, currentEntry)
      // The current model's lattice state, shared by the candidates that add a term.
      var shared: (state: CovariateLatticeIRLS.SharedStart, columns: Set<String>)?
      if let prepared,
        let state = CovariateLatticeIRLS.SharedStart(
          design: currentEntry.design, data: prepared,
          beta: CovariateCandidateStarts.start(ids: currentEntry.columnIDs, current: known, anchor: nil))
      {
        shared = (state, Set(currentEntry.design.columnNames))
      }
      var scoredMoves: [Move: CovariateCandidateStarts.Anchor] = [:]
      let moves =
        pool.filter { !terms.contains($0) }.map { Move(added: true, term: $0) }
        + generators.filter { pool.contains($0) && !startTerms.contains($0) }.map { Move(added: false, term: $0) }
      for move in moves {
        let trial = move.added ? generators + [move.term] : generators.filter { $0 != move.term }
        fitted += 1
        let key = CovariateCandidateStarts.Key(parent: generators, candidate: trial)
        let anchor = references?.anchor(key) ?? previous[move]
        guard let scored = candidateScore(trial, current: known, anchor: anchor, shared: move.added ? shared : nil)
        else { continue }
        if let coefficients = scored.coefficients {
          scoredMoves[move] = .init(candidate: coefficients, parent: known)
          if recordStarts { recorded.record(key, candidate: coefficients, parent: known) }
        }
        if scored.value < (best?.score ?? currentScore - Self.minimumImprovement) {
          best = (trial, scored.value, move.term, move.added, scored.start)
        }
      }
      previous = scoredMoves
      guard let move = best else { break }
      generators = move.generators
      current = try fitModel(move.generators, start: move.start)
      currentScore = move.score
      let name = CovariateModel.factors(of: move.term).map(current.model.factorName).joined(separator: ":")
      steps.append(Step(term: name, added: move.added, criterion: move.score))
      path.append(PathModel(step: (move.added ? "+ " : "− ") + name, fit: current))
    }
    self.fit = current
    self.steps = steps
    self.criterion = criterion
    self.penalty = penalty
    self.path = path
    fittedModels = fitted
    recordedStarts = recorded
  }
}
