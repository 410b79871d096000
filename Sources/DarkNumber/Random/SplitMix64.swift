/// The SplitMix64 generator (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number
/// generators", OOPSLA): a 64-bit state advanced by the golden-ratio increment and mixed.
///
/// ``stream(seed:index:)`` gives replicate `index` its own generator derived from `(seed, index)`,
/// so results never depend on how replicates are scheduled across threads.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// A generator started from `seed`.
  public init(seed: UInt64) { state = seed }

  /// The generator of replicate `index` under `seed`: the seed and index are mixed through two
  /// SplitMix64 steps, so neighbouring indices give unrelated streams.
  public static func stream(seed: UInt64, index: UInt64) -> SplitMix64 {
    var mixer = SplitMix64(seed: seed)
    let base = mixer.next()
    var derived = SplitMix64(seed: base ^ (index &* 0xD1B5_4A32_D192_ED03))
    return SplitMix64(seed: derived.next())
  }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
