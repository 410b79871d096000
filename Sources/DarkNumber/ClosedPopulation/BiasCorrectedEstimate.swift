import DarkNumberLinearAlgebra
import RealModule

/// Bias-corrected estimators of the population size (Rcapture's `closedp.bc`; Rivest & Lévesque
/// 2001, *Can. J. Stat.* 29:555, doi:10.2307/3316007).
///
/// Small-sample bias of `N̂` is reduced by adding known constants `δ` to the low frequencies before
/// refitting the model by Poisson regression, or by closed forms:
/// - `Mt`, `t = 2`: Chapman (1951) `(n₁ + 1)(n₂ + 1)/(m + 1) − 1` with the Seber/Wittes variance;
///   `t > 2`: Rivest & Lévesque's corrected Schnabel equation `Π(1 − n*ᵢ/N*) = 1 − n*/N*` with
///   `n*ᵢ = nᵢ + (t + 2)/(2t)`, `n* = n + t/2`, `N̂ = N* − t/2`,
///   `SE = [1/(N* − n*) + (t − 1)/N* − Σ 1/(N* − n*ᵢ)]^{−½}`.
/// - `M0`: `f₁ − ½`, `f₂ + 1`, refit on the numbers of captures (offset `log C(t, k)`).
/// - `Mh` with Chao's lower bound: `N̂ = n + (t − 1) f₁(f₁ − 1)/(2t(f₂ + 1))` with Rcapture's variance.
/// - `Mh` with another heterogeneity `h`: `δ = (−(1 + c)/2, 1 + c, (1 − c)/2)` for `k = 1, 2, 3`,
///   `c = (h(2) − 2h(1))/(h(3) − 2h(2) + h(1))`.
/// - `Mth` (Chao, Poisson2, Darroch): a `δ` per history by its number of captures.
/// - `Mb`, `Mbh`: first captures `uᵢ` with `u₁ + 2, u₂ − 1, u₃ − 1` (Mbh: from `u₂`),
///   `N̂ = e^{β₀}/(1 − e^{β₁})` (+ `u₁` for Mbh), `SE = √(vᵀVv − N̂)` as Rcapture.
///
/// Corrected counts below zero are set to zero. Rcapture gives no interval; Wald and log-normal
/// ones are available here.
public struct BiasCorrectedEstimate: Sendable {
  /// The model corrected.
  public let model: ClosedPopulationModel
  /// `N̂`.
  public let total: Double
  /// `SE(N̂)`.
  public let standardError: Double
  /// `n`.
  public let observedTotal: Int

