import RealModule

/// How capture probabilities vary between individuals in Rcapture's `Mh`/`Mth` models: one or more
/// design columns that are functions of `k`, the number of lists an individual is on (zero at
/// `k = 0`). Rivest & Baillargeon (2007), *J. Stat. Softw.* 19(5), doi:10.18637/jss.v019.i05.
public enum Heterogeneity: Sendable, CustomStringConvertible {
  /// Chao's lower bound: columns `η_j = max(k − j + 1, 0)` for `j = 3…t`; negative `η` estimates
  /// are dropped one at a time and the model refitted (Rcapture's `neg = TRUE`).
  case chao
  /// Poisson mixture: `θᵏ − 1` (Rcapture's default `θ = 2`).
  case poisson(theta: Double)
  /// Darroch's model: `k²/2`.
  case darroch
  /// Gamma mixture: `−log(θ + k) + log θ` (Rcapture's default `θ = 3.5`).
  case gamma(theta: Double)
  /// A user-supplied convex function `f(k)` with `f(0) = 0`, named `name`.
  case custom(name: String, function: @Sendable (Int) -> Double)

  /// Rcapture's default `θ` of the Poisson mixture, 2.
  public static let defaultPoissonTheta = 2.0
  /// Rcapture's default `θ` of the Gamma mixture, 3.5.
  public static let defaultGammaTheta = 3.5
  /// Rcapture's `Poisson2`.
  public static let poisson2 = Heterogeneity.poisson(theta: defaultPoissonTheta)
  /// Rcapture's `Gamma3.5`.
  public static let gamma35 = Heterogeneity.gamma(theta: defaultGammaTheta)

  /// Rcapture's name: `Chao (LB)`, `Poisson2`, `Darroch`, `Gamma3.5`.
  public var description: String {
    switch self {
    case .chao: return "Chao (LB)"
    case .poisson(let theta): return "Poisson\(Self.number(theta))"
    case .darroch: return "Darroch"
    case .gamma(let theta): return "Gamma\(Self.number(theta))"
    case .custom(let name, _): return name
    }
  }

  private static func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }

  /// The heterogeneity columns for `k` captures out of `t` lists, with their names.
  func columns(listCount t: Int) -> [(name: String, value: @Sendable (Int) -> Double)] {
    switch self {
    case .chao:
      return t < 3 ? [] : (3...t).map { j in ("eta\(j)", { k in Double(max(k - j + 1, 0)) }) }
    case .poisson(let theta):
      return [("tau", { k in Double.pow(theta, Double(k)) - 1 })]
    case .darroch:
      return [("tau", { k in Double(k * k) / 2 })]
    case .gamma(let theta):
      return [("tau", { k in -Double.log(theta + Double(k)) + Double.log(theta) })]
    case .custom(let name, let function):
      return [(name, function)]
    }
  }

  /// Whether this is Chao's lower bound (whose negative `η` are dropped).
  var isChao: Bool {
    if case .chao = self { return true }
    return false
  }
}
