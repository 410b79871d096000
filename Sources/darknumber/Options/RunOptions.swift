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
  /// standard error, at most ten times a second, with the time left at the pace so far once a
  /// second has passed; `nil` when there is nothing to count. When standard error is not a
  /// terminal (or progress is off) it draws nothing, but says once how long the rest will take
  /// when that is more than a minute, so that a run of a billion replicates is not silent.
  func reporter(label: String, count: Int?) -> (@Sendable (Int) -> Void)? {
    guard count != 0 else { return nil }
    let draws = drawsProgress
    guard draws || count != nil else { return nil }
    let pace = ProgressPace(label: label, count: count, draws: draws)
    return { done in pace.report(done) }
  }

  /// Ends a progress line started by ``reporter(label:count:)``.
  func finish(_ reporter: (@Sendable (Int) -> Void)?) {
    if reporter != nil && drawsProgress { FileHandle.standardError.write(Data("\n".utf8)) }
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