  /// The bias-corrected estimate for `model` on `data`.
  /// - Throws: ``EstimationError`` for unsupported combinations (as Rcapture: `Mth` only with
  ///   Chao, Poisson2 or Darroch; `Mb` and `Mth` need `t ≥ 3`, `Mbh` `t ≥ 4`) or when no estimate exists.
  public init(model: ClosedPopulationModel, data: CaptureData, options: FitOptions = FitOptions())
    throws(EstimationError)
  {
    guard data.listCount <= LogLinearModel.maximumFittedListCount else {
      throw .tooManyLists(data.listCount, limit: LogLinearModel.maximumFittedListCount)
    }
    self.model = model
    observedTotal = data.observedTotal
    let t = data.listCount
    let n = Double(data.observedTotal)
    let frequencies = CaptureFrequencies(histories: data)
    switch model {
    case .mt:
      if t == 2 {
        let chapman = try TwoListEstimate(estimator: .chapman, data: data)
        (total, standardError) = (chapman.total, chapman.standardError)
      } else {
        (total, standardError) = try Self.rivestLevesque(data: data, frequencies: frequencies, options: options)
      }
    case .m0:
      let corrected = Self.corrected(frequencies, occasions: t, deltas: [-0.5, 1])
      (total, standardError) = try Self.frequencyFit(.m0, corrected, n: n, t: t, options: options)
    case .mh(let heterogeneity):
      guard t >= 3 else { throw .needsMoreLists(model: model.description, minimum: 3, found: t) }
      if heterogeneity.isChao {
        let f1 = Double(frequencies.frequency(1))
        let f2 = Double(frequencies.frequency(2))
        let tt = Double(t)
        let f0 = (tt - 1) * f1 * (f1 - 1) / (2 * tt * (f2 + 1))
        let variance =
          f0
          + (tt - 1) * (tt - 1) * f1 * (f1 - 1) * (f1 * f1 + 4 * f1 * f2 + 3 * f1 - 6 * f2 - 6)
          / (4 * tt * tt * (f2 + 1) * (f2 + 1) * (f2 + 2))
        (total, standardError) = (n + f0, max(variance, 0).squareRoot())
      } else {
        let h = heterogeneity.columns(listCount: t)[0].value
        let c = (h(2) - 2 * h(1)) / (h(3) - 2 * h(2) + h(1))
        let corrected = Self.corrected(
          frequencies, occasions: t, deltas: [-(1 + c) / 2, 1 + c, (1 - c) / 2])
        (total, standardError) = try Self.frequencyFit(model, corrected, n: n, t: t, options: options)
      }
    case .mth(let heterogeneity):
      guard t >= 3 else { throw .needsMoreLists(model: model.description, minimum: 3, found: t) }
      let tt = Double(t)
      let deltas: [Double]
      switch heterogeneity {
      case .chao: deltas = [(tt - 2) / (2 * tt), 2 / (tt * (tt - 1))]
      case .poisson(let theta) where theta == 2:
        deltas = [(2 * tt - 5) / (4 * tt), 3 / (tt * (tt - 1)), 3 / (2 * tt * (tt - 1) * (tt - 2))]
      case .darroch: deltas = [(tt - 3) / (2 * tt), 4 / (tt * (tt - 1))]
      default: throw .biasCorrectionNotAvailable(model: model.description)
      }
      var counts = data.denseCounts()
      for h in 1..<(1 << t) {
        let k = h.nonzeroBitCount
        if k <= deltas.count { counts[h - 1] = max(0, counts[h - 1] + deltas[k - 1]) }
      }
      var (design, names) = model.design(listNames: data.listNames)
      let core = try model.fitDroppingNegativeChaoTerms(
        design: &design, names: &names, counts: counts, offset: [], options: options)
      let fit = try model.makeFit(
        core: core.fit, design: design, dropped: core.dropped, observedTotal: data.observedTotal,
        listCount: t, data: nil, options: options)
      (total, standardError) = (fit.total, fit.standardError)
    case .mb, .mbh:
      let minimum = model == .mb ? 3 : 4
      guard t >= minimum else { throw .needsMoreLists(model: model.description, minimum: minimum, found: t) }
      (total, standardError) = try Self.firstCaptureFit(model, data: data, options: options)
    }
    guard total.isFinite, standardError.isFinite, total >= n else {
      throw .estimateDoesNotExist(standardErrorOfLogUnobserved: .infinity)
    }
  }

  /// `f_k + δ_k` for `k = 1, …, t`, clamped at 0. Frequencies that are zero get their `δ_k` too
  /// (`f₂ = 0` becomes 1 for `M0`), as Rcapture corrects every `k`.
  private static func corrected(_ data: CaptureFrequencies, occasions t: Int, deltas: [Double]) -> [Double] {
    (0..<t).map { k in
      max(0, Double(k < data.frequencies.count ? data.frequencies[k] : 0) + (k < deltas.count ? deltas[k] : 0))
    }
  }

