/// Stepwise selection of a log-linear model with covariates by an information criterion.
///
/// Candidates are two-factor terms of the kinds asked for — list × list, covariate × list,
/// covariate × covariate — on top of every main effect. Each step fits every model that adds one
/// candidate not in the model or (after the first) removes one added term that no larger term
/// contains, and moves to the one with the smallest criterion (``InformationCriterion``, with the
/// observable cells `(h, c)` fitted — structural zeros left out — as AICc's sample size) while that
/// improves on the current model by more than 10⁻⁷. Candidates whose fit has no estimate (not
/// identifiable, or the unobserved count running to infinity) are skipped. Candidates are scored
/// from the current model's coefficients without their covariance matrices (the lattice fit's
/// score), and only the model moved to is fitted in full. This is the forward–backward search used for the Dutch estimates with
/// covariates (van der Heijden, Cruyff, van Dijk et al. for UNODC), with the criterion of
/// ``CriterionSelection``.
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

  /// The selection ranked by `−2ℓ + penalty · rank` (``criterion`` then only names the stage).
  init(
    data: CovariateCaptureData, start base: CovariateModel, penalty: Double, candidates: Candidates,
    maximumSteps: Int, options: FitOptions, designs: CovariateDesignCache
  ) throws(EstimationError) {
    try self.init(
      data: data, start: base, criterion: .aic, candidates: candidates, maximumSteps: maximumSteps,
      options: options, designs: designs, penalty: penalty)
  }

  /// The selection with designs taken from (and added to) `designs`, which must hold designs of
  /// `data`'s layout.
  init(
    data: CovariateCaptureData, start base: CovariateModel, criterion: InformationCriterion,
    candidates: Candidates, maximumSteps: Int, options: FitOptions, designs: CovariateDesignCache,
    penalty: Double? = nil
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
    /// The current model's coefficients by name: candidates start from them (a new term's at 0),
    /// which reaches the same MLE in fewer iterations.
    func coefficients(of fit: CovariateFit) -> [String: Double] {
      var known: [String: Double] = [:]
      for coefficient in fit.coefficients {
        if let estimate = coefficient.estimate, estimate.isFinite { known[coefficient.name] = estimate }
      }
      return known
    }
    func fitModel(_ generators: [UInt64], from known: [String: Double]?) throws(EstimationError) -> CovariateFit {
      let model = make(generators)
      let design = try designs.design(for: model)
      if counts == nil { counts = design.counts(of: data) }
      if prepared == nil { prepared = CovariateLatticeCounts(design: design, counts: counts!) }
      let start = known.map { known in design.columnNames.map { known[$0] ?? 0 } }
      return try model.fit(
        design: design, counts: counts!, data: data, options: options, start: start, prepared: prepared)
    }
    /// A candidate's criterion (`nil`: no estimate): scored without its covariance where the lattice
    /// fit applies — the winner is then fitted in full from the same start, to the same numbers.
    func candidateScore(_ generators: [UInt64], from known: [String: Double]) -> Double? {
      let model = make(generators)
      guard let design = try? designs.design(for: model) else { return nil }
      if let prepared,
        let result = CovariateLatticeIRLS.score(
          design: design, data: prepared, start: design.columnNames.map { known[$0] ?? 0 }, options: options)
      {
        guard result.estimateExists else { return nil }
        if let penalty { return -2 * result.logLikelihood + penalty * Double(result.rank) }
        return criterion.value(
          logLikelihood: result.logLikelihood, parameters: result.rank, cells: design.cellIndices.count,
          observed: data.observedTotal)
      }
      guard let fit = try? fitModel(generators, from: known) else { return nil }
      return score(fit)
    }
    var generators = base.generatingClass
    var current = try fitModel(generators, from: nil)
    var currentScore = score(current)
    var path = [PathModel(step: "start", fit: current)]
    var steps: [Step] = []
    var fitted = 1
    let startTerms = Set(base.terms)
    for _ in 0..<maximumSteps {
      var best: (generators: [UInt64], score: Double, term: UInt64, added: Bool)?
      let terms = Set(make(generators).terms)
      let known = coefficients(of: current)
      for term in pool where !terms.contains(term) {
        let trial = generators + [term]
        fitted += 1
        guard let value = candidateScore(trial, from: known) else { continue }
        if value < (best?.score ?? currentScore - Self.minimumImprovement) { best = (trial, value, term, true) }
      }
      for term in generators where pool.contains(term) && !startTerms.contains(term) {
        let trial = generators.filter { $0 != term }
        fitted += 1
        guard let value = candidateScore(trial, from: known) else { continue }
        if value < (best?.score ?? currentScore - Self.minimumImprovement) { best = (trial, value, term, false) }
      }
      guard let move = best else { break }
      generators = move.generators
      current = try fitModel(move.generators, from: known)
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
  }
}
