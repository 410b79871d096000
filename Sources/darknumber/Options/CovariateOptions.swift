import ArgumentParser
import DarkNumber
import DarkNumberReports
import Foundation

/// Options for estimating with covariates (`estimate` and `select`).
struct CovariateOptions: ParsableArguments {
  @Option(
    help:
      "Covariate columns (categorical), comma-separated, e.g. \"age,sex,year\". Turns on the covariate model: every covariate's main effect is in the model; the other non-count columns are 0/1 lists. Empty or NA values are missing."
  )
  var covariates: String?

  @Option(
    help:
      "A CSV saying which lists operated for which covariate levels: one or more covariate columns (a level, or * for any) and one 0/1 column per list. A list operated for a stratum unless a matching row has 0 for it; strata no row matches had every list. Records on a list that did not operate are errors; those cells are structural zeros."
  )
  var coverage: String?

  @Option(
    help:
      "Treat a covariate as a polynomial trend in its (numeric) levels: NAME or NAME:DEGREE (default degree 1). Repeatable."
  )
  var trend: [String] = []

  @Option(
    help:
      "Print the breakdown by this covariate (level, observed, N̂, SE, intervals, rate). Repeatable; default: every covariate."
  )
  var by: [String] = []

  @Option(
    help:
      "A CSV of population sizes per level (a column named as a --by covariate and a `population` column): adds rates per 100,000."
  )
  var population: String?

  @Option(
    help:
      "Records with missing covariate values: fail (the default), em (expectation–maximisation over the missing levels), or complete-cases."
  )
  var missing: MissingValues = .fail

  @Flag(help: "Compare separate fits per level of each --by covariate with the joint model.")
  var compareStrata = false

  /// Whether covariates were asked for.
  var isActive: Bool { covariates != nil }

  /// The covariate names.
  var names: [String] {
    (covariates ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
  }

  func validate() throws {
    if covariates != nil && names.isEmpty { throw ValidationError("--covariates needs at least one column name.") }
    if covariates == nil
      && (!trend.isEmpty || !by.isEmpty || population != nil || coverage != nil || missing != .fail || compareStrata)
    {
      throw ValidationError(
        "--trend, --by, --population, --coverage, --missing and --compare-strata need --covariates.")
    }
    _ = try trends()
  }

  /// `--trend` as covariate name → degree.
  func trends() throws -> [String: Int] {
    var result: [String: Int] = [:]
    for text in trend {
      let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      guard (1...2).contains(parts.count), !parts[0].isEmpty,
        let degree = parts.count == 2 ? Int(parts[1]) : 1, degree >= 1
      else { throw ValidationError("--trend expects NAME or NAME:DEGREE with DEGREE ≥ 1; found \"\(text)\".") }
      result[parts[0]] = degree
    }
    return result
  }

  /// Reads the `--coverage` table, if given.
  func loadCoverage() throws -> ListCoverage? {
    guard let coverage else { return nil }
    guard let contents = FileManager.default.contents(atPath: coverage) else {
      throw CommandFailure.other("cannot read the file \(coverage).")
    }
    return try ListCoverage(csv: [UInt8](contents), covariates: names, source: coverage)
  }

  /// Reads the data with the named covariates (and the coverage) from the file or bundled example.
  func load(_ input: InputOptions) throws -> CovariateCaptureData {
    let coverage = try loadCoverage()
    if let example = input.example {
      guard let dataset = Dataset.named(example), dataset.kind == .covariates else {
        let names = Dataset.all.filter { $0.kind == .covariates }.map(\.name).joined(separator: ", ")
        throw CommandFailure.usage("\"\(example)\" is not a bundled table with covariates; those are: \(names).")
      }
      let all = try dataset.covariateData()
      var kept: [Int] = []
      for name in names {
        guard let index = all.covariateIndex(named: name) else {
          throw DataError.missingColumn(name, source: dataset.name)
        }
        kept.append(index)
      }
      return try all.keepingCovariates(kept)!.withCoverage(coverage)
    }
    let path = input.file ?? ""
    guard let contents = FileManager.default.contents(atPath: path) else {
      throw CommandFailure.other("cannot read the file \(path).")
    }
    return try CovariateCaptureData(
      csv: [UInt8](contents), covariates: names, format: input.perPerson ? .perPerson : .aggregated,
      source: path, coverage: coverage)
  }

  /// The analysis settings these options say, for `model` on `data`.
  func settings(
    model: CovariateAnalysis.ModelChoice, data: CovariateCaptureData, level: Double, bootstrap: Int,
    seed: UInt64, threads: Int, suppressBelow: Int?
  ) throws -> CovariateAnalysis.Settings {
    var settings = CovariateAnalysis.Settings(model: model)
    settings.missing = missing.library
    settings.level = level
    settings.bootstrapReplicates = bootstrap
    settings.seed = seed
    settings.concurrency = threads
    let covariates = try breakdownCovariates(data)
    settings.breakdownCovariates = covariates
    settings.denominators = try denominators(data, covariates: covariates)
    settings.compareStrata = compareStrata
    settings.suppressBelow = suppressBelow
    return settings
  }

  /// The covariates to break down by (indices), `--by` or all.
  func breakdownCovariates(_ data: CovariateCaptureData) throws -> [Int] {
    guard !by.isEmpty else { return Array(data.covariates.indices) }
    return try by.map { name in
      guard let index = data.covariateIndex(named: name) else {
        throw CommandFailure.usage(
          "--by \(name): not one of the --covariates (\(data.covariates.map(\.name).joined(separator: ", "))).")
      }
      return index
    }
  }

  /// The population sizes for each breakdown covariate that the `--population` file covers.
  func denominators(_ data: CovariateCaptureData, covariates: [Int]) throws -> [Int: PopulationDenominators] {
    guard let population else { return [:] }
    guard let contents = FileManager.default.contents(atPath: population) else {
      throw CommandFailure.other("cannot read the file \(population).")
    }
    var result: [Int: PopulationDenominators] = [:]
    let header = String(decoding: contents.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    let columns = Set(
      header.split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "\"\r\u{FEFF}")))
      })
    for index in covariates where columns.contains(data.covariates[index].name) {
      result[index] = try PopulationDenominators(
        csv: [UInt8](contents), covariate: data.covariates[index], source: population)
    }
    guard !result.isEmpty else {
      throw CommandFailure.data(
        "\(population): no column is named after a breakdown covariate (\(covariates.map { data.covariates[$0].name }.joined(separator: ", ")))."
      )
    }
    return result
  }
}

/// What to do with records whose covariate values are partly missing (the library's
/// ``CovariateAnalysis/MissingValues``, spelled for the command line).
enum MissingValues: String, CaseIterable, ExpressibleByArgument {
  case fail
  case em
  case completeCases = "complete-cases"

  /// The library's value.
  var library: CovariateAnalysis.MissingValues {
    switch self {
    case .fail: .fail
    case .em: .expectationMaximization
    case .completeCases: .completeCases
    }
  }
}
