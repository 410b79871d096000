/// A categorical covariate recorded with the capture histories: its name and its levels.
///
/// Levels are sorted as strings (R's default factor order), so the first level is the reference
/// category of the treatment contrasts in a ``CovariateModel``.
public struct Covariate: Sendable, Hashable {
  /// The column's name.
  public let name: String
  /// The distinct recorded values, sorted.
  public let levels: [String]

  /// The most levels one covariate may have: more is almost surely a numeric column by mistake,
  /// and the table (`2ᴷ` histories times the levels' product) would be mostly empty.
  public static let maximumLevelCount = 100

  /// A covariate with `levels` (sorted and deduplicated here).
  public init(name: String, levels: [String]) {
    self.name = name
    self.levels = Array(Set(levels)).sorted()
  }

  /// The index of `level`, or `nil`.
  public func index(of level: String) -> Int? {
    var low = 0
    var high = levels.count
    while low < high {
      let middle = (low + high) / 2
      if levels[middle] < level { low = middle + 1 } else { high = middle }
    }
    return low < levels.count && levels[low] == level ? low : nil
  }
}

/// How a covariate enters a log-linear model's design.
public enum CovariateCoding: Sendable, Hashable {
  /// A factor with treatment contrasts: one 0/1 column per level but the first (R's
  /// `contr.treatment`).
  case factor
  /// A polynomial trend in the levels read as numbers (a year): columns `(x − x̄)ᵈ` for
  /// `d = 1…degree`, with `x̄` the mean of the distinct level values. Spans the same space as R's
  /// `poly(x, degree, raw = TRUE)`, so fits and estimates are identical; only the coefficients
  /// are centred.
  case polynomial(degree: Int)
}
