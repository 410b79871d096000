/// A published capture–recapture table bundled with the package, with its citation.
///
/// The tables are those distributed with Rcapture, SparseMSE/MultipleSystemsEstimation, LCMCR,
/// dga and conting (see `Sources/DarkNumber/Datasets/CSV/README.md`). Reach one by name:
/// `try Dataset.named("Ned").captureData()`.
public struct Dataset: Sendable, Hashable {
  /// What a table holds.
  public enum Kind: String, Sendable, Hashable {
    /// 0/1 list columns and a count per capture history.
    case histories
    /// `nbcap,count`: how many units were caught exactly `nbcap` times.
    case capturesPerUnit
    /// List columns, categorical covariates, then a count.
    case covariates
  }

  /// The name (`Ned`, `UKdat_5`, `captures-per-unit/ill`, `covariates/spina`).
  public let name: String
  /// What the table holds.
  public let kind: Kind
  /// The R package that distributes it.
  public let rPackage: String
  /// The publication it comes from.
  public let citation: String
  /// A caveat about its use, or empty.
  public let note: String
  /// The table as CSV text.
  public let csv: String

  /// The bundled table called `name` (case-insensitive), or `nil`.
  public static func named(_ name: String) -> Dataset? {
    all.first { $0.name.lowercased() == name.lowercased() }
  }

  /// The table as ``CaptureData`` (for ``Kind/histories`` tables).
  /// - Throws: ``DataError`` if the table is not a table of capture histories.
  public func captureData() throws(DataError) -> CaptureData {
    try CaptureData(csv: Array(csv.utf8), format: .aggregated, source: name)
  }

  /// The table as ``CovariateCaptureData`` (for ``Kind/covariates`` tables): the columns holding
  /// anything but 0 and 1 (other than `count`) are the covariates.
  /// - Throws: ``DataError`` if the table has no such columns.
  public func covariateData() throws(DataError) -> CovariateCaptureData {
    let lines = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    guard let header = lines.first else { throw .emptyInput(source: name) }
    let covariates = header.indices.filter { column in
      header[column].lowercased() != "count"
        && lines.dropFirst().contains { column < $0.count && $0[column] != "0" && $0[column] != "1" }
    }.map { String(header[$0]) }
    return try CovariateCaptureData(csv: Array(csv.utf8), covariates: covariates, source: name)
  }
}
