/// Rcapture's comparison table of the standard closed-population models — `closedp.t` for
/// capture histories, `closedp.0` for numbers of captures — with each model's failure kept as a
/// row rather than thrown: every model is fitted, and a model without an estimate says why.
///
/// Rows are the models in Rcapture's order (``ClosedPopulationModel/standard`` or
/// ``ClosedPopulationModel/frequencyModels``, with the chosen `θ` of the Poisson and Gamma
/// heterogeneity), then, when asked, the bias-corrected estimators of `closedp.bc` (Rivest &
/// Lévesque 2001) for histories, or Chao's and Zelterman's single-source estimators for numbers of
/// captures. With a level, each fitted row carries its multinomial profile-likelihood interval
/// (Cormack 1992, `closedpCI.t`), or a diagnostic saying why it has none (`Mb`, `Mbh`).
public struct ClosedPopulationTable: Sendable {
  /// One model's row.
  public struct Row: Sendable {
    /// Rcapture's name (`Mth Poisson2`, `Mt bc`, `Chao (f1, f2)`).
    public let name: String
    /// `N̂`; `nil` when the model has no estimate (the diagnostics say why).
    public let total: Double?
    /// The standard error of `N̂`.
    public let standardError: Double?
    /// The deviance (fitted models only).
    public let deviance: Double?
    /// Its degrees of freedom.
    public let degreesOfFreedom: Int?
    /// The deviance's and Pearson's χ² tests of the fit (fitted models only).
    public let goodnessOfFit: GoodnessOfFit?
    /// AIC.
    public let aic: Double?
    /// BIC.
    public let bic: Double?
    /// Rcapture's asymptotic bias of `N̂`, where it computes one.
    public let bias: Double?
    /// The profile-likelihood interval, when asked for and available.
    public let interval: IntervalEstimate?
    /// Chao heterogeneity terms dropped for a negative estimate (Rcapture's `neg = TRUE`).
    public let droppedTerms: [String]
    /// Warnings and failures, one sentence each.
    public let diagnostics: [String]

    init(name: String, fit: ClosedPopulationFit, level: Double?) {
      self.name = name
      total = fit.total
      // Mb and Mbh's delta-method variance can come out negative at the boundary (everybody
      // observed): no standard error, said in words, rather than NaN.
      standardError = fit.standardError.isFinite ? fit.standardError : nil
      deviance = fit.deviance
      degreesOfFreedom = fit.degreesOfFreedom
      goodnessOfFit = fit.goodnessOfFit
      aic = fit.aic
      bic = fit.bic
      bias = fit.bias
      droppedTerms = fit.droppedHeterogeneityTerms
      var diagnostics = fit.warnings.map(\.description)
      if !fit.standardError.isFinite {
        diagnostics.append(
          "no standard error: its delta-method variance is negative, as happens when N̂ is at its boundary (everybody observed)."
        )
      }
      if !droppedTerms.isEmpty {
        diagnostics.append(
          "negative Chao terms dropped and the model refitted: \(droppedTerms.joined(separator: ", ")).")
      }
      var interval: IntervalEstimate?
      if let level {
        do {
          interval = try fit.interval(.profileLikelihood, level: level)
        } catch {
          diagnostics.append("no profile interval: \(error)")
        }
      }
      self.interval = interval
      self.diagnostics = diagnostics
    }

    init(name: String, total: Double? = nil, standardError: Double? = nil, problem: String? = nil) {
      self.name = name
      self.total = total
      self.standardError = standardError
      deviance = nil
      degreesOfFreedom = nil
      goodnessOfFit = nil
      aic = nil
      bic = nil
      bias = nil
      interval = nil
      droppedTerms = []
      diagnostics = problem.map { [$0] } ?? []
    }
  }

  /// The number observed.
  public let observedTotal: Int
  /// The rows, in Rcapture's order.
  public let rows: [Row]
  /// The level of the profile intervals, if asked for.
  public let level: Double?

