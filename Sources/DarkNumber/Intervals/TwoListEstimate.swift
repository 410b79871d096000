/// The classical two-list capture–recapture estimators.
///
/// With `n₁`, `n₂` the list sizes and `m` the overlap:
/// - Lincoln–Petersen: `N̂ = n₁n₂/m`, variance `n₁n₂(n₁ − m)(n₂ − m)/m³` (Seber 1982, §3.1.1).
/// - Chapman (1951): `N̂ = (n₁ + 1)(n₂ + 1)/(m + 1) − 1`, variance
///   `(n₁ + 1)(n₂ + 1)(n₁ − m)(n₂ − m)/((m + 1)²(m + 2))` (Seber 1970; Wittes 1972), as Rcapture's
///   `closedp.bc` for `t = 2`.
///
/// Lincoln–Petersen equals the main-effects log-linear `N̂` for two lists.
public struct TwoListEstimate: Sendable, Hashable {
  /// Which estimator.
  public enum Estimator: String, Sendable, Hashable, CaseIterable {
    /// `n₁n₂/m`.
    case lincolnPetersen
    /// `(n₁ + 1)(n₂ + 1)/(m + 1) − 1`.
    case chapman
  }

  /// The estimator used.
  public let estimator: Estimator
  /// The size of the first list, `n₁`.
  public let firstList: Int
  /// The size of the second list, `n₂`.
  public let secondList: Int
  /// The overlap `m`.
  public let overlap: Int
  /// `N̂`.
  public let total: Double
  /// `√Var(N̂)`.
  public let standardError: Double

  /// The number observed, `n₁ + n₂ − m`.
  public var observedTotal: Int { firstList + secondList - overlap }

  /// The estimate from the two lists' sizes and their overlap.
  /// - Throws: ``EstimationError/invalidListCounts(firstList:secondList:overlap:)`` unless
  ///   `0 ≤ m ≤ min(n₁, n₂)`; ``EstimationError/noOverlap`` for Lincoln–Petersen with `m = 0`.
  public init(estimator: Estimator, firstList n1: Int, secondList n2: Int, overlap m: Int)
    throws(EstimationError)
  {
    guard m >= 0 && n1 >= m && n2 >= m else { throw .invalidListCounts(firstList: n1, secondList: n2, overlap: m) }
    let (a, b, c) = (Double(n1), Double(n2), Double(m))
    switch estimator {
    case .lincolnPetersen:
      guard m > 0 else { throw .noOverlap }
      total = a * b / c
      standardError = (a * b * (a - c) * (b - c) / (c * c * c)).squareRoot()
    case .chapman:
      total = (a + 1) * (b + 1) / (c + 1) - 1
      standardError = ((a + 1) * (b + 1) * (a - c) * (b - c) / ((c + 1) * (c + 1) * (c + 2)))
        .squareRoot()
    }
    self.estimator = estimator
    firstList = n1
    secondList = n2
    overlap = m
  }

  /// The estimate for two-list data.
  /// - Throws: ``EstimationError/needsTwoLists(_:)`` unless the data have exactly two lists.
  public init(estimator: Estimator, data: CaptureData) throws(EstimationError) {
    guard data.listCount == 2 else { throw .needsTwoLists(data.listCount) }
    try self.init(
      estimator: estimator, firstList: data.listTotal(0), secondList: data.listTotal(1),
      overlap: data.overlap(0, 1))
  }

  /// One estimator on a table: its estimate with the Wald and log-normal intervals, or why it has
  /// none.
  public struct Row: Sendable {
    /// The estimator.
    public let estimator: Estimator
    /// The estimate, or why there is none (``EstimationError/noOverlap`` for Lincoln–Petersen on
    /// lists that share nobody).
    public let outcome: Result<TwoListEstimate, EstimationError>
    /// The Wald and log-normal intervals of the estimate (empty without one).
    public let intervals: [IntervalEstimate]
  }

  /// Every estimator (`Estimator.allCases`) on two-list `data`, with intervals at `level`; an
  /// estimator without an estimate is a row saying why.
  /// - Throws: ``EstimationError/needsTwoLists(_:)`` unless the data have exactly two lists;
  ///   ``EstimationError/invalidLevel(_:)``.
  public static func all(data: CaptureData, level: Double = 0.95) throws(EstimationError) -> [Row] {
    guard data.listCount == 2 else { throw .needsTwoLists(data.listCount) }
    try EstimationError.checkLevel(level)
    var rows: [Row] = []
    for estimator in Estimator.allCases {
      do {
        let estimate = try TwoListEstimate(estimator: estimator, data: data)
        let intervals = [try estimate.interval(.wald, level: level), try estimate.interval(.logNormal, level: level)]
        rows.append(Row(estimator: estimator, outcome: .success(estimate), intervals: intervals))
      } catch {
        rows.append(Row(estimator: estimator, outcome: .failure(error), intervals: []))
      }
    }
    return rows
  }

  /// A Wald or log-normal interval at `level`.
  /// - Throws: ``EstimationError/intervalNotAvailable(_:reason:)`` for the profile-likelihood
  ///   and log-Wald intervals, which need the main-effects log-linear fit
  ///   (``LogLinearModel/mainEffects(listCount:)``); ``EstimationError/invalidLevel(_:)``.
  public func interval(_ method: IntervalMethod, level: Double = 0.95) throws(EstimationError)
    -> IntervalEstimate
  {
    try EstimationError.checkModelBased(method, level: level)
    guard method == .wald || method == .logNormal else {
      throw .intervalNotAvailable(
        method,
        reason: "a two-list estimator gives Wald and log-normal intervals; fit the main-effects log-linear model for it"
      )
    }
    let observed = Double(observedTotal)
    if method == .wald {
      return WaldInterval.make(
        total: total, observed: observed, standardError: standardError, level: level)
    }
    return LogNormalInterval.make(
      total: total, observed: observed, standardError: standardError, level: level)
  }
}
