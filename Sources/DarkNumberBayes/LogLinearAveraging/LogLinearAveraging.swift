public import DarkNumber
internal import RealModule

/// Bayesian model averaging over hierarchical log-linear models by reversible-jump MCMC: conting's
/// `bict` (Overstall & King 2014, *J. Stat. Softw.* 58(7); King & Brooks 2001), with the unit
/// information or the Sabanés Bové–Held prior and censored cells.
///
/// The table's `2ᴷ` cells are fitted with the all-zero cell (and any censored cell) unknown and
/// sampled; the models are every hierarchical model between main effects and all interactions up
/// to `maximumOrder`, which the chains visit (`ReversibleJumpChain` gives the moves). N is the
/// known total plus the unknown cells' draws; each model's probability is the share of kept
/// iterations spent in it. Several chains from their own streams give R̂ and effective sample
/// sizes for N and for the indicator of the most probable model.
public enum LogLinearAveraging {
  /// The prior of the non-intercept parameters, `β₋₀ ~ N(0, σ²(XᵀX/n)⁻¹)`.
  public enum Prior: Sendable, Hashable {
    /// `σ² = 1`: the unit information prior (Ntzoufras, Dellaportas & Forster 2003).
    case unitInformation
    /// `σ² ~ IG(a/2, b/2)` (Sabanés Bové & Held 2011).
    case sabanesBoveHeld(a: Double, b: Double)

    /// Sabanés Bové–Held with `a = b = 0.001`: conting's `bict` default (`prior = "SBH"`, the
    /// values its `bict.fit` takes), and this package's.
    public static let contingSabanesBoveHeld = Prior.sabanesBoveHeld(a: 0.001, b: 0.001)
  }

  /// A cell known only up to a bound: its true count is one of `1…bound` (conting's `cens`).
  public struct CensoredCell: Sendable, Hashable {
    /// The cell.
    public let history: CaptureHistory
    /// The largest count it can hold.
    public let bound: Int

    /// The cell `history` with at most `bound` people.
    public init(history: CaptureHistory, bound: Int) {
      self.history = history
      self.bound = bound
    }
  }

  /// The settings.
  public struct Options: Sendable {
    /// The largest interaction order of the models (conting: the formula `(A + B + …)^order`).
    public var maximumOrder = 2
    /// The prior (default ``Prior/contingSabanesBoveHeld``).
    public var prior = Prior.contingSabanesBoveHeld
    /// Iterations kept per chain.
    public var samples = 10_000
    /// Iterations discarded first per chain.
    public var burnIn = 1_000
    /// Chains, each from stream `(seed, chain)`.
    public var chains = 4
    /// The probability of a parameter move instead of a model move (conting's 0.5).
    public var nullMoveProbability = 0.5
    /// Cells known only up to a bound.
    public var censored: [CensoredCell] = []
    /// The seed.
    public var seed: UInt64 = 1
    /// Whether the all-zero cell is integrated out of the moves and drawn afterwards (the same
    /// posterior; `false` is conting's data augmentation, which mixes slowly when the unobserved
    /// count is a large part of N).
    public var integratesUnobservedCell = true

    /// conting's settings with the Sabanés Bové–Held prior, four chains.
    public init() {}

    /// The first invalid setting, in words, or nil when all are valid; the number of lists is
    /// checked when given.
    public func problem(listCount k: Int?) -> String? {
      if let k, !(2...8).contains(k) { return "log-linear model averaging takes 2 to 8 lists" }
      if maximumOrder < 1 || k.map({ maximumOrder > $0 }) == true {
        return "the maximum order must lie between 1 and the number of lists" + (k.map { ", \($0)" } ?? "")
      }
      if samples < 10 { return "at least 10 samples per chain are needed" }
      if burnIn < 0 { return "the burn-in must not be negative" }
      if chains < 1 { return "at least one chain is needed" }
      if !(nullMoveProbability >= 0 && nullMoveProbability < 1) {
        return "the null-move probability must lie in [0, 1)"
      }
      if case .sabanesBoveHeld(let a, let b) = prior, !(a >= 0 && b >= 0 && a.isFinite && b.isFinite) {
        return "the Sabanés Bové–Held prior needs a ≥ 0 and b ≥ 0"
      }
      return nil
    }
  }

  /// A model and its posterior probability.
  public struct ModelProbability: Sendable {
    /// The model.
    public let model: LogLinearModel
    /// The share of kept iterations in it.
    public let probability: Double
  }