  /// The `closedp.t` table of `data`: the 12 standard models with Poisson `θ` `poissonTheta` and
  /// Gamma `θ` `gammaTheta` (Rcapture's 2 and 3.5), then, with `biasCorrected`, every
  /// `closedp.bc` row; profile intervals at `level` when given. Every model is fitted with
  /// `options` (``FitOptions/glmCompatible`` gives R `glm`'s digits).
  /// - Throws: ``EstimationError/invalidLevel(_:)`` for a level outside (0, 1);
  ///   ``EstimationError/tooManyLists(_:limit:)`` beyond ``LogLinearModel/maximumFittedListCount``
  ///   lists; a model's own failure is its row's diagnostic.
  public init(
    data: CaptureData, poissonTheta: Double = Heterogeneity.defaultPoissonTheta,
    gammaTheta: Double = Heterogeneity.defaultGammaTheta,
    level: Double? = nil,
    biasCorrected: Bool = false, options: FitOptions = FitOptions()
  ) throws(EstimationError) {
    if let level { try EstimationError.checkLevel(level) }
    guard data.listCount <= LogLinearModel.maximumFittedListCount else {
      throw .tooManyLists(data.listCount, limit: LogLinearModel.maximumFittedListCount)
    }
    let models = Self.models(ClosedPopulationModel.standard, poissonTheta: poissonTheta, gammaTheta: gammaTheta)
    var rows = models.map { model -> Row in
      do {
        return Row(name: model.description, fit: try model.fit(to: data, options: options), level: level)
      } catch {
        return Row(name: model.description, problem: "\(error)")
      }
    }
    if biasCorrected {
      for model in models {
        let name = "\(model) bc"
        do {
          let estimate = try BiasCorrectedEstimate(model: model, data: data, options: options)
          rows.append(Row(name: name, total: estimate.total, standardError: estimate.standardError))
        } catch EstimationError.biasCorrectionNotAvailable {
          continue
        } catch {
          rows.append(Row(name: name, problem: "\(error)"))
        }
      }
    }
    observedTotal = data.observedTotal
    self.rows = rows
    self.level = level
  }

  /// The `closedp.0` table of numbers of captures (fitting `k ≤ truncation` when given), then
  /// Chao's and Zelterman's estimators from `f₁` and `f₂`; profile intervals at `level` when given;
  /// the models fitted with `options`.
  /// - Throws: ``EstimationError/invalidLevel(_:)``; a model's own failure is its row's diagnostic.
  public init(
    frequencies data: CaptureFrequencies, poissonTheta: Double = Heterogeneity.defaultPoissonTheta,
    gammaTheta: Double = Heterogeneity.defaultGammaTheta,
    truncation: Int? = nil, level: Double? = nil, options: FitOptions = FitOptions()
  ) throws(EstimationError) {
    if let level { try EstimationError.checkLevel(level) }
    let models = Self.models(
      ClosedPopulationModel.frequencyModels, poissonTheta: poissonTheta, gammaTheta: gammaTheta)
    var rows = models.map { model -> Row in
      do {
        return Row(
          name: model.description, fit: try model.fit(to: data, truncation: truncation, options: options), level: level)
      } catch {
        return Row(name: model.description, problem: "\(error)")
      }
    }
    for estimator in SingleSourceEstimate.Estimator.allCases {
      let name = estimator == .chao ? "Chao (f1, f2)" : "Zelterman (f1, f2)"
      do {
        let estimate = try SingleSourceEstimate(estimator: estimator, data: data)
        rows.append(Row(name: name, total: estimate.total, standardError: estimate.standardError))
      } catch {
        rows.append(Row(name: name, problem: "\(error)"))
      }
    }
    observedTotal = data.observedTotal
    self.rows = rows
    self.level = level
  }

  /// `models` with the Poisson and Gamma heterogeneity at the given `θ`.
  static func models(_ models: [ClosedPopulationModel], poissonTheta: Double, gammaTheta: Double)
    -> [ClosedPopulationModel]
  {
    models.map { model in
      switch model {
      case .mh(.poisson): .mh(.poisson(theta: poissonTheta))
      case .mth(.poisson): .mth(.poisson(theta: poissonTheta))
      case .mh(.gamma): .mh(.gamma(theta: gammaTheta))
      case .mth(.gamma): .mth(.gamma(theta: gammaTheta))
      default: model
      }
    }
  }
}
