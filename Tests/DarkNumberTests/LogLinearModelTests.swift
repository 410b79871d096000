import DarkNumber
import Testing

@Suite("Model specifications")
struct LogLinearModelTests {
  let names = ["LA", "NG", "PF", "GO", "GP"]

  @Test("Rcapture digits and list names give the same hierarchical model")
  func notations() throws {
    let digits = try LogLinearModel(specification: "[123,25,4]", listNames: names)
    let named = try LogLinearModel(specification: "LA:NG:PF, NG:GP", listNames: names)
    #expect(digits == named)
    #expect(digits.interactions.count == 5)  // 12, 13, 23, 25, 123
    #expect(digits.description == "[25,123,4]" || digits.description == "[123,25,4]")
  }

  @Test("Every subterm of a higher-order term is implied")
  func hierarchy() throws {
    let model = try LogLinearModel(specification: "[1234]", listNames: names)
    // 6 pairs, 4 triples, 1 quadruple.
    #expect(model.interactions.count == 11)
    #expect(model.parameterCount == 1 + 5 + 11)
  }

  @Test("Keywords: Mt and all:k")
  func keywords() throws {
    #expect(try LogLinearModel(specification: "Mt", listNames: names) == .mainEffects(listCount: 5))
    #expect(try LogLinearModel(specification: "all:2", listNames: names).interactions.count == 10)
  }

  @Test(
    "Invalid specifications name the offending token",
    arguments: [
      ("", ModelSpecificationError.empty),
      ("[16]", .listNumberOutOfRange(6, listCount: 5, term: "16")),
      ("LA:XX", .unknownList("XX", term: "LA:XX")),
      ("[12,12]", .duplicateTerm("12")),
      ("LA:NG, LA:NG", .duplicateTerm("LA:NG")),
      ("[11]", .repeatedList("1", term: "11")),
      ("[1a]", .malformed("1a")),
      ("[12", .malformed("[12")),
    ])
  func invalid(specification: String, error: ModelSpecificationError) {
    #expect(throws: error) { try LogLinearModel(specification: specification, listNames: names) }
  }

  @Test("Digit notation needs at most nine lists")
  func digitsNeedNineLists() {
    let ten = (1...10).map { "S\($0)" }
    #expect(throws: ModelSpecificationError.digitNotationNeedsAtMostNineLists(listCount: 10)) {
      try LogLinearModel(specification: "[12]", listNames: ten)
    }
  }

  @Test("The design names columns as R does")
  func columnNames() throws {
    let model = try LogLinearModel(specification: "[12,3]", listNames: ["A", "B", "C"])
    let design = DesignMatrix(model: model, listNames: ["A", "B", "C"])
    #expect(design.columnNames == ["(Intercept)", "A", "B", "C", "A:B"])
    #expect(design.matrix.rows == 7)
    // History 0b011 (A and B) is row 2: intercept, A, B, not C, A:B.
    #expect((0..<5).map { design.matrix[2, $0] } == [1, 1, 1, 0, 1])
  }
}
