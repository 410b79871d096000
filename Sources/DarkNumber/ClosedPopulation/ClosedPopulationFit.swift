public import DarkNumberLinearAlgebra
import RealModule

/// A fitted closed-population model (one row of Rcapture's `closedp.t` table).
///
/// `N̂ = n + exp(β̂₀)` with `SE² = exp(β̂₀) + exp(2β̂₀) Var β̂₀` for `M0`, `Mt`, `Mh`, `Mth`; for the
/// behavioural models the formulas of ``ClosedPopulationModel/mb`` and
/// ``ClosedPopulationModel/mbh`` with delta-method standard errors, as Rcapture.
public struct ClosedPopulationFit: Sendable {
  /// The model.
  public let model: ClosedPopulationModel
  /// The capture histories fitted (`nil` for number-of-captures data).
  public let data: CaptureData?
  /// The number observed, `n`.
  public let observedTotal: Int
  /// For number-of-captures fits: their rows, for the profile likelihood.
  var frequencyLayout: FrequencyLayout?
  /// The coefficients (after dropping negative Chao `η`), named as Rcapture names them.
  public let coefficients: [Coefficient]
  /// Their asymptotic covariance.
  public let covariance: Matrix
  /// Fitted counts of the observable cells (entry `h − 1` for history `h`).
  public let fittedValues: [Double]
  /// The deviance over the observable cells.
  public let deviance: Double
  /// Pearson's X² over the same cells (see ``goodnessOfFit``).
  let pearsonStatistic: Double
  /// Residual degrees of freedom.
  public let degreesOfFreedom: Int
  /// The Poisson log-likelihood.
  public let logLikelihood: Double
  /// The design's rank.
  public let rank: Int
  /// `N̂`.
  public let total: Double
  /// `SE(N̂)`.
  public let standardError: Double
  /// Rcapture's asymptotic bias of `N̂` (Rivest & Lévesque 2001), `nil` when a coefficient is
  /// aliased: `−½ e^{β̂₀} (V ψ)₀` with `ψ = Xᵀ(μ̂ ∘ h) − e₀`, `h_i = x_iᵀ V x_i`.
  public let bias: Double?
  /// The Chao `η` columns dropped because their estimates were negative.
  public let droppedHeterogeneityTerms: [String]
  /// IRLS iterations of the final fit.
  public let iterations: Int
  /// Whether the final fit converged.
  public let converged: Bool
  /// Caveats, including ``FitWarning/largeAsymptoticBias(bias:total:)``.
  public private(set) var warnings: [FitWarning]

  mutating func prependWarnings(_ first: [FitWarning]) { warnings = first + warnings }

  /// The deviance and Pearson's X² with their χ² p-values on ``degreesOfFreedom``, and a
  /// warning in words when the model does not fit (p < 0.001).
  public var goodnessOfFit: GoodnessOfFit {
    GoodnessOfFit(deviance: deviance, pearson: pearsonStatistic, degreesOfFreedom: degreesOfFreedom)
  }

  /// `AIC = −2ℓ + 2·rank`.
  public var aic: Double { -2 * logLikelihood + 2 * Double(rank) }
  /// `BIC = −2ℓ + rank·log n`.
  public var bic: Double { -2 * logLikelihood + Double(rank) * .log(Double(observedTotal)) }
}

extension ClosedPopulationModel {
  /// Fits the model as Rcapture's `closedp.t` does (Poisson IRLS on the `2ᵗ − 1` observable cells).
  ///
  /// - Throws: ``EstimationError`` when the model needs more lists (heterogeneity of Chao's kind
  ///   needs `t ≥ 3`; `Mh`, `Mth`, `Mbh` need `t ≥ 3` as in Rcapture), when the estimate does not
  ///   exist, or when the fit fails.
  public func fit(to data: CaptureData, options: FitOptions = FitOptions()) throws(EstimationError)
    -> ClosedPopulationFit
  {
    let t = data.listCount
    guard t <= LogLinearModel.maximumFittedListCount else {
      throw .tooManyLists(t, limit: LogLinearModel.maximumFittedListCount)
    }
    switch self {
    case .mh, .mth, .mbh:
      guard t >= 3 else { throw .needsMoreLists(model: description, minimum: 3, found: t) }
    default: break
    }
    var (design, names) = design(listNames: data.listNames)
    let core = try fitDroppingNegativeChaoTerms(
      design: &design, names: &names, counts: data.denseCounts(), offset: [], options: options)
    var fit = try makeFit(
      core: core.fit, design: design, dropped: core.dropped, observedTotal: data.observedTotal,
      listCount: t, data: data, options: options)
    fit.prependWarnings(data.warnings.map(FitWarning.data))
    return fit
  }

