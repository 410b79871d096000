import DarkNumberLinearAlgebra
import RealModule

/// Poisson IRLS for a ``CovariateDesign`` without forming `XᵀWX` from its rows: every column is
/// `x_j(h, c) = 1[h ⊇ L_j] · F_{cj}` — the indicator that history `h` holds the lists `L_j` of its
/// term, times the covariate part `F_{cj}` for levels `c` — so, with `S_c` the superset sums of
/// the weights over the histories of combination `c` (``SubsetLattice``),
///
///     (XᵀWX)_{ab} = Σ_c F_{ca} F_{cb} S_c[L_a ∪ L_b],   (XᵀWz)_a = Σ_c F_{ca} T_c[L_a],
///
/// with `T_c` the superset sums of `w·z`, and `η(·, c)` is the subset-sum transform of
/// `g_c[L] = Σ_{j: L_j = L} β_j F_{cj}`. A 6-year × 2-sex × 3-form table over 5 lists has 1,116
/// cells; these sums cost a few thousand additions per combination instead of `cells × p²`.
/// Structural zeros and the all-zero history carry weight 0.
///
/// The iterations are ``PoissonIRLS``'s (start `μ = y + 0.1` or from given coefficients, step
/// halving while the deviance rises, convergence on the relative deviance change), solved by
/// ``SmallCholesky``; the answer is the same MLE. It declines (returns `nil`) where the general
/// fit must answer: a column whose MLE is −∞ (a non-negative column with zero sufficient
/// statistic), or normal equations that are not numerically positive definite.
enum CovariateLatticeIRLS {
  /// The converged iterations: coefficients, the lattice arrays at the estimate, and the
  /// normal-equation workspace.
  struct Iterated {
    var beta: [Double]
    var eta: [Double]
    var mu: [Double]
    var deviance: Double
    var iterations: Int
    var converged: Bool
    var relativeChange: Double
    var weighted: [Double]
    var gram: [Double]
  }

  /// Lattice-sized arrays handed from one fit to the next (a selection keeps one; never shared
  /// between tasks), so that scoring a candidate allocates little.
  final class Workspace {
    fileprivate var eta: [Double] = []
    fileprivate var mu: [Double] = []
    fileprivate var weighted: [Double] = []
    fileprivate var response: [Double] = []
    fileprivate var values: [Double] = []
    fileprivate var exponentials: [Double] = []

    /// An empty workspace.
    init() {}

    /// The array in `slot`, resized to `count` entries (contents unspecified), leaving the slot
    /// empty.
    fileprivate static func take(_ slot: inout [Double], count: Int) -> [Double] {
      var result: [Double] = []
      swap(&result, &slot)
      if result.count != count { result = [Double](repeating: 0, count: count) }
      return result
    }
  }

  /// A candidate model's score without its covariance matrix: what a selection ranks by and the
  /// test for an unobserved count running off to infinity.
  struct Score {
    /// The Poisson log-likelihood.
    let logLikelihood: Double
    /// The number of coefficients (the design has full rank on this path).
    let rank: Int
    /// Whether the total's estimate exists (see ``FitOptions/maximumLogUnobservedStandardError``;
    /// a total without an estimate for want of operating lists counts as existing, as in the fit).
    let estimateExists: Bool
    /// The coefficients, in the design's column order.
    let coefficients: [Double]
  }

