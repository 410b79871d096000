import RealModule

/// How models are ranked: smaller is better.
public enum InformationCriterion: String, Sendable, Hashable, CaseIterable {
  /// `AIC = −2ℓ + 2p` (Akaike 1974), as Rcapture.
  case aic
  /// `AICc = AIC + 2p(p + 1)/(C − p − 1)` with `C = 2ᴷ − 1` observable cells as the sample size
  /// (Hurvich & Tsai 1989; the cells are the Poisson observations). Infinite when `p ≥ C − 1`.
  case aicc
  /// `BIC = −2ℓ + p log n` with `n` the number observed, as Rcapture and MultipleSystemsEstimation.
  case bic

  /// The criterion's value for a fit with log-likelihood `ℓ`, `p` parameters, `cells` cells and
  /// `observed` individuals.
  public func value(logLikelihood: Double, parameters p: Int, cells: Int, observed: Int) -> Double {
    let aic = -2 * logLikelihood + 2 * Double(p)
    switch self {
    case .aic: return aic
    case .aicc:
      let denominator = cells - p - 1
      return denominator > 0 ? aic + 2 * Double(p * (p + 1)) / Double(denominator) : .infinity
    case .bic: return -2 * logLikelihood + Double(p) * .log(Double(observed))
    }
  }
}