  /// Fits, dropping Chao's negative `η` one at a time (Rcapture's `neg = TRUE`: the first
  /// negative one in column order, then refit) until none is negative.
  ///
  /// An `η` whose estimate is −∞ (its cells hold nobody: no unit caught that often) is judged as
  /// Rcapture judges it: by the finite value R's `glm` reports for it with its default control
  /// (tolerance 1e-8, at most 25 iterations, start `μ = y + 0.1`), which Rcapture's refits always
  /// use. Stopped early, `glm` can leave the highest such `η` positive, and Rcapture keeps it (on
  /// BBS2001, `η₅₀ = 0.69` after 15 iterations): the kept column changes the degrees of freedom, AIC
  /// and BIC, not `N̂`, its standard error or the deviance, which come from the exact fit.
  func fitDroppingNegativeChaoTerms(
    design: inout Matrix, names: inout [String], counts: [Double], offset: [Double],
    options: FitOptions
  ) throws(EstimationError) -> (fit: CellFit, dropped: [String]) {
    var dropped: [String] = []
    while true {
      let core = try CellFit.fit(
        design: design, columnNames: names, counts: counts, knownFullRank: false, offset: offset,
        options: options)
      guard heterogeneity?.isChao == true else { return (core, dropped) }
      var values = core.coefficients.map(\.estimate)
      if names.indices.contains(where: { names[$0].hasPrefix("eta") && core.coefficients[$0].atBoundary }) {
        // glm.fit's QR rank rule: min(1e-7, ε/1000) = 1e-11.
        var engine = try PoissonIRLS(design: design, rankTolerance: 1e-11, offset: offset)
        let glm = try engine.fit(counts: counts, options: .glmCompatible)
        for j in values.indices where core.coefficients[j].atBoundary {
          values[j] = engine.estimable[j] ? glm.coefficients[j] : nil
        }
      }
      guard
        let negative = names.indices.first(where: { names[$0].hasPrefix("eta") && (values[$0] ?? 0) < 0 })
      else { return (core, dropped) }
      dropped.append(names[negative])
      design = design.removingColumn(negative)
      names.remove(at: negative)
    }
  }

  /// N̂, its standard error, the bias and the warnings of a fitted design.
  func makeFit(
    core: CellFit, design: Matrix, dropped: [String], observedTotal: Int, listCount: Int,
    data: CaptureData?, options: FitOptions
  ) throws(EstimationError) -> ClosedPopulationFit {
    let (total, standardError) = try estimate(
      core, observedTotal: observedTotal, listCount: listCount, options: options)
    let bias = Self.bias(core, design: design)
    var warnings = core.warnings
    if unobservedIsIntercept,
      try options.unobservedCountIsZero(
        intercept: core.estimates[0], interceptVariance: core.covariance[0, 0])
    {
      warnings.append(.unobservedCountAtZero)
    }
    if let bias, abs(bias) > 0.1 * total {
      warnings.append(.largeAsymptoticBias(bias: bias, total: total))
    }
    return ClosedPopulationFit(
      model: self, data: data, observedTotal: observedTotal, frequencyLayout: nil,
      coefficients: core.coefficients,
      covariance: core.covariance, fittedValues: core.fitted, deviance: core.deviance, pearsonStatistic: core.pearson,
      degreesOfFreedom: core.degreesOfFreedom, logLikelihood: core.logLikelihood, rank: core.rank,
      total: total, standardError: standardError, bias: bias, droppedHeterogeneityTerms: dropped,
      iterations: core.iterations, converged: core.converged, warnings: warnings)
  }