  /// Refits `M0`/`Mh` on corrected frequencies (closedp.0 layout, offset `log C(t, k)`).
  private static func frequencyFit(
    _ model: ClosedPopulationModel, _ corrected: [Double], n: Double, t: Int, options: FitOptions
  ) throws(EstimationError) -> (Double, Double) {
    let ks = Array((1...t).reversed())
    let counts = ks.map { $0 <= corrected.count ? corrected[$0 - 1] : 0 }
    let offset = ks.map { k in
      Double.logGamma(Double(t + 1)) - Double.logGamma(Double(k + 1))
        - Double.logGamma(Double(t - k + 1))
    }
    var columns: [(Int) -> Double] = [{ _ in 1 }, { Double($0) }]
    if let heterogeneity = model.heterogeneity {
      columns.append(contentsOf: heterogeneity.columns(listCount: t).map(\.value))
    }
    var design = Matrix(rows: t, columns: columns.count)
    for (j, column) in columns.enumerated() {
      for (i, k) in ks.enumerated() { design[i, j] = column(k) }
    }
    let core = try CellFit.fit(
      design: design, columnNames: columns.indices.map { "x\($0)" }, counts: counts,
      knownFullRank: false, offset: offset, options: options)
    let unobserved = Double.exp(core.estimates[0])
    return (n + unobserved, (unobserved + unobserved * unobserved * core.covariance[0, 0]).squareRoot())
  }

  /// Mb/Mbh on the numbers first caught on each list.
  private static func firstCaptureFit(
    _ model: ClosedPopulationModel, data: CaptureData, options: FitOptions
  ) throws(EstimationError) -> (Double, Double) {
    let t = data.listCount
    var firstCaptures = [Double](repeating: 0, count: t)
    for cell in data.cells { firstCaptures[cell.history.rawValue.trailingZeroBitCount] += Double(cell.count) }
    let skip = model == .mbh ? 1 : 0
    var y = Array(firstCaptures[skip...])
    for (i, delta) in [2.0, -1, -1].enumerated() where i < y.count { y[i] = max(0, y[i] + delta) }
    var design = Matrix(rows: y.count, columns: 2)
    for i in 0..<y.count {
      design[i, 0] = 1
      design[i, 1] = Double(i)
    }
    let core = try CellFit.fit(
      design: design, columnNames: ["(Intercept)", "beta"], counts: y, knownFullRank: false,
      options: options)
    let (b0, b1) = (core.estimates[0], core.estimates[1])
    let ratio = Double.exp(b1)
    guard ratio < 1 else { throw .estimateDoesNotExist(standardErrorOfLogUnobserved: .infinity) }
    let estimate = Double.exp(b0) / (1 - ratio)
    let v = [estimate, estimate * ratio / (1 - ratio)]
    var variance = -estimate
    for i in 0..<2 {
      for j in 0..<2 { variance += v[i] * core.covariance[i, j] * v[j] }
    }
    return (estimate + (skip == 1 ? firstCaptures[0] : 0), max(variance, 0).squareRoot())
  }

  /// Rivest & Lévesque (2001): the corrected Schnabel equation for `Mt`, `t > 2`.
  private static func rivestLevesque(
    data: CaptureData, frequencies: CaptureFrequencies, options: FitOptions
  ) throws(EstimationError) -> (Double, Double) {
    let t = Double(data.listCount)
    let n = Double(data.observedTotal)
    let adjusted = (0..<data.listCount).map { Double(data.listTotal($0)) + (t + 2) / (2 * t) }
    let nStar = n + t / 2
    func equation(_ total: Double) -> Double {
      var product = 1.0
      for ni in adjusted { product *= 1 - ni / total }
      return product - (1 - nStar / total)
    }
    // The root lies above max(n*, n*ᵢ); bracket it by doubling from there.
    let lowest = max(nStar, adjusted.max() ?? nStar) * (1 + 1e-12)
    var upper = 2 * lowest
    var steps = 0
    while (equation(lowest) < 0) == (equation(upper) < 0) {
      upper *= 2
      steps += 1
      if steps > 200 { throw .estimateDoesNotExist(standardErrorOfLogUnobserved: .infinity) }
    }
    let root = try Brent.root(in: (lowest, upper), tolerance: 1e-10 * lowest) {
      (total: Double) throws(EstimationError) -> Double in equation(total)
    }
    var information = 1 / (root - nStar) + (t - 1) / root
    for ni in adjusted { information -= 1 / (root - ni) }
    return (root - t / 2, information > 0 ? (1 / information).squareRoot() : .infinity)
  }
}
