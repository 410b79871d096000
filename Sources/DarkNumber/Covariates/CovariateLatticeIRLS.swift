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
  /// The fit of `design` to the full-table `counts` (structural zeros 0), or `nil`.
  static func fit(
    design: CovariateDesign, counts y: [Double], start: [Double]? = nil, options: FitOptions
  ) -> CellFit? {
    let p = design.columnNames.count
    let combinations = design.combinations.count
    let historyCount = design.historyCount
    let size = historyCount + 1
    let bits = size.trailingZeroBitCount
    let layout = design.lattice
    // Counts and fitted-cell flags on the lattice: entry c·size + h.
    var counts = [Double](repeating: 0, count: combinations * size)
    var fitted = [Bool](repeating: false, count: combinations * size)
    for cell in design.cellIndices {
      let c = cell / historyCount
      let h = cell % historyCount + 1
      counts[c * size + h] = y[cell]
      fitted[c * size + h] = true
    }
    // A column whose sufficient statistic is 0 has its MLE at −∞: the general fit removes it.
    var margins = counts
    SubsetLattice.blockSupersetSums(&margins, blocks: combinations, bits: bits)
    var statistics = [Double](repeating: 0, count: p)
    layout.columns.apply(margins, into: &statistics)
    for j in 1..<p where layout.nonNegative[j] && statistics[j] == 0 { return nil }
    let logCounts = counts.map { $0 > 0 ? Double.log($0) : 0 }
    var eta = [Double](repeating: 0, count: combinations * size)
    var mu = [Double](repeating: 0, count: combinations * size)
    var beta = [Double](repeating: 0, count: p)
    var deviance: Double
    var weighted = [Double](repeating: 0, count: combinations * size)
    var response = [Double](repeating: 0, count: combinations * size)
    var gram = [Double](repeating: 0, count: p * p)
    var rightHandSide = [Double](repeating: 0, count: p)

    var packed = [Double](repeating: 0, count: p * (p + 1) / 2)

    func updateFitted(_ beta: [Double]) -> Double {
      layout.predictor.apply(beta, into: &eta)
      SubsetLattice.blockSubsetSums(&eta, blocks: combinations, bits: bits)
      return Self.means(eta: eta, counts: counts, logCounts: logCounts, fitted: fitted, into: &mu)
    }

    /// `XᵀWX` (upper triangle) for the weights in `weighted`, and `XᵀWz` for `w·z` in `response`.
    func normalEquations(withResponse: Bool) {
      SubsetLattice.blockSupersetSums(&weighted, blocks: combinations, bits: bits)
      layout.pairs.apply(weighted, into: &packed)
      var pair = 0
      for b in 0..<p {
        for a in 0...b {
          gram[a + b * p] = packed[pair]
          pair += 1
        }
      }
      if withResponse {
        SubsetLattice.blockSupersetSums(&response, blocks: combinations, bits: bits)
        layout.columns.apply(response, into: &rightHandSide)
      }
    }

    if let start, start.count == p {
      beta = start
      deviance = updateFitted(beta)
      guard deviance.isFinite else { return nil }
    } else {
      var sum = 0.0
      for i in 0..<counts.count where fitted[i] {
        mu[i] = counts[i] + 0.1
        eta[i] = .log(mu[i])
        let count = counts[i]
        sum += (count > 0 ? count * (logCounts[i] - eta[i]) : 0) - (count - mu[i])
      }
      deviance = 2 * sum
    }
    var previousBeta = beta
    var previousMu = mu
    var iterations = 0
    var converged = false
    var relativeChange = Double.infinity
    while iterations < options.maximumIterations {
      iterations += 1
      previousBeta = beta
      previousMu = mu
      Self.workingWeights(mu: mu, eta: eta, counts: counts, fitted: fitted, weights: &weighted, response: &response)
      normalEquations(withResponse: true)
      guard SmallCholesky.factorize(&gram, order: p) else { return nil }
      SmallCholesky.solve(factor: gram, order: p, &rightHandSide)
      for j in 0..<p { beta[j] = rightHandSide[j] }
      var newDeviance = updateFitted(beta)
      if iterations > 1 || start != nil {
        var halvings = 0
        while !newDeviance.isFinite
          || (newDeviance - deviance) / (abs(newDeviance) + 0.1) > options.tolerance
        {
          guard halvings < options.maximumStepHalvings else { break }
          halvings += 1
          for j in 0..<p { beta[j] = 0.5 * (beta[j] + previousBeta[j]) }
          newDeviance = updateFitted(beta)
        }
      }
      guard newDeviance.isFinite else { return nil }
      relativeChange = abs(newDeviance - deviance) / (abs(newDeviance) + 0.1)
      deviance = newDeviance
      if relativeChange <= options.tolerance {
        converged = true
        break
      }
    }
    // The covariance (XᵀWX)⁻¹ at the chosen weights.
    let covarianceWeights = options.covarianceWeights == .atEstimate ? mu : previousMu
    for i in 0..<counts.count { weighted[i] = fitted[i] ? covarianceWeights[i] : 0 }
    normalEquations(withResponse: false)
    guard SmallCholesky.factorize(&gram, order: p) else { return nil }
    var inverse = [Double](repeating: 0, count: p * p)
    SmallCholesky.invert(factor: gram, order: p, into: &inverse)
    var covariance = Matrix(rows: p, columns: p)
    for b in 0..<p { for a in 0..<p { covariance[a, b] = inverse[a + b * p] } }
    var kernel = 0.0
    var fittedValues = [Double](repeating: 0, count: design.cellIndices.count)
    for (row, cell) in design.cellIndices.enumerated() {
      let index = (cell / historyCount) * size + cell % historyCount + 1
      fittedValues[row] = mu[index]
      kernel += (counts[index] > 0 ? counts[index] * eta[index] : 0) - mu[index]
    }
    return CellFit.assemble(
      columnNames: design.columnNames, keptColumns: Array(0..<p), estimates: beta,
      estimable: [Bool](repeating: true, count: p), covariance: { covariance[$0, $1] },
      boundaryColumns: [], fitted: fittedValues, deviance: deviance,
      logLikelihood: kernel - Poisson.logFactorialSum(design.fittedCells(y)), keptRank: p,
      iterations: iterations, converged: converged, relativeChange: relativeChange, options: options)
  }

  /// `μ = exp η` on the fitted cells; returns the deviance `2 Σ [y (log y − η) − (y − μ)]` there.
  private static func means(
    eta: [Double], counts: [Double], logCounts: [Double], fitted: [Bool], into mu: inout [Double]
  ) -> Double {
    var sum = 0.0
    for i in 0..<eta.count where fitted[i] {
      let m = Double.exp(eta[i])
      mu[i] = m
      let count = counts[i]
      sum += (count > 0 ? count * (logCounts[i] - eta[i]) : 0) - (count - m)
    }
    return 2 * sum
  }

  /// The IRLS weights `w = μ` and `w·z = μη + y − μ` on the fitted cells, 0 elsewhere.
  private static func workingWeights(
    mu: [Double], eta: [Double], counts: [Double], fitted: [Bool], weights: inout [Double],
    response: inout [Double]
  ) {
    for i in 0..<mu.count {
      if fitted[i] {
        weights[i] = mu[i]
        response[i] = mu[i] * eta[i] + counts[i] - mu[i]
      } else {
        weights[i] = 0
        response[i] = 0
      }
    }
  }
}