  /// The posterior.
  public struct Result: Sendable {
    /// The posterior of N.
    public let posterior: PosteriorSummary
    /// N at every kept iteration, chain after chain.
    public let totals: [[Double]]
    /// The models visited, most probable first.
    public let models: [ModelProbability]
    /// R̂ and effective sample size of N.
    public let diagnostics: ConvergenceDiagnostics
    /// R̂ and effective sample size of the indicator of the most probable model.
    public let topModelDiagnostics: ConvergenceDiagnostics
    /// The share of model moves accepted.
    public let modelMoveAcceptance: Double
    /// The share of parameter moves accepted.
    public let parameterMoveAcceptance: Double
    /// The options used.
    public let options: Options
  }

  /// Runs the chains on `data` (at most `concurrency` at once; the result does not depend on it).
  /// - Throws: ``BayesError/invalidOption(_:)`` for settings out of range or a censored cell that
  ///   is the all-zero one or repeated; ``BayesError/posteriorModeNotFound(model:)`` when the
  ///   maximal model's posterior has no mode; ``BayesError/cancelled``.
  public static func run(
    data: CaptureData, options: Options = Options(), concurrency: Int = 2,
    progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(BayesError) -> Result {
    if let problem = options.problem(listCount: data.listCount) { throw .invalidOption(problem) }
    guard concurrency >= 1 else { throw .invalidOption("the concurrency must be at least 1") }
    let setup = try Self.setup(data: data, options: options)
    let unknownRows = Set(setup.unknownRows)
    let knownTotal = (0..<setup.cells).reduce(0.0) { sum, row in
      unknownRows.contains(row) ? sum : sum + setup.counts[row]
    }
    let done = ProgressCounter()
    let chains = await ParallelWork.cancellableMap(count: options.chains, width: concurrency) {
      index, cancellation -> (totals: [Double], visits: [Int], models: [[UInt32]], moves: [Int]) in
      var generator = SplitMix64.stream(seed: options.seed, index: UInt64(index))
      var chain = ReversibleJumpChain(setup: setup)
      var totals: [Double] = []
      // The models this chain visited, and which of them each kept iteration was in.
      var models: [[UInt32]] = []
      var visits: [Int] = []
      var version = -1
      totals.reserveCapacity(options.samples)
      visits.reserveCapacity(options.samples)
      for iteration in 0..<(options.burnIn + options.samples) {
        if iteration % 1_000 == 0 && cancellation.isCancelled { break }
        chain.step(using: &generator)
        if iteration >= options.burnIn {
          totals.append(chain.total(knownTotal: knownTotal))
          if chain.modelVersion != version {
            version = chain.modelVersion
            let model = chain.interactions
            if let seen = models.firstIndex(of: model) {
              visits.append(seen)
            } else {
              models.append(model)
              visits.append(models.count - 1)
            }
          } else {
            visits.append(visits.last ?? 0)
          }
        }
        if (iteration + 1) % 1_000 == 0 { progress?(done.add(1_000)) }
      }
      return (
        totals, visits, models,
        [chain.modelMoves, chain.modelMovesAccepted, chain.parameterMoves, chain.parameterMovesAccepted]
      )
    }
    guard let chains, chains.allSatisfy({ $0.totals.count == options.samples }) else { throw .cancelled }
    var counts: [[UInt32]: Int] = [:]
    for chain in chains { for visit in chain.visits { counts[chain.models[visit], default: 0] += 1 } }
    let all = Double(options.samples * options.chains)
    let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.lexicographicallyPrecedes($1.key) }
    let top = ranked.first?.key ?? []
    let moves = chains.reduce([0, 0, 0, 0]) { sums, chain in zip(sums, chain.moves).map(+) }
    return Result(
      posterior: PosteriorSummary(draws: chains.flatMap(\.totals)), totals: chains.map(\.totals),
      models: ranked.map {
        ModelProbability(
          model: LogLinearModel(listCount: data.listCount, generators: $0.key), probability: Double($0.value) / all)
      },
      diagnostics: ConvergenceDiagnostics(chains: chains.map(\.totals)),
      topModelDiagnostics: ConvergenceDiagnostics(
        chains: chains.map { chain in chain.visits.map { chain.models[$0] == top ? 1 : 0 } }),
      modelMoveAcceptance: moves[0] > 0 ? Double(moves[1]) / Double(moves[0]) : 0,
      parameterMoveAcceptance: moves[2] > 0 ? Double(moves[3]) / Double(moves[2]) : 0, options: options)
  }

