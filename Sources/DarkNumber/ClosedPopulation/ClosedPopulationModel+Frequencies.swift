import DarkNumberLinearAlgebra
import RealModule

extension ClosedPopulationModel {
  /// The models that number-of-captures data support (Rcapture's `closedp.0`): `M0` and `Mh`.
  public static let frequencyModels: [ClosedPopulationModel] = [
    .m0, .mh(.chao), .mh(.poisson2), .mh(.darroch), .mh(.gamma35),
  ]

  /// Fits `M0` or `Mh` to number-of-captures data, as Rcapture's `closedp.0` (Rivest &
  /// Baillargeon 2007).
  ///
  /// Rows `k = t₀, …, 1` with response `f_k` and offset `log C(t, k)` (finite `t`) or `−log k!`
  /// (continuous time, `t = ∞`, where `t` becomes the largest `k` observed); columns: intercept,
  /// `k`, and the heterogeneity columns (Chao's `η_j` for `j = 3…t₀`). Units caught more than `t₀`
  /// times are left out of the fit but counted in `n`. `N̂ = n + e^{β̂₀}` with Rcapture's SE. With
  /// `t = ∞`, `Mh Chao (LB)` keeping `η₃` reproduces Chao's (1987) `n + f₁²/(2f₂)` and its variance.
  ///
  /// - Parameter truncation: `t₀`, the largest `k` fitted (default `t`; at least 2).
  /// - Throws: ``EstimationError`` for `Mt`, `Mth`, `Mb`, `Mbh` (they need histories), for `t₀ < 3`
  ///   with `Mh`, and when no estimate exists.
  public func fit(
    to data: CaptureFrequencies, truncation: Int? = nil, options: FitOptions = FitOptions()
  ) throws(EstimationError) -> ClosedPopulationFit {
    switch self {
    case .m0, .mh: break
    default: throw .needsHistories(model: description)
    }
    let t: Int
    switch data.occasions {
    case .finite(let occasions): t = occasions
    case .continuous: t = data.frequencies.count
    }
    let t0 = truncation ?? t
    guard t0 >= 2 && t0 <= t else { throw .truncationOutOfRange(t0, occasions: t) }
    if case .mh = self, t0 < 3 { throw .needsMoreLists(model: description, minimum: 3, found: t0) }
    let ks = Array((1...t0).reversed())
    let counts = ks.map { Double(data.frequency($0)) }
    let offset = ks.map { k -> Double in
      switch data.occasions {
      case .finite:
        return Double.logGamma(Double(t + 1)) - Double.logGamma(Double(k + 1))
          - Double.logGamma(Double(t - k + 1))
      case .continuous:
        return -Double.logGamma(Double(k + 1))
      }
    }
    var columns: [(String, (Int) -> Double)] = [("(Intercept)", { _ in 1 }), ("beta", { Double($0) })]
    if let heterogeneity {
      for column in heterogeneity.columns(listCount: t0) { columns.append((column.name, column.value)) }
    }
    var design = Matrix(rows: ks.count, columns: columns.count)
    for (j, column) in columns.enumerated() {
      for (i, k) in ks.enumerated() { design[i, j] = column.1(k) }
    }
    var names = columns.map(\.0)
    let core = try fitDroppingNegativeChaoTerms(
      design: &design, names: &names, counts: counts, offset: offset, options: options)
    return try makeFit(
      core: core.fit, design: design, dropped: core.dropped, observedTotal: data.observedTotal,
      listCount: t, data: nil, options: options)
  }
}
