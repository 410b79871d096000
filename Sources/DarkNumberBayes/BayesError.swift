/// Why a Bayesian estimate could not be produced.
public enum BayesError: Error, Sendable, Hashable, CustomStringConvertible {
  /// An option is out of range; the text names it and what was expected.
  case invalidOption(String)
  /// Model averaging over decomposable graphs enumerates every graph, which is done for 2 to 7
  /// lists (617,675 graphs at 7).
  case tooManyListsForGraphAveraging(Int)
  /// The posterior of N still has non-negligible mass at the top of the widest grid tried: the
  /// data (typically lists that do not overlap) do not bound the population under this prior.
  case posteriorNotConcentrated(largestTotal: Double, massNearTop: Double)
  /// The user's log-prior gave NaN or +∞ at this total.
  case invalidPrior(total: Double)
  /// The task running the sampler was cancelled; the chains stopped between sweeps and no result
  /// exists.
  case cancelled
  /// Bayesian thresholding with improper priors: the model with every two-list interaction fails
  /// the Fienberg–Rinaldo existence check (SparseMSE code 1–3), so its posterior is improper.
  case thresholdingStartFails(model: String, code: Int)
  /// A log-linear posterior has no mode (improper, or its mode at infinity).
  case posteriorModeNotFound(model: String)

  /// The reason as one sentence, for error messages.
  public var description: String {
    switch self {
    case .invalidOption(let text): return text
    case .tooManyListsForGraphAveraging(let count):
      return "model averaging over decomposable graphs needs 2 to 7 lists; the data have \(count)"
    case .posteriorNotConcentrated(let largest, let mass):
      // The share is a number only when the posterior could be normalised at all.
      let share = mass.isFinite ? "\(mass) of its mass lies" : "most of its mass lies"
      return "the posterior of N does not concentrate: \(share) near the top of the "
        + "grid even at N = \(largest.isFinite ? String(Int(min(largest, 9e18))) : "the largest grid value"); the lists overlap too little to bound the population"
    case .invalidPrior(let total):
      return "the log-prior is not a finite number (or −∞) at N = \(total)"
    case .cancelled:
      return "the sampler was cancelled"
    case .thresholdingStartFails(let model, let code):
      let reason =
        switch code {
        case 1: "its maximum-likelihood estimate does not exist"
        case 2: "it is not identifiable"
        default: "its maximum-likelihood estimate does not exist and it is not identifiable"
        }
      return "Bayesian thresholding with improper priors cannot start: the model with every two-list "
        + "interaction, \(model), fails the Fienberg–Rinaldo check (code \(code): \(reason)), so its "
        + "posterior is improper; use the proper prior"
    case .posteriorModeNotFound(let model):
      return "the posterior of model \(model) has no mode (it is improper or runs off to infinity)"
    }
  }
}