  /// The design (sum-to-zero coding: a list's column is +1 off the list and −1 on it, as R's
  /// `contr.sum` codes conting's factors) and the maximal model's posterior mode on the known
  /// cells (conting's `beta_mode`).
  static func setup(data: CaptureData, options: Options) throws(BayesError) -> ReversibleJumpChain.Setup {
    let k = data.listCount
    let cells = 1 << k
    var terms: [UInt32] = [0] + (0..<k).map { UInt32(1) << UInt32($0) }
    for order in 2...max(2, options.maximumOrder) where order <= options.maximumOrder {
      terms += (1..<UInt32(cells)).filter { $0.nonzeroBitCount == order }
    }
    let columns = terms.count
    var design = [Double](repeating: 0, count: cells * columns)
    for h in 0..<cells {
      for (j, term) in terms.enumerated() {
        // −1 for each of the term's lists the history is on.
        design[h * columns + j] = (UInt32(h) & term).nonzeroBitCount % 2 == 0 ? 1 : -1
      }
    }
    var counts = [Double](repeating: 0, count: cells)
    for cell in data.cells { counts[Int(cell.history.rawValue)] = Double(cell.count) }
    var censoredRows: [Int] = []
    for censored in options.censored {
      let row = Int(censored.history.rawValue)
      guard row != 0, row < cells, !censoredRows.contains(row), censored.bound >= 1 else {
        throw .invalidOption(
          "a censored cell must be an observable history of the data's lists, given once, with a bound of at least 1")
      }
      censoredRows.append(row)
      counts[row] = Double(censored.bound)
    }
    let known = (1..<cells).filter { !censoredRows.contains($0) }
    guard
      let mode = posteriorMode(design: design, columns: columns, rows: known, counts: counts, prior: options.prior)
    else {
      throw .posteriorModeNotFound(
        model: LogLinearModel.allInteractions(listCount: k, upToOrder: options.maximumOrder).description)
    }
    let etas = (0..<cells).map { h in (0..<columns).reduce(0.0) { $0 + design[h * columns + $1] * mode[$1] } }
    let sbh: (a: Double, b: Double)? =
      if case .sabanesBoveHeld(let a, let b) = options.prior { (a, b) } else { nil }
    return ReversibleJumpChain.Setup(
      design: design, terms: terms, counts: counts, censoredRows: censoredRows, modeLinearPredictor: etas,
      mode: mode, sabanesBoveHeld: sbh, nullMoveProbability: options.nullMoveProbability,
      likelihoodRows: options.integratesUnobservedCell ? Array(1..<cells) : Array(0..<cells))
  }

  /// The mode of `log L(β) + log p(β)` on `rows` (``PoissonPosteriorMode``), from conting's start:
  /// least squares of `log y` (1/6 for a zero) on `X`. Sabanés Bové–Held:
  /// `log p = −½(a + p) log(b + β₋₀ᵀβ₋₀)` (the marginal of the normal–inverse-gamma prior); unit
  /// information: `−½ β₋₀ᵀβ₋₀` (the unit-information matrix `XᵀX/n` of the sum-to-zero design is
  /// the identity). Where the Sabanés Bové–Held term's Hessian is not negative definite, its
  /// rank-one part is left out of the step.
  static func posteriorMode(
    design: [Double], columns p: Int, rows: [Int], counts: [Double], prior: Prior
  ) -> [Double]? {
    let (a, b, sbh): (Double, Double, Bool) =
      switch prior {
      case .sabanesBoveHeld(let a, let b): (a, b, true)
      case .unitInformation: (0, 0, false)
      }
    var xtx = [Double](repeating: 0, count: p * p)
    var xty = [Double](repeating: 0, count: p)
    for h in rows {
      let target = Double.log(counts[h] > 0 ? counts[h] : 1.0 / 6)
      for i in 0..<p {
        xty[i] += design[h * p + i] * target
        for j in 0..<p { xtx[i + j * p] += design[h * p + i] * design[h * p + j] }
      }
    }
    guard let leastSquares = SmallPrecision(xtx, order: p) else { return nil }
    let parameters = Double(p - 1)
    return PoissonPosteriorMode.find(
      design: design, columns: p, rows: rows, counts: counts, start: leastSquares.solve(xty)
    ) { beta in
      var rb = beta
      rb[0] = 0
      let form = rb.reduce(0) { $0 + $1 * $1 }
      let scale = sbh ? (a + parameters) / (b + form) : 1
      let value = sbh ? -0.5 * (a + parameters) * Double.log(b + form) : -0.5 * form
      var hessian = [Double](repeating: 0, count: p * p)
      for i in 1..<p { hessian[i + i * p] = -scale }
      guard sbh else { return (value, rb.map { -$0 }, hessian, nil) }
      let concave = hessian
      for i in 1..<p { for j in 1..<p { hessian[i + j * p] += 2 * scale / (b + form) * rb[i] * rb[j] } }
      return (value, rb.map { -scale * $0 }, hessian, concave)
    }?.beta
  }
}
