extension LogLinearFit {
  /// The fit's warnings as sentences — with the existence check's verdict where a warning depends
  /// on it — followed by ``GoodnessOfFit/warning`` when the data reject the model: every caveat a
  /// report of this fit shows.
  ///
  /// Fitted counts that are numerically zero (``FitWarning/fittedValuesNumericallyZero(cells:)``)
  /// can mean a parameter at the boundary — then the estimate does not exist — or merely tiny
  /// cells. The linear program of ``ExistenceCheck`` (Fienberg & Rinaldo 2012) decides exactly, so
  /// with a `check` of this model that warning becomes the check's verdict: the estimate exists
  /// and stands, or it does not exist. The other warnings are unchanged; pass `nil` without a check.
  public func warningSentences(checkedBy check: ExistenceCheck?) -> [String] {
    let sentences = warnings.map { warning in
      guard let check, case .fittedValuesNumericallyZero(let cells) = warning else { return warning.description }
      let subject = "\(cells) cell\(cells == 1 ? " has a" : "s have") fitted count numerically 0"
      return check.estimateExists
        ? subject + ", but the existence check (linear program) shows that the estimate exists: those cells are "
          + "small, not at a boundary, and the estimate stands."
        : subject + " and the existence check (linear program) confirms that the estimate does not exist."
    }
    return sentences + (goodnessOfFit.warning.map { [$0] } ?? [])
  }
}
