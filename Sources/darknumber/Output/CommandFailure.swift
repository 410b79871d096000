import ArgumentParser
import DarkNumber
import DarkNumberBayes
import DarkNumberReports
import Foundation

/// A failure the CLI reports as one sentence on stderr, with its exit code.
enum CommandFailure: Error {
  /// Wrong use of the command (exit 64).
  case usage(String)
  /// Bad data or no estimate (exit 65).
  case data(String)
  /// Anything else (exit 1).
  case other(String)

  /// Maps library errors to the CLI's exit codes: 64 usage, 65 bad data or no estimate, 1 other.
  static func classify(_ error: any Error) -> (message: String, code: Int32) {
    switch error {
    case let failure as CommandFailure:
      switch failure {
      case .usage(let message): return (message, 64)
      case .data(let message): return (message, 65)
      case .other(let message): return (message, 1)
      }
    case let failure as ReportFailure:
      switch failure {
      case .usage(let message): return (message, 64)
      case .data(let message): return (message, 65)
      case .other(let message): return (message, 1)
      }
    case let error as DataError: return (error.description, 65)
    case let error as BayesError:
      if case .invalidOption = error { return (error.description + ".", 64) }
      if case .tooManyListsForGraphAveraging = error { return (error.description + ".", 64) }
      return (error.description + ".", 65)
    case let error as EstimationError: return (error.description, 65)
    case let error as ModelSpecificationError: return (error.description, 64)
    default: return ("\(error)", 1)
    }
  }

  /// Runs `body`; library errors become one line on stderr and the matching exit code.
  static func reporting(_ body: () throws -> Void) throws {
    do {
      try body()
    } catch {
      throw exit(for: error)
    }
  }

  /// The asynchronous form of ``reporting(_:)``.
  static func reporting(_ body: () async throws -> Void) async throws {
    do {
      try await body()
    } catch {
      throw exit(for: error)
    }
  }

  /// Writes the error's sentence to stderr (unless it already is an exit code) and returns the exit.
  private static func exit(for error: any Error) -> ExitCode {
    if let exit = error as? ExitCode { return exit }
    let (message, code) = classify(error)
    FileHandle.standardError.write(Data("darknumber: error: \(message)\n".utf8))
    return ExitCode(code)
  }
}
