import Foundation

/// Files the CLI writes on request (`--replicates-csv`, `--draws-csv`).
enum TextFile {
  /// Writes `text` to `path`, replacing any file there.
  /// - Throws: ``CommandFailure/other(_:)`` when the file cannot be written.
  static func write(_ text: String, to path: String) throws {
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
      throw CommandFailure.other("cannot write \(path).")
    }
  }
}
