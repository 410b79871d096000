import ArgumentParser
import Foundation

/// `--threads` and `--[no-]progress`: shared by the commands that run in parallel.
struct RunOptions: ParsableArguments {
  @Option(
    parsing: .unconditional,
    help: "Parallel tasks: bootstrap replicates, chains or simulated data sets (each with one BLAS thread).")
  var threads: Int = 2

  @Flag(inversion: .prefixedNo, help: "Show progress on standard error when it is a terminal.")
  var progress = true

  func validate() throws {
    guard threads >= 1 else { throw ValidationError("--threads must be at least 1.") }
  }

  /// Whether progress is drawn: asked for, and standard error is a terminal.
  private var drawsProgress: Bool { progress && isatty(STDERR_FILENO) == 1 }

  /// A callback that redraws `label done/count` (or `label done` when the count is not known) on
  /// standard error, or `nil` when progress is not drawn or there is nothing to count.
  func reporter(label: String, count: Int?) -> (@Sendable (Int) -> Void)? {
    guard drawsProgress && count != 0 else { return nil }
    let suffix = count.map { "/\($0)" } ?? ""
    return { done in FileHandle.standardError.write(Data("\r\(label) \(done)\(suffix)".utf8)) }
  }

  /// Ends a progress line started by ``reporter(label:count:)``.
  func finish(_ reporter: (@Sendable (Int) -> Void)?) {
    if reporter != nil { FileHandle.standardError.write(Data("\n".utf8)) }
  }

  /// Shows `text` as a status line until ``clearStatus()`` (when progress is drawn).
  func status(_ text: String) {
    if drawsProgress { FileHandle.standardError.write(Data("\(text)\r".utf8)) }
  }

  /// Clears the status line.
  func clearStatus() {
    if drawsProgress { FileHandle.standardError.write(Data("\u{1B}[2K\r".utf8)) }
  }
}
