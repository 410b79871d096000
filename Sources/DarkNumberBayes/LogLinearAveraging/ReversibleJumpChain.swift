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
/// or `σ² ~ IG(a/2, b/2)` (Sabanés Bové & Held 2011). With sum-to-zero coding over the full table
/// the columns are orthogonal `±1` (Walsh) columns, so `XᵀX/n` is the identity and the prior is
/// `β₋₀ ~ N(0, σ² I)`.
struct ReversibleJumpChain {
  /// What every chain shares: the design, the prior and the maximal model's mode.
  struct Setup: Sendable {
    /// The maximal design, row-major: `cells × columns` (column 0 the intercept, then the lists,
    /// then the interactions).
    let design: [Double]
    /// The interaction (or list) each column stands for; 0 for the intercept.
    let terms: [UInt32]
    /// The counts (unknown cells hold their bound or 0).
    let counts: [Double]
    /// The censored cells' rows.
    let censoredRows: [Int]
    /// `η̂ = Xβ̂` at the maximal model's posterior mode.
    let modeLinearPredictor: [Double]
    /// The maximal model's posterior mode.
    let mode: [Double]
    let sabanesBoveHeld: (a: Double, b: Double)?
    let nullMoveProbability: Double
    /// The rows in the likelihood of the moves: every cell, or every cell but the all-zero one
    /// when it is integrated out (its Poisson factor sums to 1 over its values).
    let likelihoodRows: [Int]

    var cells: Int { counts.count }
    var columns: Int { terms.count }
    /// The unknown cells' rows: the all-zero cell (row 0), then the censored ones.
    var unknownRows: [Int] { [0] + censoredRows }
  }

  let setup: Setup
  /// The maximal model's weights `e^{η̂}`, which every model move's projection uses.
  private let modeWeights: [Double]
  /// Whether each column is in the current model.
  var active: [Bool]
  /// The current model's columns, ascending (the intercept first).
  private var columns: [Int]
  /// The terms that can be dropped and added from the current model (`nil`: not yet worked out).
  private var moves: (drop: [Int], add: [Int])?
  /// The coefficients of every column (0 outside the model).
  var beta: [Double]
  var sigma2 = 1.0
  /// The current counts of the unknown cells, in the order of `setup.unknownRows`.
  var unknown: [Double]
  /// The counts with the unknown cells at their current values.
  private var y: [Double]
  /// `η` on every cell, written by ``logLikelihood(_:_:)`` (a buffer reused every iteration).
  private var etas: [Double]
  /// Incremented whenever the model changes.
  private(set) var modelVersion = 0
  var modelMoves = 0
  var modelMovesAccepted = 0
  var parameterMoves = 0
  var parameterMovesAccepted = 0

  init(setup: Setup) {
    self.setup = setup
    modeWeights = setup.modeLinearPredictor.map { Double.exp($0) }
    active = [Bool](repeating: true, count: setup.columns)
    columns = Array(0..<setup.columns)
    beta = setup.mode
    let rows = setup.unknownRows
    unknown = rows.map { Double.exp(setup.modeLinearPredictor[$0]).rounded() }
    y = setup.counts
    for (i, row) in rows.enumerated() { y[row] = unknown[i] }
    etas = [Double](repeating: 0, count: setup.cells)
  }

  /// The interactions of the current model.
  var interactions: [UInt32] {
    columns.map { setup.terms[$0] }.filter { $0.nonzeroBitCount >= 2 }
  }

  /// `N = n_known + Σ unknown`.
  func total(knownTotal: Double) -> Double { knownTotal + unknown.reduce(0, +) }

  // MARK: - One iteration

