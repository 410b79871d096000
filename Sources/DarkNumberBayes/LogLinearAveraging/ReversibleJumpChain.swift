import DarkNumber
internal import RealModule

/// One chain of conting's `bict` (Overstall & King 2014, *J. Stat. Softw.* 58(7)): a
/// reversible-jump sampler over hierarchical log-linear models of a `2ᴷ` table whose all-zero cell
/// (and any censored cell) is unknown.
///
/// Each iteration, with probability `1 − p_null` a move adds or drops one term chosen uniformly
/// among those that keep the model hierarchical (conting's `prop_mod`); otherwise the parameters
/// are updated by Metropolis–Hastings with Gamerman's (1997) IWLS proposal (`iwls_mh`). Model
/// moves are Forster, Gill & Overstall's (2012) orthogonal-projection proposals around the
/// maximal model's posterior mode `η̂` (`RJ_update`). Then, under the Sabanés Bové–Held prior, the
/// prior scale `σ²` is drawn from its inverse-gamma full conditional, and the unknown cells from
/// theirs: the all-zero cell from `Poisson(μ₀)`, a censored cell with bound `c` from `{1, …, c}`
/// with probabilities `∝ Poisson(y; μ)`.
///
/// Priors: `β₋₀ ~ N(0, σ² (XᵀX/n)⁻¹)` restricted to the model's columns (`X` the maximal design
/// over the `n = 2ᴷ` cells, sum-to-zero coding), the intercept flat; `σ² = 1` (unit information)
/// or `σ² ~ IG(a/2, b/2)` (Sabanés Bové & Held 2011).
struct ReversibleJumpChain {
  /// What every chain shares: the design, the prior and the maximal model's mode.
  struct Setup: Sendable {
    /// The maximal design, row-major: `cells × columns` (column 0 the intercept, then the lists,
    /// then the interactions).
    let design: [Double]
    let cells: Int
    let columns: Int
    /// The interaction (or list) each column stands for; 0 for the intercept.
    let terms: [UInt32]
    /// The counts (unknown cells hold their bound or 0).
    let counts: [Double]
    /// The all-zero cell's row, and the censored cells' rows.
    let missingRow: Int
    let censoredRows: [Int]
    /// `XᵀX/n` (column-major `columns × columns`).
    let unitInformation: [Double]
    /// `η̂ = Xβ̂` at the maximal model's posterior mode.
    let modeLinearPredictor: [Double]
    /// The maximal model's posterior mode.
    let mode: [Double]
    let sabanesBoveHeld: (a: Double, b: Double)?
    let nullMoveProbability: Double
    let maximumOrder: Int
    let listCount: Int
    /// The rows in the likelihood of the moves: every cell, or every cell but the all-zero one
    /// when it is integrated out (its Poisson factor sums to 1 over its values).
    let likelihoodRows: [Int]
  }

  let setup: Setup
  /// Whether each column is in the current model.
  var active: [Bool]
  /// The coefficients of every column (0 outside the model).
  var beta: [Double]
  var sigma2 = 1.0
  /// The current counts of the unknown cells: the all-zero cell, then the censored ones.
  var unknown: [Double]
  var modelMoves = 0
  var modelMovesAccepted = 0
  var parameterMoves = 0
  var parameterMovesAccepted = 0

  init(setup: Setup) {
    self.setup = setup
    active = [Bool](repeating: true, count: setup.columns)
    beta = setup.mode
    unknown = ([setup.missingRow] + setup.censoredRows).map {
      Double.exp(setup.modeLinearPredictor[$0]).rounded()
    }
  }

  /// The interactions of the current model.
  var interactions: [UInt32] {
    (0..<setup.columns).filter { active[$0] && setup.terms[$0].nonzeroBitCount >= 2 }.map { setup.terms[$0] }
  }

  /// `N = n_known + Σ unknown`.
  func total(knownTotal: Double) -> Double { knownTotal + unknown.reduce(0, +) }

  // MARK: - One iteration

