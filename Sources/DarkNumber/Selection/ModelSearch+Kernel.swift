import RealModule

extension ModelSearch {
  /// What every fit of one search shares: the counts by history and `Σ log y!`. Each model is
  /// fitted by ``LatticeIRLS`` without forming its design; the rare model it cannot fit (rank
  /// deficient once −∞ terms are removed, or numerically singular) goes to the general
  /// ``LogLinearModel/fit(to:options:)``.
  struct Kernel: Sendable {
    /// The counts indexed by history (`2ᴷ` entries, entry 0 unused).
    let counts: [Double]
    let logFactorials: Double
    let listNames: [String]
    let observedTotal: Int

    init(data: CaptureData) {
      let y = data.denseCounts()
      counts = [0] + y
      logFactorials = Poisson.logFactorialSum(y)
      listNames = data.listNames
      observedTotal = data.observedTotal
    }

    /// The entry for `model`, or `nil` when the lattice fit cannot give it; `terms` is the
    /// caller's buffer for the model's terms.
    func fit(
      _ model: LogLinearModel, index: Int, options: FitOptions, engine: inout LatticeIRLS,
      terms: inout [UInt32]
    ) throws(EstimationError) -> Entry? {
      model.writeLatticeTerms(into: &terms)
      guard let result = engine.fit(terms: terms, counts: counts, options: options),
        let variance = result.interceptVariance
      else { return nil }
      let atZero = try options.unobservedCountIsZero(
        intercept: result.coefficients[0], interceptVariance: variance)
      let unobserved = Double.exp(result.coefficients[0])
      let logLikelihood = result.logLikelihoodKernel - logFactorials
      let cells = counts.count - 1
      let rank = terms.count
      // An empty list must not keep the engine's buffer alive (its next fit would copy it).
      let caveats = Entry.LatticeCaveats(
        nonConvergence: result.converged ? nil : (result.iterations, result.relativeChange),
        infiniteTerms: result.boundaryTerms.isEmpty ? [] : result.boundaryTerms,
        listNames: listNames, unobservedCountAtZero: atZero)
      let value = { (criterion: InformationCriterion) in
        criterion.value(
          logLikelihood: logLikelihood, parameters: rank, cells: cells, observed: observedTotal)
      }
      return Entry(
        index: index, model: model, total: Double(observedTotal) + unobserved,
        standardError: (unobserved + unobserved * unobserved * variance).squareRoot(),
        deviance: result.deviance, degreesOfFreedom: cells - rank, aic: value(.aic),
        aicc: value(.aicc), bic: value(.bic), caveats: .lattice(caveats))
    }
  }
}