  /// The fit of `design` to the full-table `counts` (structural zeros 0), or `nil`.
  static func fit(
    design: CovariateDesign, counts y: [Double], prepared: CovariateLatticeCounts? = nil,
    start: [Double]? = nil, options: FitOptions
  ) -> CellFit? {
    let data = prepared ?? CovariateLatticeCounts(design: design, counts: y)
    guard
      var state = iterate(
        design: design, data: data, start: start, shared: nil, options: options, workspace: Workspace())
    else {
      return nil
    }
    let p = design.columnNames.count
    // The covariance (XᵀWX)⁻¹ at the chosen weights.
    guard factorCovarianceWeights(design: design, data: data, state: &state, options: options) else { return nil }
    var inverse = [Double](repeating: 0, count: p * p)
    SmallCholesky.invert(factor: state.gram, order: p, into: &inverse)
    var covariance = Matrix(rows: p, columns: p)
    for b in 0..<p { for a in 0..<p { covariance[a, b] = inverse[a + b * p] } }
    let historyCount = design.historyCount
    let combinations = design.combinations.count
    var kernel = 0.0
    var pearson = 0.0
    var fittedValues = [Double](repeating: 0, count: design.cellIndices.count)
    for (row, cell) in design.cellIndices.enumerated() {
      let index = CovariateLatticeLayout.entry(
        combination: cell / historyCount, history: cell % historyCount + 1, combinations: combinations)
      fittedValues[row] = state.mu[index]
      kernel += (data.counts[index] > 0 ? data.counts[index] * state.eta[index] : 0) - state.mu[index]
      if state.mu[index] > 0 {
        let residual = data.counts[index] - state.mu[index]
        pearson += residual * residual / state.mu[index]
      }
    }
    return CellFit.assemble(
      columnNames: design.columnNames, keptColumns: Array(0..<p), estimates: state.beta,
      estimable: [Bool](repeating: true, count: p), covariance: { covariance[$0, $1] },
      boundaryColumns: [], fitted: fittedValues, deviance: state.deviance, pearson: pearson,
      logLikelihood: kernel - data.logFactorialSum, keptRank: p, iterations: state.iterations,
      converged: state.converged, relativeChange: state.relativeChange, options: options)
  }

  /// The score of `design` on the prepared counts, or `nil` where ``fit(design:counts:prepared:start:options:)``
  /// would decline. Ranking by it and then fitting the winner from the same start gives the
  /// numbers a full fit of every candidate would.
  static func score(
    design: CovariateDesign, data: CovariateLatticeCounts, start: [Double]?, shared: SharedStart? = nil,
    options: FitOptions, workspace: Workspace
  ) -> Score? {
    let p = design.columnNames.count
    guard p < design.cellIndices.count,
      var state = iterate(
        design: design, data: data, start: start, shared: shared, options: options, workspace: workspace),
      factorCovarianceWeights(design: design, data: data, state: &state, options: options)
    else { return nil }
    var kernel = 0.0
    for i in 0..<data.counts.count where data.fitted[i] {
      kernel += (data.counts[i] > 0 ? data.counts[i] * state.eta[i] : 0) - state.mu[i]
    }
    // g = Σ_c μ̂_{0c} x_{0c} over the combinations with an estimate; g'(XᵀWX)⁻¹g by a solve.
    let combinations = design.combinations.count
    var unobservedCells = [Double](repeating: 0, count: combinations)
    design.lattice.unobservedPredictor.apply(state.beta, into: &unobservedCells)
    var unobserved = 0.0
    var tooFew = false
    for c in 0..<combinations {
      if design.hasEstimate(c) {
        unobservedCells[c] = .exp(unobservedCells[c])
        unobserved += unobservedCells[c]
      } else {
        unobservedCells[c] = 0
        tooFew = true
      }
    }
    var gradient = [Double](repeating: 0, count: p)
    design.lattice.unobservedGradient.apply(unobservedCells, into: &gradient)
    var solved = gradient
    SmallCholesky.solve(factor: state.gram, order: p, &solved)
    var quadratic = 0.0
    for j in 0..<p { quadratic += gradient[j] * solved[j] }
    let logStandardError = unobserved > 0 ? max(quadratic, 0).squareRoot() / unobserved : 0
    let exists = tooFew || !(logStandardError > options.maximumLogUnobservedStandardError && unobserved > 1)
    return Score(
      logLikelihood: kernel - data.logFactorialSum, rank: p, estimateExists: exists, coefficients: state.beta)
  }

