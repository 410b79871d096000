import Testing

@testable import DarkNumber

/// A bounded, seeded fuzzer (a property-based generator on SplitMix64) for what users type and
/// upload: the CSV readers and the model-specification parser. Inputs are mutations of valid
/// tables and specifications — bytes flipped, inserted and deleted, fields duplicated, huge and
/// strange numbers, separators and line ends swapped — plus random bytes. The properties: every
/// input is accepted or refused with a typed error whose message is one non-empty sentence
/// (never a crash or a hang), and an accepted table's totals add up. About 30,000 inputs per run;
/// the seed is fixed so a failure reproduces.
@Suite("Fuzzing the CSV readers and the model parser")
struct InputFuzzTests {
  static let seeds: [String] = [
    "A,B,C,count\n1,0,0,10\n0,1,0,8\n1,1,0,3\n0,0,1,6\n1,0,1,2\n",
    "LA,NG,PFNCA,GO,GP,count\n1,0,0,0,0,54\n0,1,0,0,0,463\n1,1,0,0,0,15\n0,0,1,0,0,995\n",
    "\u{FEFF}\"x\",\"y\",count\r\n1,1,3\r\n0,1,4\r\n1,0,5\r\n",
    "nbcap,count\n1,50\n2,10\n3,2\n",
  ]
  static let specifications = ["[12,13,4,5]", "LA:NG, PFNCA", "all:2", "Mt", "[123,45]", "A:B:C", "[1,2,3]"]
  static let fragments = [
    "", ",", "\n", "\r", "\r\n", "\"", "0", "1", "-1", "2", "1e2", "2.0", "0.5", "99999999999999999999",
    "9007199254740993", "NaN", "inf", "é", "\u{0}", " ", ";", "count", "A", ":", "[", "]", "12", "[12,", "all:",
  ]

  static func mutate(_ text: String, _ generator: inout SplitMix64) -> [UInt8] {
    var bytes = Array(text.utf8)
    let edits = 1 + Int(generator.next() % 4)
    for _ in 0..<edits {
      let position = bytes.isEmpty ? 0 : Int(generator.next() % UInt64(bytes.count + 1))
      switch generator.next() % 6 {
      case 0 where !bytes.isEmpty: bytes.remove(at: min(position, bytes.count - 1))
      case 1: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: position)
      case 2:
        let fragment = fragments[Int(generator.next() % UInt64(fragments.count))]
        bytes.insert(contentsOf: Array(fragment.utf8), at: position)
      case 3 where !bytes.isEmpty:
        let start = Int(generator.next() % UInt64(bytes.count))
        let end = min(bytes.count, start + Int(generator.next() % 12))
        bytes.insert(contentsOf: bytes[start..<end], at: position)
      case 4 where !bytes.isEmpty:
        bytes[min(position, bytes.count - 1)] = UInt8(truncatingIfNeeded: generator.next())
      default:
        bytes = Array(String(decoding: bytes, as: UTF8.self).replacingNewlines(generator.next()).utf8)
      }
    }
    return bytes
  }

  @Test("CSV readers: accepted or a typed, located, one-sentence refusal", arguments: 0..<4)
  func readers(shard: Int) throws {
    var generator = SplitMix64.stream(seed: 2026, index: UInt64(shard))
    var accepted = 0
    for round in 0..<6_000 {
      let bytes =
        round % 10 == 9
        ? (0..<Int(generator.next() % 80)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        : Self.mutate(Self.seeds[Int(generator.next() % UInt64(Self.seeds.count))], &generator)
      do {
        let data = try CaptureData(csv: bytes, format: round % 3 == 0 ? .perPerson : .aggregated, source: "f.csv")
        accepted += 1
        #expect(data.observedTotal == data.cells.reduce(0) { $0 + $1.count })
        #expect(data.observedTotal <= CaptureData.maximumCount && data.observedTotal > 0)
      } catch {
        #expect(
          !error.description.isEmpty && !error.description.contains("\n"), "\(error.description.debugDescription)")
      }
      do {
        _ = try CaptureFrequencies(csv: bytes, occasions: round % 2 == 0 ? .finite(5) : .continuous, source: "g.csv")
      } catch {
        #expect(!error.description.isEmpty)
      }
      do {
        _ = try CovariateCaptureData(csv: bytes, covariates: ["C"], source: "h.csv")
      } catch {
        #expect(!error.description.isEmpty)
      }
    }
    #expect(accepted > 0, "some mutated tables stay valid")
  }

  @Test("Model specifications: a model of the data's lists or a typed refusal")
  func specifications() throws {
    var generator = SplitMix64.stream(seed: 2027, index: 0)
    let names = ["LA", "NG", "PFNCA", "GO", "GP"]
    for _ in 0..<6_000 {
      let text = String(
        decoding: Self.mutate(
          Self.specifications[Int(generator.next() % UInt64(Self.specifications.count))], &generator),
        as: UTF8.self)
      do {
        let model = try LogLinearModel(specification: text, listNames: names)
        #expect(model.listCount == names.count)
        #expect(model.interactions.allSatisfy { $0.nonzeroBitCount >= 2 && $0 < 1 << 5 })
      } catch {
        #expect(!error.description.isEmpty)
      }
    }
  }
}

extension String {
  /// The text with its line ends made `\n`, `\r\n` or `\r` (by `choice`).
  fileprivate func replacingNewlines(_ choice: UInt64) -> String {
    let unified = replacing("\r\n", with: "\n").replacing("\r", with: "\n")
    switch choice % 3 {
    case 0: return unified
    case 1: return unified.replacing("\n", with: "\r\n")
    default: return unified.replacing("\n", with: "\r")
    }
  }
}
