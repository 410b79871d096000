import Foundation

/// The CLI's JSON encoding: pretty-printed, sorted keys, no escaped slashes.
package enum JSONText {
  /// Encodes `value`. Numbers that do not exist (an unbounded limit, a parameter at −∞) are
  /// `null` or absent in every document; a non-finite number that reaches one anyway is a bug,
  /// reported with its place in the document instead of written as `NaN` or `Infinity`.
  /// - Throws: ``ReportFailure/other(_:)`` naming the field of a non-finite number; the
  ///   encoder's other errors as they are.
  package static func encode(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    do {
      let bytes = try encoder.encode(value)
      return String(decoding: bytes, as: UTF8.self) + "\n"
    } catch EncodingError.invalidValue(let number, let context) {
      throw ReportFailure.other(
        "the JSON document would hold the non-finite number \(number) at \(path(context.codingPath)); this is a bug in darknumber, please report it."
      )
    }
  }

  /// A place in a document as a person writes it: `lists[2].name`, or `the document` at the top.
  package static func path(_ codingPath: [any CodingKey]) -> String {
    let keys = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
    return keys.isEmpty ? "the document" : String(keys.drop { $0 == "." })
  }
}
