import ArgumentParser
import DarkNumberReports

/// `--format`: how a command prints its result.
struct OutputOptions: ParsableArguments {
  @Option(help: "Output format: text, json or csv.")
  var format: OutputFormat = .text
}

extension OutputFormat: ExpressibleByArgument {}
