/// Exhaustive search over hierarchical log-linear models (Rcapture's `closedpMS.t`;
/// MultipleSystemsEstimation's BIC route), for any number of lists: models are enumerated lazily,
/// fitted in parallel in batches, and only the best `keep` are retained.
public struct ModelSearch: Sendable {
  /// What to search and how to rank.
  public struct Options: Sendable {
    /// The largest interaction order (default `K − 1`, every model Rcapture's `closedpMS.t` fits).
    public var maximumOrder: Int?
    /// Terms every model contains (bitmasks over zero-based lists).
    public var forced: [UInt32] = []
    /// The ranking criterion.
    public var criterion: InformationCriterion = .bic
    /// How many of the best models to keep (`nil`: all).
    public var keep: Int? = 100
    /// Models fitted per batch (memory is bounded by this and `keep`).
    public var batchSize: Int = 4096
    /// Parallel tasks (use one BLAS thread each).
    public var concurrency: Int = 2
    /// How each model is fitted.
    public var fitOptions = FitOptions()

    /// The defaults.
    public init() {}

    /// The search the reports and the sensitivity analysis show, keeping `keep` models: every
    /// hierarchical model up to 5 lists (6,893 for 5), the two-factor models for 6 or 7 (2^15
    /// for 6, where all orders would be 7.8 million), none beyond 7 (`nil`).
    public static func overview(listCount: Int, keep: Int?, concurrency: Int) -> Options? {
      guard listCount <= 7 else { return nil }
      var options = Options()
      options.keep = keep
      options.concurrency = concurrency
      if listCount > 5 { options.maximumOrder = 2 }
      return options
    }
  }

  /// One model's outcome.
  public struct Entry: Sendable {
    /// Its position in the enumeration (0 = the minimal model).
    public let index: Int
    /// The model.
    public let model: LogLinearModel
    /// `N̂`.
    public let total: Double
    /// `SE(N̂)`.
    public let standardError: Double
    /// The deviance.
    public let deviance: Double
    /// Residual degrees of freedom.
    public let degreesOfFreedom: Int
    /// AIC.
    public let aic: Double
    /// AICc (cells as the sample size).
    public let aicc: Double
    /// BIC.
    public let bic: Double
    /// The fit's caveats.
    public var warnings: [FitWarning] {
      switch caveats {
      case .general(let warnings): return warnings
      case .lattice(let lattice): return lattice.warnings
      }
    }
    /// The caveats as found: the general fit's warnings, or what the lattice fit found (names of
    /// −∞ terms are spelled out only when asked for, as most searched models are never shown).
    let caveats: Caveats

    /// The caveats of one entry.
    enum Caveats: Sendable {
      case general([FitWarning])
      case lattice(LatticeCaveats)
    }

    /// What a lattice fit of the search found.
    struct LatticeCaveats: Sendable {
      /// Iterations and last relative change when IRLS did not converge.
      var nonConvergence: (iterations: Int, relativeChange: Double)?
      /// Terms at −∞ (bitmasks).
      var infiniteTerms: [UInt32]
      /// The data's list names, to name those terms.
      var listNames: [String]
      /// Whether the unobserved count is at zero.
      var unobservedCountAtZero: Bool

      /// In the order of ``LogLinearFit``'s warnings.
      var warnings: [FitWarning] {
        var result: [FitWarning] = []
        if let nonConvergence {
          result.append(
            .didNotConverge(
              iterations: nonConvergence.iterations, relativeChange: nonConvergence.relativeChange))
        }
        if !infiniteTerms.isEmpty {
          result.append(
            .infiniteParameters(
              infiniteTerms.map { DesignMatrix.columnName(of: $0, listNames: listNames) }))
        }
        if unobservedCountAtZero { result.append(.unobservedCountAtZero) }
        return result
      }
    }

    /// The value of `criterion`.
    public func value(of criterion: InformationCriterion) -> Double {
      switch criterion {
      case .aic: aic
      case .aicc: aicc
      case .bic: bic
      }
    }
  }

  /// A model without an estimate.
  public struct Failure: Sendable {
    /// Its position in the enumeration.
    public let index: Int
    /// The model.
    public let model: LogLinearModel
    /// Why.
    public let error: EstimationError
  }

  private let data: CaptureData
  private let options: Options

  private init(data: CaptureData, options: Options) {
    self.data = data
    self.options = options
  }

  /// The most lists searched with every order of interaction: 7,828,353 hierarchical models at 6
  /// lists, 2.4·10¹² at 7.
  public static let maximumListsAllOrders = 6
  /// The most lists searched with two-factor models: 2²¹ = 2,097,152 at 7 lists, 2²⁸ at 8.
  public static let maximumListsTwoFactor = 7

  /// The outcome of a search.
  public struct Result: Sendable {
    /// Models enumerated.
    public let modelCount: Int
    /// The best models by the criterion (ties broken by enumeration order), at most `keep`.
    public let best: [Entry]
    /// Models with no estimate (the first 1,000).
    public let failures: [Failure]
    /// How many models had no estimate.
    public let failureCount: Int
    /// The criterion used.
    public let criterion: InformationCriterion
  }

