import Foundation
import Testing

/// Option values a user gets wrong are refused in words that name the option and its range,
/// with exit 64 — a negative number is read as the value it is, not as an unknown option.
@Suite("Argument messages")
struct ArgumentMessagesTests {
  static var binary: URL { CommandRunner.productsDirectory.appendingPathComponent("darknumber") }

  @Test(
    "Negative and misplaced values: one sentence naming the option, exit 64",
    arguments: [
      (["estimate", "--example", "UKdat_5", "--level", "-0.5"], "--level must lie strictly between 0 and 1"),
      (["select", "--example", "UKdat_5", "--bootstrap", "-3"], "--bootstrap must be 0 or more"),
      (["select", "--example", "UKdat_5", "--pthresh", "-1"], "--pthresh must lie in [0, 1]"),
      (["select", "--example", "UKdat_5", "--threads", "-2"], "--threads must be at least 1"),
      (["report", "--example", "UKdat_5", "--pthresh", "-0.1", "-o", "/dev/null"], "--pthresh must lie in (0, 1]"),
      (["estimate", "--example", "UKdat_5", "--per-person"], "--per-person applies to a CSV file"),
      (
        ["estimate", "--example", "covariates/spina", "--covariates", "eth", "--interval", "profile"],
        "--interval does not apply with --covariates"
      ),
      // An unknown option's value is left as the file: the message names it.
      (["select", "--example", "UKdat_5", "--bogus", "1"], "got the file \"1\" and --example UKdat_5"),
    ] as [([String], String)])
  func refused(arguments: [String], message: String) throws {
    let result = try CommandRunner.run(Self.binary, arguments)
    #expect(result.status == 64, "\(result.stderr)")
    #expect(result.stderr.contains(message), "\(result.stderr)")
    #expect(!result.stderr.contains("Missing value"))
  }
}
