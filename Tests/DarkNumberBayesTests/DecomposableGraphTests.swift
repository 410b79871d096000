import DarkNumberBayes
import Testing

@Suite("Decomposable graphs")
struct DecomposableGraphTests {
  @Test("All labelled decomposable graphs are found (OEIS A058862: 8, 61, 822, 18,154, 617,675)")
  func counts() {
    #expect(DecomposableGraph.all(vertexCount: 3).count == 8)
    #expect(DecomposableGraph.all(vertexCount: 4).count == 61)
    #expect(DecomposableGraph.all(vertexCount: 5).count == 822)
    #expect(DecomposableGraph.all(vertexCount: 6).count == 18_154)
    #expect(DecomposableGraph.all(vertexCount: 7).count == 617_675)
  }

  @Test("The 4-cycle is rejected; cliques and separators of a chain and a forest")
  func structure() throws {
    let cycle: [UInt32] = [0b1010, 0b0101, 0b1010, 0b0101]
    #expect(DecomposableGraph(vertexCount: 4, adjacency: cycle) == nil)
    let chain = try #require(DecomposableGraph(vertexCount: 4, cliques: [0b0011, 0b0110, 0b1100]))
    #expect(chain.sortedCliques == [[0, 1], [1, 2], [2, 3]])
    #expect(chain.separators.map(\.nonzeroBitCount) == [1, 1])
    #expect(chain.name(vertexNames: ["A", "B", "C", "D"]) == "[A,B][B,C][C,D]")
    let forest = try #require(DecomposableGraph(vertexCount: 3, cliques: [0b011, 0b100]))
    #expect(forest.separators == [0])
    #expect(forest.sortedCliques == [[0, 1], [2]])
  }

  @Test("Every clique separator lies in an earlier clique (running intersection)")
  func runningIntersection() {
    for graph in DecomposableGraph.all(vertexCount: 5) {
      #expect(graph.separators.count == graph.cliques.count - 1)
      for (index, separator) in graph.separators.enumerated() {
        let earlier = graph.cliques[0...index].reduce(0, |)
        #expect(graph.cliques[index + 1] & earlier == separator)
        #expect(graph.cliques[0...index].contains { $0 & separator == separator })
      }
    }
  }
}
