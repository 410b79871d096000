/// The χ² distribution's upper tail, for goodness-of-fit p-values.
enum ChiSquared {
  /// `P(χ²_ν > x) = Q(ν/2, x/2)` (``IncompleteGamma/upper(_:_:)``) for `ν ≥ 1` and `x ≥ 0`;
  /// relative error about 1e-13 (checked against scipy's `chi2.sf`), and 0 only where the tail
  /// underflows (below about 1e-308).
  static func survival(_ x: Double, degreesOfFreedom: Int) -> Double {
    precondition(degreesOfFreedom >= 1, "χ² needs at least one degree of freedom")
    precondition(x >= 0 && x.isFinite, "a χ² statistic is finite and non-negative")
    return IncompleteGamma.upper(Double(degreesOfFreedom) / 2, x / 2)
  }
}
