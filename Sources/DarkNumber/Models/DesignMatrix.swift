public import DarkNumberLinearAlgebra

/// The design matrix of a ``LogLinearModel`` over the cells of a capture–recapture table.
///
/// Row `h − 1` is the observable history with bitmask `h` (`h = 1 … 2ᴷ − 1`); with
/// `includesUnobservedCell`, row `h` is history `h` and row 0 is the all-zero history. Column 0 is
/// the intercept, columns `1…K` the lists' 0/1 indicators, then one column per interaction, the
/// product of its lists' indicators. Columns are named as R's `model.matrix` names them:
/// `(Intercept)`, `LA`, `LA:NG`.
public struct DesignMatrix: Sendable {
  /// The matrix, column-major.
  public let matrix: Matrix
  /// The column names.
  public let columnNames: [String]
  /// Whether row 0 is the unobservable all-zero history.
  public let includesUnobservedCell: Bool

  /// Builds the design of `model` for lists named `listNames`.
  public init(model: LogLinearModel, listNames: [String], includesUnobservedCell: Bool = false) {
    precondition(model.listCount == listNames.count, "the model and the data have different lists")
    precondition(model.listCount <= 24, "a full table over more than 24 lists is too large")
    let cellCount = 1 << model.listCount
    let firstHistory = includesUnobservedCell ? 0 : 1
    let rows = cellCount - firstHistory
    let columns = model.parameterCount
    var matrix = Matrix(rows: rows, columns: columns)
    var names = ["(Intercept)"] + listNames
    for row in 0..<rows { matrix[row, 0] = 1 }
    for list in 0..<model.listCount {
      let bit = 1 << list
      for row in 0..<rows where (row + firstHistory) & bit != 0 { matrix[row, 1 + list] = 1 }
    }
    for (index, term) in model.interactions.enumerated() {
      let column = 1 + model.listCount + index
      let mask = Int(term)
      for row in 0..<rows where (row + firstHistory) & mask == mask { matrix[row, column] = 1 }
      names.append(Self.columnName(of: term, listNames: listNames))
    }
    self.matrix = matrix
    self.columnNames = names
    self.includesUnobservedCell = includesUnobservedCell
  }

  /// The column name of a term (a bitmask of lists): its lists' names joined by `:`, as R's
  /// `model.matrix` (`LA:NG`); `(Intercept)` for the empty term.
  public static func columnName(of term: UInt32, listNames: [String]) -> String {
    switch term.nonzeroBitCount {
    case 0: "(Intercept)"
    case 1: listNames[term.trailingZeroBitCount]
    default: LogLinearModel.lists(of: term).map { listNames[$0] }.joined(separator: ":")
    }
  }
}
