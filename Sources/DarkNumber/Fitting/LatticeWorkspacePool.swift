import Synchronization

/// ``LatticeIRLS`` workspaces kept between one-shot fits (``LogLinearModel/fit(to:options:)``), so
/// that a loop of fits allocates no workspace and, refitting the same counts, recomputes neither
/// their logarithms, their superset sums nor `Σ log y!`.
///
/// A fit takes a workspace for its number of lists out of the pool (or makes one) and puts it back
/// when done; concurrent fits each hold their own. Only tables of at most
/// ``largestPooledListCount`` lists are kept, at most ``capacity`` workspaces in all.
final class LatticeWorkspacePool: Sendable {
  /// The pool of the process.
  static let shared = LatticeWorkspacePool()
  /// The most lists a kept workspace has (`2¹²` cells: about 400 KB a workspace).
  static let largestPooledListCount = 12
  /// The most workspaces kept.
  static let capacity = 16

  private let idle = Mutex<[LatticeIRLS]>([])

  /// Runs `body` with a workspace for `listCount` lists.
  func withWorkspace<Result>(listCount: Int, _ body: (inout LatticeIRLS) -> Result) -> Result {
    let pooled = listCount <= Self.largestPooledListCount
    var workspace =
      (pooled
        ? idle.withLock { idle -> LatticeIRLS? in
          guard let index = idle.lastIndex(where: { $0.listCount == listCount }) else { return nil }
          return idle.remove(at: index)
        } : nil) ?? LatticeIRLS(listCount: listCount)
    let result = body(&workspace)
    if pooled {
      idle.withLock { idle in
        if idle.count == Self.capacity { idle.removeFirst() }
        idle.append(workspace)
      }
    }
    return result
  }
}
