import DarkNumber
import Testing

/// The streaming per-person reader gives exactly what the whole-file reader gives, for any chunk
/// size, and the same errors.
@Suite("Streaming per-person aggregation")
struct PerPersonAccumulatorTests {
  static func streamed(_ text: String, chunk: Int) throws(DataError) -> CaptureData {
    var accumulator = PerPersonAccumulator(source: "p.csv")
    let bytes = Array(text.utf8)
    var start = 0
    while start < bytes.count {
      try accumulator.consume(bytes[start..<min(bytes.count, start + chunk)])
      start += chunk
    }
    return try accumulator.finish()
  }

  @Test("Same data as the whole-file reader, chunks of 1, 7 and 4096 bytes")
  func matches() throws {
    var generator = SplitMix64.stream(seed: 3, index: 0)
    var text = "\u{FEFF}id,A,B, C ,D\r\n"
    for row in 0..<2000 {
      var fields = (0..<4).map { _ in generator.uniform() < 0.3 ? "1" : "0" }
      if !fields.contains("1") { fields[row % 4] = "1" }
      if row % 17 == 0 { fields[1] = "\"\(fields[1])\"" }
      if row % 23 == 0 { fields[2] = " \(fields[2]) " }
      text += "p\(row)," + fields.joined(separator: ",") + (row % 2 == 0 ? "\r\n" : "\n")
      if row % 101 == 0 { text += "\n" }
    }
    let whole = try CaptureData(csv: Array(text.utf8), format: .perPerson, source: "p.csv")
    for chunk in [1, 7, 4096] { #expect(try Self.streamed(text, chunk: chunk) == whole) }
    #expect(whole.listNames == ["A", "B", "C", "D"])
  }

  @Test(
    "Same errors, with line and column",
    arguments: [
      "A,B\n1,0\n0,2\n", "A,B\n1,0\n1\n", "A,B\n0,0\n", "A,B\n", "", "A\n1\n", "A,A\n1,0\n", "A,B\n\"1,0\n",
    ])
  func errors(text: String) {
    var whole: DataError?
    do { _ = try CaptureData(csv: Array(text.utf8), format: .perPerson, source: "p.csv") } catch { whole = error }
    var streamed: DataError?
    do { _ = try Self.streamed(text, chunk: 3) } catch { streamed = error }
    #expect(whole != nil)
    #expect(
      streamed == whole, "\(text.debugDescription): \(String(describing: streamed)) vs \(String(describing: whole))")
  }
}