  /// The lattice arrays at one model's coefficients, which are also the start of every model that
  /// adds terms to it (their new coefficients at 0 leave `η` unchanged): `η`, `μ`, the deviance,
  /// and the first iteration's superset sums of the working weights `w = μ` and of `w·z`. A step
  /// of a selection forms them once instead of once per candidate; the candidates' iterations are
  /// then the ones they would run from that start.
  struct SharedStart: Sendable {
    fileprivate let eta: [Double]
    fileprivate let mu: [Double]
    fileprivate let deviance: Double
    fileprivate let weightSums: [Double]
    fileprivate let responseSums: [Double]

    /// The state of `design` at `beta` (its columns' order) on `data`, or `nil` where `μ` is not
    /// finite there.
    init?(design: CovariateDesign, data: CovariateLatticeCounts, beta: [Double]) {
      precondition(beta.count == design.columnNames.count, "one coefficient per column")
      let combinations = design.combinations.count
      let bits = (design.historyCount + 1).trailingZeroBitCount
      var eta = [Double](repeating: 0, count: data.counts.count)
      var mu = eta
      var values: [Double] = []
      var exponentials: [Double] = []
      let deviance = CovariateLatticeIRLS.fitted(
        layout: design.lattice, combinations: combinations, bits: bits, data: data, beta: beta, eta: &eta, mu: &mu,
        values: &values, exponentials: &exponentials)
      guard deviance.isFinite else { return nil }
      var weights = eta
      var response = eta
      PoissonLattice.workingWeights(
        mu: mu, eta: eta, counts: data.counts, mask: data.mask, weights: &weights, response: &response)
      SubsetLattice.interleavedSupersetSums(&weights, &response, width: combinations, bits: bits)
      self.eta = eta
      self.mu = mu
      self.deviance = deviance
      weightSums = weights
      responseSums = response
    }
  }

  /// `η = Xβ` and `μ = exp η` on the lattice, into `eta` and `mu` (`values`, `exponentials`:
  /// workspace for the predictor's distinct values); returns the deviance.
  ///
  /// `μ` by subset products of `exp g` (one exponential per distinct value of `g`), `η` by
  /// subset sums; every partial product is exp of a sum of at most 2ᴷ entries, so none overflows
  /// while `2ᴷ · max |g| < 700` — beyond that, `μ = exp η` cell by cell.
  private static func fitted(
    layout: CovariateLatticeLayout, combinations: Int, bits: Int, data: CovariateLatticeCounts, beta: [Double],
    eta: inout [Double], mu: inout [Double], values: inout [Double], exponentials: inout [Double]
  ) -> Double {
    if values.count != layout.predictor.count {
      values = [Double](repeating: 0, count: layout.predictor.count)
      exponentials = values
    }
    layout.predictor.apply(beta, into: &values)
    let largest = layout.scatter.apply(values, exponentials: &exponentials, eta: &eta, mu: &mu)
    SubsetLattice.interleavedSubsetSums(&eta, width: combinations, bits: bits)
    if largest * Double(1 << bits) < 700 {
      SubsetLattice.interleavedSubsetProducts(&mu, width: combinations, bits: bits)
    } else {
      // Off the fitted cells μ only needs to be finite.
      for i in 0..<mu.count { mu[i] = data.fitted[i] ? .exp(eta[i]) : 1 }
    }
    return PoissonLattice.deviance(
      eta: eta, mu: mu, counts: data.counts, constants: data.devianceConstants, mask: data.mask)
  }

