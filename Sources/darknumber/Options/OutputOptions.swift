import ArgumentParser

/// `--format`: how a command prints its result.
struct OutputOptions: ParsableArguments {
  @Option(help: "Output format: text, json or csv.")
  var format: OutputFormat = .text
}

/// How a result is printed.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
  case text
  case json
  case csv
}
