/// How the estimate moves when the analysis changes: lists omitted or merged, the selection
/// method or threshold changed, and the top models of the search (what modslavmse's `omitlists`
/// and `mergelists` did for the UK Home Office, and what Silverman 2020 recommends reporting).
///
/// Every row re-runs a selection procedure (or fits one model) and reports `N̂` with its
/// multinomial profile-likelihood interval (Cormack 1992); a row without an estimate says why.
/// The Bayesian methods live in `DarkNumberBayes`; the CLI adds their rows.
public struct SensitivityAnalysis: Sendable {
  /// How many of the exhaustive search's best models (by BIC) the analysis lists by default.
  public static let defaultTopModels = 5
  /// The stepwise thresholds tried by default (SparseMSE's 0.02 among them).
  public static let defaultThresholds = [0.001, 0.005, 0.01, 0.02, 0.05, 0.1]

  /// What a row varies.
  public enum Group: String, Sendable, Hashable, CaseIterable {
    /// The base analysis.
    case base
    /// One list left out.
    case omitList = "omit-list"
    /// Two lists merged into one.
    case mergeLists = "merge-lists"
    /// The stepwise p-value threshold.
    case threshold
    /// The selection method.
    case method
    /// One of the best models of the exhaustive search.
    case topModel = "top-model"
  }

  /// One variant of the analysis.
  public struct Row: Sendable {
    /// What it varies.
    public let group: Group
    /// A short label (`omit LA`, `merge LA+NG`, `stepwise p < 0.05`, `BIC`, `#2 by BIC`).
    public let label: String
    /// The outcome: the selected model's fit and its interval (or `nil` when the profile fails),
    /// or why there is no estimate.
    public let outcome: Result<(fit: LogLinearFit, interval: IntervalEstimate?), EstimationError>

    /// `N̂`, or `nil`.
    public var total: Double? { try? outcome.get().fit.total }
  }

  /// The rows: the base first, then each group in ``Group`` order.
  public let rows: [Row]
  /// The base procedure.
  public let procedure: SelectionProcedure
  /// The interval level.
  public let level: Double

  /// Runs every variant on `data`.
  /// - Parameters:
  ///   - data: the table.
  ///   - procedure: the base analysis, re-run on omitted and merged lists (default SparseMSE's
  ///     stepwise at 0.02).
  ///   - thresholds: stepwise thresholds to try.
  ///   - topModels: how many of the search's best models (by BIC; every hierarchical model up to
  ///     5 lists, two-way models for 6 or 7) to list.
  ///   - level: the intervals' level.
  ///   - concurrency: tasks run at once.
  ///   - search: a BIC search already run on `data` (the report's), instead of searching again.
  /// - Throws: ``EstimationError/invalidLevel(_:)`` for a level outside (0, 1); every variant's own
  ///   failure is its row's outcome; ``EstimationError/cancelled`` when the calling task is cancelled.
  public static func run(
    data: CaptureData, procedure: SelectionProcedure = .stepwise(threshold: StepwiseSelection.defaultThreshold),
    thresholds: [Double] = defaultThresholds, topModels: Int = defaultTopModels,
    level: Double = 0.95, concurrency: Int = 2, search: ModelSearch.Result? = nil
  ) async throws(EstimationError) -> SensitivityAnalysis {
    try EstimationError.checkLevel(level)
    let cache = ExistenceCache()
    func row(_ group: Group, _ label: String, _ procedure: SelectionProcedure, on data: CaptureData) async -> Row {
      do throws(EstimationError) {
        let selection = try await ModelSelection.run(procedure, data: data, concurrency: concurrency, cache: cache)
        let interval = try? selection.fit.profileLikelihoodInterval(level: level)
        return Row(group: group, label: label, outcome: .success((selection.fit, interval)))
      } catch {
        return Row(group: group, label: label, outcome: .failure(error))
      }
    }
    var rows: [Row] = [await row(.base, "base: \(Self.name(of: procedure))", procedure, on: data)]
    let names = data.listNames
    if data.listCount > 2 {
      for list in 0..<data.listCount {
        guard let reduced = try? data.removingList(list) else { continue }
        rows.append(await row(.omitList, "omit \(names[list])", procedure, on: reduced))
      }
      for a in 0..<data.listCount {
        for b in (a + 1)..<data.listCount {
          guard let merged = try? data.mergingLists(a, b) else { continue }
          rows.append(await row(.mergeLists, "merge \(names[a])+\(names[b])", procedure, on: merged))
        }
      }
    }
    for threshold in thresholds {
      rows.append(await row(.threshold, "stepwise p < \(threshold)", .stepwise(threshold: threshold), on: data))
    }
    let methods: [(String, SelectionProcedure)] = [
      ("Mt (independence)", .fixed(.mainEffects(listCount: data.listCount))),
      ("stepwise (SparseMSE)", .stepwise(threshold: StepwiseSelection.defaultThreshold)),
      ("AIC", .criterion(.aic, maximumOrder: nil, candidateLimit: nil)),
      ("BIC", .criterion(.bic, maximumOrder: nil, candidateLimit: nil)),
    ]
    // AIC and BIC search all two-factor models, which is done up to ModelSearch.maximumListsTwoFactor lists.
    if data.listCount <= ModelSearch.maximumListsTwoFactor {
      for (label, method) in methods { rows.append(await row(.method, label, method, on: data)) }
    } else {
      rows.append(await row(.method, methods[0].0, methods[0].1, on: data))
      rows.append(await row(.method, methods[1].0, methods[1].1, on: data))
    }
    if topModels > 0,
      let options = ModelSearch.Options.overview(listCount: data.listCount, keep: topModels, concurrency: concurrency)
    {
      do throws(EstimationError) {
        let result: ModelSearch.Result
        if let search { result = search } else { result = try await ModelSearch.run(data: data, options: options) }
        for (rank, entry) in result.best.prefix(topModels).enumerated() {
          rows.append(await row(.topModel, "#\(rank + 1) by BIC: \(entry.model)", .fixed(entry.model), on: data))
        }
      } catch {
        // The search's failure is a row in place of the top models, not their silent absence.
        rows.append(Row(group: .topModel, label: "top models by BIC", outcome: .failure(error)))
      }
    }
    // A row's failure is shown in its place, but a cancellation is no row's failure.
    if Task.isCancelled { throw .cancelled }
    return SensitivityAnalysis(rows: rows, procedure: procedure, level: level)
  }

  /// A procedure's short name.
  public static func name(of procedure: SelectionProcedure) -> String {
    switch procedure {
    case .stepwise(let threshold): "stepwise p < \(threshold)"
    case .criterion(let criterion, _, _): criterion.rawValue.uppercased()
    case .downhill(let criterion, _, _): "downhill by \(criterion.rawValue.uppercased())"
    case .fixed(let model): "model \(model)"
    }
  }
}
