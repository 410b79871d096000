internal import RealModule

/// A prior on the population size `N` for grid posteriors, given by its logarithm up to a
/// constant.
public enum PopulationPrior: Sendable {
  /// `p(N) ∝ 1/N`, dga's default (Madigan & York 1997).
  case reciprocal
  /// `p(N) ∝ 1`, flat on the grid.
  case uniform
  /// The negative-binomial prior of dga's 3-list example, the pmf of `N` with size `a` and
  /// odds `b`: `log p(N) = N log b − (N + a) log(1 + b) + log Γ(N + a) − log N! − log Γ(a)`
  /// (mean `a·b`).
  case negativeBinomial(size: Double, odds: Double)
  /// A user-supplied `log p(N)`, called with each grid total `N`; −∞ excludes a value.
  case custom(@Sendable (Double) -> Double)

  /// `log p(N)` up to a constant.
  public func logDensity(_ total: Double) -> Double {
    switch self {
    case .reciprocal: return -Double.log(total)
    case .uniform: return 0
    case .negativeBinomial(let a, let b):
      return total * Double.log(b) - (total + a) * Double.log(onePlus: b)
        + Double.logGamma(total + a) - Double.logGamma(total + 1) - Double.logGamma(a)
    case .custom(let function): return function(total)
    }
  }

  /// A short description for reports: `1/N`, `uniform`, `negative-binomial(a, b)`, `custom`.
  public var name: String {
    switch self {
    case .reciprocal: return "1/N"
    case .uniform: return "uniform"
    case .negativeBinomial(let a, let b): return "negative-binomial(size \(a), odds \(b))"
    case .custom: return "custom"
    }
  }
}
