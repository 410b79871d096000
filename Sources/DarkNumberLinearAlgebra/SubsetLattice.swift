import RealModule

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
    unsafe transform(&v, bits: bits) { low, high in unsafe high.pointee += low.pointee }
  }

  /// Replaces `v` (indexed by bitmask, `2ᴷ` entries) by its superset sums `v′_T = Σ_{h ⊇ T} v_h`.
  public static func supersetSums(_ v: inout [Double], bits: Int) {
    unsafe transform(&v, bits: bits) { low, high in unsafe low.pointee += high.pointee }
  }

  /// `XᵀWX` of a hierarchical design with terms `T_a`: `(XᵀWX)_{ab} = Σ_{h ⊇ T_a ∪ T_b} w_h`.
  ///
  /// `marginal` (`2ᴷ` entries) receives the superset sums of the weights, with `w_0` and the
  /// cells where `mask` is `false` taken as 0 (`mask` empty: every cell counts), so that
  /// `marginal[T] = (Xᵀw)_T`; `gram` (`order × order`, column-major) receives the upper triangle,
  /// entry `(a, b)` from `marginal[unions[a + b·order]]` with `unions` holding `T_a ∪ T_b`.
  public static func hierarchicalGram(
    weights: [Double], mask: [Bool], unions: [Int], order: Int, bits: Int,
    marginal: inout [Double], gram: inout [Double]
  ) {
    let size = 1 << bits
    precondition(
      weights.count >= size && marginal.count == size && (mask.isEmpty || mask.count >= size)
        && unions.count >= order * order && gram.count >= order * order,
      "shapes do not match")
    unsafe weights.withUnsafeBufferPointer { w in
      unsafe marginal.withUnsafeMutableBufferPointer { m in
        unsafe m[0] = 0
        if mask.isEmpty {
          var h = 1
          while h < size {
            unsafe m[h] = w[h]
            h &+= 1
          }
        } else {
          unsafe mask.withUnsafeBufferPointer { keep in
            var h = 1
            while h < size {
              unsafe m[h] = keep[h] ? w[h] : 0
              h &+= 1
            }
          }
        }
        unsafe transform(m.baseAddress!, size: size) { low, high in unsafe low.pointee += high.pointee }
        unsafe unions.withUnsafeBufferPointer { u in
          unsafe gram.withUnsafeMutableBufferPointer { g in
            var b = 0
            while b < order {
              var a = 0
              let column = b &* order
              while a <= b {
                unsafe g[a &+ column] = m[u[a &+ column]]
                a &+= 1
              }
              b &+= 1
            }
          }
        }
      }
    }
  }

  /// The linear predictor and fitted values of a hierarchical design with terms `T_a` and
  /// coefficients `β_a`: `η_h = Σ_{T_a ⊆ h} β_a` into `eta` and `μ_h = exp η_h` into `mu` (both
  /// `2ᴷ` entries, every cell written).
  ///
  /// `μ_h = Π_{T_a ⊆ h} exp β_a` by a product transform, one exponential per term rather than per
  /// cell. Every partial product is `exp` of a partial sum of the `β_a`, so none overflows or
  /// underflows while `Σ |β_a| < 700`; beyond that `μ_h = exp η_h` cell by cell.
  public static func hierarchicalPredictor(
    terms: [UInt32], coefficients beta: [Double], bits: Int, eta: inout [Double],
    mu: inout [Double]
  ) {
    let size = 1 << bits
    precondition(
      eta.count == size && mu.count == size && beta.count >= terms.count, "shapes do not match")
    unsafe terms.withUnsafeBufferPointer { t in
      unsafe beta.withUnsafeBufferPointer { b in
        unsafe eta.withUnsafeMutableBufferPointer { e in
          unsafe mu.withUnsafeMutableBufferPointer { m in
            let e = e.baseAddress!
            let m = m.baseAddress!
            var h = 0
            while h < size {
              unsafe e[h] = 0
              h &+= 1
            }
            var magnitude = 0.0
            var a = 0
            while a < t.count {
              let term = unsafe Int(t[a])
              precondition(term < size, "a term outside the lattice")
              unsafe e[term] += b[a]
              magnitude += unsafe abs(b[a])
              a &+= 1
            }
            unsafe transform(e, size: size) { low, high in unsafe high.pointee += low.pointee }
            if magnitude < 700 {
              h = 0
              while h < size {
                unsafe m[h] = 1
                h &+= 1
              }
              a = 0
              while a < t.count {
                unsafe m[Int(t[a])] = .exp(b[a])
                a &+= 1
              }
              unsafe transform(m, size: size) { low, high in unsafe high.pointee *= low.pointee }
            } else {
              h = 0
              while h < size {
                unsafe m[h] = .exp(e[h])
                h &+= 1
              }
            }
          }
        }
      }
    }
  }

  /// Subset sums of `width` interleaved lattices — entry `h · width + c` holds mask `h` of
  /// lattice `c` (one lattice per combination of covariate levels) — each lattice transformed as
  /// ``subsetSums(_:bits:)``. Every butterfly combines two runs of `width` consecutive entries, a
  /// loop the compiler vectorises.
  public static func interleavedSubsetSums(_ v: inout [Double], width: Int, bits: Int) {
    unsafe interleaved(&v, width: width, bits: bits) { low, high, _, _ in
      var k = 0
      while k < width {
        unsafe high[k] += low[k]
        k &+= 1
      }
    }
  }

  /// Subset products of `width` interleaved lattices (as ``interleavedSubsetSums(_:width:bits:)``):
  /// with `v = exp g`, `v′_h = Π_{T ⊆ h} exp g_T = exp Σ_{T ⊆ h} g_T`, every partial product being
  /// `exp` of a partial sum (one exponential per non-zero term instead of one per cell).
  public static func interleavedSubsetProducts(_ v: inout [Double], width: Int, bits: Int) {
    unsafe interleaved(&v, width: width, bits: bits) { low, high, _, _ in
      var k = 0
      while k < width {
        unsafe high[k] *= low[k]
        k &+= 1
      }
    }
  }

  /// Superset sums of `width` interleaved lattices (as ``interleavedSubsetSums(_:width:bits:)``).
  public static func interleavedSupersetSums(_ v: inout [Double], width: Int, bits: Int) {
    unsafe interleaved(&v, width: width, bits: bits) { low, high, _, _ in
      var k = 0
      while k < width {
        unsafe low[k] += high[k]
        k &+= 1
      }
    }
  }

  /// Superset sums of two arrays of `width` interleaved lattices in one pass (the working weights
  /// and responses of an iteration).
  public static func interleavedSupersetSums(_ a: inout [Double], _ b: inout [Double], width: Int, bits: Int) {
    precondition(a.count == b.count, "two arrays of one shape")
    unsafe b.withUnsafeMutableBufferPointer { other in
      guard let q = other.baseAddress else { return }
      unsafe interleaved(&a, width: width, bits: bits) { low, high, lowOffset, highOffset in
        var k = 0
        while k < width {
          unsafe low[k] += high[k]
          unsafe q[lowOffset &+ k] += q[highOffset &+ k]
          k &+= 1
        }
      }
    }
  }

  /// Checks the size and calls `combine(low, high, lowOffset, highOffset)` for every mask `h`
  /// without a bit and its partner with it, bit by bit: pointers to the runs of `width` entries at
  /// `h · width` and `(h | bit) · width`, and those offsets.
  @inline(__always)
  private static func interleaved(
    _ v: inout [Double], width: Int, bits: Int,
    _ combine: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>, Int, Int) -> Void
  ) {
    let size = 1 << bits
    precondition(width >= 0 && v.count == size * width, "expected 2^bits × width entries")
    unsafe v.withUnsafeMutableBufferPointer { buffer in
      guard let p = buffer.baseAddress else { return }
      var bit = 1
      while bit < size {
        var block = 0
        while block < size {
          var low = block
          let end = block &+ bit
          while low < end {
            let lowOffset = low &* width
            let highOffset = (low &+ bit) &* width
            unsafe combine(p + lowOffset, p + highOffset, lowOffset, highOffset)
            low &+= 1
          }
          block &+= bit &<< 1
        }
        bit &<<= 1
      }
    }
  }

  /// Checks the size and runs ``transform(_:size:_:)`` on the array's storage.
  @inline(__always)
  private static func transform(
    _ v: inout [Double], bits: Int,
    _ combine: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Void
  ) {
    let size = 1 << bits
    precondition(v.count == size, "expected 2^bits entries")
    unsafe v.withUnsafeMutableBufferPointer { buffer in
      unsafe transform(buffer.baseAddress!, size: size, combine)
    }
  }

  /// One pass per bit over every mask without the bit (`low`) and its partner with it (`high`);
  /// the first two bits unrolled, as their runs of consecutive masks are one and two long.
  @inline(__always)
  private static func transform(
    _ p: UnsafeMutablePointer<Double>, size: Int,
    _ combine: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Void
  ) {
    var low = 0
    if size >= 2 {
      while low < size {
        unsafe combine(p + low, p + (low &+ 1))
        low &+= 2
      }
    }
    if size >= 4 {
      low = 0
      while low < size {
        unsafe combine(p + low, p + (low &+ 2))
        unsafe combine(p + (low &+ 1), p + (low &+ 3))
        low &+= 4
      }
    }
    var bit = 4
    while bit < size {
      var block = 0
      while block < size {
        let end = block &+ bit
        low = block
        while low < end {
          unsafe combine(p + low, p + (low &+ bit))
          low &+= 1
        }
        block &+= bit &<< 1
      }
      bit &<<= 1
    }
  }
}
