internal import CGLPK

/// A linear program `maximise cᵀx subject to Ax (=, ≥, ≤) b, x ≥ 0`, solved by GLPK's simplex
/// method (Makhorin, GNU Linear Programming Kit; Debian's `libglpk-dev`).
///
/// GLPK is chosen over lp_solve (SparseMSE's `lpSolve`) because Debian packages it with headers,
/// it is maintained, and its C interface is small: one problem object per solve, no global state
/// shared between problems. The corresponding GLPK routines are `glp_load_matrix` and
/// `glp_simplex`.
public enum LinearProgram {
  /// How a constraint row relates `aᵢᵀx` to `bᵢ`.
  public enum Relation: Sendable, Hashable {
    /// `aᵢᵀx = bᵢ`.
    case equal
    /// `aᵢᵀx ≥ bᵢ`.
    case atLeast
    /// `aᵢᵀx ≤ bᵢ`.
    case atMost
  }

  /// The outcome of a solve.
  public enum Solution: Sendable, Hashable {
    /// An optimum with the objective's value and the variables.
    case optimal(objective: Double, x: [Double])
    /// No point satisfies the constraints.
    case infeasible
    /// The objective grows without bound.
    case unbounded
  }

  /// One nonzero entry of a sparse constraint matrix (0-based row and column).
  public struct Entry: Sendable, Hashable {
    /// The constraint row.
    public let row: Int
    /// The variable.
    public let column: Int
    /// The coefficient.
    public let value: Double

    /// The coefficient `value` of variable `column` in constraint `row`.
    public init(row: Int, column: Int, value: Double) {
      self.row = row
      self.column = column
      self.value = value
    }
  }

  /// Maximises `objective · x` subject to `constraints · x (relations) rightHandSide`, `x ≥ 0`.
  /// - Throws: ``LinearAlgebraError/linearProgramFailed(code:)`` when GLPK reports an error.
  public static func maximize(
    objective: [Double], constraints: Matrix, relations: [Relation], rightHandSide: [Double]
  ) throws(LinearAlgebraError) -> Solution {
    precondition(objective.count == constraints.columns, "one objective coefficient per variable")
    var entries: [Entry] = []
    for j in 0..<constraints.columns {
      for i in 0..<constraints.rows where constraints[i, j] != 0 {
        entries.append(Entry(row: i, column: j, value: constraints[i, j]))
      }
    }
    return try maximize(
      objective: objective, rows: constraints.rows, entries: entries, relations: relations,
      rightHandSide: rightHandSide)
  }

  /// The same program with its constraint matrix given by its nonzero `entries` (`rows` rows, one
  /// column per objective coefficient): memory grows with the nonzeros, not with rows × columns.
  /// - Throws: ``LinearAlgebraError/linearProgramFailed(code:)`` when GLPK reports an error.
  public static func maximize(
    objective: [Double], rows rowCount: Int, entries: [Entry], relations: [Relation], rightHandSide: [Double]
  ) throws(LinearAlgebraError) -> Solution {
    precondition(
      relations.count == rowCount && rightHandSide.count == rowCount,
      "one relation and right-hand side per constraint")
    precondition(
      entries.allSatisfy { (0..<rowCount).contains($0.row) && objective.indices.contains($0.column) },
      "entries inside the matrix")
    let rows = Int32(rowCount)
    let columns = Int32(objective.count)
    guard let problem = unsafe glp_create_prob() else { throw .linearProgramFailed(code: -1) }
    defer { unsafe glp_delete_prob(problem) }
    unsafe glp_set_obj_dir(problem, GLP_MAX)
    if rows > 0 { unsafe glp_add_rows(problem, rows) }
    if columns > 0 { unsafe glp_add_cols(problem, columns) }
    for (i, relation) in relations.enumerated() {
      let b = rightHandSide[i]
      let kind: Int32
      switch relation {
      case .equal: kind = GLP_FX
      case .atLeast: kind = GLP_LO
      case .atMost: kind = GLP_UP
      }
      unsafe glp_set_row_bnds(problem, Int32(i + 1), kind, b, b)
    }
    for j in 0..<objective.count {
      unsafe glp_set_col_bnds(problem, Int32(j + 1), GLP_LO, 0, 0)
      unsafe glp_set_obj_coef(problem, Int32(j + 1), objective[j])
    }
    // GLPK's arrays are 1-based: element 0 is unused.
    var rowIndex: [Int32] = [0]
    var columnIndex: [Int32] = [0]
    var values: [Double] = [0]
    rowIndex.reserveCapacity(entries.count + 1)
    columnIndex.reserveCapacity(entries.count + 1)
    values.reserveCapacity(entries.count + 1)
    for entry in entries where entry.value != 0 {
      rowIndex.append(Int32(entry.row + 1))
      columnIndex.append(Int32(entry.column + 1))
      values.append(entry.value)
    }
    unsafe glp_load_matrix(problem, Int32(values.count - 1), &rowIndex, &columnIndex, &values)
    var parameters = glp_smcp()
    unsafe glp_init_smcp(&parameters)
    parameters.msg_lev = GLP_MSG_OFF
    parameters.presolve = GLP_ON
    let code = unsafe glp_simplex(problem, &parameters)
    let status = unsafe glp_get_status(problem)
    if status == GLP_NOFEAS || code == GLP_ENOPFS { return .infeasible }
    if status == GLP_UNBND || code == GLP_ENODFS { return .unbounded }
    guard code == 0, status == GLP_OPT else { throw .linearProgramFailed(code: Int(code)) }
    let x = (0..<objective.count).map { unsafe glp_get_col_prim(problem, Int32($0 + 1)) }
    return .optimal(objective: unsafe glp_get_obj_val(problem), x: x)
  }
}
