import DarkNumberLinearAlgebra

/// The design of a ``CovariateModel`` over the table of histories by covariate levels.
///
/// Combinations of covariate levels `c` are numbered in mixed radix, the first covariate fastest;
/// cell `c·(2ᴷ − 1) + h − 1` is history `h` with levels `c`, and row `c` of ``unobserved`` is the
/// all-zero history with levels `c`. Column 0 is the intercept, then one block per term in
/// ``CovariateModel/terms`` order: the product of the term's list indicators and of its
/// covariates' contrast columns (the first covariate's columns varying fastest). Columns are named
/// as R's `model.matrix` names them: `S1`, `GenderMale`, `S1:AgeYoung`, `year^2`.
///
/// With a ``ListCoverage`` the cells that put someone on a list that did not operate for `c` are
/// structural zeros: they have no row in ``observed``. Columns that the remaining rows leave
/// inestimable — in the span of the columns before them, R's rule for aliased coefficients — are
/// dropped from both matrices and named in ``droppedColumns``.
struct CovariateDesign: Sendable {
  /// The most rows (histories times level combinations) a design may have.
  static let maximumRowCount = 1 << 22

  /// The design of the cells fitted (structural zeros left out), kept columns only; no rows in a
  /// design built without them (``init(model:coverage:keepingRows:)``), which the lattice fit
  /// does not need.
  let observed: Matrix
  /// Whether ``observed`` holds the rows.
  let hasRows: Bool
  /// The cell index (`c·(2ᴷ − 1) + h − 1`) of each row of ``observed``.
  let cellIndices: [Int]
  /// The unobserved cells' design, one row per level combination, kept columns only.
  let unobserved: Matrix
  /// The kept columns' names.
  let columnNames: [String]
  /// The lists (bitmask) of each kept column's term: column `j` is
  /// `x_j(h, c) = 1[h ⊇ columnLists[j]] · factors[c, j]`.
  let columnLists: [UInt32]
  /// The covariate part of each kept column per combination (`combinations × columns`): the
  /// product of its covariates' contrast values, 1 for a column of lists only.
  let factors: Matrix
  /// The sums ``CovariateLatticeIRLS`` forms, laid out once per design.
  let lattice: CovariateLatticeLayout
  /// The columns the coverage leaves inestimable, dropped.
  let droppedColumns: [String]
  /// The level indices of each combination.
  let combinations: [[Int]]
  /// The lists (bitmask) that operated for each combination.
  let operating: [UInt32]
  /// Observable histories per combination, `2ᴷ − 1`.
  let historyCount: Int

  /// Cells in the full table, structural zeros included.
  var cellCount: Int { combinations.count * historyCount }
  /// Cells left out as structural zeros.
  var structuralZeroCount: Int { cellCount - cellIndices.count }

  /// Whether combination `c` has an estimate of its unobserved count: two or more lists operated.
  func hasEstimate(_ c: Int) -> Bool { operating[c].nonzeroBitCount >= 2 }

  /// Whether cell `h` (history, 1-based) of combination `c` is a structural zero.
  func isStructuralZero(combination c: Int, history h: Int) -> Bool {
    UInt32(h) & ~operating[c] != 0
  }

  /// The design for data in which every list operated for everyone.
  init(model: CovariateModel) throws(EstimationError) {
    try self.init(model: model, coverage: nil)
  }

