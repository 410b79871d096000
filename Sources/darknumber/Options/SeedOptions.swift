import ArgumentParser

/// `--seed`: shared by the commands that draw random numbers.
struct SeedOptions: ParsableArguments {
  @Option(
    help: """
      The seed: replicate or chain i draws from stream (seed, i). Default 1234 (SparseMSE's iseed); \
      1 for simulate and bayes.
      """)
  var seed: UInt64?

  /// The seed given, or the command's default.
  func seed(default value: UInt64) -> UInt64 { seed ?? value }
}