  /// IRLS to convergence, or `nil` for a column at −∞ or a system that is not positive definite.
  /// With `shared` (the state at `start`, which must then be given), the first iteration starts
  /// from it.
  private static func iterate(
    design: CovariateDesign, data: CovariateLatticeCounts, start: [Double]?, shared: SharedStart?,
    options: FitOptions, workspace: Workspace
  ) -> Iterated? {
    let p = design.columnNames.count
    let combinations = design.combinations.count
    let bits = (design.historyCount + 1).trailingZeroBitCount
    let layout = design.lattice
    let counts = data.counts
    let fitted = data.fitted
    // A column whose sufficient statistic is 0 has its MLE at −∞: the general fit removes it.
    var statistics = [Double](repeating: 0, count: p)
    layout.columns.apply(data.margins, into: &statistics)
    for j in 1..<p where layout.nonNegative[j] && statistics[j] == 0 { return nil }
    let cells = counts.count
    var eta = Workspace.take(&workspace.eta, count: cells)
    var mu = Workspace.take(&workspace.mu, count: cells)
    var weighted = Workspace.take(&workspace.weighted, count: cells)
    var response = Workspace.take(&workspace.response, count: cells)
    var values = Workspace.take(&workspace.values, count: layout.predictor.count)
    var exponentials = Workspace.take(&workspace.exponentials, count: layout.predictor.count)
    defer {
      workspace.eta = eta
      workspace.mu = mu
      workspace.weighted = weighted
      workspace.response = response
      workspace.values = values
      workspace.exponentials = exponentials
    }
    var beta = [Double](repeating: 0, count: p)
    var deviance: Double
    var gram = [Double](repeating: 0, count: p * p)
    var rightHandSide = [Double](repeating: 0, count: p)
    var packed = [Double](repeating: 0, count: p * (p + 1) / 2)

    func updateFitted(_ beta: [Double]) -> Double {
      Self.fitted(
        layout: layout, combinations: combinations, bits: bits, data: data, beta: beta, eta: &eta, mu: &mu,
        values: &values, exponentials: &exponentials)
    }

    if let shared, let start, start.count == p {
      precondition(shared.eta.count == cells, "a shared start of another table")
      beta = start
      eta = shared.eta
      mu = shared.mu
      deviance = shared.deviance
    } else if let start, start.count == p {
      beta = start
      deviance = updateFitted(beta)
      guard deviance.isFinite else { return nil }
    } else {
      var sum = 0.0
      for i in 0..<cells {
        guard fitted[i] else {
          mu[i] = 1
          eta[i] = 0
          continue
        }
        mu[i] = counts[i] + 0.1
        eta[i] = .log(mu[i])
        let count = counts[i]
        sum += (count > 0 ? count * (data.logCounts[i] - eta[i]) : 0) - (count - mu[i])
      }
      deviance = 2 * sum
    }
    var previousBeta = beta
    var iterations = 0
    var converged = false
    var relativeChange = Double.infinity
    while iterations < options.maximumIterations {
      iterations += 1
      previousBeta = beta
      if iterations == 1, let shared, start?.count == p {
        Self.gather(layout: layout, order: p, weightSums: shared.weightSums, packed: &packed, into: &gram)
        layout.columns.apply(shared.responseSums, into: &rightHandSide)
      } else {
        PoissonLattice.workingWeights(
          mu: mu, eta: eta, counts: counts, mask: data.mask, weights: &weighted, response: &response)
        SubsetLattice.interleavedSupersetSums(&weighted, &response, width: combinations, bits: bits)
        Self.gather(layout: layout, order: p, weightSums: weighted, packed: &packed, into: &gram)
        layout.columns.apply(response, into: &rightHandSide)
      }
      guard SmallCholesky.factorize(&gram, order: p) else { return nil }
      SmallCholesky.solve(factor: gram, order: p, &rightHandSide)
      for j in 0..<p { beta[j] = rightHandSide[j] }
      var newDeviance = updateFitted(beta)
      if iterations > 1 || start != nil {
        newDeviance = StepControl.halvingSteps(
          deviance: newDeviance, previous: deviance, tolerance: options.tolerance,
          maximumHalvings: options.maximumStepHalvings
        ) {
          for j in 0..<p { beta[j] = 0.5 * (beta[j] + previousBeta[j]) }
          return updateFitted(beta)
        }
      }
      guard newDeviance.isFinite else { return nil }
      relativeChange = StepControl.relativeChange(newDeviance, from: deviance)
      deviance = newDeviance
      if relativeChange <= options.tolerance {
        converged = true
        break
      }
    }
    return Iterated(
      beta: beta, eta: eta, mu: mu, deviance: deviance, iterations: iterations,
      converged: converged, relativeChange: relativeChange, weighted: weighted, gram: gram)
  }

