/// A caveat attached to a Bayesian estimate: it exists, but read it with care.
public enum BayesWarning: Sendable, Hashable, CustomStringConvertible {
  /// Every record of this list is on no other list: the list carries no overlap information
  /// and the estimate leans on the prior (dga "will not fail" here).
  case listWithoutOverlap(list: String)
  /// This much posterior mass lies in the top 1% of a user-given grid: the grid truncates the
  /// posterior and the summaries understate N.
  case massNearGridTop(Double)
  /// In this fraction of sweeps the unobserved count wanted to exceed LCMCR's bound
  /// (`bound·n`) and was redrawn below it: the posterior of N is truncated there.
  case missingBoundBinding(fraction: Double, bound: Int)
  /// The split-R̂ of N is above 1.01 (Vehtari et al. 2021): chains disagree; run longer.
  case poorMixing(rhat: Double)
  /// The effective sample size of N is below 400 (Vehtari et al. 2021): summaries are noisy.
  case smallEffectiveSampleSize(Double)

  /// The caveat as one plain sentence, for reports.
  public var description: String {
    switch self {
    case .listWithoutOverlap(let list):
      return "no one on list \(list) is on any other list, so the data say little about N"
    case .massNearGridTop(let mass):
      return "\(mass) of the posterior mass lies in the top 1% of the grid; widen the grid"
    case .missingBoundBinding(let fraction, let bound):
      return "in \(fraction) of the sweeps the unobserved count was held below \(bound)·n; "
        + "the posterior of N is truncated there"
    case .poorMixing(let rhat):
      return "split-R̂ of N is \(rhat) (above 1.01): the chains have not mixed; run them longer"
    case .smallEffectiveSampleSize(let ess):
      return "the effective sample size of N is only \(ess); the summaries are noisy"
    }
  }
}