  /// Builds the design, with the structural zeros of `coverage` left out; without its rows when
  /// `keepingRows` is false (the many designs a selection caches: 1,116 rows of a 5-list table
  /// by 6 × 2 × 3 levels would take a third of a megabyte each).
  /// - Throws: ``EstimationError/covariateTableTooLarge(cells:limit:)``.
  init(model: CovariateModel, coverage: CoverageRules?, keepingRows: Bool = true) throws(EstimationError) {
    let listCount = model.listCount
    guard listCount <= LogLinearModel.maximumFittedListCount else {
      throw .tooManyLists(listCount, limit: LogLinearModel.maximumFittedListCount)
    }
    let historyCount = (1 << listCount) - 1
    var combinationCount = 1
    for covariate in model.covariates {
      let (product, overflow) = combinationCount.multipliedReportingOverflow(by: covariate.levels.count)
      guard !overflow, product <= Self.maximumRowCount else {
        throw .covariateTableTooLarge(cells: Int.max, limit: Self.maximumRowCount)
      }
      combinationCount = product
    }
    let rows = combinationCount * (historyCount + 1)
    guard rows <= Self.maximumRowCount else {
      throw .covariateTableTooLarge(cells: rows, limit: Self.maximumRowCount)
    }
    var combinations: [[Int]] = []
    combinations.reserveCapacity(combinationCount)
    var levels = [Int](repeating: 0, count: model.covariates.count)
    for _ in 0..<combinationCount {
      combinations.append(levels)
      for j in levels.indices {
        levels[j] += 1
        if levels[j] < model.covariates[j].levels.count { break }
        levels[j] = 0
      }
    }
    // Contrast columns per covariate: values[level][k] and names[k].
    var contrastValues: [[[Double]]] = []
    var contrastNames: [[String]] = []
    for (covariate, coding) in zip(model.covariates, model.codings) {
      switch coding {
      case .factor:
        let m = covariate.levels.count
        contrastValues.append((0..<m).map { level in (1..<m).map { $0 == level ? 1.0 : 0.0 } })
        contrastNames.append(covariate.levels.dropFirst().map { covariate.name + $0 })
      case .polynomial(let degree):
        // Validated numeric by the model.
        let x = covariate.levels.map { Double($0)! }
        let mean = x.reduce(0, +) / Double(x.count)
        contrastValues.append(
          x.map { value in
            (1...degree).map { d in
              var power = 1.0
              for _ in 0..<d { power *= value - mean }
              return power
            }
          })
        contrastNames.append((1...degree).map { $0 == 1 ? covariate.name : "\(covariate.name)^\($0)" })
      }
    }
    // Column generators: (list mask, per-column covariate contributions).
    var columnNames = ["(Intercept)"]
    var columnLists: [UInt32] = [0]
    var columnCovariates: [[(covariate: Int, contrast: Int)]] = [[]]
    for term in model.terms {
      let lists = UInt32(truncatingIfNeeded: term & model.listMask)
      let covariates = CovariateModel.factors(of: term >> UInt64(listCount))
      let listPart = LogLinearModel.lists(of: lists).map { model.listNames[$0] }
      var parts: [[(covariate: Int, contrast: Int)]] = [[]]
      for covariate in covariates {
        var next: [[(covariate: Int, contrast: Int)]] = []
        for k in contrastNames[covariate].indices {
          for part in parts { next.append(part + [(covariate, k)]) }
        }
        parts = next
      }
      for part in parts {
        columnLists.append(lists)
        columnCovariates.append(part)
        columnNames.append(
          (listPart + part.map { contrastNames[$0.covariate][$0.contrast] }).joined(separator: ":"))
      }
    }
    let columns = columnNames.count
    var unobserved = Matrix(rows: combinationCount, columns: columns)
    var factors = Matrix(rows: combinationCount, columns: columns)
    for (c, levels) in combinations.enumerated() {
      for j in 0..<columns {
        var covariatePart = 1.0
        for piece in columnCovariates[j] {
          covariatePart *= contrastValues[piece.covariate][levels[piece.covariate]][piece.contrast]
        }
        factors[c, j] = covariatePart
        if columnLists[j] == 0 { unobserved[c, j] = covariatePart }
      }
    }
    /// The rows of `cells` (index `c · historyCount + h − 1`) and the columns `kept`:
    /// `x_{(h,c), j} = 1[h ⊇ L_j] F_{cj}`.
    func denseRows(_ cells: [Int], _ kept: [Int]) -> Matrix {
      var matrix = Matrix(rows: cells.count, columns: kept.count)
      for (b, j) in kept.enumerated() {
        let mask = Int(columnLists[j])
        for (a, cell) in cells.enumerated() where (cell % historyCount + 1) & mask == mask {
          matrix[a, b] = factors[cell / historyCount, j]
        }
      }
      return matrix
    }
    let all = (UInt32(1) << UInt32(listCount)) - 1
    let operating = combinations.map { coverage?.operating(levels: $0) ?? all }
    self.combinations = combinations
    self.operating = operating
    self.historyCount = historyCount
    self.hasRows = keepingRows
    let layout = CovariateLatticeLayout(lists: columnLists, factors: factors, historyCount: historyCount)
    guard operating.contains(where: { $0 != all }) else {
      let cells = Array(0..<(combinationCount * historyCount))
      self.observed = keepingRows ? denseRows(cells, Array(0..<columns)) : Matrix(rows: 0, columns: columns)
      self.unobserved = unobserved
      self.columnNames = columnNames
      self.columnLists = columnLists
      self.factors = factors
      self.lattice = layout
      self.cellIndices = cells
      self.droppedColumns = []
      return
    }
    var cells: [Int] = []
    for (c, open) in operating.enumerated() {
      for h in 1...historyCount where UInt32(h) & ~open == 0 { cells.append(c * historyCount + h - 1) }
    }
    // XᵀX over the fitted cells by the lattice: the superset sums of their indicator.
    var indicator = [Double](repeating: 0, count: combinationCount * (historyCount + 1))
    for cell in cells {
      indicator[
        CovariateLatticeLayout.entry(
          combination: cell / historyCount, history: cell % historyCount + 1, combinations: combinationCount)] = 1
    }
    SubsetLattice.interleavedSupersetSums(
      &indicator, width: combinationCount, bits: (historyCount + 1).trailingZeroBitCount)
    let kept = Self.sequentiallyIndependentColumns(gram: layout.gram(weightSums: indicator))
    let keptSet = Set(kept)
    var reducedUnobserved = Matrix(rows: combinations.count, columns: kept.count)
    var reducedFactors = Matrix(rows: combinations.count, columns: kept.count)
    for (b, j) in kept.enumerated() {
      for c in combinations.indices {
        reducedUnobserved[c, b] = unobserved[c, j]
        reducedFactors[c, b] = factors[c, j]
      }
    }
    self.columnLists = kept.map { columnLists[$0] }
    self.factors = reducedFactors
    self.lattice =
      kept.count == columns
      ? layout
      : CovariateLatticeLayout(lists: self.columnLists, factors: reducedFactors, historyCount: historyCount)
    self.observed = keepingRows ? denseRows(cells, kept) : Matrix(rows: 0, columns: kept.count)
    self.unobserved = reducedUnobserved
    self.columnNames = kept.map { columnNames[$0] }
    self.droppedColumns = columnNames.indices.filter { !keptSet.contains($0) }.map { columnNames[$0] }
    self.cellIndices = cells
  }

