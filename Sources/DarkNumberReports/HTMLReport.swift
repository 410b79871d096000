package import DarkNumber
import Foundation

/// The self-contained HTML report: inline CSS and SVG, no scripts, no external references.
package enum HTMLReport {
  /// Runs ``ListsReportAnalysis`` on `data` with `settings` and renders it
  /// (``render(_:data:source:bayes:threshold:command:)``).
  package static func make(
    data: CaptureData, source: String, settings: ListsReportAnalysis.Settings, bayes: Bool, threshold: Int?,
    command: String
  ) async throws -> String {
    let analysis = try await ListsReportAnalysis.run(data: data, settings: settings)
    return try await render(analysis, data: data, source: source, bayes: bayes, threshold: threshold, command: command)
  }

  /// The page of `analysis` (of `data`, read from `source`); with `bayes`, the sensitivity table
  /// gains the Bayesian rows (`SensitivityAnalysis.bayesianRows`, seeded by the analysis's seed).
  package static func render(
    _ analysis: ListsReportAnalysis, data: CaptureData, source: String, bayes: Bool, threshold: Int?,
    command: String
  ) async throws -> String {
    let settings = analysis.settings
    let (procedure, bootstrap, seed, threads, level) = (
      settings.procedure, settings.bootstrapReplicates, settings.seed, settings.concurrency, settings.level
    )
    let description = DataDescription(data: data)
    let described = DescribeReport(source: source, description: description, threshold: threshold)
    let fit = analysis.selection.fit
    let intervals = analysis.availableIntervals
    // Failures are shown where the parts would be (the interval table, the search section).
    let bootstrapInterval: IntervalEstimate? =
      if case .success(let interval) = analysis.bootstrapInterval { interval } else { nil }
    let search: ModelSearch.Result? = if case .success(let result) = analysis.search { result } else { nil }
    let searchPoints = (search?.best ?? []).map { ($0.bic, $0.total) }.filter { $0.0.isFinite && $0.1.isFinite }
    let sensitivity = try await SensitivityReport.make(
      data: data, source: source, analysis: analysis.sensitivity, bayes: bayes, seed: seed,
      concurrency: threads)

    var html = page(
      title: "DarkNumber report — \(source)", heading: "Estimating the dark number: \(source)", command: command)
    // Estimate first: what the reader came for.
    html += "<h2>The estimate</h2>"
    html += "<p class=\"big\">N̂ = \(NumberText.grouped(fit.total, digits: 0))</p>"
    html +=
      "<p>Model <code>\(esc(fit.model.description))</code> chosen by \(esc(SensitivityAnalysis.name(of: procedure))); standard error \(NumberText.grouped(fit.standardError, digits: 0)); deviance \(NumberText.significant(fit.deviance)) on \(fit.degreesOfFreedom) df.</p>"
    html += "<div class=\"scroll\"><table><tr><th>\(Int(level * 100))% interval</th><th>lower</th><th>upper</th></tr>"
    var rows = analysis.intervals.map { (esc($0.method.displayName), $0.result) }
    if let result = analysis.bootstrapInterval {
      rows.append(("bootstrap BCa (\(bootstrap) replicates, re-selected)", result))
    }
    for (label, result) in rows {
      switch result {
      case .success(let interval):
        html += "<tr><td>\(label)</td><td>\(limit(interval.lower))</td><td>\(limit(interval.upper))</td></tr>"
      case .failure(let error):
        html += "<tr><td>\(label)</td><td colspan=\"2\" class=\"muted\">none: \(esc(error.description))</td></tr>"
      }
    }
    html += "</table></div>"

    html += "<h2>The data</h2>"
    html +=
      "<p>\(data.listCount) lists; \(described.text(0)) people observed in \(data.cells.count) distinct capture histories.</p>"
    html += "<div class=\"scroll\"><table><tr><th>list</th><th>people</th></tr>"
    for list in 0..<data.listCount {
      html += "<tr><td>\(esc(data.listNames[list]))</td><td>\(described.text(1 + list))</td></tr>"
    }
    html += "</table></div>"
    if described.listsHistories {
      let columns = data.cells.enumerated().map { offset, cell in
        SVGChart.Intersection(
          lists: (0..<data.listCount).map { cell.history.contains(list: $0) },
          count: described.value(described.historyStart + offset))
      }
      html +=
        "<figure>"
        + SVGChart.upset(
          columns, listNames: data.listNames, threshold: threshold, title: "People by capture history (UpSet)")
        + "</figure>"
    }
    html +=
      "<div class=\"scroll\"><table><tr><th>pair</th><th>overlap</th><th>expected if independent</th><th>p-value</th></tr>"
    for (offset, pair) in description.pairs.enumerated() {
      let shown = described.value(described.pairStart + offset) != nil
      html +=
        "<tr><td>\(esc(data.listNames[pair.first])) &amp; \(esc(data.listNames[pair.second]))</td><td>\(described.text(described.pairStart + offset))</td>"
      html +=
        "<td>\(shown ? pair.expected.map { NumberText.grouped($0) } ?? "" : "")</td><td>\(shown ? pair.pValue.map(NumberText.significant) ?? "" : "")</td></tr>"
    }
    html += "</table></div>"

    html +=
      "<h2>The standard models (Rcapture's closedp.t)</h2><div class=\"scroll\"><table><tr><th>model</th><th>N̂</th><th>SE</th><th>deviance</th><th>df</th><th>AIC</th><th>BIC</th></tr>"
    for row in analysis.standardModels?.rows ?? [] {
      if let total = row.total, let standardError = row.standardError, let deviance = row.deviance,
        let df = row.degreesOfFreedom, let aic = row.aic, let bic = row.bic
      {
        html +=
          "<tr><td>\(esc(row.name))</td><td>\(NumberText.grouped(total, digits: 0))</td><td>\(NumberText.grouped(standardError, digits: 0))</td><td>\(NumberText.significant(deviance))</td><td>\(df)</td><td>\(NumberText.significant(aic))</td><td>\(NumberText.significant(bic))</td></tr>"
      } else {
        html += "<tr><td>\(esc(row.name))</td><td colspan=\"6\" class=\"muted\">no estimate</td></tr>"
      }
    }
    html += "</table></div>"

    if let curve = analysis.profileCurve, curve.points.count >= 2 {
      let profileInterval = intervals.first { $0.method == .profileLikelihood }
      html +=
        "<h2>Profile likelihood</h2><figure>"
        + SVGChart.curve(
          curve.points.map { ($0.populationSize, $0.logLikelihood) },
          title: "Profile log-likelihood of N (Cormack 1992)",
          xAxis: "population size N", yAxis: "log-likelihood", cutoff: curve.cutoff,
          marks: [profileInterval?.lower.value, profileInterval?.upper.value].compactMap { $0 })
        + "<figcaption class=\"muted\">The interval is where the curve is above the dashed line.</figcaption></figure>"
    }
    if let resampling = analysis.bootstrap {
      html +=
        "<h2>Bootstrap</h2><figure>"
        + SVGChart.histogram(
          resampling.sortedReplicates, title: "\(bootstrap) bootstrap replicates, the selection re-run in each",
          axis: "N̂ in the replicate",
          interval: bootstrapInterval.flatMap { interval in
            interval.lower.value.flatMap { lower in interval.upper.value.map { (lower, $0) } }
          }, estimate: fit.total)
        + "<figcaption class=\"muted\">Shaded: the \(Int(level * 100))% BCa interval; line: the estimate.</figcaption></figure>"
    }
    if !searchPoints.isEmpty {
      html +=
        "<h2>Estimate against BIC, every hierarchical model</h2><figure>"
        + SVGChart.scatter(
          searchPoints, title: "\(searchPoints.count) models (Rcapture's plot.closedpMS)", xAxis: "BIC",
          yAxis: "N̂", highlight: (fit.bic, fit.total))
        + "<figcaption class=\"muted\">Circled: the chosen model. Models with similar BIC but very different N̂ mean the data cannot choose.</figcaption></figure>"
    }
    if case .failure(let error) = analysis.search {
      html +=
        "<h2>Estimate against BIC, every hierarchical model</h2><p class=\"muted\">No search: \(esc(error.description))</p>"
    }
    html += "<h2>Sensitivity</h2><figure>" + sensitivity.chart() + "</figure>"
    html += validationSection(analysis.validation)

    var warnings = fit.warningSentences(checkedBy: nil) + data.warnings.map(\.description) + described.warningTexts
    for interval in intervals {
      for note in interval.notes { warnings.append("\(interval.method.displayName): \(note)") }
    }
    html += "<h2>Warnings</h2>"
    if warnings.isEmpty { html += "<p>None.</p>" }
    for warning in warnings { html += "<p class=\"warn\">\(esc(warning))</p>" }
    if let threshold {
      html +=
        "<p class=\"muted\">Counts from 1 to \(threshold - 1) are shown as &lt;\(threshold), with further counts hidden so that none can be worked out from the others.</p>"
    }
    html += "</body></html>\n"
    return html
  }

  /// Each list as a population of known size: the estimate of the people only on it against the
  /// truth, as a ratio (1 = recovered), per method, with each method's coverage.
  static func validationSection(_ validation: ListValidation) -> String {
    var html = "<h2>Validation: each list as a population of known size</h2>"
    html +=
      "<p>For each list, the people only on it are known. Each method estimates them from the other lists as if they were unobserved (Binette &amp; Steorts 2022); the intervals are profile-likelihood intervals. The lists are not random samples of the population, so this shows how a method behaves on populations like the registered ones.</p>"
    html +=
      "<div class=\"scroll\"><table><tr><th>method</th><th>lists estimated</th><th>coverage</th><th>mean log(estimate / known)</th></tr>"
    for summary in validation.summaries {
      let coverage = summary.coverage.map { String(format: "%.2f", $0) } ?? "—"
      let bias = summary.meanLogRelativeError.map { String(format: "%+.3f", $0) } ?? "—"
      html +=
        "<tr><td>\(esc(summary.method))</td><td>\(summary.estimated) of \(summary.lists)</td><td>\(coverage)</td><td>\(bias)</td></tr>"
    }
    html += "</table></div>"
    let rows = validation.rows.compactMap { row -> SVGChart.IntervalRow? in
      guard row.known > 0 else { return nil }
      let known = Double(row.known)
      switch row.outcome {
      case .success(let estimate):
        let interval = estimate.intervals.first
        return SVGChart.IntervalRow(
          label: "\(row.list) (\(row.method))", group: row.method, estimate: estimate.estimate / known,
          lower: interval?.lower.value.map { $0 / known }, upper: interval?.upper.value.map { $0 / known }, note: nil)
      case .failure:
        return SVGChart.IntervalRow(
          label: "\(row.list) (\(row.method))", group: row.method, estimate: nil, lower: nil, upper: nil,
          note: "no estimate")
      }
    }
    if !rows.isEmpty {
      html +=
        "<figure>"
        + SVGChart.intervals(
          rows, title: "Estimate ÷ known, with \(Int(validation.level * 100))% intervals", axis: "estimate ÷ known",
          references: [("known", 1)])
        + "<figcaption class=\"muted\">1: the method recovered the people only on the list; left of 1: too few.</figcaption></figure>"
    }
    return html
  }

  package static func esc(_ text: String) -> String { SVGChart.escape(text) }

  /// The start of a report page: the document head with the shared style (inline, no external
  /// references), the heading, and the command that made it.
  package static func page(title: String, heading: String, command: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en"><head><meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>\(esc(title))</title>
    <style>
    body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:16px;line-height:1.5;color:#222;max-width:960px;margin:0 auto;padding:12px 16px;background:#fff}
    h1{font-size:1.6em;margin:.4em 0}h2{font-size:1.25em;margin-top:1.6em;border-bottom:1px solid #ccc}h3{font-size:1.05em}
    table{border-collapse:collapse;margin:.5em 0}td,th{padding:3px 10px;border-bottom:1px solid #e3e3e3;text-align:right}
    td:first-child,th:first-child{text-align:left}.scroll{overflow-x:auto}.big{font-size:1.4em;font-weight:600}
    .warn{background:#FFF4E0;border-left:4px solid #E69F00;padding:6px 10px;margin:4px 0}
    code{background:#f3f3f3;padding:1px 4px;border-radius:3px;overflow-wrap:anywhere}svg{max-width:100%;height:auto}
    .muted{color:#555}
    </style></head><body>
    <h1>\(esc(heading))</h1>
    <p class="muted">DarkNumber \(DarkNumberVersion.string). Made by <code>\(esc(command))</code></p>

    """
  }

  package static func limit(_ limit: IntervalLimit) -> String {
    switch limit {
    case .finite(let value): return NumberText.grouped(value, digits: 0)
    case .unbounded: return "∞"
    }
  }
}