  mutating func step(using generator: inout SplitMix64) {
    var y = setup.counts
    for (i, row) in ([setup.missingRow] + setup.censoredRows).enumerated() { y[row] = unknown[i] }
    let move = proposeModel(using: &generator)
    if let (proposed, choices) = move {
      let reverse = Double(moveChoices(for: proposed))
      let rhoForward = (1 - setup.nullMoveProbability) / Double(choices)
      let rhoReverse = (1 - setup.nullMoveProbability) / reverse
      modelMoves += 1
      if jump(to: proposed, counts: y, logProposalRatio: Double.log(rhoReverse / rhoForward), using: &generator) {
        modelMovesAccepted += 1
      }
    } else {
      parameterMoves += 1
      if updateParameters(counts: y, using: &generator) { parameterMovesAccepted += 1 }
    }
    if let (a, b) = setup.sabanesBoveHeld {
      let columns = activeColumns.filter { $0 != 0 }
      let q = precision(of: columns, scale: 1)
      var form = 0.0
      for (r, i) in columns.enumerated() {
        for (s, j) in columns.enumerated() { form += beta[i] * q[r + s * columns.count] * beta[j] }
      }
      let shape = 0.5 * (Double(columns.count) + a)
      let rate = 0.5 * (b + form)
      sigma2 = rate / generator.gamma(shape: shape)
    }
    // The unknown cells from their full conditionals.
    let mu0 = Double.exp(linearPredictor(row: setup.missingRow))
    unknown[0] = Double(generator.poisson(mean: mu0))
    for (i, row) in setup.censoredRows.enumerated() {
      let bound = Int(setup.counts[row])
      let mu = Double.exp(linearPredictor(row: row))
      guard bound >= 1 else {
        unknown[i + 1] = 0
        continue
      }
      // P(y) ∝ μʸ/y!, y = 1…c.
      var logs: [Double] = []
      var logFactorial = 0.0
      for value in 1...bound {
        logFactorial += Double.log(Double(value))
        logs.append(Double(value) * Double.log(mu) - logFactorial)
      }
      let top = logs.max() ?? 0
      let weights = logs.map { Double.exp($0 - top) }
      var u = generator.uniform() * weights.reduce(0, +)
      var chosen = bound
      for (k, weight) in weights.enumerated() {
        u -= weight
        if u < 0 {
          chosen = k + 1
          break
        }
      }
      unknown[i + 1] = Double(chosen)
    }
  }

  var activeColumns: [Int] { (0..<setup.columns).filter { active[$0] } }

  private func linearPredictor(row: Int) -> Double {
    var eta = 0.0
    for j in 0..<setup.columns where active[j] { eta += setup.design[row * setup.columns + j] * beta[j] }
    return eta
  }

  /// `(XᵀX/n)` restricted to `columns`, divided by `scale` (the prior precision `IP/σ²`).
  private func precision(of columns: [Int], scale: Double) -> [Double] {
    let k = columns.count
    var q = [Double](repeating: 0, count: k * k)
    for (r, i) in columns.enumerated() {
      for (s, j) in columns.enumerated() { q[r + s * k] = setup.unitInformation[i + j * setup.columns] / scale }
    }
    return q
  }

  // MARK: - Model moves (conting's prop_mod, add_term, drop_term)

  /// The terms that can be dropped (maximal interactions) and added (pairs, and higher terms all
  /// of whose next-lower subsets are in) from the model `active`.
  private func candidates(for active: [Bool]) -> (drop: [Int], add: [Int]) {
    let present = Set(
      (0..<setup.columns).filter { active[$0] && setup.terms[$0].nonzeroBitCount >= 2 }.map { setup.terms[$0] })
    let highest = present.map(\.nonzeroBitCount).max() ?? 1
    var drop: [Int] = []
    var add: [Int] = []
    for j in 0..<setup.columns where setup.terms[j].nonzeroBitCount >= 2 {
      let term = setup.terms[j]
      if active[j] {
        if !present.contains(where: { $0 != term && $0 & term == term }) { drop.append(j) }
      } else if term.nonzeroBitCount == 2 {
        add.append(j)
      } else if term.nonzeroBitCount <= highest + 1 {
        var all = true
        var rest = term
        while rest != 0 {
          let bit = rest & (~rest &+ 1)
          if !present.contains(term & ~bit) { all = false }
          rest &= rest - 1
        }
        if all { add.append(j) }
      }
    }
    return (drop, add)
  }

  private func moveChoices(for active: [Bool]) -> Int {
    let (drop, add) = candidates(for: active)
    return drop.count + add.count
  }

  /// A proposed model and the number of choices there were, or `nil` for a parameter move.
  private func proposeModel(using generator: inout SplitMix64) -> ([Bool], Int)? {
    guard generator.uniform() > setup.nullMoveProbability else { return nil }
    let (drop, add) = candidates(for: active)
    let choices = drop + add
    guard !choices.isEmpty else { return nil }
    let pick = choices[Int(generator.uniform() * Double(choices.count)) % choices.count]
    var proposed = active
    proposed[pick].toggle()
    return (proposed, choices.count)
  }

  // MARK: - Parameter move (iwls_mh)

