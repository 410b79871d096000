import Synchronization

/// Designs of covariate models by their terms, built once and shared by the many fits of a
/// selection and its bootstrap (the design depends only on the model and the coverage, never on
/// the counts). Holds the designs of one data layout — lists, covariates, codings and coverage —
/// only; it only saves time. Its designs have no rows (the lattice fit needs none; the general
/// fit and the profile likelihood build them again when they need them).
final class CovariateDesignCache: Sendable {
  private let designs = Mutex<[[UInt64]: CovariateDesign]>([:])
  private let coverage: CoverageRules?

  /// An empty cache for data with `coverage`.
  init(coverage: CoverageRules?) { self.coverage = coverage }

  /// The design of `model`, built on first use.
  func design(for model: CovariateModel) throws(EstimationError) -> CovariateDesign {
    if let known = designs.withLock({ $0[model.terms] }) { return known }
    let design = try CovariateDesign(model: model, coverage: coverage, keepingRows: false)
    designs.withLock { $0[model.terms] = design }
    return design
  }
}
