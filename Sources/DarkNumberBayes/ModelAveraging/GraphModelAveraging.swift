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
  ///   or +∞ on the grid, or (automatic grid) a posterior that does not concentrate.
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
    let points = grid.count
    let observed = Double(table.observedTotal)
    let totals = (0..<points).map { observed + Double(grid.value(at: $0)) }
    // Per-grid terms shared by all graphs: the multinomial coefficient, the prior and the
    // Dirichlet normaliser per component.
    var base = [Double](repeating: 0, count: points)
    var normaliser = [Double](repeating: 0, count: points)
    let cellTotal = table.cellTotal
    for index in 0..<points {
      let missing = Double(grid.value(at: index))
      let total = totals[index]
      let logPrior = prior.logDensity(total)
      if logPrior.isNaN || logPrior == .infinity { throw .invalidPrior(total: total) }
      base[index] =
        Double.logGamma(total + 1) - table.logFactorialSum - Double.logGamma(missing + 1)
        + logPrior
      normaliser[index] = Double.logGamma(cellTotal) - Double.logGamma(total + cellTotal)
    }
    let margins = table.marginTerms(grid: grid, normaliser: normaliser)

    // Screening on a coarse subgrid: each graph's largest log weight there, and the overall
    // largest, which scales the exponentials.
    let screen = coarseIndices(points: points)
    var coarseMaxima = [Double](repeating: -.infinity, count: graphs.count)
    for (g, graph) in graphs.enumerated() {
      let shift = modelPrior?[g] ?? 0
      if shift == -.infinity { continue }
      var largest = -Double.infinity
      for index in screen {
        largest = max(largest, value(graph: graph, at: index, margins: margins, base: base))
      }
      coarseMaxima[g] = largest + shift
    }
    var scale = coarseMaxima.max() ?? -.infinity
    let kept = graphs.indices.filter {
      coarseMaxima[$0] >= scale - negligibleLogWeight - screeningMargin
    }
    var accumulated: Accumulated
    while true {
      accumulated = await accumulate(
        graphs: graphs, kept: kept, modelPrior: modelPrior, margins: margins, base: base,
        totals: totals, scale: scale)
      // The subgrid missed a peak far above the screened maximum: rescale and redo.
      guard accumulated.largest > scale + 600 else { break }
      scale = accumulated.largest
    }
    let column = accumulated.column
    let graphWeights = accumulated.weights
    let graphMeans = accumulated.means
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
        meanTotal: graphWeights[g] > 0 ? graphMeans[g] : nil)
    }
    return GraphAveragingResult(
      listNames: table.listNames, observedTotal: table.observedTotal, delta: table.delta,
      priorName: prior.name, grid: grid, totals: totals, probabilities: probabilities,
      summary: PosteriorSummary(values: totals, weights: probabilities), models: models,
      massNearTop: massNearTop, gridWidenings: widenings, warnings: table.warnings(
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

  /// One graph's log weight at one grid index.
  private static func value(graph: DecomposableGraph, at index: Int, margins: [[Double]], base: [Double])
    -> Double
  {
    var sum = base[index]
    for clique in graph.cliques { sum += margins[Int(clique)][index] }
    for separator in graph.separators where separator != 0 { sum -= margins[Int(separator)][index] }
    return sum
  }

  /// Per-grid posterior mass summed over graphs, and per graph its mass and `Σ N·mass`, all
  /// scaled by `e^{−scale}`.
  struct Accumulated: Sendable {
    var column: [Double]
    var weights: [Double]
    var means: [Double]
    /// The largest log weight met.
    var largest: Double
  }

  /// Exponentiates the log weights of the `kept` graphs within `negligibleLogWeight` of `scale`.
  ///
  /// The grid is cut into blocks of `blockSize` points so that every margin's slice stays in
  /// cache while all graphs are evaluated on it; fixed chunks of blocks run in parallel, and the
  /// per-graph sums are added in chunk order, so results do not depend on the number of threads.
  private static func accumulate(
    graphs: [DecomposableGraph], kept: [Int], modelPrior: [Double]?, margins: [[Double]],
    base: [Double], totals: [Double], scale: Double
  ) async -> Accumulated {
    let points = base.count
    let blockSize = 512
    let blocks = (points + blockSize - 1) / blockSize
    let chunkCount = min(blocks, 16)
    let shifts = kept.map { (modelPrior?[$0] ?? 0) - scale }
    let pieces = await withTaskGroup(of: (Int, Accumulated).self) { group in
      for chunk in 0..<chunkCount {
        group.addTask {
          let first = chunk * blocks / chunkCount * blockSize
          let last = min(points, (chunk + 1) * blocks / chunkCount * blockSize)
          var column = [Double](repeating: 0, count: last - first)
          var weights = [Double](repeating: 0, count: kept.count)
          var weightedTotals = [Double](repeating: 0, count: kept.count)
          var largest = -Double.infinity
          var row = [Double](repeating: 0, count: blockSize)
          var start = first
          while start < last {
            let end = min(last, start + blockSize)
            for (position, g) in kept.enumerated() {
              let count = end - start
              let graph = graphs[g]
              let shift = shifts[position]
              for offset in 0..<count { row[offset] = base[start + offset] + shift }
              for clique in graph.cliques {
                let term = margins[Int(clique)]
                for offset in 0..<count { row[offset] += term[start + offset] }
              }
              for separator in graph.separators where separator != 0 {
                let term = margins[Int(separator)]
                for offset in 0..<count { row[offset] -= term[start + offset] }
              }
              var weight = 0.0
              var weightedTotal = 0.0
              for offset in 0..<count {
                let value = row[offset]
                if value > largest { largest = value }
                if value < -negligibleLogWeight { continue }
                let w = fastExponential(value)
                column[start - first + offset] += w
                weight += w
                weightedTotal += w * totals[start + offset]
              }
              weights[position] += weight
              weightedTotals[position] += weightedTotal
            }
            start = end
          }
          return (
            chunk,
            Accumulated(
              column: column, weights: weights, means: weightedTotals, largest: largest + scale)
          )
        }
      }
      var pieces = [Accumulated?](repeating: nil, count: chunkCount)
      for await (chunk, part) in group { pieces[chunk] = part }
      return pieces.map { $0! }
    }
    var result = Accumulated(
      column: [], weights: [Double](repeating: 0, count: graphs.count),
      means: [Double](repeating: .nan, count: graphs.count), largest: -.infinity)
    var weights = [Double](repeating: 0, count: kept.count)
    var weightedTotals = [Double](repeating: 0, count: kept.count)
    for part in pieces {
      result.column += part.column
      for position in kept.indices {
        weights[position] += part.weights[position]
        weightedTotals[position] += part.means[position]
      }
      result.largest = max(result.largest, part.largest)
    }
    for (position, g) in kept.enumerated() {
      result.weights[g] = weights[position]
      result.means[g] = weightedTotals[position] / weights[position]
    }
    return result
  }

}
