import ArgumentParser

/// `--ntop` (select) and `--top` (bayes): a number of models, or all of them.
enum CandidateLimit: ExpressibleByArgument, Equatable {
  case all
  case count(Int)

  /// The count, or nil for all.
  var limit: Int? {
    if case .count(let count) = self { return count }
    return nil
  }

  init?(argument: String) {
    if argument.lowercased() == "all" {
      self = .all
    } else if let count = Int(argument), count >= 1 {
      self = .count(count)
    } else {
      return nil
    }
  }
}

/// The CLI's selection methods.
enum SelectionMethod: String, CaseIterable, ExpressibleByArgument {
  case auto
  case stepwise
  case bic
  case aic
  case aicc
  case downhill
  case fixed
  /// Cruyff's search path (BIC, then AIC, then penalty 1); with --covariates only.
  case path
  /// Silverman's Bayesian thresholding (MultipleSystemsEstimation's `estimate_population_bayesthresh`).
  case bayesthresh
}

/// `--prior` of Bayesian thresholding.
enum ThresholdPrior: String, CaseIterable, ExpressibleByArgument {
  case proper
  case improper
}
