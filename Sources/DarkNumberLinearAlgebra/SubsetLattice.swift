/// Sums over the subset lattice of `K` bits: the fast zeta transforms (Yates 1937; Kennes 1992)
/// that multiply by a hierarchical log-linear design without forming it.
///
/// A hierarchical log-linear design over the cells `h ⊆ {1…K}` has a column per term `T` with
/// entries `x_hT = 1[h ⊇ T]`. So `η = Xβ` is a sum over subsets, `η_h = Σ_{T ⊆ h} β_T`, and
/// `Xᵀv` and `XᵀWX` are sums over supersets, `(Xᵀv)_T = Σ_{h ⊇ T} v_h` and
/// `(XᵀWX)_{ST} = Σ_{h ⊇ S ∪ T} w_h`. Each transform costs `K · 2ᴷ⁻¹` additions, however many
/// terms the model has.
public enum SubsetLattice {
  /// Replaces `v` (indexed by bitmask, `2ᴷ` entries) by its subset sums `v′_h = Σ_{T ⊆ h} v_T`.
  public static func subsetSums(_ v: inout [Double], bits: Int) {
    transform(&v, bits: bits, towardSupersets: false)
  }

  /// Replaces `v` (indexed by bitmask, `2ᴷ` entries) by its superset sums `v′_T = Σ_{h ⊇ T} v_h`.
  public static func supersetSums(_ v: inout [Double], bits: Int) {
    transform(&v, bits: bits, towardSupersets: true)
  }

  /// One pass per bit: every mask without the bit and its partner with it; the sum goes to the
  /// superset (subset sums) or to the subset (superset sums).
  @inline(__always)
  private static func transform(_ v: inout [Double], bits: Int, towardSupersets: Bool) {
    let size = 1 << bits
    precondition(v.count == size, "expected 2^bits entries")
    unsafe v.withUnsafeMutableBufferPointer { p in
      var bit = 1
      while bit < size {
        var block = 0
        while block < size {
          for low in block..<(block + bit) {
            if towardSupersets {
              unsafe p[low] += p[low + bit]
            } else {
              unsafe p[low + bit] += p[low]
            }
          }
          block += 2 * bit
        }
        bit <<= 1
      }
    }
  }
}
