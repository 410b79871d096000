import ArgumentParser
import DarkNumber
import DarkNumberReports
import Foundation

/// `darknumber describe`: the data before any model.
struct DescribeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "describe",
    abstract:
      "Describe the lists: sizes, pairwise overlaps with Poisson p-values, histories by number of lists, sparsity warnings."
  )

  @OptionGroup var input: InputOptions

  @Option(
    help:
      "Hide counts from 1 to k − 1 as \"<k\", with complementary suppression so that no hidden count can be worked out from the others (k ≥ 2)."
  )
  var suppressBelow: Int?

  @OptionGroup var rendering: OutputOptions

  func validate() throws {
    if let suppressBelow, suppressBelow < 2 { throw ValidationError("--suppress-below must be at least 2.") }
  }

  func run() throws {
    try CommandFailure.reporting {
      let data = try input.load()
      let report = DescribeReport(
        source: input.sourceDescription, description: DataDescription(data: data), threshold: suppressBelow)
      print(try report.rendered(as: rendering.format), terminator: "")
    }
  }
}
