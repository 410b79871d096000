internal import RealModule

/// `log Γ(x₀ + k·step)` for `k = 0, 1, …, count − 1`: the grid posterior needs log-gamma at every
/// grid point of every margin (31 margins × 13,721 points for five lists and `0…5n`).
///
/// With `step = 1` the recurrence `log Γ(x + 1) = log Γ(x) + log x` replaces each `lgamma` by one
/// `log`, which is several times cheaper; the value is recomputed exactly every
/// ``anchorSpacing`` points, so rounding adds up over at most that many terms (each `log x` is
/// within an ulp of a number below 20, so the drift stays below 1e-12 in absolute terms — under
/// the rounding of `lgamma` itself at the magnitudes of `log N!`). Other steps call `lgamma` at
/// every point.
func logGammaSequence(from x0: Double, step: Int, count: Int) -> [Double] {
  precondition(x0 > 0 && step >= 1 && count >= 0, "log Γ needs positive arguments")
  var values = [Double](repeating: 0, count: count)
  for k in 0..<count {
    let x = x0 + Double(k * step)
    if step == 1 && k % anchorSpacing != 0 {
      values[k] = values[k - 1] + .log(x - 1)
    } else {
      values[k] = .logGamma(x)
    }
  }
  return values
}

/// Points between exact evaluations in ``logGammaSequence(from:step:count:)``.
let anchorSpacing = 128
