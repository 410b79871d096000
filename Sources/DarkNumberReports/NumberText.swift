package import DarkNumber
import Foundation

/// Number formatting for text reports.
package enum NumberText {
  /// `value` with `digits` decimals and thousands separated by commas: `52,823.5`. From 10¹⁵ on
  /// (where a double's digits run out) in scientific notation with four significant digits:
  /// `2.5e+307`, never a row of 300 digits.
  package static func grouped(_ value: Double, digits: Int = 1) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞") }
    if abs(value) >= 1e15 { return String(format: "%.4g", value) }
    let text = String(format: "%.\(digits)f", abs(value))
    let parts = text.split(separator: ".", maxSplits: 1)
    var integer = String(parts[0])
    var groups: [String] = []
    while integer.count > 3 {
      groups.insert(String(integer.suffix(3)), at: 0)
      integer.removeLast(3)
    }
    groups.insert(integer, at: 0)
    var result = (value < 0 ? "-" : "") + groups.joined(separator: ",")
    if parts.count > 1 { result += "." + parts[1] }
    return result
  }

  /// Six significant digits for statistics such as deviance and coefficients.
  package static func significant(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞") }
    return String(format: "%.6g", value)
  }

  /// A fixed-width left-aligned column.
  package static func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
  }

  /// A fixed-width right-aligned column.
  package static func rightAligned(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
  }

  /// A CSV field: the number in full precision, or empty for `nil`.
  package static func field(_ value: Double?) -> String { value.map { String($0) } ?? "" }

  /// A p-value, as the library's sentences print it (``GoodnessOfFit/probabilityText(_:)``).
  package static func probability(_ p: Double) -> String { GoodnessOfFit.probabilityText(p) }

  /// One line on a fit's goodness of fit: the χ² p-values of the deviance and of Pearson's X², and
  /// whether the data reject the model.
  package static func goodness(_ goodness: GoodnessOfFit) -> String {
    guard let p = goodness.pValue, let pearsonP = goodness.pearsonPValue else {
      return "goodness of fit: saturated (no degrees of freedom to test the fit)"
    }
    let verdict =
      if goodness.isPoor {
        "the model does not fit (see the warning)"
      } else if pearsonP < GoodnessOfFit.poorFitLevel {
        "the deviance shows no lack of fit, Pearson's X² does (sparse cells: both only indicative)"
      } else {
        "no evidence of lack of fit"
      }
    return "goodness of fit: deviance p = \(probability(p)); Pearson X² \(significant(goodness.pearson)), "
      + "p = \(probability(pearsonP)): \(verdict)"
  }
}
