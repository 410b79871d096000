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
    let size = 1 << bits
    precondition(v.count == size, "expected 2^bits entries")
    unsafe v.withUnsafeMutableBufferPointer { p in
      var bit = 1
      while bit < size {
        var block = 0
        while block < size {
          for mask in (block + bit)..<(block + 2 * bit) { unsafe p[mask] += p[mask - bit] }
          block += 2 * bit
        }
        bit <<= 1
      }
    }
  }

  /// Replaces `v` (indexed by bitmask, `2ᴷ` entries) by its superset sums `v′_T = Σ_{h ⊇ T} v_h`.
  public static func supersetSums(_ v: inout [Double], bits: Int) {
    let size = 1 << bits
    precondition(v.count == size, "expected 2^bits entries")
    unsafe v.withUnsafeMutableBufferPointer { p in
      var bit = 1
      while bit < size {
        var block = 0
        while block < size {
          for mask in block..<(block + bit) { unsafe p[mask] += p[mask + bit] }
          block += 2 * bit
        }
        bit <<= 1
      }
    }
  }
}
