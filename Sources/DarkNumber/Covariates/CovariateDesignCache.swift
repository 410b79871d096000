import Synchronization

/// Designs of covariate models by their terms, built once and shared by the many fits of a
/// selection and its bootstrap (the design depends only on the model and the coverage, never on
/// the counts). Holds the designs of one data layout — lists, covariates, codings and coverage —
/// only; it only saves time. Its designs have no rows (the lattice fit needs none; the general
/// fit and the profile likelihood build them again when they need them).
///
/// Every column name it has seen gets a number, the same in every design, so that a selection can
/// carry coefficients from one model to another by index rather than by name
/// (``CovariateCandidateStarts``).
final class CovariateDesignCache: Sendable {
  /// A design and the numbers of its columns (a class: handed around without copying the
  /// design's arrays).
  final class Entry: Sendable {
    let design: CovariateDesign
    /// The number of each of `design.columnNames`.
    let columnIDs: [Int]

    init(design: CovariateDesign, columnIDs: [Int]) {
      self.design = design
      self.columnIDs = columnIDs
    }
  }

  private struct State {
    var entries: [[UInt64]: Entry] = [:]
    var generated: [[UInt64]: Entry] = [:]
    var columnIDs: [String: Int] = [:]
  }

  private let state = Mutex<State>(State())
  private let coverage: CoverageRules?

  /// An empty cache for data with `coverage`.
  init(coverage: CoverageRules?) { self.coverage = coverage }

  /// The design of `model` and its column numbers, built on first use.
  func entry(for model: CovariateModel) throws(EstimationError) -> Entry {
    if let known = state.withLock({ $0.entries[model.terms] }) { return known }
    let design = try CovariateDesign(model: model, coverage: coverage, keepingRows: false)
    return state.withLock { state in
      if let known = state.entries[model.terms] { return known }
      let ids = design.columnNames.map { name in
        if let id = state.columnIDs[name] { return id }
        let id = state.columnIDs.count
        state.columnIDs[name] = id
        return id
      }
      let entry = Entry(design: design, columnIDs: ids)
      state.entries[model.terms] = entry
      return entry
    }
  }

  /// The entry of the model with `generators` (sorted ascending), made by `model` on first use:
  /// a selection looks its candidates up without building their models.
  func entry(generators: [UInt64], model: () -> CovariateModel) throws(EstimationError) -> Entry {
    if let known = state.withLock({ $0.generated[generators] }) { return known }
    let entry = try entry(for: model())
    state.withLock { $0.generated[generators] = entry }
    return entry
  }

  /// The design of `model`, built on first use.
  func design(for model: CovariateModel) throws(EstimationError) -> CovariateDesign {
    try entry(for: model).design
  }
}
