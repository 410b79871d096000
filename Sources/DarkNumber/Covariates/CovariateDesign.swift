import DarkNumberLinearAlgebra

/// The design of a ``CovariateModel`` over the table of histories by covariate levels.
///
/// Combinations of covariate levels `c` are numbered in mixed radix, the first covariate fastest;
/// observable row `c·(2ᴷ − 1) + h − 1` is history `h` with levels `c`, and row `c` of
/// ``unobserved`` is the all-zero history with levels `c`. Column 0 is the intercept, then one
/// block per term in ``CovariateModel/terms`` order: the product of the term's list indicators and
/// of its covariates' contrast columns (the first covariate's columns varying fastest). Columns
/// are named as R's `model.matrix` names them: `S1`, `GenderMale`, `S1:AgeYoung`, `year^2`.
struct CovariateDesign: Sendable {
  /// The most rows (histories times level combinations) a design may have.
  static let maximumRowCount = 1 << 22

  /// The observable cells' design.
  let observed: Matrix
  /// The unobserved cells' design, one row per level combination.
  let unobserved: Matrix
  /// The column names.
  let columnNames: [String]
  /// The level indices of each combination.
  let combinations: [[Int]]
  /// Observable histories per combination, `2ᴷ − 1`.
  let historyCount: Int

  /// Builds the design.
  /// - Throws: ``EstimationError/covariateTableTooLarge(cells:limit:)``.
  init(model: CovariateModel) throws(EstimationError) {
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
        contrastValues.append(x.map { value in
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
    var observed = Matrix(rows: combinationCount * historyCount, columns: columns)
    var unobserved = Matrix(rows: combinationCount, columns: columns)
    for (c, levels) in combinations.enumerated() {
      for j in 0..<columns {
        var covariatePart = 1.0
        for piece in columnCovariates[j] {
          covariatePart *= contrastValues[piece.covariate][levels[piece.covariate]][piece.contrast]
        }
        if covariatePart == 0 { continue }
        let mask = Int(columnLists[j])
        if mask == 0 { unobserved[c, j] = covariatePart }
        for h in 1...historyCount where h & mask == mask {
          observed[c * historyCount + h - 1, j] = covariatePart
        }
      }
    }
    self.observed = observed
    self.unobserved = unobserved
    self.columnNames = columnNames
    self.combinations = combinations
    self.historyCount = historyCount
  }

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

  /// The observed counts in row order; the records must be complete.
  func counts(of data: CovariateCaptureData) -> [Double] {
    var y = [Double](repeating: 0, count: observed.rows)
    for record in data.records {
      let levels = record.levels.map { $0! }
      let c = Self.combinationIndex(levels, covariates: data.covariates)
      y[c * historyCount + Int(record.history.rawValue) - 1] += Double(record.count)
    }
    return y
  }
}
