import DarkNumber
import Testing

@Suite("Reading capture data")
struct CaptureDataTests {
  func read(_ text: String, _ format: CaptureDataFormat = .aggregated) throws(DataError) -> CaptureData {
    try CaptureData(csv: Array(text.utf8), format: format, source: "t.csv")
  }

  func location(_ line: Int, _ column: Int? = nil, _ name: String? = nil) -> InputLocation {
    InputLocation(source: "t.csv", line: line, column: column, columnName: name)
  }

  @Test("Aggregated CSV: BOM, CRLF, quotes, spaces, duplicates summed, zero counts kept out")
  func tolerantReading() throws {
    let text = "\u{FEFF}\"A\", B ,count\r\n1,0, 5\r\n\"1\",1,2\r\n1,0,3\r\n0,1,0\r\n0,0,0\r\n\r\n"
    let data = try read(text)
    #expect(data.listNames == ["A", "B"])
    #expect(data.observedTotal == 10)
    #expect(data.count(of: CaptureHistory(lists: [0])!) == 8)
    #expect(data.count(of: CaptureHistory(lists: [0, 1])!) == 2)
    #expect(data.count(of: CaptureHistory(lists: [1])!) == 0)
    #expect(data.cells.count == 2)
  }

  /// Classic Mac OS line ends (a lone CR) end rows too; errors name the right line.
  @Test("CR-only line ends")
  func carriageReturns() throws {
    let data = try read("A,B,count\r1,0,5\r1,1,10\r0,1,3\r")
    #expect(data.listNames == ["A", "B"])
    #expect(data.observedTotal == 18)
    #expect(throws: DataError.notBinary("2", location(3, 2, "B"))) {
      try read("A,B,count\r1,0,5\r1,2,10\r")
    }
  }

  @Test("Per-person CSV: one row each, the id column ignored")
  func perPerson() throws {
    let data = try read("id,A,B,C\n1,1,0,0\n2,1,1,0\n3,1,0,0\n4,0,0,1\n", .perPerson)
    #expect(data.listNames == ["A", "B", "C"])
    #expect(data.observedTotal == 4)
    #expect(data.count(of: CaptureHistory(lists: [0])!) == 2)
  }

  @Test("The count column may stand anywhere and be spelled in any case")
  func countColumnAnywhere() throws {
    let data = try read("COUNT,A,B\n4,1,0\n2,1,1\n1,0,1\n")
    #expect(data.listNames == ["A", "B"])
    #expect(data.observedTotal == 7)
  }

  @Test("A list that recorded nobody is a warning, not an error")
  func emptyList() throws {
    let data = try read("A,B,C,count\n1,0,0,4\n1,1,0,2\n0,1,0,3\n")
    #expect(data.warnings == [.emptyList(name: "C")])
  }

  @Test("A value other than 0 or 1 names its line and column")
  func notBinary() {
    #expect(throws: DataError.notBinary("2", location(3, 2, "B"))) {
      try read("A,B,count\n1,0,3\n0,2,1\n")
    }
  }

  @Test(
    "Negative, fractional, non-numeric and overflowing counts",
    arguments: [
      ("-3", DataError.CountProblem.negative), ("2.5", .fractional), ("abc", .notANumber),
      ("99999999999999999999", .overflow), ("", .notANumber),
    ])
  func badCounts(value: String, problem: DataError.CountProblem) {
    #expect(throws: DataError.invalidCount(value, location(2, 3, "count"), reason: problem)) {
      try read("A,B,count\n1,0,\(value)\n")
    }
  }

  @Test("A count of 4.0 is a whole number")
  func wholeDecimal() throws {
    #expect(try read("A,B,count\n1,0,4.0\n0,1,1\n").observedTotal == 5)
  }

  @Test("A positive count on the all-zero history cannot be observed")
  func unobservable() {
    #expect(throws: DataError.unobservableHistory(location(3))) {
      try read("A,B,count\n1,0,3\n0,0,2\n")
    }
    #expect(throws: DataError.unobservableHistory(location(3))) {
      try read("A,B\n1,0\n0,0\n", .perPerson)
    }
  }

  @Test("A ragged row says how many fields it has and how many were expected")
  func ragged() {
    #expect(throws: DataError.raggedRow(location(3), expected: 3, found: 2)) {
      try read("A,B,count\n1,0,3\n1,2\n")
    }
  }

  @Test("Empty input and header-only input")
  func emptyInputs() {
    #expect(throws: DataError.emptyInput(source: "t.csv")) { try read("") }
    #expect(throws: DataError.emptyInput(source: "t.csv")) { try read("\n\n") }
    #expect(throws: DataError.noDataRows(source: "t.csv")) { try read("A,B,count\n") }
  }

  @Test("Duplicate and empty column names")
  func columnNames() {
    #expect(throws: DataError.duplicateColumnName("A", location(1, 2))) {
      try read("A,A,count\n1,0,1\n")
    }
    #expect(throws: DataError.emptyColumnName(location(1, 2))) { try read("A,,count\n1,0,1\n") }
  }

  @Test("Fewer than 2 or more than 30 lists")
  func listCount() {
    #expect(throws: DataError.listCountOutOfRange(1, source: "t.csv")) { try read("A,count\n1,3\n") }
    let names = (1...31).map { "L\($0)" }.joined(separator: ",")
    let row = Array(repeating: "1", count: 31).joined(separator: ",")
    #expect(throws: DataError.listCountOutOfRange(31, source: "t.csv")) {
      try read("\(names),count\n\(row),1\n")
    }
  }

  @Test("Thirty lists are allowed")
  func thirtyLists() throws {
    let names = (1...30).map { "L\($0)" }.joined(separator: ",")
    let row = Array(repeating: "1", count: 30).joined(separator: ",")
    #expect(try read("\(names),count\n\(row),1\n").listCount == 30)
  }

  @Test("Aggregated data need a count column")
  func missingCount() {
    #expect(throws: DataError.missingCountColumn(source: "t.csv")) { try read("A,B\n1,0\n") }
  }

  @Test("Bytes that are not UTF-8 name their line")
  func invalidUTF8() {
    var bytes = Array("A,B,count\n1,0,3\n".utf8)
    bytes += [0x31, 0x2C, 0xFF, 0x2C, 0x31, 0x0A]
    #expect(throws: DataError.invalidUTF8(location(3, 2))) {
      try CaptureData(csv: bytes, source: "t.csv")
    }
  }

  @Test("An unterminated quote names where it opened")
  func unterminatedQuote() {
    #expect(throws: DataError.unterminatedQuote(location(2, 2))) {
      try read("A,B,count\n1,\"0,3\n")
    }
  }

  @Test("All counts zero is not data")
  func noObservations() {
    #expect(throws: DataError.noObservations) { try read("A,B,count\n1,0,0\n0,1,0\n") }
  }

  @Test("Errors read as one sentence with the place")
  func messages() {
    let error = DataError.notBinary("2", location(3, 2, "B"))
    #expect(
      error.description
        == "t.csv, line 3, column 2 (\"B\"): found \"2\"; expected 0 or 1 in a list column (categorical columns must be named as covariates)."
    )
  }

  @Test("Every bundled table of histories reads")
  func bundled() throws {
    for dataset in Dataset.all where dataset.kind == .histories {
      let data = try dataset.captureData()
      #expect(data.observedTotal > 0, "\(dataset.name)")
    }
    #expect(try Dataset.named("Ned")?.captureData().observedTotal == 8234)
    #expect(try Dataset.named("synthetic10")?.captureData().observedTotal == 101_985)
  }
}
