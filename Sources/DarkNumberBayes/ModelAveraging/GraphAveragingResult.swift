/// The posterior of a decomposable-graph model average (``GraphModelAveraging``).
public struct GraphAveragingResult: Sendable {
  /// One graph's share of the posterior.
  public struct Model: Sendable {
    /// The decomposable graph (its cliques are the model's generating class).
    public let graph: DecomposableGraph
    /// The posterior probability of the graph, `Σ_m p(g, m | y)`.
    public let weight: Double
    /// `E[N | g, y]`; nil when the graph's weight is negligible (below e⁻⁶⁰ of the largest).
    public let meanTotal: Double?
  }

  /// The lists' names.
  public let listNames: [String]
  /// The number of individuals observed, `n`.
  public let observedTotal: Int
  /// The hyper-Dirichlet parameter used.
  public let delta: Double
  /// The prior on N, in words.
  public let priorName: String
  /// The grid of unobserved counts used.
  public let grid: MissingGrid
  /// The population sizes `N = n + m` of the grid.
  public let totals: [Double]
  /// The posterior probability of each of ``totals``.
  public let probabilities: [Double]
  /// Mean, median, mode, quantiles and credible intervals of N.
  public let summary: PosteriorSummary
  /// Every graph, by decreasing posterior weight.
  public let models: [Model]
  /// The posterior mass in the top 1% of the grid points.
  public let massNearTop: Double
  /// How many times the automatic grid was doubled.
  public let gridWidenings: Int
  /// Caveats in words.
  public let warnings: [BayesWarning]

  /// A graph's generating class in dga's notation with these lists' names, `[LA,NG][PF]`.
  public func name(of model: Model) -> String { model.graph.name(vertexNames: listNames) }
}
