/// Why a BLAS/LAPACK computation has no answer, translated from LAPACK's `info` code.
public enum LinearAlgebraError: Error, Sendable, Hashable {
  /// Argument `position` (1-based) of `routine` had an illegal value (`info < 0`): a bug in
  /// the caller, reported rather than crashing.
  case illegalArgument(routine: String, position: Int)
  /// The leading minor of order `order` is not positive definite (`dpotrf`, `info > 0`).
  case notPositiveDefinite(routine: String, order: Int)
  /// The factor is exactly singular: diagonal element `index` (1-based) is zero
  /// (`dpotri`, `dtrtrs`, `info > 0`).
  case singular(routine: String, index: Int)

  /// GLPK could not solve a linear program (its `glp_simplex` return code).
  case linearProgramFailed(code: Int)

  /// Throws the error that `info` describes; returns when `info == 0`.
  static func check(_ info: Int32, routine: String) throws(LinearAlgebraError) {
    if info == 0 { return }
    if info < 0 { throw .illegalArgument(routine: routine, position: Int(-info)) }
    if routine == "dpotrf" { throw .notPositiveDefinite(routine: routine, order: Int(info)) }
    throw .singular(routine: routine, index: Int(info))
  }
}
