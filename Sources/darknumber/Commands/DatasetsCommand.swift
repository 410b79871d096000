import ArgumentParser
import DarkNumber
import DarkNumberReports

/// `darknumber datasets`: the bundled published tables and their sources.
struct DatasetsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "datasets", abstract: "List the bundled published tables and their citations.")

  func run() throws {
    for dataset in Dataset.all {
      var line = "\(dataset.name) [\(dataset.kind.rawValue); \(dataset.rPackage)]: \(dataset.citation)"
      if !dataset.note.isEmpty { line += " — \(dataset.note)" }
      print(line)
    }
  }
}
