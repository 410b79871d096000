/// Stepwise selection of a log-linear model with covariates by an information criterion.
///
/// Candidates are two-factor terms of the kinds asked for — list × list, covariate × list,
/// covariate × covariate — on top of every main effect. Each step fits every model that adds one
/// candidate not in the model or (after the first) removes one added term that no larger term
/// contains, and moves to the one with the smallest criterion (``InformationCriterion``, with the
/// observable cells `(h, c)` fitted — structural zeros left out — as AICc's sample size) while that improves on the current model.
/// Candidates whose fit has no estimate (not identifiable, or the unobserved count running to
/// infinity) are skipped. This is the forward–backward search used for the Dutch estimates with
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
    // Candidates start from the current model's coefficients (a new term's at 0): the same MLE
    // in fewer iterations.
    func fitModel(_ generators: [UInt64], from previous: CovariateFit?) throws(EstimationError) -> CovariateFit {
      let model = make(generators)
      let design = try designs.design(for: model)
      if counts == nil { counts = design.counts(of: data) }
      var start: [Double]?
      if let previous {
        var known: [String: Double] = [:]
        for coefficient in previous.coefficients {
          if let estimate = coefficient.estimate, estimate.isFinite { known[coefficient.name] = estimate }
        }
        start = design.columnNames.map { known[$0] ?? 0 }
      }
      return try model.fit(design: design, counts: counts!, data: data, options: options, start: start)
    }
    var generators = base.generatingClass
    var current = try fitModel(generators, from: nil)
    var currentScore = score(current)
    var path = [PathModel(step: "start", fit: current)]
    var steps: [Step] = []
    var fitted = 1
    let startTerms = Set(base.terms)
    for _ in 0..<maximumSteps {
      var best: (generators: [UInt64], fit: CovariateFit, score: Double, term: UInt64, added: Bool)?
      let terms = Set(make(generators).terms)
      for term in pool where !terms.contains(term) {
        let trial = generators + [term]
        fitted += 1
        guard let fit = try? fitModel(trial, from: current) else { continue }
        let value = score(fit)
        if value < best?.score ?? currentScore { best = (trial, fit, value, term, true) }
      }
      for term in generators where pool.contains(term) && !startTerms.contains(term) {
        let trial = generators.filter { $0 != term }
        fitted += 1
        guard let fit = try? fitModel(trial, from: current) else { continue }
        let value = score(fit)
        if value < best?.score ?? currentScore { best = (trial, fit, value, term, false) }
      }
      guard let move = best else { break }
      generators = move.generators
      current = move.fit
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
