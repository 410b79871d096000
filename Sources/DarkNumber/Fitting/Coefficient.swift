/// One estimated log-linear parameter, named as R names it (`(Intercept)`, `LA`, `LA:NG`).
public struct Coefficient: Sendable, Hashable {
  /// The term's name.
  public let name: String
  /// The estimate on the log scale: −∞ when ``atBoundary``, `nil` when the parameter is aliased
  /// (not estimable).
  public let estimate: Double?
  /// The asymptotic standard error, `√[(XᵀWX)⁻¹]ⱼⱼ`; `nil` when aliased or at the boundary.
  public let standardError: Double?
  /// Whether the parameter's maximum-likelihood estimate is −∞: its sufficient statistic (the
  /// total count over the cells where the term's column is positive) is zero, for example an
  /// interaction of two lists that never overlap.
  public let atBoundary: Bool
}
