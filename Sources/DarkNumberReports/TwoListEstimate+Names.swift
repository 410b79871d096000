package import DarkNumber

extension TwoListEstimate.Estimator {
  /// The estimator's name in reports.
  package var displayName: String { self == .chapman ? "Chapman" : "Lincoln–Petersen" }
}

extension IntervalMethod {
  /// The method's name in JSON and CSV.
  package var key: String {
    switch self {
    case .wald: "wald"
    case .logNormal: "lognormal"
    case .profileLikelihood: "profile"
    case .logWald: "logwald"
    case .bootstrapPercentile: "bootstrap-percentile"
    case .bootstrapBCa: "bootstrap-bca"
    case .credible: "credible"
    }
  }
}
