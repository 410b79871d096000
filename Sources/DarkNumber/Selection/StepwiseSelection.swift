import DarkNumberLinearAlgebra

/// SparseMSE's stepwise selection of two-list interactions by Poisson p-values (Chan, Silverman &
/// Vincent 2021, JASA 116:1297; SparseMSE `stepwisefit`, the UK Home Office's 2013 method).
///
/// Start from main effects. For every pair of lists not yet in the model, the number of individuals
/// on both lists, `n*`, is compared with its expectation `λ` under the current fit (the sum of the
/// fitted counts of the cells containing both lists): the one-sided Poisson p-value
/// `min(P(X ≤ n*), P(X ≥ n*))`, `X ~ Poisson(λ)`. A pair whose addition would make the MLE not
/// exist or not identifiable (``ExistenceCheck``) gets p = 1. The pair with the smallest p-value
/// (the first in list order on ties) is added while that p-value is below the threshold.
public struct StepwiseSelection: Sendable {
  /// SparseMSE's `pthresh = 0.02`: an interaction enters while its p-value is below it.
  public static let defaultThreshold = 0.02

  /// One added interaction.
  public struct Step: Sendable, Hashable {
    /// The pair, as a bitmask of two zero-based lists.
    public let pair: UInt32
    /// Its p-value when added.
    public let pValue: Double
  }

  /// The selected model.
  public let model: LogLinearModel
  /// Its fit.
  public let fit: LogLinearFit
  /// The interactions in the order they were added.
  public let steps: [Step]
  /// The threshold used.
  public let threshold: Double

  /// Runs the selection on `data` with p-value `threshold` (SparseMSE's default `pthresh = 0.02`;
  /// 0 gives main effects; 1 gives all two-way terms when their MLE exists).
  /// - Parameters:
  ///   - data: the table.
  ///   - threshold: the p-value below which a term enters.
  ///   - options: the IRLS settings.
  ///   - cache: answers repeated existence checks (bootstrap replicates share supports).
  /// - Throws: ``EstimationError`` when a fit or the existence check fails.
  public init(
    data: CaptureData, threshold: Double = defaultThreshold, options: FitOptions = FitOptions(),
    cache: ExistenceCache = ExistenceCache()
  ) throws(EstimationError) {
    precondition(threshold >= 0 && threshold <= 1, "the threshold is a probability")
    self.threshold = threshold
    let (model, steps) = try Self.search(
      listCount: data.listCount, counts: [0] + data.denseCounts(), threshold: threshold,
      code: { model throws(EstimationError) in try cache.code(model: model, data: data) },
      fitted: { model throws(EstimationError) in
        try [0] + model.fit(to: data, options: options).fittedValues
      })
    self.model = model
    self.steps = steps
    fit = try model.fit(to: data, options: options)
  }

  /// The search on `counts` (indexed by history, `2ᴷ` entries, entry 0 unused): `code` gives a
  /// model's SparseMSE existence code, `fitted` its fitted counts by history. The data's own
  /// selection and a bootstrap replicate's differ only in how they fit.
  static func search(
    listCount k: Int, counts y: [Double], threshold: Double,
    code: (LogLinearModel) throws(EstimationError) -> Int,
    fitted: (LogLinearModel) throws(EstimationError) -> [Double]
  ) throws(EstimationError) -> (model: LogLinearModel, steps: [Step]) {
    var pairs: [UInt32] = []
    for i in 0..<(k - 1) {
      for j in (i + 1)..<k { pairs.append((1 << UInt32(i)) | (1 << UInt32(j))) }
    }
    if threshold == 1 {
      let all = LogLinearModel(listCount: k, generators: pairs)
      if try code(all) == 0 { return (all, []) }
    }
    var current = LogLinearModel.mainEffects(listCount: k)
    var steps: [Step] = []
    guard threshold > 0 else { return (current, steps) }
    // n*_T and λ_T: sums over the cells containing both lists of the pair.
    var observed = y
    SubsetLattice.supersetSums(&observed, bits: k)
    var included = [Bool](repeating: false, count: pairs.count)
    for _ in pairs.indices {
      var expected = try fitted(current)
      SubsetLattice.supersetSums(&expected, bits: k)
      var ranked: [(index: Int, p: Double)] = []
      for (index, pair) in pairs.enumerated() where !included[index] {
        let count = Int(observed[Int(pair)])
        let mean = expected[Int(pair)]
        ranked.append((index, min(Poisson.lowerTail(count, mean: mean), Poisson.upperTail(count, mean: mean))))
      }
      // The smallest p-value whose model passes the existence check (failing pairs count as
      // p = 1): checking in order of p, and only below the threshold, asks the linear program
      // only about pairs that could be added.
      ranked.sort { $0.p != $1.p ? $0.p < $1.p : $0.index < $1.index }
      var chosen: (index: Int, p: Double)?
      for candidate in ranked where candidate.p < threshold {
        let model = LogLinearModel(listCount: k, generators: current.interactions + [pairs[candidate.index]])
        if try code(model) == 0 {
          chosen = candidate
          break
        }
      }
      guard let best = chosen else { break }
      included[best.index] = true
      steps.append(Step(pair: pairs[best.index], pValue: best.p))
      current = LogLinearModel(listCount: k, generators: current.interactions + [pairs[best.index]])
    }
    return (current, steps)
  }
}