  /// Factors `XᵀWX` at the covariance's weights (the estimate's, or the last iteration's as R)
  /// into `state.gram`; `false` when it is not positive definite. The last iteration's factor is
  /// already there: the iterations leave it in `state.gram`.
  private static func factorCovarianceWeights(
    design: CovariateDesign, data: CovariateLatticeCounts, state: inout Iterated, options: FitOptions
  ) -> Bool {
    if options.covarianceWeights == .lastIteration && state.iterations > 0 { return true }
    let p = design.columnNames.count
    // At the estimate (or, before any iteration, at the start, which is then both).
    let weights = state.mu
    for i in 0..<weights.count { state.weighted[i] = data.fitted[i] ? weights[i] : 0 }
    var packed = [Double](repeating: 0, count: p * (p + 1) / 2)
    normalEquations(
      layout: design.lattice, combinations: design.combinations.count,
      bits: (design.historyCount + 1).trailingZeroBitCount, order: p, weights: &state.weighted,
      packed: &packed, into: &state.gram)
    return SmallCholesky.factorize(&state.gram, order: p)
  }

  /// `XᵀWX` (upper triangle of `gram`) for `weights` on the lattice (replaced by their superset
  /// sums).
  private static func normalEquations(
    layout: CovariateLatticeLayout, combinations: Int, bits: Int, order p: Int, weights: inout [Double],
    packed: inout [Double], into gram: inout [Double]
  ) {
    SubsetLattice.interleavedSupersetSums(&weights, width: combinations, bits: bits)
    gather(layout: layout, order: p, weightSums: weights, packed: &packed, into: &gram)
  }

  /// `XᵀWX` (upper triangle of `gram`) from the superset sums of the weights.
  private static func gather(
    layout: CovariateLatticeLayout, order p: Int, weightSums: [Double], packed: inout [Double],
    into gram: inout [Double]
  ) {
    layout.pairs.apply(weightSums, into: &packed)
    var pair = 0
    for b in 0..<p {
      for a in 0...b {
        gram[a + b * p] = packed[layout.pairSums[pair]]
        pair += 1
      }
    }
  }
}

/// The data side of the lattice fits of one table — its counts on the lattice (entry `h·C + c`),
/// which cells are fitted (not the all-zero history, not a structural zero), their logarithms,
/// their superset sums and `Σ log y!` — the same for every model of a selection, as the
/// structural zeros depend on the coverage only.
struct CovariateLatticeCounts: Sendable {
  let counts: [Double]
  let fitted: [Bool]
  /// 1 on the fitted cells, 0 elsewhere.
  let mask: [Double]
  let logCounts: [Double]
  /// `y log y − y` (0 off the fitted cells): the deviance's part that does not depend on `μ`.
  let devianceConstants: [Double]
  let margins: [Double]
  let logFactorialSum: Double

  init(design: CovariateDesign, counts y: [Double]) {
    let historyCount = design.historyCount
    let size = historyCount + 1
    var counts = [Double](repeating: 0, count: design.combinations.count * size)
    var fitted = [Bool](repeating: false, count: counts.count)
    let combinations = design.combinations.count
    for cell in design.cellIndices {
      let index = CovariateLatticeLayout.entry(
        combination: cell / historyCount, history: cell % historyCount + 1, combinations: combinations)
      counts[index] = y[cell]
      fitted[index] = true
    }
    var margins = counts
    SubsetLattice.interleavedSupersetSums(&margins, width: combinations, bits: size.trailingZeroBitCount)
    self.counts = counts
    self.fitted = fitted
    logCounts = counts.map { $0 > 0 ? Double.log($0) : 0 }
    mask = fitted.map { $0 ? 1 : 0 }
    devianceConstants = counts.map { $0 > 0 ? $0 * .log($0) - $0 : 0 }
    self.margins = margins
    logFactorialSum = Poisson.logFactorialSum(design.fittedCells(y))
  }
}

