/// Separate fits per stratum against one joint model: for each level of a covariate, the
/// lists-only model fitted to that stratum's table alone, beside the joint covariate model's
/// estimate for the level (``CovariateFit/breakdown(covariate:)``).
///
/// Separate fits let every list interaction differ by stratum but need enough data in each; the
/// joint model shares what the model says is common and borrows strength. Large differences point
/// at a covariate × list interaction the joint model lacks (or at a stratum too sparse to fit).
public struct StratifiedComparison: Sendable {
  /// One stratum.
  public struct Row: Sendable {
    /// The level.
    public let level: String
    /// The number observed in the stratum.
    public let observed: Int
    /// The separate fit's `N̂` and SE, or why it has none.
    public let separate: Result<(total: Double, standardError: Double), EstimationError>
    /// The joint model's estimate for the level.
    public let joint: CovariateLevelEstimate
  }

  /// The covariate stratified by.
  public let covariate: String
  /// The lists-only model fitted in each stratum.
  public let listModel: LogLinearModel
  /// One row per level.
  public let rows: [Row]
  /// The joint model's total.
  public let jointTotal: CovariateLevelEstimate

  /// The sum of the separate estimates and its SE (`√Σ SE²`, strata being independent), or `nil`
  /// when some stratum has no estimate.
  public var separateTotal: (total: Double, standardError: Double)? {
    var total = 0.0
    var variance = 0.0
    for row in rows {
      guard case .success(let estimate) = row.separate else { return nil }
      total += estimate.total
      variance += estimate.standardError * estimate.standardError
    }
    return (total, variance.squareRoot())
  }

  /// Compares, for covariate `covariate` of `fit`, separate fits of `listModel` (default: the
  /// joint model's list-only part) in each stratum with the joint fit.
  /// - Throws: ``DataError/emptyStratum(covariate:level:)`` when a level has nobody observed.
  public init(fit: CovariateFit, covariate: Int, listModel: LogLinearModel? = nil, options: FitOptions = FitOptions())
    throws(DataError)
  {
    let listModel = listModel ?? fit.model.listModel
    let joint = fit.breakdown(covariate: covariate)
    var rows: [Row] = []
    for (level, estimate) in joint.enumerated() {
      let stratum = try fit.data.stratum(covariate: covariate, level: level)
      let separate: Result<(total: Double, standardError: Double), EstimationError>
      do {
        let stratumFit = try listModel.fit(to: stratum, options: options)
        separate = .success((stratumFit.total, stratumFit.standardError))
      } catch {
        separate = .failure(error)
      }
      rows.append(
        Row(level: estimate.level ?? "", observed: stratum.observedTotal, separate: separate, joint: estimate))
    }
    self.covariate = fit.model.covariates[covariate].name
    self.listModel = listModel
    self.rows = rows
    jointTotal = fit.totalEstimate
  }
}
