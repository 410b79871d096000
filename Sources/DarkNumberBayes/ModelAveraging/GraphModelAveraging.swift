public import DarkNumber
internal import RealModule

/// Bayesian model averaging over decomposable graphical log-linear models for multiple-list
/// data, with the hyper-Dirichlet prior: Madigan & York (1997), "Bayesian methods for estimation
/// of the size of a closed population", Biometrika 84, 19–31; R `dga` `bma.cr` (Johndrow, Lum &
/// Madigan).
///
/// For a graph `g` with cliques `C` and separators `S`, and `m` unobserved individuals
/// (`N = n + m`), the completed `2^K` table has marginal likelihood (Dawid & Lauritzen 1993)
///
///     p(y, m | g) = N!/(m! Π y_h!) · Π_C L_C(m) / Π_S L_S(m)
///     L_A(m) = Γ(2^K δ)/Γ(N + 2^K δ) · Π_{cells c of A's margin} Γ(y_{A,c} + α_A)/Γ(α_A),
///
/// with `α_A = δ·2^{K−|A|}` per marginal cell and `m` added to the margin's all-absent cell. The
/// joint posterior is `p(g, m | y) ∝ p(y, m | g) p(N) p(g)`, normalised over all graphs and the
/// grid of `m`. Only the all-absent cell depends on `m`, so each of the `2^K − 1` margins is
/// evaluated once per grid value and every graph is a signed sum of those vectors.
public enum GraphModelAveraging {
  /// How the grid of unobserved counts is chosen.
  public enum Grid: Sendable, Hashable {
    /// `0…5n`, doubled until the posterior mass in the grid's top 1% is below `tolerance`
    /// (at most 10 doublings; then ``BayesError/posteriorNotConcentrated(largestTotal:massNearTop:)``).
    case automatic(tolerance: Double)
    /// Exactly this grid (as dga's `Nmissing`); mass near its top is reported as a warning.
    case fixed(MissingGrid)
  }

  /// The settings of one analysis.
  public struct Options: Sendable {
    /// The hyper-Dirichlet parameter per cell of the full table; nil means dga's suggestion
    /// `2^−K`.
    public var delta: Double?
    /// The prior on `N`.
    public var prior: PopulationPrior
    /// The grid of unobserved counts.
    public var grid: Grid
    /// `log p(g)` up to a constant for each graph (dga's `log.prior.model.weights`); nil means
    /// uniform over graphs.
    public var modelLogPrior: (@Sendable (DecomposableGraph) -> Double)?

    /// Options with dga's defaults: `δ = 2^−K`, `p(N) ∝ 1/N`, automatic grid (tolerance 1e-6).
    public init(
      delta: Double? = nil, prior: PopulationPrior = .reciprocal,
      grid: Grid = .automatic(tolerance: 1e-6),
      modelLogPrior: (@Sendable (DecomposableGraph) -> Double)? = nil
    ) {
      self.delta = delta
      self.prior = prior
      self.grid = grid
      self.modelLogPrior = modelLogPrior
    }
  }

  /// The posterior over graphs and `N` for `data`.
  ///
  /// - Throws: ``BayesError`` for more than 7 lists, a non-positive `delta`, a prior that is NaN
  ///   or +∞ on the grid, or (automatic grid) a posterior that does not concentrate;
  ///   ``BayesError/cancelled`` when the calling task is cancelled (checked before each grid is
  ///   evaluated).
  public static func run(data: CaptureData, options: Options = Options()) async throws(BayesError)
    -> GraphAveragingResult
  {
    let listCount = data.listCount
    guard (2...7).contains(listCount) else { throw .tooManyListsForGraphAveraging(listCount) }
    let delta = options.delta ?? 1 / Double(1 << listCount)
    guard delta > 0 && delta.isFinite else {
      throw .invalidOption("delta must be a positive number")
    }
    let graphs = DecomposableGraph.all(vertexCount: listCount)
    let modelPrior = options.modelLogPrior.map { prior in graphs.map { prior($0) } }
    if let modelPrior, modelPrior.contains(where: { $0.isNaN || $0 == .infinity }) {
      throw .invalidOption("the model log-prior must be finite or −∞ for every graph")
    }
    let table = MarginTable(data: data, delta: delta)
    switch options.grid {
    case .fixed(let grid):
      return try await evaluate(
        table: table, graphs: graphs, modelPrior: modelPrior, grid: grid,
        prior: options.prior, widenings: 0, fixed: true)
    case .automatic(let tolerance):
      guard tolerance > 0 && tolerance < 1 else {
        throw .invalidOption("the grid tolerance must lie strictly between 0 and 1")
      }
      var multiple = 5
      for widenings in 0...10 {
        let grid = MissingGrid.multiple(multiple, of: data.observedTotal)
        let result = try await evaluate(
          table: table, graphs: graphs, modelPrior: modelPrior, grid: grid,
          prior: options.prior, widenings: widenings, fixed: false)
        if result.massNearTop < tolerance { return result }
        if widenings == 10 {
          throw .posteriorNotConcentrated(
            largestTotal: Double(data.observedTotal + grid.stop), massNearTop: result.massNearTop)
        }
        multiple *= 2
      }
      fatalError("unreachable: the loop returns or throws")
    }
  }

  /// Log weights more than this below the largest are dropped: each is below e⁻⁶⁰ ≈ 9e-27 of the
  /// largest, far below double rounding of any reported quantity.
  static let negligibleLogWeight = 60.0

