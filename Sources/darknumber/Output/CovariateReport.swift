import DarkNumber
import Foundation

/// Everything `estimate --covariates` (and `select --covariates`) prints: the fit, the total with
/// its intervals, the breakdown per covariate level (with rates), the active/passive verdicts,
/// optional strata comparisons and bootstrap — computed once, rendered as text, JSON or CSV.
struct CovariateReport: Report {
  /// An interval from any method, as reported.
  struct Interval {
    let key: String
    let name: String
    let level: Double
    let lower: Double?
    let upper: Double?
    let notes: [String]

    init(_ interval: ConfidenceInterval) {
      key = interval.method.key
      name = interval.method.displayName
      level = interval.level
      lower = interval.lower.value
      upper = interval.upper.value
      notes = interval.notes.map(\.description)
    }

    init(bootstrap: (lower: Double, upper: Double), level: Double, method: BootstrapIntervalMethod = .percentile) {
      key = method == .bca ? "bootstrap-bca" : "bootstrap-percentile"
      name = method == .bca ? "bootstrap BCa" : "bootstrap percentile"
      self.level = level
      lower = bootstrap.lower
      upper = bootstrap.upper
      notes = []
    }

    /// The interval of a rate: limits scaled by `factor`.
    func scaled(_ factor: Double) -> Interval {
      Interval(key: key, name: name, level: level, lower: lower.map { $0 * factor }, upper: upper.map { $0 * factor }, notes: notes)
    }

    private init(key: String, name: String, level: Double, lower: Double?, upper: Double?, notes: [String]) {
      self.key = key
      self.name = name
      self.level = level
      self.lower = lower
      self.upper = upper
      self.notes = notes
    }
  }

  /// One level of one covariate.
  struct LevelRow {
    let estimate: CovariateLevelEstimate
    let intervals: [Interval]
    let population: Double?

    /// `100,000 · N̂ / population`.
    var rate: Double? { population.map { 100_000 * estimate.total / $0 } }
    var rateIntervals: [Interval] { population.map { p in intervals.map { $0.scaled(100_000 / p) } } ?? [] }
  }

  let command: String
  let source: String
  let data: CovariateCaptureData
  let fit: CovariateFit
  let em: CovariateEMFit?
  let completeCasesDropped: Int
  let level: Double
  let totalIntervals: [Interval]
  let breakdown: [(covariate: String, rows: [LevelRow])]
  let verdicts: [CovariateCollapsibility.Verdict]
  let strata: [StratifiedComparison]
  let bootstrap: CovariateBootstrap?
  let selection: CovariateSelection?
  /// The re-selecting bootstrap of `select --covariates --bootstrap`.
  let reselection: CovariateSelectionBootstrap?
  /// Caveats found while reporting (an interval that could not be computed).
  let notes: [String]
  /// The small-cell threshold, when counts are suppressed.
  let threshold: Int?
  /// Hidden observed counts: `"covariate=level"`, and `"*"` for the total.
  let hidden: Set<String>

  /// The observed count of a level (or the total for `nil`) as text, `<k` when hidden.
  func observedText(covariate: String?, level: String?, value: Double, digits: Int) -> String {
    isHidden(covariate: covariate, level: level) ? "<\(threshold ?? 0)" : NumberText.grouped(value, digits: digits)
  }

  /// Whether that observed count is hidden.
  func isHidden(covariate: String?, level: String?) -> Bool {
    hidden.contains(covariate.map { "\($0)=\(level ?? "")" } ?? "*")
  }

