package import DarkNumber
import Foundation

/// What `darknumber select` prints: the selection, then the chosen model's estimate.
package struct SelectReport: Report {
  package let method: String
  /// One line: what the selection did.
  package let summary: String
  /// Stepwise: the interactions added; downhill: the models moved through.
  package let steps: [String]
  package let estimate: EstimateReport
  package let check: ExistenceCheck
  package var bootstrap: SelectionBootstrap? = nil
  package var parametric: ParametricBootstrap? = nil
  /// The bootstrap for several numbers of top models (`--vary-ntop`).
  package var topModels: TopModelsBootstrap? = nil

  /// The report of a selection (`method`, `summary`, `steps`) and its chosen model's `estimate`,
  /// with the model's existence `check` and the bootstrap run, if any.
  package init(
    method: String, summary: String, steps: [String], estimate: EstimateReport, check: ExistenceCheck,
    bootstrap: SelectionBootstrap? = nil, parametric: ParametricBootstrap? = nil,
    topModels: TopModelsBootstrap? = nil
  ) {
    self.method = method
    self.summary = summary
    self.steps = steps
    var checked = estimate
    checked.existence = check
    self.estimate = checked
    self.check = check
    self.bootstrap = bootstrap
    self.parametric = parametric
    self.topModels = topModels
  }

  /// An interval as a JSON entry, or an entry without limits whose note says why it has none.
  private func entry(
    _ method: String, estimate total: Double, _ interval: () throws(EstimationError) -> IntervalEstimate
  ) -> EstimateDocument.IntervalEntry {
    do {
      let interval = try interval()
      return EstimateDocument.IntervalEntry(
        method: method, level: estimate.level, lower: interval.lower.value, upper: interval.upper.value,
        upperUnbounded: false, estimate: total, notes: [])
    } catch {
      return EstimateDocument.IntervalEntry(
        method: method, level: estimate.level, lower: nil, upper: nil, upperUnbounded: false, estimate: total,
        notes: [error.description])
    }
  }

  /// BCa and percentile intervals at the report's level, `interval` giving each.
  private func bcaAndPercentile(
    estimate total: Double, _ interval: (IntervalMethod, Double) throws(EstimationError) -> IntervalEstimate
  ) -> [EstimateDocument.IntervalEntry] {
    [("bca", IntervalMethod.bootstrapBCa), ("percentile", .bootstrapPercentile)].map { key, method in
      entry(key, estimate: total) { () throws(EstimationError) in try interval(method, estimate.level) }
    }
  }

  /// BCa and percentile intervals of one row of the top-models bootstrap.
  private func intervals(of row: TopModelsBootstrap.Row) -> [EstimateDocument.IntervalEntry] {
    bcaAndPercentile(estimate: row.estimate) { method, level throws(EstimationError) in
      try row.interval(method, level: level)
    }
  }

  /// The bootstrap intervals as JSON entries: BCa and percentile with re-selection, or the
  /// parametric percentile interval of the fixed model. An interval the replicates cannot give
  /// (too few with an estimate, all on one side, no acceleration) is an entry without limits whose
  /// note says why.
  package var bootstrapIntervals: [EstimateDocument.IntervalEntry] {
    if let parametric {
      return [
        entry("parametric-percentile", estimate: parametric.estimate) { () throws(EstimationError) in
          try parametric.interval(.bootstrapPercentile, level: estimate.level)
        }
      ]
    }
    guard let bootstrap else { return [] }
    return bcaAndPercentile(estimate: bootstrap.estimate) { method, level throws(EstimationError) in
      try bootstrap.interval(method, level: level)
    }
  }

  /// An interval's limits as text, or the note saying why it has none.
  private static func limits(_ interval: EstimateDocument.IntervalEntry) -> String {
    guard let lower = interval.lower, let upper = interval.upper else {
      return "none: " + interval.notes.joined(separator: "; ")
    }
    return "\(NumberText.grouped(lower)) – \(NumberText.grouped(upper))"
  }

  package func text() -> String {
    var lines = ["Selection  \(method): \(summary)"]
    lines.append("Existence  \(CheckDocument(model: estimate.fit.model, check: check).sentence)")
    if let bootstrap {
      let finite = bootstrap.sortedReplicates.count
      let among = bootstrap.candidates.isEmpty ? "" : " among the \(bootstrap.candidates.count) best models on the data"
      let acceleration =
        bootstrap.acceleration.map { NumberText.significant($0) }
        ?? "not available (a jackknife deletion has no estimate; no BCa interval)"
      lines.append(
        "Bootstrap  \(bootstrap.options.replicates) replicates (seed \(bootstrap.options.seed)), \(bootstrap.refitsFixedModel ? "the model refitted" : "selection re-run") in each\(among); \(finite) with an estimate; acceleration \(acceleration)"
      )
      for interval in bootstrapIntervals {
        lines.append("  \(NumberText.padded(interval.method, 18))\(Self.limits(interval))")
      }
      let top = bootstrap.modelFrequencies.prefix(5).map { "\($0.model) \($0.count)" }
      lines.append("  models selected: " + top.joined(separator: ", "))
    }
    if let topModels {
      lines.append(
        "Top n      the same replicates re-selecting among the n best models on the data (vary_ntop_bca):")
      lines.append("  " + NumberText.padded("n", 12) + NumberText.padded("bca", 26) + "percentile")
      for row in topModels.rows {
        let pair = intervals(of: row)
        lines.append(
          "  " + NumberText.padded(row.isAll ? "all (\(row.top))" : "\(row.top)", 12)
            + NumberText.padded(Self.limits(pair[0]), 26) + Self.limits(pair[1]))
      }
    }
    if let parametric {
      lines.append(
        "Bootstrap  \(parametric.replicates.count) parametric replicates of the fixed model (seed \(parametric.seed)); \(parametric.replicates.compactMap { $0 }.count) with an estimate"
      )
      for interval in bootstrapIntervals {
        lines.append("  \(NumberText.padded(interval.method, 22))\(Self.limits(interval))")
      }
    }
    return lines.joined(separator: "\n") + "\n\n" + estimate.text()
  }

  package struct Document: Encodable {
    struct Selected: Encodable {
      let terms: String
      let total: Double
      let standardError: Double
    }
    let schemaVersion = 1
    let command = "select"
    let method: String
    let summary: String
    let steps: [String]
    let selected: Selected
    let intervals: [EstimateDocument.IntervalEntry]
    struct Bootstrap: Encodable {
      struct Frequency: Encodable {
        let terms: String
        let count: Int
      }
      let kind: String
      let replicates: Int
      let seed: UInt64
      let withEstimate: Int
      let candidateModels: Int?
      let acceleration: Double?
      let modelFrequencies: [Frequency]
    }
    let existence: CheckDocument
    let bootstrap: Bootstrap?
    /// `--vary-ntop`: the intervals when replicates re-select among the top `ntop` models.
    struct TopModels: Encodable {
      let ntop: Int
      let all: Bool
      let withEstimate: Int
      let acceleration: Double?
      let intervals: [EstimateDocument.IntervalEntry]
    }
    let ntop: [TopModels]?
    let warnings: [String]
  }

  package func json() throws -> String {
    try JSONText.encode(
      Document(
        method: method, summary: summary, steps: steps,
        selected: .init(
          terms: estimate.fit.model.description, total: estimate.fit.total,
          standardError: estimate.fit.standardError),
        intervals: bootstrapIntervals + estimate.intervals.map(EstimateDocument.entry),
        existence: CheckDocument(model: estimate.fit.model, check: check),
        bootstrap: bootstrap.map { result in
          Document.Bootstrap(
            kind: result.refitsFixedModel ? "nonparametric-fixed-model" : "nonparametric-reselection",
            replicates: result.options.replicates,
            seed: result.options.seed, withEstimate: result.sortedReplicates.count,
            candidateModels: result.candidates.isEmpty ? nil : result.candidates.count,
            acceleration: result.acceleration,
            modelFrequencies: result.modelFrequencies.map { .init(terms: $0.model.description, count: $0.count) })
        }
          ?? parametric.map { result in
            Document.Bootstrap(
              kind: "parametric-fixed-model", replicates: result.replicates.count, seed: result.seed,
              withEstimate: result.replicates.compactMap { $0 }.count, candidateModels: nil,
              acceleration: nil,
              modelFrequencies: [])
          },
        ntop: topModels?.rows.map { row in
          .init(
            ntop: row.top, all: row.isAll, withEstimate: row.sortedReplicates.count, acceleration: row.acceleration,
            intervals: intervals(of: row))
        },
        warnings: estimate.warnings))
  }

  package func csv() -> String { estimate.csv() }
}

extension SelectionBootstrap {
  /// Whether the replicates refit a fixed model rather than re-select.
  package var refitsFixedModel: Bool {
    if case .fixed = options.procedure { return true }
    return false
  }
}
