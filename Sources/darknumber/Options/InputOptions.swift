import ArgumentParser
import DarkNumber
import DarkNumberReports
import Foundation

/// Where the capture data come from: a CSV file or a bundled example.
struct InputOptions: ParsableArguments {
  @Argument(help: "A CSV file: 0/1 list columns and a count column (or one row per person with --per-person).")
  var file: String?

  @Option(help: "Use a bundled table instead of a file (see `darknumber datasets`).")
  var example: String?

  @Flag(help: "The file has one row per person (0/1 list columns; an `id` column is ignored).")
  var perPerson = false

  func validate() throws {
    if file == nil && example == nil {
      throw ValidationError("Give a CSV file or --example NAME.")
    }
    if let file, let example {
      // An option the command does not take leaves its value behind as the file: say which.
      throw ValidationError(
        "Give either a CSV file or --example NAME, not both: got the file \"\(file)\" and --example \(example). If \"\(file)\" was meant as an option's value, that option is not one of this command's (see --help)."
      )
    }
    if perPerson && example != nil {
      throw ValidationError("--per-person applies to a CSV file; the bundled tables are aggregated already.")
    }
  }

  /// A short description of the input for reports.
  var sourceDescription: String { example.map { "\($0) (bundled)" } ?? file ?? "" }

  /// Reads and validates the data.
  func load() throws -> CaptureData {
    if let example {
      guard let dataset = Dataset.named(example) else {
        let names = Dataset.all.filter { $0.kind == .histories }.map(\.name).joined(separator: ", ")
        throw CommandFailure.usage("unknown example \"\(example)\"; bundled tables: \(names).")
      }
      guard dataset.kind == .histories else {
        throw CommandFailure.usage("the example \"\(example)\" is not a table of capture histories.")
      }
      return try dataset.captureData()
    }
    let path = file ?? ""
    if perPerson {
      // One streaming pass in 4 MiB chunks: memory grows with the distinct histories, not the rows.
      guard let handle = FileHandle(forReadingAtPath: path) else {
        throw CommandFailure.other("cannot read the file \(path).")
      }
      defer { try? handle.close() }
      var accumulator = PerPersonAccumulator(source: path)
      while let chunk = try handle.read(upToCount: 1 << 22), !chunk.isEmpty {
        try accumulator.consume(chunk)
      }
      return try accumulator.finish()
    }
    guard let contents = FileManager.default.contents(atPath: path) else {
      throw CommandFailure.other("cannot read the file \(path).")
    }
    return try CaptureData(csv: [UInt8](contents), format: .aggregated, source: path)
  }
}