  /// Fits (or takes) the model and computes every part of the report.
  static func make(
    command: String, source: String, data: CovariateCaptureData, loaded: CovariateCaptureData,
    fit: CovariateFit, em: CovariateEMFit?, options: CovariateOptions, level: Double,
    bootstrapOptions: CovariateBootstrap.Options?, selection: CovariateSelection? = nil,
    reselection: CovariateSelectionBootstrap? = nil
  ) async throws -> CovariateReport {
    let total = fit.totalEstimate
    var totalIntervals: [Interval] = []
    var notes: [String] = []
    if total.strataWithTooFewLists.isEmpty {
      totalIntervals = [Interval(total.interval(.wald, level: level)), Interval(total.interval(.logNormal, level: level))]
    }
    if em == nil && total.strataWithTooFewLists.isEmpty {
      do {
        totalIntervals.append(Interval(try fit.profileLikelihoodInterval(level: level)))
      } catch {
        notes.append("no profile-likelihood interval: \(error.description)")
      }
    }
    var bootstrap: CovariateBootstrap?
    if let bootstrapOptions {
      let progress = progressReporter(label: "bootstrap", count: bootstrapOptions.replicates)
      if let em {
        bootstrap = await em.bootstrap(options: bootstrapOptions, progress: progress)
      } else {
        bootstrap = await fit.bootstrap(options: bootstrapOptions, progress: progress)
      }
      finishProgress()
      if let bootstrap, let index = bootstrap.targetIndex(covariate: nil, level: nil),
        let interval = try? bootstrap.percentileInterval(target: index, level: level)
      {
        totalIntervals.append(Interval(bootstrap: interval, level: level))
      }
    }
    /// The re-selecting bootstrap's percentile and BCa intervals of one target.
    func reselected(covariate: String?, level name: String?) -> [Interval] {
      guard let reselection, let index = reselection.targetIndex(covariate: covariate, level: name) else { return [] }
      return [BootstrapIntervalMethod.percentile, .bca].compactMap { method in
        (try? reselection.interval(method, target: index, level: level)).map {
          Interval(bootstrap: $0, level: level, method: method)
        }
      }
    }
    totalIntervals += reselected(covariate: nil, level: nil)
    if let reselection, reselection.accelerations.allSatisfy({ $0 == nil }) {
      notes.append("no BCa intervals: a jackknife deletion had no estimate.")
    }
    let covariates = try options.breakdownCovariates(data)
    let denominators = try options.denominators(data, covariates: covariates)
    var breakdown: [(covariate: String, rows: [LevelRow])] = []
    for index in covariates {
      let covariate = data.covariates[index]
      var levelRows: [LevelRow] = []
      for (levelIndex, estimate) in fit.breakdown(covariate: index).enumerated() {
        var intervals = [Interval(estimate.interval(.wald, level: level)), Interval(estimate.interval(.logNormal, level: level))]
        if let bootstrap, let target = bootstrap.targetIndex(covariate: covariate.name, level: estimate.level),
          let interval = try? bootstrap.percentileInterval(target: target, level: level)
        {
          intervals.append(Interval(bootstrap: interval, level: level))
        }
        intervals += reselected(covariate: covariate.name, level: estimate.level)
        levelRows.append(
          LevelRow(estimate: estimate, intervals: intervals, population: denominators[index]?.sizes[levelIndex]))
      }
      breakdown.append((covariate.name, levelRows))
    }
    // Small-cell suppression of the observed counts printed: the total and each level shown.
    var hidden = Set<String>()
    if let threshold = options.suppressBelow {
      let combinations = fit.cells.indices
      var counts = [SmallCellSuppression.Count(name: "*", cells: Array(combinations), value: data.observedTotal, isTotal: true)]
      for index in covariates {
        for (level, name) in data.covariates[index].levels.enumerated() {
          let cells = combinations.filter { fit.cells[$0].levels[index] == level }
          let value = cells.reduce(0.0) { $0 + fit.cells[$1].observed }
          counts.append(.init(name: "\(data.covariates[index].name)=\(name)", cells: cells, value: Int(value.rounded())))
        }
      }
      let suppressed = SmallCellSuppression.suppress(counts, cellCount: fit.cells.count, below: threshold)
      hidden = Set(suppressed.map { counts[$0].name })
    }
    var strata: [StratifiedComparison] = []
    if options.compareStrata {
      for index in covariates { strata.append(try StratifiedComparison(fit: fit, covariate: index)) }
    }
    return CovariateReport(
      command: command, source: source, data: data, fit: fit, em: em,
      completeCasesDropped: loaded.observedTotal - data.observedTotal, level: level,
      totalIntervals: totalIntervals, breakdown: breakdown,
      verdicts: em == nil ? CovariateCollapsibility(fit: fit).verdicts : [], strata: strata,
      bootstrap: bootstrap, selection: selection, reselection: reselection, notes: notes,
      threshold: options.suppressBelow,
      hidden: hidden)
  }

  /// A progress callback that redraws `label done/count` on standard error when it is a terminal.
  static func progressReporter(label: String, count: Int) -> @Sendable (Int) -> Void {
    let interactive = isatty(STDERR_FILENO) == 1
    return { done in
      if interactive && (done % 10 == 0 || done == count) {
        FileHandle.standardError.write(Data("\r\(label) \(done)/\(count)".utf8))
      }
    }
  }

  /// Ends a progress line started by ``progressReporter(label:count:)``.
  static func finishProgress() {
    if isatty(STDERR_FILENO) == 1 { FileHandle.standardError.write(Data("\n".utf8)) }
  }

  /// Every warning as a sentence.
  var warnings: [String] {
    var result = fit.warnings.map(\.description) + notes
    if completeCasesDropped > 0 {
      result.append("\(completeCasesDropped) individuals with missing covariate values were left out (complete cases); the estimate covers only people like those with complete values.")
    }
    if let em {
      result.append("\(em.incompleteIndividuals) individuals had missing covariate values, spread over the levels by EM (\(em.iterations) iterations); per-level observed counts are expected counts, and only bootstrap intervals reflect the missing information.")
    }
    // Levels without an estimate because of the coverage are named by the fit's warning.
    for row in breakdown.flatMap(\.rows) where !row.estimate.estimateExists && row.estimate.strataWithTooFewLists.isEmpty {
      result.append("\(row.estimate.covariate ?? "") = \(row.estimate.level ?? ""): no finite estimate exists (the unobserved count runs off to infinity); its numbers are not meaningful.")
    }
    if let bootstrap, bootstrap.successfulReplicates < bootstrap.replicates.count {
      result.append("\(bootstrap.replicates.count - bootstrap.successfulReplicates) of \(bootstrap.replicates.count) bootstrap replicates had no estimate and were left out.")
    }
    if let reselection, reselection.successfulReplicates < reselection.replicates.count {
      result.append("\(reselection.replicates.count - reselection.successfulReplicates) of \(reselection.replicates.count) bootstrap replicates found no model with an estimate and were left out.")
    }
    for interval in totalIntervals {
      for note in interval.notes { result.append("\(interval.name): \(note)") }
    }
    return result
  }
}
