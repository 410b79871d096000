/// Whether leaving a covariate out changes the population-size estimate: *active* and *passive*
/// covariates (van der Heijden, Whittaker, Cruyff, Bakker & van der Vliet 2012, Annals of
/// Applied Statistics 6:831–852).
///
/// **From the model's graph.** Draw the lists and covariates as vertices, joined when they share
/// a term. Let `S` be the covariate's connected component among the covariates and `B` the lists
/// joined to `S`. If `B` holds at most one list, or the model already contains the interaction of
/// all lists in `B`, the table is collapsible over `S` onto the lists (Asmussen & Edwards 1983,
/// Biometrika 70:567): the collapsed model keeps every sufficient statistic of the lists, so `N̂`
/// is the same without the covariate — the covariate is **passive**. Otherwise it links two or
/// more lists that the model does not link directly; leaving it out changes the list dependence
/// and in general `N̂` — the covariate is **active**.
///
/// **Measured.** The table is summed over the covariate and the model without it (every term
/// with the covariate removed from the term) is refitted; the change in `N̂` is reported. When
/// the data's ``ListCoverage`` depends on the covariate, the table cannot be summed over it
/// (strata with different lists would be mixed): the verdict says so instead.
public struct CovariateCollapsibility: Sendable {
  /// One covariate's verdict.
  public struct Verdict: Sendable {
    /// The covariate.
    public let covariate: String
    /// Active by the model's graph: its component joins two or more lists not joined directly.
    public let active: Bool
    /// The lists its component is joined to (`B` above).
    public let linkedLists: [String]
    /// `N̂` after summing the table over the covariate and refitting, or why there is none.
    public let collapsed: Result<Double, EstimationError>
    /// The full model's `N̂`.
    public let total: Double
    /// Whether the coverage (which lists operated, ``ListCoverage``) depends on the covariate:
    /// then the table cannot be summed over it, and it stays in any model of these data.
    public let requiredByCoverage: Bool

    /// `(N̂ collapsed − N̂) / N̂`, or `nil` when the collapsed fit has no estimate.
    public var relativeChange: Double? {
      guard case .success(let value) = collapsed else { return nil }
      return (value - total) / total
    }
  }

  /// One verdict per covariate of the model.
  public let verdicts: [Verdict]

  /// Assesses every covariate of `fit`.
  public init(fit: CovariateFit) {
    let model = fit.model
    let k = model.listCount
    let p = model.covariates.count
    func joined(_ a: Int, _ b: Int) -> Bool {
      let pair = (UInt64(1) << UInt64(a)) | (UInt64(1) << UInt64(b))
      return model.terms.contains { $0 & pair == pair }
    }
    verdicts = (0..<p).map { covariate in
      // The component among covariates.
      var component: Set<Int> = [covariate]
      var frontier = [covariate]
      while let next = frontier.popLast() {
        for other in 0..<p where !component.contains(other) && joined(k + next, k + other) {
          component.insert(other)
          frontier.append(other)
        }
      }
      let linked = (0..<k).filter { list in component.contains { joined(list, k + $0) } }
      let mask = linked.reduce(UInt64(0)) { $0 | (UInt64(1) << UInt64($1)) }
      let active = linked.count >= 2 && !model.terms.contains(mask)
      let requiredByCoverage = fit.data.coverageRules?.constrainedCovariates.contains(covariate) ?? false
      let collapsed: Result<Double, EstimationError>
      do throws(EstimationError) {
        if requiredByCoverage {
          throw .coverageDependsOnCovariate(model.covariates[covariate].name)
        } else if let reduced = model.removingCovariate(covariate),
          let data = fit.data.keepingCovariates((0..<p).filter { $0 != covariate })
        {
          collapsed = .success(try reduced.fit(to: data, options: fit.options).total)
        } else {
          collapsed = .success(try model.listModel.fit(to: fit.data.pooled, options: fit.options).total)
        }
      } catch {
        collapsed = .failure(error)
      }
      return Verdict(
        covariate: model.covariates[covariate].name, active: active,
        linkedLists: linked.map { model.listNames[$0] }, collapsed: collapsed, total: fit.total,
        requiredByCoverage: requiredByCoverage)
    }
  }
}