/// The sums ``CovariateLatticeIRLS`` forms, fixed by the design, over lattice arrays with entry
/// `h·C + c` for history `h` and combination `c` of `C` (the lattices interleaved, so that their
/// transforms run over `C` consecutive entries): for each pair of columns `a ≤ b` (numbered
/// `b(b + 1)/2 + a`), `Σ_c F_{ca} F_{cb} v[(L_a ∪ L_b)·C + c]`; for each column `a`,
/// `Σ_c F_{ca} v[L_a·C + c]`; and, for each row `L` holding a term and each `c`,
/// `Σ_{j: L_j = L} F_{cj} β_j` (the predictor before its subset sums).
struct CovariateLatticeLayout: Sendable {
  /// A weighted sum's terms, as a key for sums formed once.
  private struct Sum: Hashable {
    let entries: [Int]
    let weights: [Double]
  }

  /// `XᵀWX` (upper triangle, `p × p`) from the superset sums of the weights.
  func gram(weightSums: [Double]) -> Matrix {
    var packed = [Double](repeating: 0, count: pairs.count)
    pairs.apply(weightSums, into: &packed)
    let p = nonNegative.count
    var gram = Matrix(rows: p, columns: p)
    var pair = 0
    for b in 0..<p {
      for a in 0...b {
        gram[a, b] = packed[pairSums[pair]]
        pair += 1
      }
    }
    return gram
  }

  /// The lattice entry of history `h` (a bitmask of lists) and combination `c`.
  @inline(__always)
  static func entry(combination c: Int, history h: Int, combinations: Int) -> Int { h * combinations + c }

  /// The distinct entries of `XᵀWX` from superset-summed weights.
  let pairs: GatheredSums
  /// For each pair of columns `a ≤ b`, in packed upper-triangle order, its sum in ``pairs``.
  let pairSums: [Int]
  /// `Xᵀv` from superset-summed `v`.
  let columns: GatheredSums
  /// The predictor's distinct values before its subset sums, from the coefficients.
  let predictor: GatheredSums
  /// Where those values go on the lattice (the rows `L_j` of the columns).
  let scatter: PredictorScatter
  /// The unobserved cells' linear predictors `x_{0c}ᵀβ` from the coefficients (the columns of
  /// covariates only).
  let unobservedPredictor: GatheredSums
  /// `Σ_c v_c x_{0c}` from one value per combination (the gradient of the unobserved total).
  let unobservedGradient: GatheredSums
  /// Non-negative columns (whose MLE may run to −∞).
  let nonNegative: [Bool]