  mutating func step(using generator: inout SplitMix64) {
    if let (proposed, pick, choices) = proposeModel(using: &generator) {
      let reverse = candidates(for: proposed)
      let rhoForward = (1 - setup.nullMoveProbability) / Double(choices)
      let rhoReverse = (1 - setup.nullMoveProbability) / Double(reverse.drop.count + reverse.add.count)
      modelMoves += 1
      if jump(to: proposed, toggling: pick, logProposalRatio: Double.log(rhoReverse / rhoForward), using: &generator) {
        modelMovesAccepted += 1
        moves = reverse
      }
    } else {
      parameterMoves += 1
      if updateParameters(using: &generator) { parameterMovesAccepted += 1 }
    }
    if let (a, b) = setup.sabanesBoveHeld {
      // β₋₀ᵀβ₋₀ over the model's columns: the full conditional IG((m + a)/2, (b + β₋₀ᵀβ₋₀)/2).
      var form = 0.0
      for j in columns where j != 0 { form += beta[j] * beta[j] }
      let shape = 0.5 * (Double(columns.count - 1) + a)
      let rate = 0.5 * (b + form)
      sigma2 = rate / generator.gamma(shape: shape)
    }
    // The unknown cells from their full conditionals.
    unknown[0] = Double(generator.poisson(mean: Double.exp(linearPredictor(row: 0))))
    for (i, row) in setup.censoredRows.enumerated() {
      unknown[i + 1] = censoredDraw(
        bound: Int(setup.counts[row]), mu: Double.exp(linearPredictor(row: row)), using: &generator)
    }
    for (i, row) in setup.unknownRows.enumerated() { y[row] = unknown[i] }
  }

  /// A censored cell's count from `P(y) ∝ μʸ/y!`, `y = 1…bound` (0 when the bound is below 1).
  private func censoredDraw(bound: Int, mu: Double, using generator: inout SplitMix64) -> Double {
    guard bound >= 1 else { return 0 }
    let logMu = Double.log(mu)
    var weights = [Double](repeating: 0, count: bound)
    var logFactorial = 0.0
    for value in 1...bound {
      logFactorial += Double.log(Double(value))
      weights[value - 1] = Double(value) * logMu - logFactorial
    }
    let top = weights.max() ?? 0
    for index in weights.indices { weights[index] = Double.exp(weights[index] - top) }
    var u = generator.uniform() * weights.reduce(0, +)
    for (k, weight) in weights.enumerated() {
      u -= weight
      if u < 0 { return Double(k + 1) }
    }
    return Double(bound)
  }

  private func linearPredictor(row: Int) -> Double {
    var eta = 0.0
    for j in columns { eta += setup.design[row * setup.columns + j] * beta[j] }
    return eta
  }

  // MARK: - Model moves (conting's prop_mod, add_term, drop_term)

