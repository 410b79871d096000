/// One estimated log-linear parameter, named as R names it (`(Intercept)`, `LA`, `LA:NG`).
public struct Coefficient: Sendable, Hashable {
  /// The term's name.
  public let name: String
  /// The estimate on the log scale; `nil` when the parameter is aliased (not estimable).
  public let estimate: Double?
  /// The asymptotic standard error, `√[(XᵀWX)⁻¹]ⱼⱼ`; `nil` when aliased.
  public let standardError: Double?
  /// Whether the parameter runs off to −∞: its sufficient statistic (the total count over the
  /// cells where the term's indicator is 1) is zero, so the maximum-likelihood estimate is
  /// −∞ and the reported value only reflects where the iterations stopped.
  public let atBoundary: Bool
}
