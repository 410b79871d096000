import DarkNumberLinearAlgebra

/// Whether the (extended) maximum-likelihood estimate of a log-linear model exists and is
/// identifiable, as SparseMSE's `checkident` (Chan, Silverman & Vincent 2021, JASA 116:1297; the
/// linear program of Fienberg & Rinaldo 2012, *Ann. Statist.* 40:996, doi:10.1214/12-AOS986).
///
/// Interactions whose cells hold nobody (non-overlapping lists) are set to −∞ and their cells
/// removed. With `A` the design of the remaining cells and `t = Aᵀy` its sufficient statistics,
/// the linear program `maximise s subject to Aᵀx = t, xᵢ ≥ s, x ≥ 0` has optimum `s* > 0` exactly
/// when `t` lies in the relative interior of the marginal cone — when the MLE exists. The estimate
/// is identifiable when `A` has full column rank.
public struct ExistenceCheck: Sendable, Hashable {
  /// `s*`, the linear program's optimum.
  public let linearProgramObjective: Double
  /// Columns of the reduced design minus its rank (0: identifiable).
  public let rankDeficiency: Int
  /// The interactions set to −∞ (non-overlapping lists), by name.
  public let emptyInteractions: [String]
  /// `s*` at or below this counts as zero (SparseMSE compares with exactly 0).
  public static let tolerance = 1e-9

  /// Whether the maximum-likelihood estimate exists (`s* > tolerance`).
  public var estimateExists: Bool { linearProgramObjective > Self.tolerance }
  /// Whether the design has full column rank.
  public var identifiable: Bool { rankDeficiency == 0 }
  /// SparseMSE's error code: 0 both pass, 1 the MLE does not exist, 2 not identifiable, 3 both fail.
  public var sparseMSECode: Int { (estimateExists ? 0 : 1) + (identifiable ? 0 : 2) }

  /// The most lists the check takes: its linear program has a row and a variable per cell
  /// (`2ᴷ`), and GLPK's simplex takes about 0.5 s at 12 lists, 7 s at 14 and 100 s at 16 on this
  /// project's machine.
  public static let maximumListCount = 14

  /// Checks `model` on `data`.
  /// - Throws: ``EstimationError/tooManyLists(_:limit:)`` beyond ``maximumListCount`` lists;
  ///   ``EstimationError`` when the solvers fail.
  public init(model: LogLinearModel, data: CaptureData) throws(EstimationError) {
    let reduced = try Reduced(model: model, data: data)
    emptyInteractions = reduced.emptyInteractions
    linearProgramObjective = try reduced.linearProgramObjective()
    rankDeficiency = reduced.rankDeficiency
  }

  /// ``sparseMSECode`` for `model` on `data`, solving the linear program only when needed.
  ///
  /// When the rows of the cells holding somebody span the row space of the reduced design `A`,
  /// no face of the marginal cone other than the cone itself contains `t = Aᵀy` (a direction `d`
  /// with `(Ad)ᵢ = 0` on those cells then has `Ad = 0`), so `t` is in the relative interior and the
  /// MLE exists (`s* > 0`): the answer is the linear program's without solving it. Otherwise the
  /// linear program decides.
  /// - Throws: as ``init(model:data:)``.
  static func code(model: LogLinearModel, data: CaptureData) throws(EstimationError) -> Int {
    let reduced = try Reduced(model: model, data: data)
    let identifiable = reduced.rankDeficiency == 0
    if try reduced.supportSpans() { return identifiable ? 0 : 2 }
    let exists = try reduced.linearProgramObjective() > tolerance
    return (exists ? 0 : 1) + (identifiable ? 0 : 2)
  }

  /// The design with the −∞ interactions and their cells removed, and the counts of its cells.
  struct Reduced {
    let a: Matrix
    let y: [Double]
    let emptyInteractions: [String]
    let rank: Int

    var rankDeficiency: Int { a.columns - rank }

    init(model: LogLinearModel, data: CaptureData) throws(EstimationError) {
      guard data.listCount <= ExistenceCheck.maximumListCount else {
        throw .tooManyLists(data.listCount, limit: ExistenceCheck.maximumListCount)
      }
      let design = DesignMatrix(model: model, listNames: data.listNames)
      let counts = data.denseCounts()
      // Only interactions are set to −∞, as SparseMSE does (an empty list makes the MLE not exist).
      let reduction = BoundaryReduction(
        design: design.matrix, counts: counts, firstCandidate: 1 + model.listCount)
      emptyInteractions = reduction.boundaryColumns.map { design.columnNames[$0] }
      a = reduction.design
      y = reduction.keptRows.map { counts[$0] }
      do {
        rank = try PivotedQR(a).rank
      } catch {
        throw .numerical(error)
      }
    }

    /// Whether the rows of the cells with a positive count have the rank of the whole design.
    func supportSpans() throws(EstimationError) -> Bool {
      let support = y.indices.filter { y[$0] > 0 }
      if support.count == y.count { return true }
      if support.count < rank { return false }
      var rows = Matrix(rows: support.count, columns: a.columns)
      for j in 0..<a.columns {
        for (r, i) in support.enumerated() { rows[r, j] = a[i, j] }
      }
      do {
        return try PivotedQR(rows).rank == rank
      } catch {
        throw .numerical(error)
      }
    }

    /// `s*`: maximise `s` subject to `Aᵀx = Aᵀy`, `xᵢ ≥ s`, `x ≥ 0`.
    func linearProgramObjective() throws(EstimationError) -> Double {
      let cells = a.rows
      let parameters = a.columns
      // Variables x₁…x_cells, s. Rows: Aᵀx = t (parameters), then xᵢ − s ≥ 0 (cells). The matrix
      // is given by its nonzeros: the second block has two per row.
      var entries: [LinearProgram.Entry] = []
      var rightHandSide = [Double](repeating: 0, count: parameters + cells)
      for j in 0..<parameters {
        var statistic = 0.0
        for i in 0..<cells where a[i, j] != 0 {
          entries.append(LinearProgram.Entry(row: j, column: i, value: a[i, j]))
          statistic += a[i, j] * y[i]
        }
        rightHandSide[j] = statistic
      }
      for i in 0..<cells {
        entries.append(LinearProgram.Entry(row: parameters + i, column: i, value: 1))
        entries.append(LinearProgram.Entry(row: parameters + i, column: cells, value: -1))
      }
      var objective = [Double](repeating: 0, count: cells + 1)
      objective[cells] = 1
      let relations =
        [LinearProgram.Relation](repeating: .equal, count: parameters)
        + [LinearProgram.Relation](repeating: .atLeast, count: cells)
      do {
        switch try LinearProgram.maximize(
          objective: objective, rows: parameters + cells, entries: entries, relations: relations,
          rightHandSide: rightHandSide)
        {
        case .optimal(let value, _): return value
        case .infeasible: return 0
        case .unbounded: return .infinity
        }
      } catch {
        throw .numerical(error)
      }
    }
  }
}