  /// The terms that can be dropped (maximal interactions) and added (pairs, and higher terms all
  /// of whose next-lower subsets are in) from the model `active`.
  private func candidates(for active: [Bool]) -> (drop: [Int], add: [Int]) {
    let present = Set(
      (0..<setup.columns).filter { active[$0] && setup.terms[$0].nonzeroBitCount >= 2 }.map { setup.terms[$0] })
    var drop: [Int] = []
    var add: [Int] = []
    for j in 0..<setup.columns where setup.terms[j].nonzeroBitCount >= 2 {
      let term = setup.terms[j]
      if active[j] {
        if !present.contains(where: { $0 != term && $0 & term == term }) { drop.append(j) }
      } else if term.nonzeroBitCount == 2 {
        add.append(j)
      } else {
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

  /// A proposed model, the column it toggles and the number of choices there were, or `nil` for
  /// a parameter move.
  private mutating func proposeModel(using generator: inout SplitMix64) -> ([Bool], Int, Int)? {
    guard generator.uniform() > setup.nullMoveProbability else { return nil }
    let (drop, add) = moves ?? candidates(for: active)
    moves = (drop, add)
    let count = drop.count + add.count
    guard count > 0 else { return nil }
    let index = Int(generator.uniform() * Double(count)) % count
    let pick = index < drop.count ? drop[index] : add[index - drop.count]
    var proposed = active
    proposed[pick].toggle()
    return (proposed, pick, count)
  }

  // MARK: - Parameter move (iwls_mh)

  /// `Σ (yᵢηᵢ − e^{ηᵢ})` over the likelihood rows, `η` from `coefficients` on `columns`; leaves
  /// `η` in ``etas``.
  private mutating func logLikelihood(_ columns: [Int], _ coefficients: [Double]) -> Double {
    var total = 0.0
    for i in setup.likelihoodRows {
      var eta = 0.0
      for (r, j) in columns.enumerated() { eta += setup.design[i * setup.columns + j] * coefficients[r] }
      etas[i] = eta
      total += y[i] * eta - Double.exp(eta)
    }
    return total
  }

  /// Gamerman's IWLS proposal at the coefficients that left ``etas``: its mean and precision
  /// `Q = P + XᵀWX`, `P = diag(0, 1/σ², …)`.
  private func iwlsProposal(columns: [Int]) -> (mean: [Double], precision: SmallPrecision)? {
    let k = columns.count
    var q = [Double](repeating: 0, count: k * k)
    let inverse = 1 / sigma2
    for r in 1..<max(k, 1) { q[r + r * k] = inverse }
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

  /// `−½ β₋₀ᵀβ₋₀/σ²` (the intercept has no prior).
  private func logPriorKernel(_ coefficients: [Double]) -> Double {
    let inverse = 1 / sigma2
    var form = 0.0
    for r in coefficients.indices.dropFirst() { form += coefficients[r] * inverse * coefficients[r] }
    return -0.5 * form
  }

  private mutating func updateParameters(using generator: inout SplitMix64) -> Bool {
    let columns = self.columns
    let current = columns.map { beta[$0] }
    let currentLogLikelihood = logLikelihood(columns, current)
    guard let forward = iwlsProposal(columns: columns) else { return false }
    let proposal = forward.precision.draw(mean: forward.mean, using: &generator)
    let proposedLogLikelihood = logLikelihood(columns, proposal)
    guard proposedLogLikelihood.isFinite, let backward = iwlsProposal(columns: columns) else { return false }
    let top =
      proposedLogLikelihood + logPriorKernel(proposal) + backward.precision.logDensity(current, mean: backward.mean)
    let bottom =
      currentLogLikelihood + logPriorKernel(current) + forward.precision.logDensity(proposal, mean: forward.mean)
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
    var xwx = [Double](repeating: 0, count: k * k)
    var xws = [Double](repeating: 0, count: k * m)
    var sws = [Double](repeating: 0, count: m * m)
    var xwe = [Double](repeating: 0, count: k)
    var swe = [Double](repeating: 0, count: m)
    for i in 0..<setup.cells {
      let w = modeWeights[i]
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

  /// `log N(β₋₀; 0, σ² I)` over the non-intercept coefficients, with its constant.
  private func logPrior(_ coefficients: [Double]) -> Double {
    let rest = coefficients.dropFirst()
    let squares = rest.reduce(0) { $0 + $1 * $1 }
    return -0.5 * Double(rest.count) * Double.log(2 * Double.pi * sigma2) - 0.5 * squares / sigma2
  }

  private mutating func jump(
    to proposed: [Bool], toggling pick: Int, logProposalRatio: Double, using generator: inout SplitMix64
  ) -> Bool {
    let current = columns
    let next = (0..<setup.columns).filter { proposed[$0] }
    let currentBeta = current.map { beta[$0] }
    let currentLogLikelihood = logLikelihood(current, currentBeta)
    var proposal: [Double]
    var jacobian: Double
    if !proposed[pick] {
      // Death: keep the columns of `next`, project the dropped one onto them.
      guard let projection = projection(base: next, extra: [pick]) else { return false }
      let killed = beta[pick]
      proposal = next.map { beta[$0] }
      for r in 0..<next.count { proposal[r] += projection.coefficients[r] * killed }
      jacobian = projection.precision.logDensity([killed], mean: projection.mean)
    } else {
      // Birth: draw the new column, move the others to keep the projection.
      guard let projection = projection(base: current, extra: [pick]) else { return false }
      let innovation = projection.precision.draw(mean: projection.mean, using: &generator)
      var values = [Double](repeating: 0, count: setup.columns)
      for (r, j) in current.enumerated() { values[j] = currentBeta[r] - projection.coefficients[r] * innovation[0] }
      values[pick] = innovation[0]
      proposal = next.map { values[$0] }
      jacobian = -projection.precision.logDensity(innovation, mean: projection.mean)
    }
    let proposedLogLikelihood = logLikelihood(next, proposal)
    guard proposedLogLikelihood.isFinite else { return false }
    let logRatio =
      logProposalRatio + proposedLogLikelihood + logPrior(proposal) - currentLogLikelihood - logPrior(currentBeta)
      + jacobian
    guard Double.exp(logRatio) >= generator.uniform() else { return false }
    active = proposed
    columns = next
    beta = [Double](repeating: 0, count: setup.columns)
    for (r, j) in next.enumerated() { beta[j] = proposal[r] }
    modelVersion += 1
    return true
  }
}
