import DarkNumber

extension IntervalEstimate {
  /// The lower limit as a number for comparisons; NaN when unbounded, which fails any comparison.
  var lowerValue: Double { lower.value ?? .nan }
  /// The upper limit as a number for comparisons; NaN when unbounded, which fails any comparison.
  var upperValue: Double { upper.value ?? .nan }
}
