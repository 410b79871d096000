/// Starting values for the candidates of a stepwise selection (``CovariateSelection``), from the
/// fits of the same candidates scored before.
///
/// A candidate `M` of the current model `P` is fitted by IRLS from a start; any start reaches the
/// same MLE (to the convergence tolerance), a closer one in fewer iterations. With an *anchor* —
/// the coefficients `β̂_A(M′)` and `β̂_A(P′)` of a candidate `M′ = P′ ± t` fitted earlier — the start
/// is
///
///     β⁰_j = β̂_A(M′)_j + β̂(P)_j − β̂_A(P′)_j     (β̂(P)_j or β̂_A(M′)_j alone where a term is missing),
///
/// the earlier candidate's coefficients moved by the change of its parent. Two anchors serve:
/// the same candidate and parent in the selection on the data, for the selections of bootstrap
/// replicates and jackknife deletions (the data differ by resampling, the parent's change carries
/// most of the difference); and, within one selection, the same move `±t` from the previous step's
/// model (the step moved by one term, which changes the other coefficients little). Without an
/// anchor the start is `β̂(P)` with the new term's coefficients at 0. Coefficients are held by the
/// column numbers of ``CovariateDesignCache``, NaN for a column not in the model.
struct CovariateCandidateStarts: Sendable {
  /// A candidate and the model it was a candidate of, by their generating classes (sorted).
  struct Key: Hashable, Sendable {
    let parent: [UInt64]
    let candidate: [UInt64]

    init(parent: [UInt64], candidate: [UInt64]) {
      self.parent = parent.sorted()
      self.candidate = candidate.sorted()
    }
  }

  /// A candidate's fitted coefficients and its parent's, by column number.
  struct Anchor: Sendable {
    let candidate: [Double]
    let parent: [Double]
  }

  /// The anchors recorded, by candidate and parent.
  private(set) var anchors: [Key: Anchor] = [:]

  /// No anchors.
  init() {}

  /// Records the fit of `key.candidate` from `key.parent`.
  mutating func record(_ key: Key, candidate: [Double], parent: [Double]) {
    anchors[key] = Anchor(candidate: candidate, parent: parent)
  }

  /// These anchors and `other`'s (this one's where both have a key).
  func merging(_ other: CovariateCandidateStarts) -> CovariateCandidateStarts {
    var result = self
    result.anchors.merge(other.anchors) { mine, _ in mine }
    return result
  }

  /// The anchor of `key`, if recorded.
  func anchor(_ key: Key) -> Anchor? { anchors[key] }

  /// Coefficients by column number (NaN where a column is absent) from a design's `ids` and
  /// `values`.
  static func byID(ids: [Int], values: [Double]) -> [Double] {
    var result = [Double](repeating: .nan, count: (ids.max() ?? -1) + 1)
    for (id, value) in zip(ids, values) { result[id] = value }
    return result
  }

  /// The start of a candidate with column numbers `ids` from the current model's coefficients
  /// `current` (by column number) and an optional anchor.
  static func start(ids: [Int], current: [Double], anchor: Anchor?) -> [Double] {
    @inline(__always) func value(_ vector: [Double], _ id: Int) -> Double { id < vector.count ? vector[id] : .nan }
    return ids.map { id in
      let now = value(current, id)
      if let anchor {
        let then = value(anchor.candidate, id)
        if then.isFinite {
          let parent = value(anchor.parent, id)
          return now.isFinite && parent.isFinite ? then + now - parent : then
        }
      }
      return now.isFinite ? now : 0
    }
  }
}