  /// `N̂` and its standard error.
  private func estimate(
    _ core: CellFit, observedTotal: Int, listCount: Int, options: FitOptions
  ) throws(EstimationError) -> (Double, Double) {
    let b = core.estimates
    let v = core.covariance
    let n = Double(observedTotal)
    let t = Double(listCount)
    switch self {
    case .mb, .mbh:
      guard core.coefficients.allSatisfy({ $0.estimate != nil }) else {
        throw .interceptNotIdentifiable
      }
      // Mb: (β₀, β₁, β₂); Mbh: (β₀, η, β₁, β₂).
      // Rcapture's gradient for Mbh (reproduced here) omits the factor (1 + e^{η+β₁}/D) from the
      // ∂N/∂β₂ component of the exact derivative; the standard errors match Rcapture's.
      let offset = self == .mbh ? 1 : 0
      let (b0, b1, b2) = (b[0], b[1 + offset], b[2 + offset])
      let d = 1 + Double.exp(b2) - Double.exp(b1)
      let odds = Double.exp(b2)
      var gradient: [Double]
      var total: Double
      if offset == 0 {
        total = Double.exp(b0) * Double.pow(1 + odds, t) / d
        gradient = [total, total * Double.exp(b1) / d, total * (t * odds / (1 + odds) - odds / d)]
      } else {
        let eta = b[1]
        let a = Double.exp(b0) * Double.pow(1 + odds, t - 1)
        let ratio = Double.exp(eta + b1) / d
        total = a * (1 + ratio)
        gradient = [
          total, a * ratio, a * (ratio + Double.exp(eta + 2 * b1) / (d * d)),
          a * ((t - 1) * odds / (1 + odds) - Double.exp(eta + b1 + b2) / (d * d)),
        ]
      }
      guard total.isFinite, d > 0 else {
        throw .estimateDoesNotExist(standardErrorOfLogUnobserved: .infinity)
      }
      var variance = 0.0
      for i in gradient.indices {
        for j in gradient.indices { variance += gradient[i] * v[i, j] * gradient[j] }
      }
      return (total, (variance - total).squareRoot())
    default:
      _ = try options.unobservedCountIsZero(intercept: b[0], interceptVariance: v[0, 0])
      let unobserved = Double.exp(b[0])
      return (n + unobserved, (unobserved + unobserved * unobserved * v[0, 0]).squareRoot())
    }
  }

  /// Rcapture's asymptotic bias of `N̂` (code by L.-P. Rivest): `−½ e^{β̂₀} (V ψ)₀`.
  private static func bias(_ core: CellFit, design: Matrix) -> Double? {
    guard core.coefficients.allSatisfy({ $0.estimate != nil }) else { return nil }
    let p = design.columns
    let v = core.covariance
    var psi = [Double](repeating: 0, count: p)
    var row = [Double](repeating: 0, count: p)
    for i in 0..<design.rows {
      for j in 0..<p { row[j] = design[i, j] }
      var leverage = 0.0
      for a in 0..<p {
        var sum = 0.0
        for b in 0..<p { sum += v[a, b] * row[b] }
        leverage += row[a] * sum
      }
      let weight = core.fitted[i] * leverage
      for j in 0..<p { psi[j] += row[j] * weight }
    }
    psi[0] -= 1
    var first = 0.0
    for j in 0..<p { first += v[0, j] * psi[j] }
    return -0.5 * Double.exp(core.estimates[0]) * first
  }
}

extension ClosedPopulationModel: Equatable {
  /// Models are equal when their Rcapture names are.
  public static func == (lhs: ClosedPopulationModel, rhs: ClosedPopulationModel) -> Bool {
    lhs.description == rhs.description
  }
}

extension ClosedPopulationFit {
  /// A confidence interval for `N`: Wald, log-normal (Chao 1987) or the multinomial profile
  /// likelihood (Cormack 1992) of Rcapture's `closedpCI.t` (not for `Mb`, `Mbh`), or log-Wald
  /// where the model's unobserved count is the exponential of its intercept.
  /// - Throws: ``EstimationError/profileNotAvailable(model:)``,
  ///   ``EstimationError/intervalNotAvailable(_:reason:)`` for log-Wald elsewhere,
  ///   ``EstimationError/invalidLevel(_:)``.
  public func interval(_ method: IntervalMethod, level: Double = 0.95) throws(EstimationError)
    -> IntervalEstimate
  {
    try EstimationError.checkModelBased(method, level: level)
    let n = Double(observedTotal)
    switch method {
    case .wald:
      return WaldInterval.make(total: total, observed: n, standardError: standardError, level: level)
    case .logNormal:
      return LogNormalInterval.make(
        total: total, observed: n, standardError: standardError, level: level)
    case .profileLikelihood:
      var profile = try ProfileLikelihood(fit: self)
      return try profile.interval(level: level, poissonTotal: total)
    case .logWald:
      guard model.unobservedIsIntercept, let intercept = coefficients.first?.estimate else {
        throw .intervalNotAvailable(
          .logWald, reason: "in \(model.description) the unobserved count is not the exponential of the intercept")
      }
      return LogWaldInterval.make(
        observed: n, logUnobserved: intercept, variance: covariance[0, 0], level: level)
    case .bootstrapPercentile, .bootstrapBCa, .credible:
      throw .notModelBased(method)
    }
  }
}
