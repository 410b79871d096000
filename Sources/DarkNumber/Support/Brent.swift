/// Brent's derivative-free methods for one-dimensional root finding and maximisation
/// (Brent 1973, *Algorithms for Minimization without Derivatives*, ch. 4 and 5), the algorithms
/// behind R's `uniroot` and `optimize`.
enum Brent {
  /// A root of `f` in `[a, b]`, where `f(a)` and `f(b)` have opposite signs (or one is zero),
  /// to absolute accuracy `tolerance` (plus `4ε|x|`).
  static func root(
    in interval: (Double, Double), tolerance: Double, maximumIterations: Int = 200,
    _ f: (Double) throws(EstimationError) -> Double
  ) throws(EstimationError) -> Double {
    var a = interval.0
    var b = interval.1
    var fa = try f(a)
    var fb = try f(b)
    if fa == 0 { return a }
    if fb == 0 { return b }
    precondition((fa < 0) != (fb < 0), "Brent.root needs a sign change")
    var c = a
    var fc = fa
    var d = b - a
    var e = d
    for _ in 0..<maximumIterations {
      if (fb > 0) == (fc > 0) {
        c = a
        fc = fa
        d = b - a
        e = d
      }
      if abs(fc) < abs(fb) {
        a = b
        b = c
        c = a
        fa = fb
        fb = fc
        fc = fa
      }
      let tol1 = 2 * Double.ulpOfOne * abs(b) + 0.5 * tolerance
      let middle = 0.5 * (c - b)
      if abs(middle) <= tol1 || fb == 0 { return b }
      if abs(e) >= tol1 && abs(fa) > abs(fb) {
        var p: Double
        var q: Double
        let s = fb / fa
        if a == c {
          p = 2 * middle * s
          q = 1 - s
        } else {
          let qa = fa / fc
          let r = fb / fc
          p = s * (2 * middle * qa * (qa - r) - (b - a) * (r - 1))
          q = (qa - 1) * (r - 1) * (s - 1)
        }
        if p > 0 { q = -q } else { p = -p }
        if 2 * p < min(3 * middle * q - abs(tol1 * q), abs(e * q)) {
          e = d
          d = p / q
        } else {
          d = middle
          e = d
        }
      } else {
        d = middle
        e = d
      }
      a = b
      fa = fb
      b += abs(d) > tol1 ? d : (middle > 0 ? tol1 : -tol1)
      fb = try f(b)
    }
    return b
  }

  /// The maximiser of `f` on `[a, b]` by golden-section search with parabolic interpolation, to
  /// absolute accuracy about `tolerance`; returns the point and the value there.
  static func maximum(
    in interval: (Double, Double), tolerance: Double, maximumIterations: Int = 500,
    _ f: (Double) throws(EstimationError) -> Double
  ) throws(EstimationError) -> (x: Double, value: Double) {
    let golden = 0.5 * (3 - 5.0.squareRoot())
    var a = interval.0
    var b = interval.1
    var x = a + golden * (b - a)
    var w = x
    var v = x
    var fx = -(try f(x))
    var fw = fx
    var fv = fx
    var d = 0.0
    var e = 0.0
    for _ in 0..<maximumIterations {
      let middle = 0.5 * (a + b)
      let tol1 = Double.ulpOfOne.squareRoot() * abs(x) + tolerance / 3
      let tol2 = 2 * tol1
      if abs(x - middle) <= tol2 - 0.5 * (b - a) { break }
      var useGolden = true
      if abs(e) > tol1 {
        var r = (x - w) * (fx - fv)
        var q = (x - v) * (fx - fw)
        var p = (x - v) * q - (x - w) * r
        q = 2 * (q - r)
        if q > 0 { p = -p } else { q = -q }
        r = e
        e = d
        if abs(p) < abs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x) {
          d = p / q
          let u = x + d
          if u - a < tol2 || b - u < tol2 { d = x < middle ? tol1 : -tol1 }
          useGolden = false
        }
      }
      if useGolden {
        e = (x < middle ? b : a) - x
        d = golden * e
      }
      let u = abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1)
      let fu = -(try f(u))
      if fu <= fx {
        if u < x { b = x } else { a = x }
        v = w
        fv = fw
        w = x
        fw = fx
        x = u
        fx = fu
      } else {
        if u < x { a = u } else { b = u }
        if fu <= fw || w == x {
          v = w
          fv = fw
          w = u
          fw = fu
        } else if fu <= fv || v == x || v == w {
          v = u
          fv = fu
        }
      }
    }
    return (x, -fx)
  }
}
