import DarkNumberLinearAlgebra

/// The closed-population models of Otis, Burnham, White & Anderson (1978) as log-linear models
/// (Cormack 1989; Rivest & Baillargeon 2007, Rcapture's `closedp.t`): time effects `t`,
/// heterogeneity `h` and behavioural response `b`.
public enum ClosedPopulationModel: Sendable, CustomStringConvertible {
  /// Equal capture probabilities: `log μ_h = β₀ + β k`.
  case m0
  /// Time effects (the independence log-linear model): `log μ_h = β₀ + Σ_j β_j x_j`.
  case mt
  /// Heterogeneity: `M0` plus heterogeneity columns.
  case mh(Heterogeneity)
  /// Time and heterogeneity: `Mt` plus heterogeneity columns.
  case mth(Heterogeneity)
  /// Behavioural response: `log μ = β₀ + β₁ (f − 1) + β₂ (k − 1)`, `f` the first list on which the
  /// individual appears; `N̂ = e^{β₀}(1 + e^{β₂})ᵗ / (1 + e^{β₂} − e^{β₁})`.
  case mb
  /// Behavioural response with heterogeneity (Rcapture's `Mbh`): `Mb` plus `η (1 − x₁)`.
  case mbh

  /// The 12 models of Rcapture's `closedp.t` table, in its order.
  public static let standard: [ClosedPopulationModel] = [
    .m0, .mt, .mh(.chao), .mh(.poisson2), .mh(.darroch), .mh(.gamma35),
    .mth(.chao), .mth(.poisson2), .mth(.darroch), .mth(.gamma35), .mb, .mbh,
  ]

  /// Rcapture's name: `M0`, `Mt`, `Mh Chao (LB)`, `Mth Poisson2`, `Mb`, `Mbh`.
  public var description: String {
    switch self {
    case .m0: return "M0"
    case .mt: return "Mt"
    case .mh(let h): return "Mh \(h)"
    case .mth(let h): return "Mth \(h)"
    case .mb: return "Mb"
    case .mbh: return "Mbh"
    }
  }

  /// Whether `N̂ = n + exp(β̂₀)` (all but the behavioural models).
  var unobservedIsIntercept: Bool {
    switch self {
    case .mb, .mbh: return false
    default: return true
    }
  }

  /// The heterogeneity, if any.
  var heterogeneity: Heterogeneity? {
    switch self {
    case .mh(let h), .mth(let h): return h
    default: return nil
    }
  }

  /// The design columns for `t` lists over histories `firstHistory…2ᵗ − 1` (row `h − firstHistory`),
  /// named as Rcapture names them (`beta`, list names for `Mt`, `tau`, `eta3`, `beta1`, `beta2`).
  func design(listNames: [String], includesUnobservedCell: Bool = false) -> (Matrix, [String]) {
    let t = listNames.count
    let first = includesUnobservedCell ? 0 : 1
    let rows = (1 << t) - first
    var columns: [(String, (Int) -> Double)] = [("(Intercept)", { _ in 1 })]
    switch self {
    case .m0, .mh:
      columns.append(("beta", { h in Double(h.nonzeroBitCount) }))
    case .mt, .mth:
      for list in 0..<t { columns.append((listNames[list], { h in Double((h >> list) & 1) })) }
    case .mb, .mbh:
      if case .mbh = self { columns.append(("eta", { h in Double(1 - (h & 1)) })) }
      // Lists before the first capture, and recaptures after it.
      columns.append(("beta1", { h in h == 0 ? 0 : Double(h.trailingZeroBitCount) }))
      columns.append(("beta2", { h in h == 0 ? 0 : Double(h.nonzeroBitCount - 1) }))
    }
    if let heterogeneity {
      for column in heterogeneity.columns(listCount: t) {
        columns.append((column.name, { h in column.value(h.nonzeroBitCount) }))
      }
    }
    var matrix = Matrix(rows: rows, columns: columns.count)
    for (j, column) in columns.enumerated() {
      for row in 0..<rows { matrix[row, j] = column.1(row + first) }
    }
    return (matrix, columns.map(\.0))
  }
}
