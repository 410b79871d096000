/// A dense matrix of `Double` stored column-major, the layout BLAS and LAPACK expect.
///
/// Element `(i, j)` (zero-based row `i`, column `j`) lives at `elements[i + j * rows]`.
/// A value type: copies are independent (copy-on-write through the backing array).
public struct Matrix: Sendable, Hashable {
  /// The number of rows.
  public private(set) var rows: Int
  /// The number of columns.
  public private(set) var columns: Int
  /// The entries, column by column (`rows * columns` of them).
  public var elements: [Double]

  /// A `rows × columns` matrix with every entry equal to `value`.
  public init(rows: Int, columns: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
    self.rows = rows
    self.columns = columns
    self.elements = [Double](repeating: value, count: rows * columns)
  }

  /// A `rows × columns` matrix from its entries in column-major order.
  public init(rows: Int, columns: Int, columnMajor elements: [Double]) {
    precondition(elements.count == rows * columns, "expected rows × columns entries")
    self.rows = rows
    self.columns = columns
    self.elements = elements
  }

  /// A matrix from an array of rows (convenient for literals in tests and examples).
  public init(_ rowArrays: [[Double]]) {
    let rowCount = rowArrays.count
    let columnCount = rowArrays.first?.count ?? 0
    precondition(rowArrays.allSatisfy { $0.count == columnCount }, "rows must have equal length")
    self.init(rows: rowCount, columns: columnCount)
    for i in 0..<rowCount {
      for j in 0..<columnCount { self[i, j] = rowArrays[i][j] }
    }
  }

  /// Makes this a `rows × columns` zero matrix, reusing the storage when it is large enough (a
  /// workspace refilled for many designs allocates only when one outgrows it).
  public mutating func reshape(rows: Int, columns: Int) {
    precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
    self.rows = rows
    self.columns = columns
    elements.removeAll(keepingCapacity: true)
    elements.append(contentsOf: repeatElement(0, count: rows * columns))
  }

  /// The `n × n` identity matrix.
  public static func identity(_ n: Int) -> Matrix {
    var result = Matrix(rows: n, columns: n)
    for i in 0..<n { result[i, i] = 1 }
    return result
  }

  /// The entry in zero-based `row` and `column`.
  @inlinable
  public subscript(row: Int, column: Int) -> Double {
    get { elements[row + column * rows] }
    set { elements[row + column * rows] = newValue }
  }

  /// Column `j` as an array.
  public func column(_ j: Int) -> [Double] {
    Array(elements[(j * rows)..<((j + 1) * rows)])
  }

  /// The transpose.
  public var transposed: Matrix {
    var result = Matrix(rows: columns, columns: rows)
    for j in 0..<columns {
      for i in 0..<rows { result[j, i] = self[i, j] }
    }
    return result
  }

  /// Sets the first `source.columns` columns of `self` to `diag(factors) · source`: row `i` of
  /// `source` scaled by `factors[i]` (the `W^½X` of weighted least squares), without allocating.
  /// Further columns of `self` are left as they are.
  public mutating func assignRowScaled(_ source: Matrix, by factors: [Double]) {
    precondition(source.rows == rows && source.columns <= columns, "shapes do not match")
    precondition(factors.count == rows, "one factor per row")
    let n = rows
    let columnCount = source.columns
    unsafe source.elements.withUnsafeBufferPointer { from in
      unsafe factors.withUnsafeBufferPointer { scale in
        unsafe elements.withUnsafeMutableBufferPointer { to in
          var offset = 0
          for _ in 0..<columnCount {
            for i in 0..<n { unsafe to[offset &+ i] = unsafe from[offset &+ i] * scale[i] }
            offset &+= n
          }
        }
      }
    }
  }

  /// The matrix without column `j`.
  public func removingColumn(_ j: Int) -> Matrix {
    precondition(j >= 0 && j < columns, "column out of range")
    var result = elements
    result.removeSubrange((j * rows)..<((j + 1) * rows))
    return Matrix(rows: rows, columns: columns - 1, columnMajor: result)
  }

  /// Copies the upper triangle onto the lower one (for results of `dsyrk`/`dpotri`, which
  /// fill only one triangle).
  public mutating func symmetrizeFromUpper() {
    precondition(rows == columns, "only square matrices can be symmetrized")
    for j in 0..<columns {
      for i in (j + 1)..<max(rows, j + 1) { self[i, j] = self[j, i] }
    }
  }
}
