import ArgumentParser
import DarkNumber

/// The `darknumber` command: estimates the number of people no list recorded.
@main
struct DarkNumberCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "darknumber",
    abstract: "Estimate the dark number — how many people no list recorded — from overlapping lists.",
    version: DarkNumberVersion.string,
    subcommands: [
      AnalyzeCommand.self, DescribeCommand.self, EstimateCommand.self, ModelsCommand.self, SearchCommand.self,
      SelectCommand.self,
      CheckCommand.self, ValidateCommand.self, SensitivityCommand.self, ReportCommand.self, SimulateCommand.self,
      BayesCommand.self,
      DatasetsCommand.self,
    ])
}
