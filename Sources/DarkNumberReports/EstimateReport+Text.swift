import DarkNumber

extension EstimateReport {
  /// The compact table a statistician reads at once.
  package func text() -> String {
    var lines: [String] = []
    let n = data.observedTotal
    let cells = (1 << data.listCount) - 1
    lines.append("DarkNumber \(DarkNumberVersion.string) — log-linear estimate of the population size")
    lines.append("")
    lines.append("Data       \(source)")
    lines.append("           \(data.listCount) lists: \(data.listNames.joined(separator: ", "))")
    lines.append(
      "           \(NumberText.grouped(Double(n), digits: 0)) observed in \(data.cells.count) of \(cells) observable histories"
    )
    let totals = (0..<data.listCount).map { "\(data.listNames[$0]) \(data.listTotal($0))" }
    lines.append("           list sizes: \(totals.joined(separator: ", "))")
    let terms = fit.model.termNames(listNames: data.listNames)
    let modelText =
      terms.isEmpty ? "main effects only (Mt, independence)" : "main effects + " + terms.joined(separator: ", ")
    lines.append("Model      \(fit.model)  \(modelText)")
    lines.append("")
    lines.append(
      "Estimate   N̂ = \(NumberText.grouped(fit.total))   (unobserved \(NumberText.grouped(fit.unobserved)), SE \(NumberText.grouped(fit.standardError)))"
    )
    if !intervals.isEmpty {
      lines.append("Intervals  \(NumberText.significant(level * 100))%")
      for interval in intervals {
        var line = "  " + NumberText.padded(interval.method.displayName, 20)
        line += text(interval.lower) + " – " + text(interval.upper)
        if interval.method == .profileLikelihood {
          line += "   (multinomial N̂ = \(NumberText.grouped(interval.estimate)))"
        }
        lines.append(line)
      }
    }
    for (estimate, _) in twoListEstimates {
      let name = estimate.estimator.displayName
      lines.append(
        "  \(NumberText.padded(name, 20))N̂ = \(NumberText.grouped(estimate.total)), SE \(NumberText.grouped(estimate.standardError))"
      )
    }
    lines.append("")
    let convergence = fit.converged ? "converged" : "NOT converged"
    lines.append(
      "Fit        deviance \(NumberText.significant(fit.deviance)) on \(fit.degreesOfFreedom) df, AIC \(NumberText.significant(fit.aic)), BIC \(NumberText.significant(fit.bic)); \(fit.iterations) iterations, \(convergence)"
    )
    lines.append("           " + NumberText.goodness(fit.goodnessOfFit))
    lines.append("Coefficients (log scale)")
    let width = max(12, (fit.coefficients.map(\.name.count).max() ?? 0) + 2)
    lines.append(
      "  " + NumberText.padded("term", width) + NumberText.rightAligned("estimate", 12)
        + NumberText.rightAligned("std. error", 12))
    for coefficient in fit.coefficients {
      let estimate = coefficient.estimate.map(NumberText.significant) ?? "aliased"
      var standardError = coefficient.standardError.map(NumberText.significant) ?? ""
      if coefficient.atBoundary { standardError += "  (−∞)" }
      lines.append(
        "  " + NumberText.padded(coefficient.name, width) + NumberText.rightAligned(estimate, 12)
          + NumberText.rightAligned(standardError, 12))
    }
    let warnings = self.warnings
    if !warnings.isEmpty {
      lines.append("")
      lines.append("Warnings")
      for warning in warnings { lines.append("  - \(warning)") }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private func text(_ limit: IntervalLimit) -> String {
    switch limit {
    case .finite(let value): return NumberText.grouped(value)
    case .unbounded: return "∞ (unbounded)"
    }
  }
}