  /// Searches the hierarchical models of `data`. The result does not depend on
  /// `options.concurrency`.
  /// - Parameters:
  ///   - data: the table.
  ///   - options: the largest order, forced terms, the criterion, how many to keep, batches,
  ///     concurrency and the fit settings.
  ///   - progress: called after each batch with the number of models fitted so far.
  /// - Throws: ``EstimationError/searchTooLarge(lists:maximumOrder:)`` beyond
  ///   ``maximumListsAllOrders`` lists (``maximumListsTwoFactor`` for two-factor models);
  ///   ``EstimationError/tooManyLists(_:limit:)`` beyond
  ///   ``LogLinearModel/maximumFittedListCount`` lists; ``EstimationError/cancelled`` when the
  ///   calling task is cancelled (checked between batches of models).
  public static func run(
    data: CaptureData, options: Options = Options(), progress: (@Sendable (Int) -> Void)? = nil
  ) async throws(EstimationError) -> Result {
    try await ModelSearch(data: data, options: options).search(progress: progress)
  }

  private func search(progress: (@Sendable (Int) -> Void)?) async throws(EstimationError) -> Result {
    let order = min(options.maximumOrder ?? data.listCount - 1, data.listCount - 1)
    if order >= 2 {
      let limit = order == 2 ? Self.maximumListsTwoFactor : Self.maximumListsAllOrders
      guard data.listCount <= limit else { throw .searchTooLarge(lists: data.listCount, maximumOrder: order) }
    }
    guard data.listCount <= LogLinearModel.maximumFittedListCount else {
      throw .tooManyLists(data.listCount, limit: LogLinearModel.maximumFittedListCount)
    }
    let criterion = options.criterion
    var enumerator = HierarchicalModelEnumerator(
      listCount: data.listCount, maximumOrder: options.maximumOrder ?? data.listCount - 1,
      forced: options.forced)
    let kernel = Kernel(data: data)
    var best: [Entry] = []
    var failures: [Failure] = []
    var failureCount = 0
    var count = 0
    let better = { (a: Entry, b: Entry) -> Bool in
      let (x, y) = (a.value(of: criterion), b.value(of: criterion))
      return x != y ? x < y : a.index < b.index
    }
    while true {
      if Task.isCancelled { throw .cancelled }
      var batch: [LogLinearModel] = []
      batch.reserveCapacity(options.batchSize)
      while batch.count < options.batchSize, let model = enumerator.next() { batch.append(model) }
      if batch.isEmpty { break }
      let outcomes = fitBatch(batch, firstIndex: count, kernel: kernel)
      for outcome in outcomes {
        switch outcome {
        case .success(let entry): best.append(entry)
        case .failure(let failure):
          failureCount += 1
          if failures.count < 1000 { failures.append(failure) }
        }
      }
      count += batch.count
      if let keep = options.keep, best.count > keep {
        best.sort(by: better)
        best.removeLast(best.count - keep)
      }
      progress?(count)
    }
    best.sort(by: better)
    return Result(
      modelCount: count, best: best, failures: failures, failureCount: failureCount,
      criterion: criterion)
  }

  private func fitBatch(_ models: [LogLinearModel], firstIndex: Int, kernel: Kernel)
    -> [Swift.Result<Entry, Failure>]
  {
    let tasks = max(1, min(options.concurrency, models.count))
    let pieces = ParallelWork.map(count: tasks) { task in
      // Task t fits models t, t + tasks, …: neighbours in the enumeration have similar sizes, so
      // every task gets an equal share of the work (contiguous chunks would give the last task
      // the largest models). One IRLS workspace and term buffer per task, refilled for every
      // model it fits.
      var engine = LatticeIRLS(listCount: data.listCount)
      var terms: [UInt32] = []
      return stride(from: task, to: models.count, by: tasks).map {
        fitOne(models[$0], index: firstIndex + $0, kernel: kernel, engine: &engine, terms: &terms)
      }
    }
    // Back to enumeration order: model i is entry i / tasks of task i % tasks.
    return (0..<models.count).map { pieces[$0 % tasks][$0 / tasks] }
  }

  private func fitOne(
    _ model: LogLinearModel, index: Int, kernel: Kernel, engine: inout LatticeIRLS,
    terms: inout [UInt32]
  ) -> Swift.Result<Entry, Failure> {
    do {
      if let entry = try kernel.fit(
        model, index: index, options: options.fitOptions, engine: &engine, terms: &terms)
      {
        return .success(entry)
      }
      // Rank deficient once −∞ columns are removed, or singular: the general fit decides.
      let fit = try model.fit(to: data, options: options.fitOptions)
      let cells = fit.fittedValues.count
      return .success(
        Entry(
          index: index, model: model, total: fit.total, standardError: fit.standardError,
          deviance: fit.deviance, degreesOfFreedom: fit.degreesOfFreedom, aic: fit.aic,
          aicc: InformationCriterion.aicc.value(
            logLikelihood: fit.logLikelihood, parameters: fit.rank, cells: cells,
            observed: data.observedTotal),
          bic: fit.bic, caveats: .general(fit.warnings)))
    } catch {
      return .failure(Failure(index: index, model: model, error: error))
    }
  }
}

extension ModelSearch.Failure: Error {}