  init(lists: [UInt32], factors: Matrix, historyCount: Int) {
    let p = lists.count
    let combinations = factors.rows
    let size = historyCount + 1
    var nonzero = [[Int]](repeating: [], count: p)
    var nonNegative = [Bool](repeating: true, count: p)
    for j in 0..<p {
      for c in 0..<combinations where factors[c, j] != 0 {
        nonzero[j].append(c)
        if factors[c, j] < 0 { nonNegative[j] = false }
      }
    }
    var starts = [0]
    var entries: [Int] = []
    var weights: [Double] = []
    // Pairs with the same union and the same product F_a F_b — (1, S:sex), (S, S:sex),
    // (S:sex, S:sex), … — have the same sum: each distinct sum is formed once. Columns with the
    // same covariate part share a factor number, and each product of two factor numbers gets
    // the number of its distinct product vector, so a pair's sum is known by (union, product).
    var factorNumbers: [[Double]: Int] = [:]
    let factorOf = (0..<p).map { j in
      let column = (0..<combinations).map { factors[$0, j] }
      if let known = factorNumbers[column] { return known }
      factorNumbers[column] = factorNumbers.count
      return factorNumbers.count - 1
    }
    struct FactorPair: Hashable {
      let a: Int
      let b: Int
    }
    var productNumbers: [[Double]: Int] = [:]
    var productOf: [FactorPair: Int] = [:]
    struct Pair: Hashable {
      let union: Int
      let product: Int
    }
    var distinct: [Pair: Int] = [:]
    var pairSums: [Int] = []
    pairSums.reserveCapacity(p * (p + 1) / 2)
    for b in 0..<p {
      for a in 0...b {
        let factorPair = FactorPair(a: min(factorOf[a], factorOf[b]), b: max(factorOf[a], factorOf[b]))
        let product: Int
        if let known = productOf[factorPair] {
          product = known
        } else {
          let vector = (0..<combinations).map { factors[$0, a] * factors[$0, b] }
          product = productNumbers[vector] ?? productNumbers.count
          productNumbers[vector] = product
          productOf[factorPair] = product
        }
        let key = Pair(union: Int(lists[a] | lists[b]), product: product)
        if let known = distinct[key] {
          pairSums.append(known)
          continue
        }
        distinct[key] = starts.count - 1
        pairSums.append(starts.count - 1)
        for c in nonzero[a] where factors[c, b] != 0 {
          entries.append(Self.entry(combination: c, history: key.union, combinations: combinations))
          weights.append(factors[c, a] * factors[c, b])
        }
        starts.append(entries.count)
      }
    }
    pairs = GatheredSums(starts: starts, entries: entries, weights: weights, valueCount: combinations * size)
    self.pairSums = pairSums
    starts = [0]
    entries = []
    weights = []
    for a in 0..<p {
      for c in nonzero[a] {
        entries.append(Self.entry(combination: c, history: Int(lists[a]), combinations: combinations))
        weights.append(factors[c, a])
      }
      starts.append(entries.count)
    }
    columns = GatheredSums(starts: starts, entries: entries, weights: weights, valueCount: combinations * size)
    let rows = Set(lists.map(Int.init)).sorted()
    let rowIndex = Dictionary(uniqueKeysWithValues: rows.enumerated().map { ($1, $0) })
    var termColumns = [[Int]](repeating: [], count: rows.count * combinations)
    var termWeights = [[Double]](repeating: [], count: rows.count * combinations)
    for j in 0..<p {
      for c in nonzero[j] {
        let index = rowIndex[Int(lists[j])]! * combinations + c
        termColumns[index].append(j)
        termWeights[index].append(factors[c, j])
      }
    }
    let terms = zip(termColumns, termWeights).map { Sum(entries: $0, weights: $1) }
    // Entries with the same terms (a row's, at levels its terms do not involve) share a value.
    starts = [0]
    entries = []
    weights = []
    var values: [Sum: Int] = [:]
    var map: [Int] = []
    map.reserveCapacity(terms.count)
    for sum in terms {
      if let known = values[sum] {
        map.append(known)
      } else {
        values[sum] = starts.count - 1
        map.append(starts.count - 1)
        entries += sum.entries
        weights += sum.weights
        starts.append(entries.count)
      }
    }
    predictor = GatheredSums(starts: starts, entries: entries, weights: weights, valueCount: p)
    scatter = PredictorScatter(
      rows: rows, width: combinations, map: map, valueCount: predictor.count, latticeSize: combinations * size)
    // The all-zero history has only the columns of no list.
    starts = [0]
    entries = []
    weights = []
    for c in 0..<combinations {
      for j in 0..<p where lists[j] == 0 && factors[c, j] != 0 {
        entries.append(j)
        weights.append(factors[c, j])
      }
      starts.append(entries.count)
    }
    unobservedPredictor = GatheredSums(starts: starts, entries: entries, weights: weights, valueCount: p)
    starts = [0]
    entries = []
    weights = []
    for j in 0..<p {
      if lists[j] == 0 {
        for c in nonzero[j] {
          entries.append(c)
          weights.append(factors[c, j])
        }
      }
      starts.append(entries.count)
    }
    unobservedGradient = GatheredSums(starts: starts, entries: entries, weights: weights, valueCount: combinations)
    self.nonNegative = nonNegative
  }
}
