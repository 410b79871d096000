import RealModule
import Testing

@testable import DarkNumber

extension SelectionBootstrap {
  /// Where another run's BCa limit at tail `probability` (0.025 for a 95% interval's lower limit) may fall, given Monte Carlo error (99.9%).
  ///
  /// A BCa limit is the replicates' type-8 quantile at the adjusted level
  /// `α′ = Φ(ẑ₀ + (ẑ₀ + z_α)/(1 − â(ẑ₀ + z_α)))`: in the other run, of `otherReplicates`
  /// replicates, roughly the `r`-th smallest with `r = α′(B′ + ⅓) + ⅓` (at least 1, the smallest),
  /// so its position in the common bootstrap distribution is `F(L′) ~ Beta(r, B′ − r + 1)`. How
  /// many of our `B` replicates fall below it, `K`, is then beta-binomial, and `L′` lies between
  /// our `K`-th and `(K + 1)`-th smallest replicates. The band runs from our replicate below the
  /// 0.05% quantile of `K` to the one above its 99.95% quantile. Unlike a normal approximation
  /// this holds for extreme levels too: on sparse tables `α′` can be 10⁻⁵, where a limit is the
  /// smallest replicate and the other run's smallest may lie below all of ours (then the band
  /// starts at 0).
  func monteCarloBand(probability: Double, otherReplicates: Int = 1000) throws -> ClosedRange<Double> {
    let ours = sortedReplicates
    let count = ours.count
    let share = Double(ours.filter { $0 < estimate }.count) / Double(count)
    let adjusted = Self.bcaProbability(probability, below: share, acceleration: try #require(acceleration))
    let other = Double(otherReplicates)
    let rank = min(other, max(1, adjusted * (other + 1.0 / 3) + 1.0 / 3))
    let (alpha, beta) = (rank, other - rank + 1)
    func logBeta(_ x: Double, _ y: Double) -> Double { .logGamma(x) + .logGamma(y) - .logGamma(x + y) }
    let b = Double(count)
    var cumulative = 0.0
    var low: Int?
    var high = count
    for k in 0...count {
      let x = Double(k)
      cumulative += Double.exp(
        .logGamma(b + 1) - .logGamma(x + 1) - .logGamma(b - x + 1) + logBeta(x + alpha, b - x + beta)
          - logBeta(alpha, beta))
      if low == nil && cumulative >= 0.0005 { low = k }
      if cumulative >= 0.9995 {
        high = k
        break
      }
    }
    let k = low ?? 0
    return (k == 0 ? 0 : ours[k - 1])...(high >= count ? .infinity : ours[high])
  }
}
