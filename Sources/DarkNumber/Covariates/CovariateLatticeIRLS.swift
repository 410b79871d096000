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
    for c in 0..<combinations { supersetSums(&margins, combination: c, size: size, bits: bits) }
    for j in 1..<p where layout.nonNegative[j] {
      var statistic = 0.0
      for k in layout.columnStart[j]..<layout.columnStart[j + 1] {
        statistic += layout.columnValue[k] * margins[layout.columnEntry[k]]
      }
      if statistic == 0 { return nil }
    }
    var logCounts = counts.map { $0 > 0 ? Double.log($0) : 0 }
    var eta = [Double](repeating: 0, count: combinations * size)
    var mu = [Double](repeating: 0, count: combinations * size)
    var beta = [Double](repeating: 0, count: p)
    var deviance: Double
    var weighted = [Double](repeating: 0, count: combinations * size)
    var response = [Double](repeating: 0, count: combinations * size)
    var gram = [Double](repeating: 0, count: p * p)
    var rightHandSide = [Double](repeating: 0, count: p)

    func updateFitted(_ beta: [Double]) -> Double {
      var sum = 0.0
      for c in 0..<combinations {
        let base = c * size
        for h in 0..<size { eta[base + h] = 0 }
        for k in layout.termStart[c]..<layout.termStart[c + 1] {
          eta[base + layout.termOffset[k]] += beta[layout.termColumn[k]] * layout.termValue[k]
        }
        subsetSums(&eta, combination: c, size: size, bits: bits)
        for h in 1..<size where fitted[base + h] {
          let m = Double.exp(eta[base + h])
          mu[base + h] = m
          let count = counts[base + h]
          sum += (count > 0 ? count * (logCounts[base + h] - eta[base + h]) : 0) - (count - m)
        }
      }
      return 2 * sum
    }

    /// `XᵀWX` (upper triangle) for weights `w` on the lattice, and `XᵀWz` for `w·z` in `response`.
    func normalEquations(weights: [Double], response: [Double]?) {
      var marginal = weights
      var responseMarginal = response ?? []
      for c in 0..<combinations {
        supersetSums(&marginal, combination: c, size: size, bits: bits)
        if response != nil { supersetSums(&responseMarginal, combination: c, size: size, bits: bits) }
      }
      var pair = 0
      for b in 0..<p {
        for a in 0...b {
          var sum = 0.0
          for k in layout.pairStart[pair]..<layout.pairStart[pair + 1] {
            sum += layout.pairProduct[k] * marginal[layout.pairEntry[k]]
          }
          gram[a + b * p] = sum
          pair += 1
        }
        if response != nil {
          var sum = 0.0
          for k in layout.columnStart[b]..<layout.columnStart[b + 1] {
            sum += layout.columnValue[k] * responseMarginal[layout.columnEntry[k]]
          }
          rightHandSide[b] = sum
        }
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
      for i in 0..<counts.count {
        if fitted[i] {
          weighted[i] = mu[i]
          response[i] = mu[i] * eta[i] + counts[i] - mu[i]
        } else {
          weighted[i] = 0
          response[i] = 0
        }
      }
      normalEquations(weights: weighted, response: response)
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
    normalEquations(weights: weighted, response: nil)
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
    logCounts.removeAll()
    return CellFit.assemble(
      columnNames: design.columnNames, keptColumns: Array(0..<p), estimates: beta,
      estimable: [Bool](repeating: true, count: p), covariance: { covariance[$0, $1] },
      boundaryColumns: [], fitted: fittedValues, deviance: deviance,
      logLikelihood: kernel - Poisson.logFactorialSum(design.fittedCells(y)), keptRank: p,
      iterations: iterations, converged: converged, relativeChange: relativeChange, options: options)
  }

  /// Superset sums over the histories of combination `c` in a lattice array.
  private static func supersetSums(_ v: inout [Double], combination c: Int, size: Int, bits: Int) {
    let base = c * size
    for bit in 0..<bits {
      let step = 1 << bit
      for h in 0..<size where h & step == 0 { v[base + h] += v[base + h + step] }
    }
  }

  /// Subset sums over the histories of combination `c` in a lattice array.
  private static func subsetSums(_ v: inout [Double], combination c: Int, size: Int, bits: Int) {
    let base = c * size
    for bit in 0..<bits {
      let step = 1 << bit
      for h in 0..<size where h & step != 0 { v[base + h] += v[base + h - step] }
    }
  }
}

/// Where the terms of ``CovariateLatticeIRLS``'s sums live in the lattice arrays (entry
/// `c·2ᴷ + h` for combination `c` and history `h`), fixed by the design: for each pair of columns
/// `a ≤ b`, the entries `c·2ᴷ + (L_a ∪ L_b)` and products `F_{ca} F_{cb}` of the combinations where
/// both are non-zero; for each column, the entries `c·2ᴷ + L_a` and values `F_{ca}`; for each
/// combination, the columns with a non-zero covariate part.
struct CovariateLatticeLayout: Sendable {
  /// Pair `(a, b)`, `a ≤ b`, numbered `b(b + 1)/2 + a`, owns `pairStart[k]..<pairStart[k + 1]`.
  let pairStart: [Int]
  let pairEntry: [Int]
  let pairProduct: [Double]
  /// Column `a` owns `columnStart[a]..<columnStart[a + 1]`.
  let columnStart: [Int]
  let columnEntry: [Int]
  let columnValue: [Double]
  /// Combination `c` owns `termStart[c]..<termStart[c + 1]`: the lattice offset `L_j`, column `j`
  /// and value `F_{cj}` of each column non-zero there.
  let termStart: [Int]
  let termOffset: [Int]
  let termColumn: [Int]
  let termValue: [Double]
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
    var pairStart = [0]
    var pairEntry: [Int] = []
    var pairProduct: [Double] = []
    for b in 0..<p {
      let inB = Set(nonzero[b])
      for a in 0...b {
        let union = Int(lists[a] | lists[b])
        for c in nonzero[a] where inB.contains(c) {
          pairEntry.append(c * size + union)
          pairProduct.append(factors[c, a] * factors[c, b])
        }
        pairStart.append(pairEntry.count)
      }
    }
    var columnStart = [0]
    var columnEntry: [Int] = []
    var columnValue: [Double] = []
    for a in 0..<p {
      for c in nonzero[a] {
        columnEntry.append(c * size + Int(lists[a]))
        columnValue.append(factors[c, a])
      }
      columnStart.append(columnEntry.count)
    }
    var termStart = [0]
    var termOffset: [Int] = []
    var termColumn: [Int] = []
    var termValue: [Double] = []
    for c in 0..<combinations {
      for j in 0..<p where factors[c, j] != 0 {
        termOffset.append(Int(lists[j]))
        termColumn.append(j)
        termValue.append(factors[c, j])
      }
      termStart.append(termOffset.count)
    }
    self.pairStart = pairStart
    self.pairEntry = pairEntry
    self.pairProduct = pairProduct
    self.columnStart = columnStart
    self.columnEntry = columnEntry
    self.columnValue = columnValue
    self.termStart = termStart
    self.termOffset = termOffset
    self.termColumn = termColumn
    self.termValue = termValue
    self.nonNegative = nonNegative
  }
}
