/// `eˣ` for `−708 ≤ x ≤ 709`, inlinable into tight loops (the grid posterior takes millions, the
/// samplers one per draw); outside that range the caller uses `Double.exp`.
///
/// Cody & Waite range reduction `x = k·ln 2 + r`, `|r| ≤ ln 2 / 2`, with ln 2 split in a 32-bit
/// head and a tail so `r` is exact to rounding; `eʳ` by its Taylor polynomial of degree 13
/// (truncation below 5e-18 relative on that interval) evaluated by Estrin's scheme; `2ᵏ` from the
/// exponent bits. Error within 2 ulp of the correctly rounded result (checked against the C
/// library's `exp` in `RandomVariateTests`).
@inlinable @inline(__always)
package func fastExponential(_ x: Double) -> Double {
  // Round to nearest by adding and removing 1.5·2⁵² (no call to `rint`: baseline x86-64 has no
  // rounding instruction).
  let k = (x * 1.442_695_040_888_963_4 + 0x1.8p52) - 0x1.8p52
  let r = (x - k * 0.693_147_180_369_123_8) - k * 1.908_214_929_270_587_7e-10
  // Estrin's scheme: the polynomial in pairs, so the dependency chain is 5 deep, not 13.
  let r2 = r * r
  let r4 = r2 * r2
  let r8 = r4 * r4
  let q0 = (1 + r) + r2 * (0.5 + r * (1.0 / 6))
  let q1 = (1.0 / 24 + r * (1.0 / 120)) + r2 * (1.0 / 720 + r * (1.0 / 5_040))
  let q2 = (1.0 / 40_320 + r * (1.0 / 362_880)) + r2 * (1.0 / 3_628_800 + r * (1.0 / 39_916_800))
  let q3 = 1.0 / 479_001_600 + r * (1.0 / 6_227_020_800)
  let p = (q0 + r4 * q1) + r8 * (q2 + r4 * q3)
  return p * Double(bitPattern: UInt64(Int64(k) + 1023) << 52)
}
