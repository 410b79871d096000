import Testing

@testable import DarkNumber

/// Poisson tails for huge means (a count of 10⁸ people): from Temme's expansion of the incomplete
/// gamma function instead of sums whose length grows like √λ. References: direct sums of the
/// Poisson terms in log space (Python, `math.lgamma`), accurate to about 1e-8 at λ = 10⁸ (the
/// rounding of `log k!`), so compared to 1e-6 relative.
@Suite("Poisson tails for very large means")
struct PoissonTailTests {
  @Test(
    "P(X ≥ k) and P(X ≤ k) against direct sums",
    arguments: [
      (1e6, 1_003_000, true, 0.0013580352716269627), (1e8, 100_050_000, true, 2.873213049060006e-07),
      (2e5, 201_000, true, 0.012759159475015526), (1e6, 998_000, false, 0.022750122930920942),
      (1e8, 99_950_000, false, 2.861315956586231e-07), (2e5, 199_000, false, 0.012661404228425233),
    ] as [(Double, Int, Bool, Double)])
  func tails(mean: Double, k: Int, upper: Bool, expected: Double) {
    let value = upper ? Poisson.upperTail(k, mean: mean) : Poisson.lowerTail(k, mean: mean)
    #expect(isClose(value, expected, relative: 1e-6), "\(value) vs \(expected)")
  }

  @Test("Both sides of the switch to the expansion agree, and the tails are complementary")
  func continuity() {
    // λ just below and above Poisson.largeMean: sums against the incomplete gamma function.
    for mean in [Poisson.largeMean * (1 - 1e-9), Poisson.largeMean * (1 + 1e-9)] {
      let k = Int(mean + 300)
      #expect(isClose(Poisson.upperTail(k, mean: mean), Poisson.upperTail(k, mean: Poisson.largeMean), relative: 1e-5))
      #expect(isClose(Poisson.upperTail(k, mean: mean) + Poisson.lowerTail(k - 1, mean: mean), 1, relative: 1e-12))
    }
    // A mean of 9·10¹⁵ answers at once: about 1.05 standard deviations up, and 105.
    let tail = Poisson.upperTail(9_000_000_100_000_000, mean: 9e15)
    #expect(tail > 0.14 && tail < 0.15)
    #expect(Poisson.upperTail(9_000_010_000_000_000, mean: 9e15) < 1e-300)
  }
}
