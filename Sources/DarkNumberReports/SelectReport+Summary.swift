package import DarkNumber

extension SelectReport {
  /// The short name of a procedure.
  package static func name(of procedure: SelectionProcedure) -> String {
    switch procedure {
    case .stepwise: "stepwise"
    case .criterion(let criterion, _, _): criterion.rawValue
    case .downhill: "downhill"
    case .fixed: "fixed"
    }
  }

  /// One line saying what the selection did, and its steps (stepwise: the interactions added
  /// with their p-values; downhill: the models moved through).
  package static func describe(_ selection: ModelSelection, listNames: [String]) -> (String, [String]) {
    switch selection {
    case .stepwise(let stepwise):
      let steps = stepwise.steps.map { step in
        "\(DesignMatrix.columnName(of: step.pair, listNames: listNames)) (p = \(NumberText.significant(step.pValue)))"
      }
      return (steps.isEmpty ? "main effects kept" : "added " + steps.joined(separator: ", "), steps)
    case .criterion(let criterion):
      var summary =
        "best of \(NumberText.grouped(Double(criterion.modelCount), digits: 0)) models up to order \(criterion.maximumOrder) by \(criterion.options.criterion.rawValue.uppercased())"
      let passedOver = criterion.passedOver
      if !passedOver.isEmpty {
        let reasons = passedOver.prefix(3).map { "\($0.model) (\(reason($0.code)))" }
        summary +=
          "; passed over \(passedOver.count) better-ranked model(s) without an estimate: "
          + reasons.joined(separator: ", ") + (passedOver.count > 3 ? ", …" : "")
      }
      return (summary, [])
    case .downhill(let downhill):
      let steps = downhill.path.map(\.description)
      let summary =
        "downhill by \(downhill.criterion.rawValue.uppercased()) up to order \(downhill.maximumOrder) through "
        + steps.joined(separator: " → ") + " (\(downhill.modelsConsidered) models fitted)"
      return (summary, steps)
    case .fixed(let fit):
      return ("model \(fit.model) held fixed", [])
    }
  }

  /// SparseMSE's code in words.
  package static func reason(_ code: Int) -> String {
    switch code {
    case 1: "no MLE"
    case 2: "not identifiable"
    default: "no MLE, not identifiable"
    }
  }
}
