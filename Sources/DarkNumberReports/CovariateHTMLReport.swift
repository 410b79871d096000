package import DarkNumber
import Foundation

/// The self-contained HTML publication report of an analysis with covariates (inline CSS and SVG,
/// no scripts, no external references), and its tables as CSV files. Every number comes from one
/// ``CovariateAnalysis``; suppressed observed counts are shown as `<k` in tables and left out of
/// the charts.
package struct CovariateHTMLReport {
  package let analysis: CovariateAnalysis
  package let source: String
  package let command: String
  /// The covariate drawn as a trend (its levels on the horizontal axis), if any.
  package let trendCovariate: Int?

  /// The report of `analysis` (read from `source`, made by `command`), with `trendCovariate` drawn
  /// as a trend.
  package init(analysis: CovariateAnalysis, source: String, command: String, trendCovariate: Int?) {
    self.analysis = analysis
    self.source = source
    self.command = command
    self.trendCovariate = trendCovariate
  }

  private var data: CovariateCaptureData { analysis.data }
  private var fit: CovariateFit { analysis.fit }
  private var level: Double { analysis.settings.level }
  private var threshold: Int? { analysis.settings.suppressBelow }
  private var percent: String { "\(NumberText.significant(level * 100))%" }

  /// The interval published per level: BCa, else bootstrap percentile, else log-normal.
  package static func preferred(_ intervals: [IntervalEstimate]) -> IntervalEstimate? {
    for method in [IntervalMethod.bootstrapBCa, .bootstrapPercentile, .logNormal] {
      if let interval = intervals.first(where: { $0.method == method }) { return interval }
    }
    return intervals.first
  }

  /// The covariate to draw as a trend: `named`, else the first covariate with a table whose levels
  /// are all numbers (years).
  package static func trendCovariate(named: String?, analysis: CovariateAnalysis) throws -> Int? {
    if let named {
      guard let index = analysis.data.covariateIndex(named: named) else {
        throw ReportFailure.usage(
          "--trend-chart \(named): not one of the --covariates (\(analysis.data.covariates.map(\.name).joined(separator: ", ")))."
        )
      }
      return index
    }
    return analysis.tables.first { table in
      analysis.data.covariates[table.covariateIndex].levels.allSatisfy { Double($0) != nil }
    }?.covariateIndex
  }

  private func esc(_ text: String) -> String { SVGChart.escape(text) }
  private func count(_ value: Double, suppressed: Bool) -> String {
    suppressed ? "&lt;\(threshold ?? 0)" : NumberText.grouped(value, digits: 0)
  }
  private func limits(_ interval: IntervalEstimate?) -> String {
    guard let interval else { return "" }
    let lower = interval.lower.value.map { NumberText.grouped($0, digits: 0) } ?? "?"
    let upper = interval.upper.value.map { NumberText.grouped($0, digits: 0) } ?? "∞"
    return "\(lower) – \(upper)"
  }

  /// The page.
  package func html() -> String {
    var html = HTMLReport.page(
      title: "DarkNumber report with covariates — \(source)",
      heading: "Estimating the dark number by \(data.covariates.map(\.name).joined(separator: ", ")): \(source)",
      command: command)
    html += estimateSection()
    if let trendCovariate, let table = analysis.tables.first(where: { $0.covariateIndex == trendCovariate }) {
      html +=
        "<h2>Trend by \(esc(table.covariate))</h2><figure>" + trendChart(table)
        + "<figcaption class=\"muted\">Blue: the estimated number with its \(percent) interval (shaded); orange: the number registered by any list.</figcaption></figure>"
    }
    html += "<h2>By covariate</h2>"
    for table in analysis.tables {
      html += tableSection(table)
    }
    html += dataSection()
    html += modelSection()
    html += verdictSection()
    html += bootstrapSection()
    html += "<h2>Warnings</h2>"
    if analysis.warnings.isEmpty { html += "<p>None.</p>" }
    for warning in analysis.warnings { html += "<p class=\"warn\">\(esc(warning))</p>" }
    if let threshold {
      html +=
        "<p class=\"muted\">Observed counts from 1 to \(threshold - 1) are shown as &lt;\(threshold), with further counts hidden so that none can be worked out from the others; hidden counts are not drawn.</p>"
    }
    html += "</body></html>\n"
    return html
  }

  private func estimateSection() -> String {
    var html = "<h2>The estimate</h2>"
    let total = fit.totalEstimate
    if let reason = total.noEstimateReason, !total.strataWithTooFewLists.isEmpty {
      html += "<p class=\"big\">No estimate of the total</p><p>\(esc(reason)).</p>"
      return html
    }
    html += "<p class=\"big\">N̂ = \(NumberText.grouped(total.total, digits: 0))</p>"
    html +=
      "<p>\(count(total.observed, suppressed: analysis.totalObservedSuppressed)) registered; standard error \(NumberText.grouped(total.standardError, digits: 0)). Model <code>\(esc(fit.model.description))</code>, \(esc(howChosen())); deviance \(NumberText.significant(fit.deviance)) on \(fit.degreesOfFreedom) df, AIC \(NumberText.significant(fit.aic)), BIC \(NumberText.significant(fit.bic)).</p>"
    html += "<div class=\"scroll\"><table><tr><th>\(percent) interval</th><th>lower</th><th>upper</th></tr>"
    for interval in analysis.totalIntervals {
      html +=
        "<tr><td>\(esc(interval.method.displayName))</td><td>\(interval.lower.value.map { NumberText.grouped($0, digits: 0) } ?? "?")</td><td>\(interval.upper.value.map { NumberText.grouped($0, digits: 0) } ?? "∞")</td></tr>"
    }
    html += "</table></div>"
    let rows = analysis.totalIntervals.map { interval in
      SVGChart.IntervalRow(
        label: interval.method.displayName, group: "total", estimate: total.total, lower: interval.lower.value,
        upper: interval.upper.value, note: nil)
    }
    var references: [(String, Double)] = []
    if !analysis.totalObservedSuppressed { references.append(("registered", total.observed)) }
    html +=
      "<figure>"
      + SVGChart.intervals(
        rows, title: "The total and its \(percent) intervals", axis: "population size", references: references)
      + "</figure>"
    return html
  }

  private func howChosen() -> String {
    if let path = analysis.path {
      return "the smallest BIC on Cruyff's search path (\(path.entries.count) models visited)"
    }
    if let selection = analysis.selection {
      return "chosen stepwise by \(selection.criterion.rawValue.uppercased()) (\(selection.fittedModels) models fitted)"
    }
    return "fixed" + (analysis.em == nil ? "" : ", fitted by EM over missing covariate values")
  }

  private func trendChart(_ table: CovariateAnalysis.Table) -> String {
    let points = table.rows.map { row in
      let interval = Self.preferred(row.intervals)
      return SVGChart.TrendPoint(
        label: row.estimate.level ?? "", estimate: row.estimate.estimateExists ? row.estimate.total : nil,
        lower: interval?.lower.value, upper: interval?.upper.value,
        observed: row.observedSuppressed ? nil : row.estimate.observed)
    }
    let name = Self.preferred(table.rows.first?.intervals ?? [])?.method.displayName ?? "log-normal"
    return SVGChart.trend(
      points, title: "Estimated and registered number by \(table.covariate)", axis: table.covariate, intervalName: name)
  }

  private func tableSection(_ table: CovariateAnalysis.Table) -> String {
    let hasRates = table.rows.contains { $0.population != nil }
    let intervalName =
      Self.preferred(table.rows.first { !$0.intervals.isEmpty }?.intervals ?? [])?.method.displayName ?? "log-normal"
    var html =
      "<h3>\(esc(table.covariate))</h3><div class=\"scroll\"><table><tr><th>level</th><th>registered</th><th>N̂</th><th>SE</th><th>\(percent) \(esc(intervalName))</th>"
    if hasRates { html += "<th>population</th><th>per 100,000</th><th>\(percent) interval</th>" }
    html += "</tr>"
    for row in table.rows {
      let estimate = row.estimate
      html +=
        "<tr><td>\(esc(estimate.level ?? ""))</td><td>\(count(estimate.observed, suppressed: row.observedSuppressed))</td>"
      guard estimate.estimateExists else {
        html +=
          "<td colspan=\"\(hasRates ? 6 : 3)\" class=\"muted\">no estimate\(estimate.strataWithTooFewLists.isEmpty ? "" : " (fewer than two lists operated)")</td></tr>"
        continue
      }
      html +=
        "<td>\(NumberText.grouped(estimate.total, digits: 0))</td><td>\(NumberText.grouped(estimate.standardError, digits: 0))</td><td>\(limits(Self.preferred(row.intervals)))</td>"
      if hasRates {
        let rateInterval = Self.preferred(row.rateIntervals)
        html +=
          "<td>\(row.population.map { NumberText.grouped($0, digits: 0) } ?? "")</td><td>\(row.rate.map { NumberText.significant($0) } ?? "")</td>"
        html +=
          "<td>\(rateInterval.map { "\($0.lower.value.map(NumberText.significant) ?? "?") – \($0.upper.value.map(NumberText.significant) ?? "∞")" } ?? "")</td>"
      }
      html += "</tr>"
    }
    html += "</table></div>"
    if table.covariateIndex != trendCovariate {
      let rows = table.rows.map { row in
        let interval = Self.preferred(row.intervals)
        return SVGChart.IntervalRow(
          label: row.estimate.level ?? "", group: table.covariate,
          estimate: row.estimate.estimateExists ? row.estimate.total : nil, lower: interval?.lower.value,
          upper: interval?.upper.value,
          note: row.estimate.strataWithTooFewLists.isEmpty
            ? "no finite estimate" : "no estimate: fewer than two lists operated")
      }
      html +=
        "<figure>"
        + SVGChart.intervals(
          rows, title: "Estimated number by \(table.covariate) (\(percent) \(intervalName))", axis: "population size")
        + "</figure>"
    }
    return html
  }

  private func dataSection() -> String {
    let pooled = data.pooled
    let described = DescribeReport(source: source, description: DataDescription(data: pooled), threshold: threshold)
    var html =
      "<h2>The data</h2><p>\(data.listCount) lists; \(count(Double(data.observedTotal), suppressed: analysis.totalObservedSuppressed)) people registered; covariates \(esc(data.covariates.map { "\($0.name) (\($0.levels.count) levels)" }.joined(separator: ", "))).</p>"
    html += "<div class=\"scroll\"><table><tr><th>list</th><th>people</th></tr>"
    for list in 0..<data.listCount {
      html += "<tr><td>\(esc(data.listNames[list]))</td><td>\(described.text(1 + list))</td></tr>"
    }
    html += "</table></div>"
    html += "<h3>Coverage: which lists operated</h3>"
    guard let coverage = data.coverage else {
      html += "<p>Every list operated for everyone.</p>"
      return html
    }
    html +=
      "<p>Cells that would put someone on a list that did not operate for them are structural zeros, left out of the fit (\(fit.structuralZeroCount) cells).\(fit.droppedCoefficients.isEmpty ? "" : " Coefficients the coverage leaves inestimable were dropped: <code>\(esc(fit.droppedCoefficients.joined(separator: ", ")))</code>.")</p>"
    html +=
      "<div class=\"scroll\"><table><tr>" + coverage.covariateNames.map { "<th>\(esc($0))</th>" }.joined()
      + coverage.listNames.map { "<th>\(esc($0))</th>" }.joined() + "</tr>"
    for row in coverage.rows {
      html +=
        "<tr>" + row.levels.map { "<td>\(esc($0 ?? "any"))</td>" }.joined()
        + row.operated.map { "<td>\($0 ? "operated" : "<strong>did not operate</strong>")</td>" }.joined() + "</tr>"
    }
    html += "</table></div>"
    return html
  }

  private func modelSection() -> String {
    var html = "<h2>How the model was chosen</h2>"
    if let path = analysis.path {
      html +=
        "<p>Cruyff's search path (R package <code>mse</code>): stepwise by BIC, then by AIC, then with penalty 1, each stage keeping the last one's terms; the smallest BIC is reported (marked).</p>"
      let minima = (
        path.entries.map(\.aic).min() ?? 0, path.entries.map(\.aicc).min() ?? 0, path.entries.map(\.bic).min() ?? 0
      )
      html +=
        "<div class=\"scroll\"><table><tr><th>stage</th><th>step</th><th>ΔAIC</th><th>ΔAICc</th><th>ΔBIC</th><th>N̂</th></tr>"
      for (index, entry) in path.entries.enumerated() {
        let mark = index == path.chosen ? " <strong>◀</strong>" : ""
        html +=
          "<tr><td>\(esc(entry.stage))</td><td><code>\(esc(entry.model.step))</code>\(mark)</td><td>\(String(format: "%.1f", entry.aic - minima.0))</td><td>\(entry.aicc.isFinite ? String(format: "%.1f", entry.aicc - minima.1) : "∞")</td><td>\(String(format: "%.1f", entry.bic - minima.2))</td><td>\(entry.model.total.isFinite ? NumberText.grouped(entry.model.total, digits: 0) : "no estimate")</td></tr>"
      }
      html += "</table></div>"
    } else if let selection = analysis.selection {
      html +=
        "<p>Forward–backward stepwise by \(selection.criterion.rawValue.uppercased()) from <code>\(esc(selection.path.first?.model ?? ""))</code>.</p>"
      html +=
        "<div class=\"scroll\"><table><tr><th>step</th><th>\(selection.criterion.rawValue.uppercased())</th><th>N̂</th></tr>"
      for (step, model) in zip(selection.steps, selection.path.dropFirst()) {
        html +=
          "<tr><td><code>\(step.added ? "+" : "−") \(esc(step.term))</code></td><td>\(NumberText.significant(step.criterion))</td><td>\(model.total.isFinite ? NumberText.grouped(model.total, digits: 0) : "no estimate")</td></tr>"
      }
      html += "</table></div>"
    } else {
      html += "<p>The model was given: <code>\(esc(fit.model.description))</code>.</p>"
    }
    return html
  }

  private func verdictSection() -> String {
    guard !analysis.verdicts.isEmpty else { return "" }
    var html =
      "<h2>Active and passive covariates</h2><p class=\"muted\">Active: leaving the covariate out changes N̂ (van der Heijden et al. 2012).</p>"
    html +=
      "<div class=\"scroll\"><table><tr><th>covariate</th><th>verdict</th><th>N̂ without it</th><th>change</th></tr>"
    for verdict in analysis.verdicts {
      let kind =
        verdict.requiredByCoverage
        ? "required by the coverage"
        : verdict.active ? "active (links \(verdict.linkedLists.joined(separator: ", ")))" : "passive"
      var without = ""
      var change = ""
      if case .success(let value) = verdict.collapsed {
        without = NumberText.grouped(value, digits: 0)
        change = String(format: "%+.2f%%", 100 * (verdict.relativeChange ?? 0))
      }
      html += "<tr><td>\(esc(verdict.covariate))</td><td>\(esc(kind))</td><td>\(without)</td><td>\(change)</td></tr>"
    }
    html += "</table></div>"
    return html
  }

  /// The total's interval by `method`, as the analysis formed it (`nil` without one).
  private func totalInterval(_ method: IntervalMethod) -> (lower: Double, upper: Double)? {
    guard let interval = analysis.totalIntervals.first(where: { $0.method == method }),
      let lower = interval.lower.value, let upper = interval.upper.value
    else { return nil }
    return (lower, upper)
  }

  private func bootstrapSection() -> String {
    if let reselection = analysis.reselection {
      var html =
        "<h2>Bootstrap with re-selection</h2><p>\(reselection.replicates.count) nonparametric replicates (seed \(reselection.options.seed)); the selection was re-run in each, \(reselection.successfulReplicates) found a model with an estimate.</p>"
      html += "<div class=\"scroll\"><table><tr><th>model chosen</th><th>replicates</th></tr>"
      for entry in reselection.modelFrequencies.prefix(10) {
        html += "<tr><td><code>\(esc(entry.model))</code></td><td>\(entry.count)</td></tr>"
      }
      html += "</table></div>"
      if let index = reselection.targetIndex(covariate: nil, level: nil), reselection.estimates[index].isFinite {
        let interval = totalInterval(.bootstrapBCa)
        html +=
          "<figure>"
          + SVGChart.histogram(
            reselection.sortedReplicates(target: index),
            title: "N̂ in \(reselection.replicates.count) replicates, the selection re-run in each",
            axis: "N̂ in the replicate", interval: interval, estimate: fit.total)
          + "<figcaption class=\"muted\">Shaded: the \(percent) BCa interval; line: the estimate.</figcaption></figure>"
      }
      return html
    }
    if let bootstrap = analysis.bootstrap, let index = bootstrap.targetIndex(covariate: nil, level: nil) {
      let values = bootstrap.replicates.compactMap { $0?[index] }.filter(\.isFinite).sorted()
      let interval = totalInterval(.bootstrapPercentile)
      return "<h2>Bootstrap</h2><figure>"
        + SVGChart.histogram(
          values, title: "N̂ in \(bootstrap.replicates.count) replicates, the model held fixed",
          axis: "N̂ in the replicate",
          interval: interval, estimate: fit.total) + "</figure>"
    }
    return ""
  }

  /// The publication tables as CSV files: file name and contents.
  package func tables() -> [(name: String, contents: String)] {
    func field(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    func number(_ value: Double?) -> String { NumberText.field(value) }
    var files: [(String, String)] = []
    let total = fit.totalEstimate
    var lines = ["observed,total,standard_error,method,level,lower,upper"]
    let observed = analysis.totalObservedSuppressed ? "<\(threshold ?? 0)" : String(Int(total.observed))
    for interval in analysis.totalIntervals {
      lines.append(
        "\(observed),\(number(total.total)),\(number(total.standardError)),\(interval.method.rawValue),\(interval.level),\(number(interval.lower.value)),\(number(interval.upper.value))"
      )
    }
    if analysis.totalIntervals.isEmpty { lines.append("\(observed),,,,,,") }
    files.append(("total.csv", lines.joined(separator: "\n") + "\n"))
    for table in analysis.tables {
      var rows = [
        "level,observed,total,standard_error,method,interval_level,lower,upper,population,rate,rate_lower,rate_upper"
      ]
      for row in table.rows {
        let estimate = row.estimate
        let observed = row.observedSuppressed ? "<\(threshold ?? 0)" : String(Int(estimate.observed.rounded()))
        let exists = estimate.estimateExists
        if row.intervals.isEmpty {
          rows.append(
            "\(field(estimate.level ?? "")),\(observed),\(number(exists ? estimate.total : nil)),\(number(exists ? estimate.standardError : nil)),,,,,\(number(row.population)),,,"
          )
        }
        for (index, interval) in row.intervals.enumerated() {
          let rate = row.rateIntervals.indices.contains(index) ? row.rateIntervals[index] : nil
          rows.append(
            "\(field(estimate.level ?? "")),\(observed),\(number(estimate.total)),\(number(estimate.standardError)),\(interval.method.rawValue),\(interval.level),\(number(interval.lower.value)),\(number(interval.upper.value)),\(number(row.population)),\(number(row.rate)),\(number(rate?.lower.value)),\(number(rate?.upper.value))"
          )
        }
      }
      let safe = table.covariate.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
      files.append(("by-\(safe).csv", rows.joined(separator: "\n") + "\n"))
    }
    if let coverage = data.coverage {
      var rows = [(coverage.covariateNames + coverage.listNames).map(field).joined(separator: ",")]
      for row in coverage.rows {
        rows.append((row.levels.map { field($0 ?? "*") } + row.operated.map { $0 ? "1" : "0" }).joined(separator: ","))
      }
      files.append(("coverage.csv", rows.joined(separator: "\n") + "\n"))
    }
    if !analysis.verdicts.isEmpty {
      var rows = ["covariate,active,required_by_coverage,total_without,relative_change"]
      for verdict in analysis.verdicts {
        var without: Double?
        if case .success(let value) = verdict.collapsed { without = value }
        rows.append(
          "\(field(verdict.covariate)),\(verdict.active),\(verdict.requiredByCoverage),\(number(without)),\(number(verdict.relativeChange))"
        )
      }
      files.append(("covariates.csv", rows.joined(separator: "\n") + "\n"))
    }
    if let path = analysis.path {
      var rows = ["stage,step,model,deviance,df,aic,aicc,bic,total,chosen"]
      for (index, entry) in path.entries.enumerated() {
        rows.append(
          "\(field(entry.stage)),\(field(entry.model.step)),\(field(entry.model.model)),\(entry.model.deviance),\(entry.model.degreesOfFreedom),\(entry.aic),\(number(entry.aicc.isFinite ? entry.aicc : nil)),\(entry.bic),\(number(entry.model.total.isFinite ? entry.model.total : nil)),\(index == path.chosen)"
        )
      }
      files.append(("search-path.csv", rows.joined(separator: "\n") + "\n"))
    }
    if let reselection = analysis.reselection {
      var rows = ["model,replicates,share"]
      for entry in reselection.modelFrequencies {
        rows.append(
          "\(field(entry.model)),\(entry.count),\(Double(entry.count) / Double(reselection.replicates.count))")
      }
      files.append(("model-frequencies.csv", rows.joined(separator: "\n") + "\n"))
    }
    return files
  }
}
