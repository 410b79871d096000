import Foundation

/// The CLI's JSON encoding: pretty-printed, sorted keys, no escaped slashes.
enum JSONText {
  /// Encodes `value`. Limits that do not exist are `null`; a non-finite number that reaches a
  /// document anyway is written as the string `"NaN"`, `"Infinity"` or `"-Infinity"`, never as an
  /// invalid JSON number.
  /// - Throws: the encoder's error, which the command reports instead of writing an
  ///   empty document.
  static func encode(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    let bytes = try encoder.encode(value)
    return String(decoding: bytes, as: UTF8.self) + "\n"
  }
}