  /// The columns not in the span of the columns before them, from `XᵀX` (upper triangle) over
  /// the fitted cells — R's `glm` marks the same columns aliased, as its QR moves deficient
  /// columns to the end in order. A Cholesky factorisation that skips a column whose pivot
  /// `‖x_j‖² − ‖R⁻ᵀX_kᵀx_j‖²` is at most 10⁻¹⁰ of `‖x_j‖²`: the squared norm of its residual
  /// after projecting on the kept columns (structural aliasing leaves residuals near 10⁻¹⁵ of the
  /// norm, independent columns far above 10⁻⁵).
  static func sequentiallyIndependentColumns(gram: Matrix) -> [Int] {
    let p = gram.columns
    // factor[k] holds column k of R (entries for the kept columns before it), kept in order.
    var kept: [Int] = []
    var factor: [[Double]] = []
    for j in 0..<p {
      let diagonal = gram[j, j]
      guard diagonal > 0 else { continue }
      var column = [Double](repeating: 0, count: kept.count)
      var norm = 0.0
      for (a, k) in kept.enumerated() {
        var value = gram[min(k, j), max(k, j)]
        for b in 0..<a { value -= factor[a][b] * column[b] }
        value /= factor[a][a]
        column[a] = value
        norm += value * value
      }
      let pivot = diagonal - norm
      guard pivot > 1e-10 * diagonal else { continue }
      column.append(pivot.squareRoot())
      factor.append(column)
      kept.append(j)
    }
    return kept
  }

  /// This design with its rows: itself, or the same design built again with them.
  func withRows(model: CovariateModel, coverage: CoverageRules?) throws(EstimationError) -> CovariateDesign {
    hasRows ? self : try CovariateDesign(model: model, coverage: coverage)
  }

  /// The fitted cells' entries of a full-table vector (one entry per cell).
  func fittedCells(_ values: [Double]) -> [Double] { cellIndices.map { values[$0] } }

  /// The index of the combination with `levels`.
  static func combinationIndex(_ levels: [Int], covariates: [Covariate]) -> Int {
    var index = 0
    var stride = 1
    for (level, covariate) in zip(levels, covariates) {
      index += level * stride
      stride *= covariate.levels.count
    }
    return index
  }

  /// The observed counts of every cell of the full table; the records must be complete.
  func counts(of data: CovariateCaptureData) -> [Double] {
    var y = [Double](repeating: 0, count: cellCount)
    for record in data.records {
      let levels = record.levels.map { $0! }
      let c = Self.combinationIndex(levels, covariates: data.covariates)
      y[c * historyCount + Int(record.history.rawValue) - 1] += Double(record.count)
    }
    return y
  }
}
