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
  /// - Parameters:
  ///   - data: the numbers of units caught `k` times.
  ///   - truncation: `t₀`, the largest `k` fitted (default `t`; at least 2).
  ///   - options: the IRLS settings.
  /// - Throws: ``EstimationError`` for `Mt`, `Mth`, `Mb`, `Mbh` (they need histories), for `t₀ < 3`
  ///   with `Mh`, and when no estimate exists.
  public func fit(
    to data: CaptureFrequencies, truncation: Int? = nil, options: FitOptions = FitOptions()
  ) throws(EstimationError) -> ClosedPopulationFit {
    switch self {
    case .m0, .mh: break
    default: throw .needsHistories(model: description)
    }
    let layout = try FrequencyLayout(model: self, data: data, truncation: truncation)
    var (design, names, offset) = layout.design(model: self, includesUnobservedCell: false)
    let core = try fitDroppingNegativeChaoTerms(
      design: &design, names: &names, counts: layout.counts, offset: offset, options: options)
    var fit = try makeFit(
      core: core.fit, design: design, dropped: core.dropped, observedTotal: data.observedTotal,
      listCount: layout.occasions, data: nil, options: options)
    fit.frequencyLayout = layout
    return fit
  }
}

/// The rows of a number-of-captures fit (Rcapture's `closedp.0`): `k = t₀, …, 1` (and `k = 0`, the
/// unobserved, for the profile likelihood), their counts and offsets.
struct FrequencyLayout: Sendable {
  /// `t` (the largest `k` observed in continuous time).
  let occasions: Int
  /// `t₀`.
  let truncation: Int
  /// Whether time is continuous (offset `−log k!`) rather than `t` occasions (`log C(t, k)`).
  let continuous: Bool
  /// `f_k` for `k = t₀, …, 1`.
  let counts: [Double]
  /// Units caught more than `t₀` times: in `n`, not in the fit.
  let excluded: Int

  /// The most numbers of captures `k = 1…t₀` fitted (a design of `t₀` rows, and for Chao's
  /// model `t₀ − 2` heterogeneity columns): beyond it, fit `k ≤ t₀` with a truncation.
  static let maximumFittedCaptures = 1_000

  init(model: ClosedPopulationModel, data: CaptureFrequencies, truncation: Int?)
    throws(EstimationError)
  {
    switch data.occasions {
    case .finite(let t):
      occasions = t
      continuous = false
    case .continuous:
      occasions = data.frequencies.count
      continuous = true
    }
    let t0 = truncation ?? occasions
    guard t0 >= 2 && t0 <= occasions else { throw .truncationOutOfRange(t0, occasions: occasions) }
    // One design row per number of captures fitted, and Chao's model a column per k ≥ 3.
    guard t0 <= Self.maximumFittedCaptures else {
      throw .tooManyOccasions(t0, limit: Self.maximumFittedCaptures)
    }
    if case .mh = model, t0 < 3 {
      throw .needsMoreLists(model: model.description, minimum: 3, found: t0)
    }
    self.truncation = t0
    counts = (1...t0).reversed().map { Double(data.frequency($0)) }
    excluded = data.observedTotal - (1...t0).reduce(0) { $0 + data.frequency($1) }
  }

  /// Design, column names and offsets; with `includesUnobservedCell`, row 0 is `k = 0` (offset 0).
  func design(model: ClosedPopulationModel, includesUnobservedCell: Bool) -> (Matrix, [String], [Double]) {
    let ks = (includesUnobservedCell ? [0] : []) + Array((1...truncation).reversed())
    let offset = ks.map { k -> Double in
      continuous
        ? -Double.logGamma(Double(k + 1))
        : Double.logGamma(Double(occasions + 1)) - Double.logGamma(Double(k + 1))
          - Double.logGamma(Double(occasions - k + 1))
    }
    var columns: [(String, (Int) -> Double)] = [("(Intercept)", { _ in 1 }), ("beta", { Double($0) })]
    if let heterogeneity = model.heterogeneity {
      for column in heterogeneity.columns(listCount: truncation) {
        columns.append((column.name, column.value))
      }
    }
    var design = Matrix(rows: ks.count, columns: columns.count)
    for (j, column) in columns.enumerated() {
      for (i, k) in ks.enumerated() { design[i, j] = column.1(k) }
    }
    return (design, columns.map(\.0), offset)
  }
}
