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
  /// - Parameter cache: answers repeated existence checks (bootstrap replicates share supports).
  /// - Throws: ``EstimationError`` when a fit or the existence check fails.
  public init(
    data: CaptureData, threshold: Double = 0.02, options: FitOptions = FitOptions(),
    cache: ExistenceCache = ExistenceCache()
  ) throws(EstimationError) {
    precondition(threshold >= 0 && threshold <= 1, "the threshold is a probability")
    self.threshold = threshold
    let k = data.listCount
    var pairs: [UInt32] = []
    for i in 0..<(k - 1) {
      for j in (i + 1)..<k { pairs.append((1 << UInt32(i)) | (1 << UInt32(j))) }
    }
    if threshold == 1 {
      let all = LogLinearModel(listCount: k, generators: pairs)
      if try cache.code(model: all, data: data) == 0 {
        model = all
        fit = try all.fit(to: data, options: options)
        steps = []
        return
      }
    }
    var current = LogLinearModel.mainEffects(listCount: k)
    var currentFit = try current.fit(to: data, options: options)
    var steps: [Step] = []
    if threshold > 0 {
      let observed = pairs.map { pair in
        data.cells.reduce(0) { $0 + ($1.history.rawValue & pair == pair ? $1.count : 0) }
      }
      var included = [Bool](repeating: false, count: pairs.count)
      for _ in pairs.indices {
        var best = (index: -1, p: 1.0)
        for (index, pair) in pairs.enumerated() where !included[index] {
          var expected = 0.0
          for (cell, mu) in currentFit.fittedValues.enumerated() where UInt32(cell + 1) & pair == pair {
            expected += mu
          }
          var p = min(
            Poisson.lowerTail(observed[index], mean: expected),
            Poisson.upperTail(observed[index], mean: expected))
          let candidate = LogLinearModel(
            listCount: k, generators: current.interactions + [pair])
          if try cache.code(model: candidate, data: data) > 0 { p = 1 }
          if p < best.p { best = (index, p) }
        }
        guard best.index >= 0, best.p < threshold else { break }
        included[best.index] = true
        steps.append(Step(pair: pairs[best.index], pValue: best.p))
        current = LogLinearModel(listCount: k, generators: current.interactions + [pairs[best.index]])
        currentFit = try current.fit(to: data, options: options)
      }
    }
    model = current
    fit = currentFit
    self.steps = steps
  }
}