  private static func evaluate(
    table: MarginTable, graphs: [DecomposableGraph], modelPrior: [Double]?, grid: MissingGrid,
    prior: PopulationPrior, widenings: Int, fixed: Bool
  ) async throws(BayesError) -> GraphAveragingResult {
    if Task.isCancelled { throw .cancelled }
    let points = grid.count
    let observed = Double(table.observedTotal)
    let totals = (0..<points).map { observed + Double(grid.value(at: $0)) }
    // Per-grid terms shared by all graphs: the multinomial coefficient, the prior and the
    // Dirichlet normaliser per component.
    var base = [Double](repeating: 0, count: points)
    var normaliser = [Double](repeating: 0, count: points)
    let cellTotal = table.cellTotal
    // log N!, log m! and log Γ(N + 2^K δ) along the grid.
    let logTotalFactorials = logGammaSequence(
      from: observed + Double(grid.start) + 1, step: grid.step, count: points)
    let logMissingFactorials = logGammaSequence(
      from: Double(grid.start) + 1, step: grid.step, count: points)
    let logNormalisers = logGammaSequence(
      from: observed + Double(grid.start) + cellTotal, step: grid.step, count: points)
    let logGammaCellTotal = Double.logGamma(cellTotal)
    for index in 0..<points {
      let total = totals[index]
      let logPrior = prior.logDensity(total)
      if logPrior.isNaN || logPrior == .infinity { throw .invalidPrior(total: total) }
      base[index] =
        logTotalFactorials[index] - table.logFactorialSum - logMissingFactorials[index] + logPrior
      normaliser[index] = logGammaCellTotal - logNormalisers[index]
    }
    let margins = table.marginTerms(grid: grid, normaliser: normaliser)
    // The base term at index 0, margin `A` at index `A`; each graph as the vectors it adds (the
    // base and its cliques) and subtracts (its non-empty separators).
    let vectors = [base] + margins.dropFirst()
    let plus = graphs.map { [0] + $0.cliques.map { Int($0) } }
    let minus = graphs.map { $0.separators.filter { $0 != 0 }.map { Int($0) } }

    // Screening on a coarse subgrid: each graph's largest log weight there, and the overall
    // largest, which scales the exponentials.
    // Each vector restricted to the subgrid, contiguous, so a graph's log weights there are a
    // few vectorised row additions.
    let screen = coarseIndices(points: points)
    let coarse = vectors.map { vector in vector.isEmpty ? [] : screen.map { vector[$0] } }
    var coarseMaxima = [Double](repeating: -.infinity, count: graphs.count)
    var row = [Double](repeating: 0, count: screen.count)
    for g in graphs.indices {
      let shift = modelPrior?[g] ?? 0
      if shift == -.infinity { continue }
      logWeightRow(
        &row, vectors: coarse, plus: plus[g], minus: minus[g], shift: shift, start: 0,
        count: screen.count)
      coarseMaxima[g] = row.max() ?? -.infinity
    }
    var scale = coarseMaxima.max() ?? -.infinity
    let kept = graphs.indices.filter {
      coarseMaxima[$0] >= scale - negligibleLogWeight - screeningMargin
    }
    let factors = BlockFactors.make(vectors: vectors)
    var accumulated: Accumulated
    while true {
      accumulated = accumulate(
        graphCount: graphs.count, kept: kept, plus: plus, minus: minus, modelPrior: modelPrior,
        vectors: vectors, totals: totals, scale: scale, factors: factors)
      // The subgrid missed a peak far above the screened maximum: rescale and redo.
      guard accumulated.largest > scale + 600 else { break }
      scale = accumulated.largest
    }
    let column = accumulated.column
    let graphWeights = accumulated.weights
    let sum = column.reduce(0, +)
    let probabilities = column.map { $0 / sum }
    let topCount = (points + 99) / 100
    let massNearTop = probabilities[(points - topCount)...].reduce(0, +)
    let order = graphs.indices.sorted {
      graphWeights[$0] != graphWeights[$1] ? graphWeights[$0] > graphWeights[$1] : $0 < $1
    }
    let models = order.map { g in
      GraphAveragingResult.Model(
        graph: graphs[g], weight: graphWeights[g] / sum,
        meanTotal: graphWeights[g] > 0 ? accumulated.weightedTotals[g] / graphWeights[g] : nil)
    }
    return GraphAveragingResult(
      listNames: table.listNames, observedTotal: table.observedTotal, delta: table.delta,
      priorName: prior.name, grid: grid, totals: totals, probabilities: probabilities,
      summary: PosteriorSummary(values: totals, weights: probabilities), models: models,
      massNearTop: massNearTop, gridWidenings: widenings,
      warnings: table.warnings(
        massNearTop: fixed ? massNearTop : 0))
  }

  /// Graphs whose largest log weight on the screening subgrid is more than
  /// `negligibleLogWeight + screeningMargin` below the overall largest are skipped. Between
  /// subgrid points `s` apart a log weight can exceed its subgrid values by at most about
  /// `(s/2)²·|∂²/∂m²|/2`, and the curvature is a sum of at most `2^K + 3` trigamma terms
  /// `ψ′(m + offset) ≤ 1/(m + offset) + 1/(m + offset)²`; the first `2s` grid points are all on
  /// the subgrid, so beyond them the excess is below ~`3s` nats (≈ 80 at 512 subgrid points).
  static let screeningMargin = 200.0

  /// The screening subgrid: the first `2s` grid indices, then every `s`-th, and the last, with
  /// `s = ⌈points / 512⌉`.
  private static func coarseIndices(points: Int) -> [Int] {
    let stride = max(1, (points + 511) / 512)
    var indices = Array(0..<min(points, 2 * stride))
    var index = 2 * stride
    while index < points {
      indices.append(index)
      index += stride
    }
    if indices.last != points - 1 { indices.append(points - 1) }
    return indices
  }
}