  private func logLikelihood(_ columns: [Int], _ coefficients: [Double], counts y: [Double]) -> (Double, [Double]) {
    var total = 0.0
    var etas = [Double](repeating: 0, count: setup.cells)
    for i in setup.likelihoodRows {
      var eta = 0.0
      for (r, j) in columns.enumerated() { eta += setup.design[i * setup.columns + j] * coefficients[r] }
      etas[i] = eta
      total += y[i] * eta - Double.exp(eta)
    }
    return (total, etas)
  }

  /// Gamerman's IWLS proposal at `coefficients`: its mean and precision `Q = P + XᵀWX`.
  private func iwlsProposal(
    columns: [Int], etas: [Double], counts y: [Double], priorPrecision p: [Double]
  ) -> (mean: [Double], precision: SmallPrecision)? {
    let k = columns.count
    var q = p
    var rhs = [Double](repeating: 0, count: k)
    for i in setup.likelihoodRows {
      let w = Double.exp(etas[i])
      // XᵀWz with z = η + (y − w)/w: Xᵀ(wη + y − w).
      let response = w * etas[i] + y[i] - w
      for (r, a) in columns.enumerated() {
        let xa = setup.design[i * setup.columns + a]
        rhs[r] += xa * response
        for (s, b) in columns.enumerated() where s >= r {
          q[r + s * k] += w * xa * setup.design[i * setup.columns + b]
        }
      }
    }
    for s in 0..<k { for r in 0..<s { q[s + r * k] = q[r + s * k] } }
    guard let precision = SmallPrecision(q, order: k) else { return nil }
    return (precision.solve(rhs), precision)
  }

  /// `−½ β₋₀ᵀ P₋₀ β₋₀` (the intercept has no prior).
  private func logPriorKernel(_ coefficients: [Double], _ p: [Double], order k: Int) -> Double {
    var form = 0.0
    for r in 1..<k { for s in 1..<k { form += coefficients[r] * p[r + s * k] * coefficients[s] } }
    return -0.5 * form
  }

  private mutating func updateParameters(counts y: [Double], using generator: inout SplitMix64) -> Bool {
    let columns = activeColumns
    let k = columns.count
    var p = precision(of: columns, scale: sigma2)
    for r in 0..<k {
      p[r] = 0
      p[r * k] = 0
    }
    let current = columns.map { beta[$0] }
    let (currentLogLikelihood, currentEtas) = logLikelihood(columns, current, counts: y)
    guard let forward = iwlsProposal(columns: columns, etas: currentEtas, counts: y, priorPrecision: p) else {
      return false
    }
    let proposal = forward.precision.draw(mean: forward.mean, using: &generator)
    let (proposedLogLikelihood, proposedEtas) = logLikelihood(columns, proposal, counts: y)
    guard proposedLogLikelihood.isFinite,
      let backward = iwlsProposal(columns: columns, etas: proposedEtas, counts: y, priorPrecision: p)
    else { return false }
    let top =
      proposedLogLikelihood + logPriorKernel(proposal, p, order: k)
      + backward.precision.logDensity(current, mean: backward.mean)
    let bottom =
      currentLogLikelihood + logPriorKernel(current, p, order: k)
      + forward.precision.logDensity(proposal, mean: forward.mean)
    guard Double.exp(top - bottom) >= generator.uniform() else { return false }
    for (r, j) in columns.enumerated() { beta[j] = proposal[r] }
    return true
  }

  // MARK: - Model move (RJ_update)

