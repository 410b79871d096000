internal import RealModule

/// `log Γ(x₀ + k·step)` for `k = 0, 1, …, count − 1`: the grid posterior needs log-gamma at every
/// grid point of every margin (31 margins × 13,721 points for five lists and `0…5n`).
///
/// With `step = 1` the recurrence `log Γ(x + 1) = log Γ(x) + log x` replaces each `lgamma` by one
/// `log`, which is several times cheaper; the value is recomputed by `lgamma` every
/// ``anchorSpacing`` points, so rounding adds up over at most that many additions, each within
/// half an ulp of the running value: the error stays within about 16 ulp of the value (relative
/// 4e-15), where `lgamma` itself is within an ulp or two. Other steps call `lgamma` at every
/// point.
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
let anchorSpacing = 32
