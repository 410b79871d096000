import Foundation

/// The CLI's JSON encoding: pretty-printed, sorted keys, no escaped slashes.
enum JSONText {
  /// Encodes `value`; every number the CLI emits is finite (unbounded limits are `null`).
  static func encode(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    let bytes = (try? encoder.encode(value)) ?? Data("{}".utf8)
    return String(decoding: bytes, as: UTF8.self) + "\n"
  }
}