  /// The projection quantities of the columns `base` and the extra columns `extra` under the
  /// maximal model's weights `w = e^{η̂}`: `(XᵀWX)⁻¹XᵀWS` (`base × extra`, column-major), and the
  /// Gaussian `N(μ₁, Σ₁)` with `Σ₁⁻¹ = SᵀW(I − H)S`, `μ₁ = Σ₁ SᵀW(I − H)η̂`.
  private func projection(base: [Int], extra: [Int]) -> (
    coefficients: [Double], mean: [Double], precision: SmallPrecision
  )? {
    let k = base.count
    let m = extra.count
    let weights = setup.modeLinearPredictor.map { Double.exp($0) }
    var xwx = [Double](repeating: 0, count: k * k)
    var xws = [Double](repeating: 0, count: k * m)
    var sws = [Double](repeating: 0, count: m * m)
    var xwe = [Double](repeating: 0, count: k)
    var swe = [Double](repeating: 0, count: m)
    for i in 0..<setup.cells {
      let w = weights[i]
      let row = i * setup.columns
      let eta = setup.modeLinearPredictor[i]
      for (r, a) in base.enumerated() {
        let xa = setup.design[row + a] * w
        xwe[r] += xa * eta
        for (s, b) in base.enumerated() { xwx[r + s * k] += xa * setup.design[row + b] }
        for (s, b) in extra.enumerated() { xws[r + s * k] += xa * setup.design[row + b] }
      }
      for (r, a) in extra.enumerated() {
        let sa = setup.design[row + a] * w
        swe[r] += sa * eta
        for (s, b) in extra.enumerated() { sws[r + s * m] += sa * setup.design[row + b] }
      }
    }
    guard let gram = SmallPrecision(xwx, order: k) else { return nil }
    // A = (XᵀWX)⁻¹XᵀWS, column by column.
    var a = [Double](repeating: 0, count: k * m)
    for s in 0..<m {
      let column = gram.solve(Array(xws[(s * k)..<(s * k + k)]))
      for r in 0..<k { a[r + s * k] = column[r] }
    }
    // Σ₁⁻¹ = SᵀWS − (XᵀWS)ᵀA; SᵀW(I − H)η̂ = SᵀWη̂ − (XᵀWS)ᵀ(XᵀWX)⁻¹XᵀWη̂.
    let projected = gram.solve(xwe)
    var q = sws
    var rhs = swe
    for r in 0..<m {
      for s in 0..<m {
        var sum = 0.0
        for t in 0..<k { sum += xws[t + r * k] * a[t + s * k] }
        q[r + s * m] -= sum
      }
      var sum = 0.0
      for t in 0..<k { sum += xws[t + r * k] * projected[t] }
      rhs[r] -= sum
    }
    guard let precision = SmallPrecision(q, order: m) else { return nil }
    return (a, precision.solve(rhs), precision)
  }

  /// `log N(β₋₀; 0, σ²(IP)⁻¹)` over `columns` (the intercept excluded), with its constant.
  private func logPrior(_ columns: [Int], _ coefficients: [Double]) -> Double? {
    let rest = Array(columns.dropFirst())
    guard let q = SmallPrecision(precision(of: rest, scale: sigma2), order: rest.count) else { return nil }
    return q.logDensity(Array(coefficients.dropFirst()), mean: [Double](repeating: 0, count: rest.count))
  }

  private mutating func jump(
    to proposed: [Bool], counts y: [Double], logProposalRatio: Double, using generator: inout SplitMix64
  ) -> Bool {
    let current = activeColumns
    let next = (0..<setup.columns).filter { proposed[$0] }
    let currentBeta = current.map { beta[$0] }
    let (currentLogLikelihood, _) = logLikelihood(current, currentBeta, counts: y)
    guard let currentPrior = logPrior(current, currentBeta) else { return false }
    var proposal: [Double]
    var jacobian: Double
    if next.count < current.count {
      // Death: keep the columns of `next`, project the dropped ones onto them.
      let dropped = current.filter { !proposed[$0] }
      guard let projection = projection(base: next, extra: dropped) else { return false }
      let killed = dropped.map { beta[$0] }
      proposal = next.map { beta[$0] }
      for r in 0..<next.count {
        for s in 0..<dropped.count { proposal[r] += projection.coefficients[r + s * next.count] * killed[s] }
      }
      jacobian = projection.precision.logDensity(killed, mean: projection.mean)
    } else {
      // Birth: draw the new columns, move the others to keep the projection.
      let added = next.filter { !active[$0] }
      guard let projection = projection(base: current, extra: added) else { return false }
      let innovation = projection.precision.draw(mean: projection.mean, using: &generator)
      var moved = currentBeta
      for r in 0..<current.count {
        for s in 0..<added.count { moved[r] -= projection.coefficients[r + s * current.count] * innovation[s] }
      }
      var values: [Int: Double] = [:]
      for (r, j) in current.enumerated() { values[j] = moved[r] }
      for (s, j) in added.enumerated() { values[j] = innovation[s] }
      proposal = next.map { values[$0] ?? 0 }
      jacobian = -projection.precision.logDensity(innovation, mean: projection.mean)
    }
    let (proposedLogLikelihood, _) = logLikelihood(next, proposal, counts: y)
    guard proposedLogLikelihood.isFinite, let proposedPrior = logPrior(next, proposal) else { return false }
    let logRatio =
      logProposalRatio + proposedLogLikelihood + proposedPrior - currentLogLikelihood - currentPrior + jacobian
    guard Double.exp(logRatio) >= generator.uniform() else { return false }
    active = proposed
    beta = [Double](repeating: 0, count: setup.columns)
    for (r, j) in next.enumerated() { beta[j] = proposal[r] }
    return true
  }
}
