/// An undirected graph on `K` vertices (lists) that is decomposable (chordal), stored as its
/// maximal cliques and the separators of a junction tree (Lauritzen 1996, *Graphical Models*,
/// §2.1).
///
/// A decomposable graphical model for a `2^K` table factorises as
/// `p(x) = Π_C p(x_C) / Π_S p(x_S)` over cliques `C` and separators `S`; this is what makes the
/// hyper-Dirichlet marginal likelihood of Dawid & Lauritzen (1993) a product of clique terms
/// divided by separator terms (Madigan & York 1997, Biometrika 84, 19–31).
public struct DecomposableGraph: Sendable, Hashable {
  /// The number of vertices.
  public let vertexCount: Int
  /// `edges[v]` is the bitmask of `v`'s neighbours.
  public let adjacency: [UInt32]
  /// The maximal cliques as vertex bitmasks, in the order of a perfect sequence (the running
  /// intersection property holds), the first containing vertex 0's component.
  public let cliques: [UInt32]
  /// The separators of the junction tree: `separators[i]` is the intersection of clique `i + 1`
  /// with the union of the cliques before it (empty between components). One fewer than cliques.
  public let separators: [UInt32]

  /// The graph with the given neighbour sets, or nil when it is not chordal.
  ///
  /// Chordality is tested by maximum cardinality search (Tarjan & Yannakakis 1984, SIAM J.
  /// Comput. 13, 566–579): the search order is a perfect elimination order exactly when the graph
  /// is chordal, and the same pass yields the cliques and separators.
  public init?(vertexCount: Int, adjacency: [UInt32]) {
    precondition(vertexCount >= 1 && vertexCount <= 32 && adjacency.count == vertexCount)
    self.vertexCount = vertexCount
    self.adjacency = adjacency
    var numbered: UInt32 = 0
    var weight = [Int](repeating: 0, count: vertexCount)
    var cliques: [UInt32] = []
    var separators: [UInt32] = []
    var previousWeight = -1
    for _ in 0..<vertexCount {
      // The unnumbered vertex with most numbered neighbours; ties to the lowest index.
      var chosen = -1
      for v in 0..<vertexCount where numbered & (1 << v) == 0 {
        if chosen < 0 || weight[v] > weight[chosen] { chosen = v }
      }
      let earlier = adjacency[chosen] & numbered
      // Perfect elimination: the numbered neighbours of `chosen` must be a clique.
      var rest = earlier
      while rest != 0 {
        let u = rest.trailingZeroBitCount
        rest &= rest - 1
        if earlier & ~(adjacency[u] | (1 << u)) != 0 { return nil }
      }
      if weight[chosen] <= previousWeight {
        // A new clique starts; its separator is `chosen`'s numbered neighbourhood.
        separators.append(earlier)
        cliques.append(earlier | (1 << chosen))
      } else if cliques.isEmpty {
        cliques.append(1 << chosen)
      } else {
        cliques[cliques.count - 1] |= 1 << chosen
      }
      previousWeight = weight[chosen]
      numbered |= 1 << chosen
      var neighbours = adjacency[chosen] & ~numbered
      while neighbours != 0 {
        let u = neighbours.trailingZeroBitCount
        neighbours &= neighbours - 1
        weight[u] += 1
      }
    }
    self.cliques = cliques
    self.separators = separators
  }

  /// The graph whose maximal cliques are `cliques` (vertex bitmasks over `vertexCount` vertices),
  /// or nil when the resulting graph is not decomposable.
  public init?(vertexCount: Int, cliques: [UInt32]) {
    var adjacency = [UInt32](repeating: 0, count: vertexCount)
    for clique in cliques {
      for v in 0..<vertexCount where clique & (1 << v) != 0 {
        adjacency[v] |= clique & ~(1 << v)
      }
    }
    self.init(vertexCount: vertexCount, adjacency: adjacency)
  }

  /// The number of edges.
  public var edgeCount: Int { adjacency.reduce(0) { $0 + $1.nonzeroBitCount } / 2 }

  /// The cliques with their vertices in increasing order, sorted lexicographically: a canonical
  /// description independent of the search order.
  public var sortedCliques: [[Int]] {
    cliques.map { clique in (0..<vertexCount).filter { clique & (1 << $0) != 0 } }
      .sorted { $0.lexicographicallyPrecedes($1) }
  }

  /// The generating class in dga's notation, `[L1,L2][L3]`, with the given vertex names.
  public func name(vertexNames: [String]) -> String {
    sortedCliques.map { "[" + $0.map { vertexNames[$0] }.joined(separator: ",") + "]" }.joined()
  }

  /// Every decomposable graph on `vertexCount` labelled vertices, in increasing order of edge set
  /// (edges numbered `(0,1), (0,2), …, (1,2), …`; the graph with edge bits `b` precedes `b + 1`).
  ///
  /// All `2^(K(K−1)/2)` graphs are tested, so this is for `K ≤ 7` (2,097,152 graphs, 617,675 of
  /// them chordal). Counts for K = 1…7: 1, 2, 8, 61, 822, 18,154, 617,675 (OEIS A058862).
  public static func all(vertexCount: Int) -> [DecomposableGraph] {
    precondition((1...7).contains(vertexCount), "decomposable graphs are enumerated for 1…7 vertices")
    var pairs: [(Int, Int)] = []
    for i in 0..<vertexCount { for j in (i + 1)..<max(i + 1, vertexCount) { pairs.append((i, j)) } }
    var result: [DecomposableGraph] = []
    var adjacency = [UInt32](repeating: 0, count: vertexCount)
    for bits in 0..<(1 << pairs.count) {
      for v in 0..<vertexCount { adjacency[v] = 0 }
      for (index, (i, j)) in pairs.enumerated() where bits & (1 << index) != 0 {
        adjacency[i] |= 1 << j
        adjacency[j] |= 1 << i
      }
      if let graph = DecomposableGraph(vertexCount: vertexCount, adjacency: adjacency) {
        result.append(graph)
      }
    }
    return result
  }
}
