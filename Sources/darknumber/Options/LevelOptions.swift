import ArgumentParser

/// `--level`: the coverage of every interval a command prints.
struct LevelOptions: ParsableArguments {
  // `.unconditional`: a negative value is read as the value it is (then refused by `validate`),
  // not as an unknown option.
  @Option(parsing: .unconditional, help: "The confidence (or credible) level of the intervals, in (0, 1).")
  var level: Double = 0.95

  func validate() throws {
    guard level > 0 && level < 1 else { throw ValidationError("--level must lie strictly between 0 and 1.") }
  }
}
