import Glibc
import Testing

@testable import DarkNumberBayes

/// The grid posterior's log-gamma recurrence against the C library's `lgamma` at every point.
@Suite("Log-gamma along a grid")
struct LogGammaSequenceTests {
  @Test(
    "log Γ(x₀ + k·step) agrees with lgamma at every point to 1e-14 relative (recurrence for step 1, lgamma otherwise)",
    arguments: [(1.0, 1, 13_721), (0.03125, 1, 2_000), (2_744.0 + 1, 1, 13_721), (88.5, 3, 5_000)])
  func agreesWithLgamma(parameters: (Double, Int, Int)) {
    let (start, step, count) = parameters
    let values = logGammaSequence(from: start, step: step, count: count)
    #expect(values.count == count)
    for (k, value) in values.enumerated() {
      let exact: Double = Glibc.lgamma(start + Double(k * step))
      #expect(abs(value - exact) <= 1e-14 * max(1, abs(exact)), "k = \(k)")
    }
  }
}
