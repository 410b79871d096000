/// Why input cannot become ``CaptureData``. Every case that comes from a text input says where.
public enum DataError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The bytes are not valid UTF-8 (first bad byte at the location).
  case invalidUTF8(InputLocation)
  /// The input has no header line.
  case emptyInput(source: String?)
  /// The input has a header but no data rows.
  case noDataRows(source: String?)
  /// A header field is empty.
  case emptyColumnName(InputLocation)
  /// A header name appears twice.
  case duplicateColumnName(String, InputLocation)
  /// Aggregated input needs a `count` column.
  case missingCountColumn(source: String?)
  /// Fewer than 2 or more than 30 list columns.
  case listCountOutOfRange(Int, source: String?)
  /// A row has a different number of fields than the header.
  case raggedRow(InputLocation, expected: Int, found: Int)
  /// A quoted field is not closed before the end of input.
  case unterminatedQuote(InputLocation)
  /// A list column holds something other than 0 or 1.
  case notBinary(String, InputLocation)
  /// A count is not a whole number ≥ 0 that fits in 64 bits.
  case invalidCount(String, InputLocation, reason: CountProblem)
  /// A positive count on the history recorded by no list, which cannot be observed.
  case unobservableHistory(InputLocation?)
  /// A number of captures outside `1…t`.
  case captureNumberOutOfRange(Int, occasions: String, InputLocation?)
  /// A negative count given for a history (construction from values).
  case negativeCount(CaptureHistory, Int)
  /// A list index outside the data's lists (construction from values).
  case listOutOfRange(list: Int, listCount: Int)
  /// The total count exceeds ``CaptureData/maximumCount`` (2⁵³), beyond which counts are not exact
  /// in the fits' double precision.
  case totalTooLarge(source: String?)
  /// Nobody was observed at all.
  case noObservations
  /// Covariate data need at least one covariate column.
  case noCovariates(source: String?)
  /// A named column (a covariate, or a column a file must have) is not in the header.
  case missingColumn(String, source: String?)
  /// A covariate has more distinct values than ``Covariate/maximumLevelCount``.
  case tooManyLevels(covariate: String, levels: Int, limit: Int)
  /// A level index outside the covariate's levels (construction from values).
  case levelOutOfRange(covariate: String, index: Int)
  /// Every value of a covariate is missing.
  case covariateAllMissing(String)
  /// A stratum (a covariate level) has nobody observed in it.
  case emptyStratum(covariate: String, level: String)
  /// A level in a file of population sizes that the data do not have.
  case unknownLevel(String, covariate: String, InputLocation)
  /// A level of the data with no population size in the file of population sizes.
  case missingDenominator(covariate: String, level: String, source: String?)
  /// A level given twice in a file of population sizes.
  case duplicateLevel(String, covariate: String, InputLocation)
  /// A population size that is not a positive finite number.
  case invalidPopulation(String, InputLocation)
  /// A column of a coverage table that is neither a list nor a covariate of the data.
  case coverageColumn(String, lists: [String], covariates: [String], source: String?)
  /// A list of the data with no column in the coverage table.
  case coverageMissingList(String, source: String?)
  /// A coverage row naming a level the data do not have.
  case coverageUnknownLevel(String, covariate: String, InputLocation?)
  /// Two coverage rows naming the same levels.
  case duplicateCoverageRow(InputLocation?)
  /// A record on a list that did not operate for its covariate levels (a structural zero).
  case recordOnClosedList(list: String, stratum: String, InputLocation?)

  /// What is wrong with a count.
  public enum CountProblem: String, Sendable, Hashable {
    /// Below zero.
    case negative
    /// Has a fractional part.
    case fractional
    /// Above ``CaptureData/maximumCount`` (2⁵³).
    case overflow = "too large"
    /// Not a number at all.
    case notANumber = "not a number"
  }

  /// One sentence for a person: where, what was found, what was expected.
  public var description: String {
    func at(_ source: String?) -> String { source.map { "\($0): " } ?? "" }
    switch self {
    case .invalidUTF8(let location):
      return "\(location): the input is not valid UTF-8 text."
    case .emptyInput(let source):
      return "\(at(source))the input is empty; expected a header line with list names."
    case .noDataRows(let source):
      return "\(at(source))the input has a header but no data rows."
    case .emptyColumnName(let location):
      return "\(location): empty column name in the header; every column needs a name."
    case .duplicateColumnName(let name, let location):
      return "\(location): the column name \(quoted(name)) appears more than once."
    case .missingCountColumn(let source):
      return
        "\(at(source))no \"count\" column; aggregated data need 0/1 list columns and a count column (use per-person format for one row per individual)."
    case .listCountOutOfRange(let count, let source):
      return
        "\(at(source))found \(count) list column\(count == 1 ? "" : "s"); expected between 2 and \(CaptureHistory.maximumListCount)."
    case .raggedRow(let location, let expected, let found):
      return "\(location): the row has \(found) field\(found == 1 ? "" : "s"); expected \(expected) as in the header."
    case .unterminatedQuote(let location):
      return "\(location): a quoted field is never closed."
    case .notBinary(let value, let location):
      return
        "\(location): found \(quoted(value)); expected 0 or 1 in a list column (categorical columns must be named as covariates)."
    case .invalidCount(let value, let location, let reason):
      return
        "\(location): the count \(quoted(value)) is \(reason.rawValue); expected a whole number from 0 to 9,007,199,254,740,992 (2⁵³), written in digits (such as 120 or 120.0)."
    case .unobservableHistory(let location):
      let prefix = location.map { "\($0): " } ?? ""
      return "\(prefix)a positive count on the history recorded by no list, which cannot be observed."
    case .captureNumberOutOfRange(let k, let occasions, let location):
      let prefix = location.map { "\($0): " } ?? ""
      return
        "\(prefix)a unit caught \(k) times; expected a whole number from 1 to \(occasions) (the number of occasions)."
    case .negativeCount(let history, let count):
      return
        "the count \(count) for history \(String(history.rawValue, radix: 2)) is negative; expected a whole number ≥ 0."
    case .listOutOfRange(let list, let listCount):
      return "list index \(list) is outside the \(listCount) lists."
    case .totalTooLarge(let source):
      return
        "\(at(source))the counts add up to more than 9,007,199,254,740,992 (2⁵³), beyond which they are not exact in the fits' double precision."
    case .noObservations:
      return "nobody was observed: every count is zero."
    case .noCovariates(let source):
      return "\(at(source))no covariate columns; name at least one covariate."
    case .missingColumn(let name, let source):
      return "\(at(source))no column called \(quoted(name)) in the header."
    case .tooManyLevels(let covariate, let levels, let limit):
      return
        "the covariate \(quoted(covariate)) has \(levels) distinct values; expected at most \(limit) categories (is it a number that should be grouped?)."
    case .levelOutOfRange(let covariate, let index):
      return "level index \(index) is outside the levels of the covariate \(quoted(covariate))."
    case .covariateAllMissing(let covariate):
      return "every value of the covariate \(quoted(covariate)) is missing."
    case .emptyStratum(let covariate, let level):
      return "nobody was observed with \(covariate) = \(level); that stratum has no data."
    case .unknownLevel(let level, let covariate, let location):
      return "\(location): \(quoted(level)) is not a level of \(covariate) in the data."
    case .missingDenominator(let covariate, let level, let source):
      return "\(at(source))no population size for \(covariate) = \(level); expected one row per level."
    case .duplicateLevel(let level, let covariate, let location):
      return "\(location): the level \(quoted(level)) of \(covariate) appears more than once."
    case .invalidPopulation(let value, let location):
      return "\(location): the population size \(quoted(value)) is not a positive number."
    case .coverageColumn(let name, let lists, let covariates, let source):
      return
        "\(at(source))the coverage column \(quoted(name)) is neither a list (\(lists.joined(separator: ", "))) nor a covariate (\(covariates.joined(separator: ", "))) of the data."
    case .coverageMissingList(let name, let source):
      return
        "\(at(source))the coverage table has no column for the list \(quoted(name)); expected one 0/1 column per list."
    case .coverageUnknownLevel(let level, let covariate, let location):
      let prefix = location.map { "\($0): " } ?? ""
      return
        "\(prefix)\(quoted(level)) is not a level of \(covariate) in the data; expected one of its levels or * for any."
    case .duplicateCoverageRow(let location):
      let prefix = location.map { "\($0): " } ?? ""
      return "\(prefix)this coverage row names the same levels as an earlier row; expected one row per combination."
    case .recordOnClosedList(let list, let stratum, let location):
      let prefix = location.map { "\($0): " } ?? ""
      return
        "\(prefix)a record on \(list), which did not operate for \(stratum) by the coverage table; expected 0 there (or correct the coverage)."
    }
  }
}
