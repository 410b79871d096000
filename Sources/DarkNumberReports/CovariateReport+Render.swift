import DarkNumber
import Foundation

extension CovariateReport {
  /// The tables a statistician reads at once.
  package func text() -> String {
    var lines: [String] = []
    lines.append("DarkNumber \(DarkNumberVersion.string) — log-linear estimate with covariates")
    lines.append("")
    lines.append("Data       \(source)")
    lines.append("           \(data.listCount) lists: \(data.listNames.joined(separator: ", "))")
    let covariates = data.covariates.map { "\($0.name) (\($0.levels.joined(separator: ", ")))" }
    lines.append("           covariates: \(covariates.joined(separator: "; "))")
    lines.append(
      "           \(observedText(covariate: nil, level: nil, value: Double(data.observedTotal), digits: 0)) observed")
    if let coverage = data.coverage {
      lines.append("Coverage   \(fit.structuralZeroCount) structural-zero cells (lists that did not operate):")
      for row in coverage.rows {
        let levels = zip(coverage.covariateNames, row.levels).map { "\($0)=\($1 ?? "*")" }.joined(separator: ", ")
        let closed = zip(coverage.listNames, row.operated).filter { !$1 }.map(\.0)
        lines.append(
          "  \(NumberText.padded(levels, 30)) not operating: \(closed.isEmpty ? "none" : closed.joined(separator: ", "))"
        )
      }
    }
    lines.append("Model      \(fit.model)" + (em == nil ? "" : "   (fitted by EM over missing covariate values)"))
    if let selection {
      lines.append(
        "Selection  stepwise by \(selection.criterion.rawValue.uppercased()), \(selection.fittedModels) models fitted")
      for step in selection.steps {
        lines.append(
          "  \(step.added ? "+" : "−") \(NumberText.padded(step.term, 24))\(selection.criterion.rawValue.uppercased()) \(NumberText.significant(step.criterion))"
        )
      }
    }
    if let path = analysis.path {
      lines.append(
        "Selection  Cruyff's search path (mse): stepwise by BIC, then AIC, then penalty 1; the smallest BIC is reported"
      )
      let minima = (
        path.entries.map(\.aic).min() ?? 0, path.entries.map(\.aicc).min() ?? 0, path.entries.map(\.bic).min() ?? 0
      )
      lines.append(
        "  " + NumberText.padded("stage", 11) + NumberText.padded("step", 26) + NumberText.rightAligned("ΔAIC", 9)
          + NumberText.rightAligned("ΔAICc", 9) + NumberText.rightAligned("ΔBIC", 9) + NumberText.rightAligned("N̂", 12))
      for (index, entry) in path.entries.enumerated() {
        lines.append(
          (index == path.chosen ? "* " : "  ") + NumberText.padded(entry.stage, 11)
            + NumberText.padded(entry.model.step, 26)
            + NumberText.rightAligned(String(format: "%.1f", entry.aic - minima.0), 9)
            + NumberText.rightAligned(entry.aicc.isFinite ? String(format: "%.1f", entry.aicc - minima.1) : "∞", 9)
            + NumberText.rightAligned(String(format: "%.1f", entry.bic - minima.2), 9)
            + NumberText.rightAligned(
              entry.model.total.isFinite ? NumberText.grouped(entry.model.total) : "no estimate", 12))
      }
    }
    if let reselection {
      lines.append(
        "Bootstrap  \(reselection.replicates.count) nonparametric replicates, selection re-run in each (seed \(reselection.options.seed)); models chosen:"
      )
      for entry in reselection.modelFrequencies.prefix(10) {
        let share = 100 * Double(entry.count) / Double(reselection.replicates.count)
        lines.append("  \(NumberText.rightAligned(String(format: "%.1f%%", share), 7))  \(entry.model)")
      }
      if reselection.modelFrequencies.count > 10 {
        lines.append("  … and \(reselection.modelFrequencies.count - 10) more models")
      }
    }
    lines.append("")
    let total = fit.totalEstimate
    if let reason = total.noEstimateReason, !total.strataWithTooFewLists.isEmpty {
      lines.append("Estimate   no estimate of the total: \(reason).")
    } else {
      lines.append(
        "Estimate   N̂ = \(NumberText.grouped(total.total))   (unobserved \(NumberText.grouped(total.unobserved)), SE \(NumberText.grouped(total.standardError)))"
      )
      lines.append("Intervals  \(NumberText.significant(level * 100))%")
      for interval in totalIntervals {
        lines.append("  " + NumberText.padded(interval.name, 22) + Self.limits(interval))
      }
    }
    lines.append("")
    lines.append(
      "Fit        deviance \(NumberText.significant(fit.deviance)) on \(fit.degreesOfFreedom) df, AIC \(NumberText.significant(fit.aic)), BIC \(NumberText.significant(fit.bic)); \(fit.converged ? "converged" : "NOT converged")"
    )
    lines.append("           " + NumberText.goodness(fit.goodnessOfFit))
    for (covariate, rows) in breakdown {
      lines.append("")
      lines.append("By \(covariate)")
      let hasRates = rows.contains { $0.population != nil }
      let hasBootstrap = rows.contains { $0.intervals.contains { $0.key == "bootstrap-percentile" } }
      var header =
        "  " + NumberText.padded("level", 16) + NumberText.rightAligned("observed", 10)
        + NumberText.rightAligned("N̂", 12) + NumberText.rightAligned("SE", 10)
        + "   log-normal \(NumberText.significant(level * 100))%"
      if hasBootstrap { header += "         bootstrap" }
      if hasRates { header += "          rate per 100,000" }
      lines.append(header)
      for row in rows {
        let estimate = row.estimate
        var line =
          "  " + NumberText.padded(estimate.level ?? "", 16)
          + NumberText.rightAligned(
            observedText(
              covariate: covariate, level: estimate.level, value: estimate.observed, digits: em == nil ? 0 : 1), 10)
        guard estimate.estimateExists else {
          lines.append(
            line
              + (estimate.strataWithTooFewLists.isEmpty
                ? "   no finite estimate" : "   no estimate (fewer than two lists operated)"))
          continue
        }
        line +=
          NumberText.rightAligned(NumberText.grouped(estimate.total), 12)
          + NumberText.rightAligned(NumberText.grouped(estimate.standardError), 10) + "   "
          + Self.limits(row.intervals[1])
        if hasBootstrap, let interval = row.intervals.first(where: { $0.key == "bootstrap-percentile" }) {
          line += "   " + Self.limits(interval)
        }
        if let rate = row.rate {
          line += "   " + NumberText.significant(rate) + " (" + Self.limits(row.rateIntervals[1], digits: 2) + ")"
        }
        lines.append(line)
      }
    }
    if !verdicts.isEmpty {
      lines.append("")
      lines.append("Covariates (active: leaving it out changes N̂; van der Heijden et al. 2012)")
      for verdict in verdicts {
        var line = "  " + NumberText.padded(verdict.covariate, 16)
        line +=
          verdict.requiredByCoverage
          ? "required by the coverage"
          : verdict.active ? "active  — links \(verdict.linkedLists.joined(separator: ", "))" : "passive"
        switch verdict.collapsed {
        case .success(let value):
          line +=
            "; N̂ without it \(NumberText.grouped(value)) (\(String(format: "%+.2f", 100 * (verdict.relativeChange ?? 0)))%)"
        case .failure(let error):
          line += "; without it: \(error.description)"
        }
        lines.append(line)
      }
    }
    for comparison in strata {
      lines.append("")
      lines.append("Strata by \(comparison.covariate): separate fits of \(comparison.listModel) vs the joint model")
      lines.append(
        "  " + NumberText.padded("level", 16) + NumberText.rightAligned("observed", 10)
          + NumberText.rightAligned("separate N̂", 14) + NumberText.rightAligned("SE", 10)
          + NumberText.rightAligned("joint N̂", 14) + NumberText.rightAligned("SE", 10))
      for row in comparison.rows {
        var line =
          "  " + NumberText.padded(row.level, 16)
          + NumberText.rightAligned(
            observedText(covariate: comparison.covariate, level: row.level, value: Double(row.observed), digits: 0), 10)
        switch row.separate {
        case .success(let estimate):
          line +=
            NumberText.rightAligned(NumberText.grouped(estimate.total), 14)
            + NumberText.rightAligned(NumberText.grouped(estimate.standardError), 10)
        case .failure:
          line += NumberText.rightAligned("no estimate", 14) + NumberText.rightAligned("", 10)
        }
        line +=
          row.joint.estimateExists
          ? NumberText.rightAligned(NumberText.grouped(row.joint.total), 14)
            + NumberText.rightAligned(NumberText.grouped(row.joint.standardError), 10)
          : NumberText.rightAligned("no estimate", 14)
        lines.append(line)
      }
      if let separate = comparison.separateTotal, comparison.jointTotal.estimateExists {
        lines.append(
          "  " + NumberText.padded("total", 16) + NumberText.rightAligned("", 10)
            + NumberText.rightAligned(NumberText.grouped(separate.total), 14)
            + NumberText.rightAligned(NumberText.grouped(separate.standardError), 10)
            + NumberText.rightAligned(NumberText.grouped(comparison.jointTotal.total), 14)
            + NumberText.rightAligned(NumberText.grouped(comparison.jointTotal.standardError), 10))
      }
    }
    let warnings = self.warnings
    if !warnings.isEmpty {
      lines.append("")
      lines.append("Warnings")
      for warning in warnings { lines.append("  - \(warning)") }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func limits(_ interval: IntervalEstimate, digits: Int = 1) -> String {
    let lower = interval.lower.value.map { NumberText.grouped($0, digits: digits) } ?? "?"
    let upper = interval.upper.value.map { NumberText.grouped($0, digits: digits) } ?? "∞ (unbounded)"
    return "\(lower) – \(upper)"
  }

  /// Comma-separated rows: the total and every level, one row per interval method.
  package func csv() -> String {
    var lines = [
      "covariate,level,observed,total,standard_error,method,interval_level,lower,upper,population,rate,rate_lower,rate_upper"
    ]
    let total = fit.totalEstimate
    for interval in totalIntervals {
      lines.append(
        ",,\(isHidden(covariate: nil, level: nil) ? "<\(threshold ?? 0)" : String(total.observed)),\(total.total),\(total.standardError),\(interval.key),\(interval.level),\(NumberText.field(interval.lower.value)),\(NumberText.field(interval.upper.value)),,,,"
      )
    }
    for (covariate, rows) in breakdown {
      for row in rows {
        let estimate = row.estimate
        for (index, interval) in row.intervals.enumerated() {
          let rate = row.population == nil ? nil : row.rateIntervals[index]
          lines.append(
            "\"\(covariate)\",\"\(estimate.level ?? "")\",\(isHidden(covariate: covariate, level: estimate.level) ? "<\(threshold ?? 0)" : String(estimate.observed)),\(NumberText.field(estimate.estimateExists ? estimate.total : nil)),\(NumberText.field(estimate.estimateExists ? estimate.standardError : nil)),\(interval.key),\(interval.level),\(NumberText.field(interval.lower.value)),\(NumberText.field(interval.upper.value)),\(NumberText.field(row.population)),\(NumberText.field(row.rate)),\(NumberText.field(rate?.lower.value)),\(NumberText.field(rate?.upper.value))"
          )
        }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The JSON document (schema version 1).
  package func json() throws -> String {
    try JSONText.encode(CovariateDocument(self))
  }
}

/// The versioned JSON document of `estimate --covariates` / `select --covariates`.
package struct CovariateDocument: Encodable {
  package struct IntervalEntry: Encodable {
    let method: String
    let level: Double
    let lower: Double?
    let upper: Double?
    let upperUnbounded: Bool
    let notes: [String]

    init(_ interval: IntervalEstimate) {
      method = interval.key
      level = interval.level
      lower = interval.lower.value
      upper = interval.upper.value
      upperUnbounded = interval.upper.value == nil
      notes = interval.notes.map(\.description)
    }
  }
  package struct CovariateEntry: Encodable {
    let name: String
    let levels: [String]
    let missing: Int
  }
  package struct DataSection: Encodable {
    let source: String
    let lists: [String]
    let covariates: [CovariateEntry]
    let observed: Int?
  }
  /// One row of the coverage table: its levels (`*` for any) and the lists that did or did not
  /// operate there.
  package struct CoverageEntry: Encodable {
    let levels: [String: String]
    let operating: [String]
    let notOperating: [String]
  }
  package struct ModelSection: Encodable {
    let specification: String
    let parameters: Int
    let fittedByEM: Bool
  }
  package struct BreakdownEntry: Encodable {
    let covariate: String
    let level: String
    let observed: Double?
    let total: Double?
    let unobserved: Double?
    let standardError: Double?
    let estimateExists: Bool
    let intervals: [IntervalEntry]
    let population: Double?
    let rate: Double?
    let rateIntervals: [IntervalEntry]?
  }
  package struct VerdictEntry: Encodable {
    let name: String
    let active: Bool
    let linkedLists: [String]
    let totalWithout: Double?
    let relativeChange: Double?
    let note: String?
  }
  package struct StratumEntry: Encodable {
    let level: String
    let observed: Int?
    let separateTotal: Double?
    let separateStandardError: Double?
    let separateError: String?
    let jointTotal: Double?
    let jointStandardError: Double?
  }
  package struct StrataEntry: Encodable {
    let covariate: String
    let listModel: String
    let rows: [StratumEntry]
    let separateTotal: Double?
    let separateStandardError: Double?
    let jointTotal: Double?
    let jointStandardError: Double?
  }
  package struct EMSection: Encodable {
    let iterations: Int
    let incompleteIndividuals: Int
    let observedLogLikelihood: Double
  }
  package struct ModelFrequencyEntry: Encodable {
    let model: String
    let count: Int
    let share: Double
  }
  package struct BootstrapSection: Encodable {
    let replicates: Int
    let successful: Int
    let seed: UInt64
    /// Whether the selection was re-run in every replicate (`select --covariates`), or the model
    /// held fixed (`estimate --covariates`).
    let reselected: Bool
    let method: String
    let modelFrequencies: [ModelFrequencyEntry]?
  }
  package struct SelectionStep: Encodable {
    let term: String
    let added: Bool
    let criterion: Double
  }
  package struct SelectionSection: Encodable {
    let criterion: String
    let fittedModels: Int
    let steps: [SelectionStep]
  }
  /// One model on Cruyff's search path.
  package struct PathEntry: Encodable {
    let stage: String
    let step: String
    let model: String
    let deviance: Double
    let degreesOfFreedom: Int
    let parameters: Int
    let aic: Double
    let aicc: Double?
    let bic: Double
    let total: Double?
    let chosen: Bool
  }

  package let schemaVersion = 1
  package let version = DarkNumberVersion.string
  package let command: String
  package let data: DataSection
  package let model: ModelSection
  package let coverage: [CoverageEntry]
  package let structuralZeros: Int
  package let droppedParameters: [String]
  package let estimateExists: Bool
  package let noEstimateReason: String?
  package let estimate: EstimateDocument.EstimateSection?
  package let intervals: [IntervalEntry]
  package let fit: EstimateDocument.FitSection
  package let breakdown: [BreakdownEntry]
  package let covariates: [VerdictEntry]
  package let strata: [StrataEntry]
  package let em: EMSection?
  package let bootstrap: BootstrapSection?
  package let selection: SelectionSection?
  package let searchPath: [PathEntry]?
  package let warnings: [String]

  package init(_ report: CovariateReport) {
    let fit = report.fit
    command = report.command
    data = DataSection(
      source: report.source, lists: report.data.listNames,
      covariates: report.data.covariates.indices.map {
        CovariateEntry(
          name: report.data.covariates[$0].name, levels: report.data.covariates[$0].levels,
          missing: report.data.missingCount(covariate: $0))
      },
      observed: report.isHidden(covariate: nil, level: nil) ? nil : report.data.observedTotal)
    model = ModelSection(
      specification: fit.model.description, parameters: fit.coefficients.count, fittedByEM: report.em != nil)
    if let table = report.data.coverage {
      coverage = table.rows.map { row in
        CoverageEntry(
          levels: Dictionary(uniqueKeysWithValues: zip(table.covariateNames, row.levels.map { $0 ?? "*" })),
          operating: zip(table.listNames, row.operated).filter(\.1).map(\.0),
          notOperating: zip(table.listNames, row.operated).filter { !$1 }.map(\.0))
      }
    } else {
      coverage = []
    }
    structuralZeros = fit.structuralZeroCount
    droppedParameters = fit.droppedCoefficients
    let total = fit.totalEstimate
    let totalExists = total.strataWithTooFewLists.isEmpty
    estimateExists = totalExists
    noEstimateReason = totalExists ? nil : total.noEstimateReason
    estimate =
      totalExists
      ? EstimateDocument.EstimateSection(
        total: total.total, unobserved: total.unobserved, standardError: total.standardError) : nil
    intervals = report.totalIntervals.map(IntervalEntry.init)
    self.fit = EstimateDocument.FitSection(
      deviance: fit.deviance, degreesOfFreedom: fit.degreesOfFreedom,
      goodnessOfFit: .init(fit.goodnessOfFit), logLikelihood: fit.logLikelihood, aic: fit.aic, bic: fit.bic,
      converged: fit.converged, iterations: fit.iterations, rank: fit.rank,
      coefficients: fit.coefficients.map(EstimateDocument.CoefficientEntry.init))
    breakdown = report.breakdown.flatMap { covariate, rows in
      rows.map { row in
        let exists = row.estimate.estimateExists
        let hidden = report.isHidden(covariate: covariate, level: row.estimate.level)
        return BreakdownEntry(
          covariate: covariate, level: row.estimate.level ?? "", observed: hidden ? nil : row.estimate.observed,
          total: exists ? row.estimate.total : nil, unobserved: exists && !hidden ? row.estimate.unobserved : nil,
          standardError: exists ? row.estimate.standardError : nil, estimateExists: exists,
          intervals: exists ? row.intervals.map(IntervalEntry.init) : [], population: row.population,
          rate: exists ? row.rate : nil,
          rateIntervals: row.population == nil || !exists ? nil : row.rateIntervals.map(IntervalEntry.init))
      }
    }
    covariates = report.verdicts.map { verdict in
      var totalWithout: Double?
      var note: String?
      switch verdict.collapsed {
      case .success(let value): totalWithout = value
      case .failure(let error): note = error.description
      }
      return VerdictEntry(
        name: verdict.covariate, active: verdict.active, linkedLists: verdict.linkedLists,
        totalWithout: totalWithout, relativeChange: verdict.relativeChange, note: note)
    }
    strata = report.strata.map { comparison in
      StrataEntry(
        covariate: comparison.covariate, listModel: comparison.listModel.description,
        rows: comparison.rows.map { row in
          var total: Double?
          var error: Double?
          var message: String?
          switch row.separate {
          case .success(let estimate): (total, error) = (estimate.total, estimate.standardError)
          case .failure(let failure): message = failure.description
          }
          return StratumEntry(
            level: row.level,
            observed: report.isHidden(covariate: comparison.covariate, level: row.level) ? nil : row.observed,
            separateTotal: total, separateStandardError: error,
            separateError: message, jointTotal: row.joint.estimateExists ? row.joint.total : nil,
            jointStandardError: row.joint.estimateExists ? row.joint.standardError : nil)
        },
        separateTotal: comparison.separateTotal?.total,
        separateStandardError: comparison.separateTotal?.standardError,
        jointTotal: comparison.jointTotal.estimateExists ? comparison.jointTotal.total : nil,
        jointStandardError: comparison.jointTotal.estimateExists ? comparison.jointTotal.standardError : nil)
    }
    em = report.em.map {
      EMSection(
        iterations: $0.iterations, incompleteIndividuals: $0.incompleteIndividuals,
        observedLogLikelihood: $0.observedLogLikelihood)
    }
    if let reselection = report.reselection {
      let count = Double(reselection.replicates.count)
      bootstrap = BootstrapSection(
        replicates: reselection.replicates.count, successful: reselection.successfulReplicates,
        seed: reselection.options.seed, reselected: true, method: "nonparametric",
        modelFrequencies: reselection.modelFrequencies.map {
          ModelFrequencyEntry(model: $0.model, count: $0.count, share: Double($0.count) / count)
        })
    } else {
      bootstrap = report.bootstrap.map {
        BootstrapSection(
          replicates: $0.replicates.count, successful: $0.successfulReplicates, seed: $0.options.seed,
          reselected: false, method: "nonparametric", modelFrequencies: nil)
      }
    }
    selection = report.selection.map {
      SelectionSection(
        criterion: $0.criterion.rawValue, fittedModels: $0.fittedModels,
        steps: $0.steps.map { SelectionStep(term: $0.term, added: $0.added, criterion: $0.criterion) })
    }
    searchPath = report.analysis.path.map { path in
      path.entries.enumerated().map { index, entry in
        PathEntry(
          stage: entry.stage, step: entry.model.step, model: entry.model.model, deviance: entry.model.deviance,
          degreesOfFreedom: entry.model.degreesOfFreedom, parameters: entry.model.parameters, aic: entry.aic,
          aicc: entry.aicc.isFinite ? entry.aicc : nil, bic: entry.bic,
          total: entry.model.total.isFinite ? entry.model.total : nil, chosen: index == path.chosen)
      }
    }
    warnings = report.warnings
  }
}
