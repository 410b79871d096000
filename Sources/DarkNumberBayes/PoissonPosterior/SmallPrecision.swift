import DarkNumber
import DarkNumberLinearAlgebra
internal import RealModule

/// A small dense symmetric positive-definite matrix held by its Cholesky factor, for the
/// reversible-jump sampler's Gaussian proposals and priors (orders up to a few dozen).
/// Column-major storage, as ``SmallCholesky``.
struct SmallPrecision {
  /// The order.
  let order: Int
  /// `R` with `Q = RᵀR` (upper triangle; column-major).
  let factor: [Double]

  /// The factor of the precision `q` (column-major, `order × order`), or `nil` when `q` is not
  /// positive definite.
  init?(_ q: [Double], order: Int) {
    var factor = q
    guard order == 0 || SmallCholesky.factorize(&factor, order: order) else { return nil }
    self.order = order
    self.factor = factor
  }

  /// `Q⁻¹b`.
  func solve(_ b: [Double]) -> [Double] {
    var x = b
    if order > 0 { SmallCholesky.solve(factor: factor, order: order, &x) }
    return x
  }

  /// `log|Q|`.
  var logDeterminant: Double {
    (0..<order).reduce(0) { $0 + 2 * Double.log(factor[$1 + $1 * order]) }
  }

  /// `log N(x; mean, Q⁻¹)`, the full normal log density with precision `Q`.
  func logDensity(_ x: [Double], mean: [Double]) -> Double {
    var quadratic = 0.0
    // ‖R(x − m)‖²: row i of R has entries (i, j), j ≥ i, at i + j·order.
    for i in 0..<order {
      var sum = 0.0
      for j in i..<order { sum += factor[i + j * order] * (x[j] - mean[j]) }
      quadratic += sum * sum
    }
    return -0.5 * Double(order) * Double.log(2 * Double.pi) + 0.5 * logDeterminant - 0.5 * quadratic
  }

  /// `R⁻¹z` by back substitution (`R` upper triangular; `(i, j)` at `i + j·order`): with
  /// `z ~ N(0, I)`, a draw from `N(0, Q⁻¹)`.
  func backSubstitute(_ z: [Double]) -> [Double] {
    var x = z
    for k in stride(from: order - 1, through: 0, by: -1) {
      var sum = x[k]
      for j in (k + 1)..<order { sum -= factor[k + j * order] * x[j] }
      x[k] = sum / factor[k + k * order]
    }
    return x
  }

  /// A draw from `N(mean, Q⁻¹)`: `mean + R⁻¹z`.
  func draw(mean: [Double], using generator: inout SplitMix64) -> [Double] {
    let z = (0..<order).map { _ in generator.standardNormal() }
    return zip(mean, backSubstitute(z)).map(+)
  }
}
