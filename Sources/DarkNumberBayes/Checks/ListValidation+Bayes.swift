public import DarkNumber

extension ListValidation {
  /// The Bayesian methods ``run(data:methodNames:level:seed:concurrency:)`` validates beside the
  /// log-linear ones: dga's model averaging (``GraphModelAveraging`` with its defaults, on held-out
  /// tables of at most ``SensitivityAnalysis/maximumModelAveragingLists`` lists) and LCMCR
  /// (``LatentClassModel`` with ``LatentClassOptions/sensitivityRow(seed:)``).
  public static let bayesianMethodNames = ["dga", "latent-class"]

  /// Every method named in `methodNames` — log-linear (`ListValidation.method(named:)`) or Bayesian
  /// (``bayesianMethodNames``) — on each held-out list of `data`, in one validation.
  ///
  /// A Bayesian estimate of the known cell is the posterior median of `N` on the held-out table
  /// less the people seen there, with the credible interval nearest `level` shifted alike. The
  /// latent-class chains of held-out list `j` draw from seed `seed + j`.
  /// - Throws: ``BayesError/invalidOption(_:)`` for an unknown method name;
  ///   `EstimationError.invalidLevel` for a level outside (0, 1) and
  ///   `EstimationError.tooManyLists` beyond `ListValidation.maximumListCount` lists;
  ///   `EstimationError.cancelled` or ``BayesError/cancelled`` when the calling task is cancelled.
  public static func run(
    data: CaptureData, methodNames: [String], level: Double = 0.95, seed: UInt64 = 1, concurrency: Int = 2
  ) async throws -> ListValidation {
    try EstimationError.checkLevel(level)
    guard data.listCount <= maximumListCount else {
      throw EstimationError.tooManyLists(data.listCount, limit: maximumListCount)
    }
    for name in methodNames where method(named: name) == nil && !bayesianMethodNames.contains(name.lowercased()) {
      throw BayesError.invalidOption(
        "unknown validation method \"\(name)\"; known: mt, stepwise, bic, aic, aicc, dga, latent-class")
    }
    // The log-linear methods in one run (one existence cache), then each method's rows in order.
    let logLinear = try await run(
      data: data, methods: methodNames.compactMap(method(named:)), level: level, concurrency: concurrency)
    var rows: [Row] = []
    for name in methodNames.map({ $0.lowercased() }) {
      if method(named: name) != nil {
        rows += logLinear.rows.filter { $0.method == name }
      } else {
        rows += try await bayesianRows(data: data, method: name, level: level, seed: seed, concurrency: concurrency)
      }
    }
    return ListValidation(rows: rows, methods: methodNames.map { $0.lowercased() }, level: level)
  }

  /// One Bayesian method's rows: each list held out in turn.
  static func bayesianRows(
    data: CaptureData, method: String, level: Double, seed: UInt64, concurrency: Int
  ) async throws(BayesError) -> [Row] {
    var rows: [Row] = []
    for list in 0..<data.listCount {
      let name = data.listNames[list]
      let registered = data.listTotal(list)
      let table: CaptureData
      let known: Int
      do {
        (table, known) = try heldOut(data, list: list)
      } catch {
        let known = data.count(of: CaptureHistory(lists: [list])!)
        rows.append(Row(method: method, list: name, registered: registered, known: known, outcome: .failure(error)))
        continue
      }
      let outcome: Result<Estimate, Failure>
      do {
        let summary: PosteriorSummary
        if method == "dga" {
          guard table.listCount <= SensitivityAnalysis.maximumModelAveragingLists else {
            throw BayesError.tooManyListsForGraphAveraging(table.listCount)
          }
          summary = try await GraphModelAveraging.run(data: table, options: .init()).summary
        } else {
          summary = try await LatentClassModel.run(
            data: table, options: .sensitivityRow(seed: seed &+ UInt64(list)), concurrency: concurrency
          ).summary
        }
        let seen = Double(table.observedTotal)
        let intervals = summary.interval(nearest: level).map { [$0.lessCount(seen)] } ?? []
        outcome = .success(Estimate(model: nil, estimate: summary.median - seen, intervals: intervals, known: known))
      } catch BayesError.cancelled {
        throw .cancelled
      } catch {
        outcome = .failure(.sampler("\(error)"))
      }
      rows.append(Row(method: method, list: name, registered: registered, known: known, outcome: outcome))
    }
    if Task.isCancelled { throw .cancelled }
    return rows
  }
}
