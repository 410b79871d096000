/// Separate fits per stratum against one joint model: for each level of a covariate, the
/// lists-only model fitted to that stratum's table alone, beside the joint covariate model's
/// estimate for the level (``CovariateFit/breakdown(covariate:)``).
///
/// Separate fits let every list interaction differ by stratum but need enough data in each; the
/// joint model shares what the model says is common and borrows strength. Large differences point
/// at a covariate × list interaction the joint model lacks (or at a stratum too sparse to fit).
///
/// With a ``ListCoverage`` a stratum is fitted on the lists that operated in it (the model's
/// terms among them); a stratum whose combinations had different lists, or fewer than two, has
/// no separate fit (``EstimationError/coverageVariesWithinStratum(covariate:level:)``,
/// ``EstimationError/tooFewOperatingLists(strata:)``).
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
    let name = fit.model.covariates[covariate].name
    for (level, estimate) in joint.enumerated() {
      var stratum = try fit.data.stratum(covariate: covariate, level: level)
      let separate: Result<(total: Double, standardError: Double), EstimationError>
      // The lists that operated in the stratum: one set for all its combinations, or no fit.
      let masks = Set(
        fit.design.combinations.indices.filter { fit.design.combinations[$0][covariate] == level }
          .map { fit.design.operating[$0] })
      let all = (UInt32(1) << UInt32(stratum.listCount)) - 1
      do throws(EstimationError) {
        guard masks.count == 1, let open = masks.first else {
          throw .coverageVariesWithinStratum(covariate: name, level: estimate.level ?? "")
        }
        guard open.nonzeroBitCount >= 2 else {
          throw .tooFewOperatingLists(strata: ["\(name)=\(estimate.level ?? "")"])
        }
        var model = listModel
        if open != all {
          // Lists that did not operate have nobody on them here: leave them and their terms out.
          let kept = (0..<stratum.listCount).filter { open >> UInt32($0) & 1 == 1 }
          for list in (0..<stratum.listCount).reversed() where open >> UInt32(list) & 1 == 0 {
            // Two or more lists remain and the stratum has people, so this cannot fail.
            stratum = try! stratum.removingList(list)
          }
          let generators = listModel.generatingClass.filter { $0 & ~open == 0 }.map { term in
            kept.enumerated().reduce(UInt32(0)) { $0 | ((term >> UInt32($1.element) & 1) << UInt32($1.offset)) }
          }
          model = LogLinearModel(listCount: kept.count, generators: generators)
        }
        let stratumFit = try model.fit(to: stratum, options: options)
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