/// The sums ``CovariateLatticeIRLS`` forms, fixed by the design, over lattice arrays with entry
/// `c·2ᴷ + h` for combination `c` and history `h`: for each pair of columns `a ≤ b` (numbered
/// `b(b + 1)/2 + a`), `Σ_c F_{ca} F_{cb} v[c·2ᴷ + (L_a ∪ L_b)]`; for each column `a`,
/// `Σ_c F_{ca} v[c·2ᴷ + L_a]`; and for each lattice entry `c·2ᴷ + L`, `Σ_{j: L_j = L} F_{cj} β_j`
/// (the predictor before its subset sums).
struct CovariateLatticeLayout: Sendable {
  /// `XᵀWX` in packed upper-triangle order from superset-summed weights.
  let pairs: GatheredSums
  /// `Xᵀv` from superset-summed `v`.
  let columns: GatheredSums
  /// The predictor's lattice entries from the coefficients.
  let predictor: GatheredSums
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
    for b in 0..<p {
      let inB = Set(nonzero[b])
      for a in 0...b {
        let union = Int(lists[a] | lists[b])
        for c in nonzero[a] where inB.contains(c) {
          entries.append(c * size + union)
          weights.append(factors[c, a] * factors[c, b])
        }
        starts.append(entries.count)
      }
    }
    pairs = GatheredSums(starts: starts, entries: entries, weights: weights, valueCount: combinations * size)
    starts = [0]
    entries = []
    weights = []
    for a in 0..<p {
      for c in nonzero[a] {
        entries.append(c * size + Int(lists[a]))
        weights.append(factors[c, a])
      }
      starts.append(entries.count)
    }
    columns = GatheredSums(starts: starts, entries: entries, weights: weights, valueCount: combinations * size)
    var terms = [[(column: Int, value: Double)]](repeating: [], count: combinations * size)
    for j in 0..<p {
      for c in nonzero[j] { terms[c * size + Int(lists[j])].append((j, factors[c, j])) }
    }
    starts = [0]
    entries = []
    weights = []
    for entry in terms {
      for term in entry {
        entries.append(term.column)
        weights.append(term.value)
      }
      starts.append(entries.count)
    }
    predictor = GatheredSums(starts: starts, entries: entries, weights: weights, valueCount: p)
    self.nonNegative = nonNegative
  }
}
