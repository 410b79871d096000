import RealModule

/// Cruyff's model search path (the R package `mse`, `model_search`, used for the Dutch national
/// rapporteur's estimates): three stepwise stages over the two-factor terms, each starting from the
/// last one's model and never removing its terms — by BIC (penalty `log n` per parameter), then by
/// AIC (penalty 2), then with penalty 1 — and a table of every model visited with its ΔAIC,
/// ΔAICc, ΔBIC and `N̂`, so the reader sees how the estimate moves as the model grows. The model
/// reported is the one with the smallest BIC on the path (`mse`'s default for its bootstrap).
///
/// AICc is reported, not searched on, as `mse` does: `AIC + 2p(p + 1)/(n − p − 1)` with `n` the
/// number observed and `p` the number of coefficients. Each stage is a ``CovariateSelection``
/// (forward–backward, one best move at a time, strictly improving).
public struct CovariateSearchPath: Sendable {
  /// One model on the path.
  public struct Entry: Sendable, Hashable {
    /// Which stage visited it: `bic`, `aic` or `penalty 1`.
    public let stage: String
    /// The model and the move that reached it.
    public let model: CovariateSelection.PathModel
    /// `−2ℓ + 2p`.
    public let aic: Double
    /// `AIC + 2p(p + 1)/(n − p − 1)` (∞ when `p ≥ n − 1`).
    public let aicc: Double
    /// `−2ℓ + p log n`.
    public let bic: Double
  }

  /// The three stages.
  public let stages: [CovariateSelection]
  /// Every model visited, in order (each stage's start is the previous stage's end and is listed
  /// once).
  public let entries: [Entry]
  /// The index in ``entries`` of the model with the smallest BIC.
  public let chosen: Int
  /// The chosen model's fit.
  public let fit: CovariateFit
  /// The candidates the three stages scored, as starting values for resampled data's paths
  /// (empty unless asked for).
  let recordedStarts: CovariateCandidateStarts

  /// Runs the three stages on `data` (complete records) from `start`.
  /// - Throws: ``EstimationError`` when the start has no estimate or values are missing.
  public init(
    data: CovariateCaptureData, start: CovariateModel, candidates: CovariateSelection.Candidates = .all,
    options: FitOptions = FitOptions()
  ) throws(EstimationError) {
    try self.init(
      data: data, start: start, candidates: candidates, options: options,
      designs: CovariateDesignCache(coverage: data.coverageRules))
  }

  /// The path with designs from `designs`; candidates start from `references` (see
  /// ``CovariateSelection``), and with `recordStarts` ``recordedStarts`` keeps the three stages'.
  init(
    data: CovariateCaptureData, start: CovariateModel, candidates: CovariateSelection.Candidates,
    options: FitOptions, designs: CovariateDesignCache, references: CovariateCandidateStarts? = nil,
    recordStarts: Bool = false
  ) throws(EstimationError) {
    let bic = try CovariateSelection(
      data: data, start: start, criterion: .bic, candidates: candidates, maximumSteps: 100, options: options,
      designs: designs, references: references, recordStarts: recordStarts)
    let aic = try CovariateSelection(
      data: data, start: bic.fit.model, criterion: .aic, candidates: candidates, maximumSteps: 100,
      options: options, designs: designs, references: references, recordStarts: recordStarts)
    let last = try CovariateSelection(
      data: data, start: aic.fit.model, criterion: .aic, candidates: candidates, maximumSteps: 100,
      options: options, designs: designs, penalty: 1, references: references, recordStarts: recordStarts)
    recordedStarts = bic.recordedStarts.merging(aic.recordedStarts).merging(last.recordedStarts)
    let n = Double(data.observedTotal)
    var entries: [Entry] = []
    var fits: [CovariateFit] = []
    for (stage, selection) in zip(["bic", "aic", "penalty 1"], [bic, aic, last]) {
      for model in selection.path.dropFirst(entries.isEmpty ? 0 : 1) {
        let p = Double(model.parameters)
        let aicValue = -2 * model.logLikelihood + 2 * p
        let k = Double(model.coefficients)
        let aiccValue = n - k - 1 > 0 ? aicValue + 2 * (k * k + k) / (n - k - 1) : .infinity
        entries.append(
          Entry(stage: stage, model: model, aic: aicValue, aicc: aiccValue, bic: -2 * model.logLikelihood + p * .log(n))
        )
      }
      fits.append(selection.fit)
    }
    var chosen = 0
    for (index, entry) in entries.enumerated() where entry.bic < entries[chosen].bic { chosen = index }
    self.stages = [bic, aic, last]
    self.entries = entries
    self.chosen = chosen
    // The smallest BIC on a path searched by BIC first is the first stage's end unless a later
    // stage happens to go lower; refit that model then.
    if entries[chosen].model.generators == bic.fit.model.generatingClass {
      fit = bic.fit
    } else {
      // The codings were validated by `start`.
      let model = try! CovariateModel(
        listNames: start.listNames, covariates: start.covariates, codings: start.codings,
        generators: entries[chosen].model.generators)
      let design = try designs.design(for: model)
      fit = try model.fit(design: design, counts: design.counts(of: data), data: data, options: options)
    }
  }
}
