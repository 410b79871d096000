import RealModule

/// The internal-consistency check of multiple systems estimation (Binette & Steorts 2022, "On the
/// reliability of multiple systems estimation for the quantification of modern slavery", JRSS A
/// 185:S356): each list in turn is a population of known size. The people on list `j` are
/// registered; the other lists' histories among them form a table over `K − 1` lists whose
/// all-zero cell — the people only on `j` — is known. Each method estimates that cell as if it were
/// unobserved, and the estimate is compared with the truth.
///
/// The people on one list are not a random sample of the population, so a method can pass this
/// check and still fail on the whole population (and the reverse); it shows how a method behaves
/// on populations like the registered ones, as MSETools reports it (coverage 0.90 for SparseMSE's
/// stepwise selection, 0.88 for independence, all biased low).
public struct ListValidation: Sendable {
  /// A method under validation: a name and what it fits on each held-out table.
  public struct Method: Sendable, Hashable {
    /// What a method fits.
    public enum Kind: Sendable, Hashable {
      /// The independence model `Mt` over the table's lists.
      case independence
      /// A model selection.
      case selection(SelectionProcedure)
    }

    /// The name in reports (`mt`, `stepwise`, `bic`, `aic`, `aicc`).
    public let name: String
    /// What it fits.
    public let kind: Kind

    /// A method called `name` fitting `kind`.
    public init(name: String, kind: Kind) {
      self.name = name
      self.kind = kind
    }

    /// The selection on a table of `listCount` lists.
    func procedure(listCount: Int) -> SelectionProcedure {
      switch kind {
      case .independence: .fixed(.mainEffects(listCount: listCount))
      case .selection(let procedure): procedure
      }
    }
  }

  /// Why a held-out list has no estimate.
  public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The held-out table or the log-linear method has no estimate.
    case estimation(EstimationError)
    /// A method outside this module (a Bayesian sampler) failed, in its own words.
    case sampler(String)
    /// The data have fewer than three lists, so a held-out list leaves fewer than two.
    case tooFewLists(Int)
    /// The people on the held-out list appear on this many other lists (fewer than two).
    case tooFewOtherLists(Int)

    /// One sentence for a person.
    public var description: String {
      switch self {
      case .estimation(let error): error.description
      case .sampler(let reason): reason
      case .tooFewLists(let count):
        "validation needs at least three lists (each held out leaves two to estimate from); the data have \(count)."
      case .tooFewOtherLists(let count):
        count == 0
          ? "nobody on this list is on any other list, so no other list says how many it misses."
          : "the people on this list appear on only one other list; an estimate needs at least two."
      }
    }
  }

  /// One list held out, under one method.
  public struct Row: Sendable {
    /// The method's name.
    public let method: String
    /// The list whose registrations are the known population.
    public let list: String
    /// The people on that list.
    public let registered: Int
    /// Those only on that list: the known all-zero cell.
    public let known: Int
    /// The estimate of that cell, or why there is none.
    public let outcome: Result<Estimate, Failure>

    /// A row from its parts (for methods outside this module).
    public init(method: String, list: String, registered: Int, known: Int, outcome: Result<Estimate, Failure>) {
      self.method = method
      self.list = list
      self.registered = registered
      self.known = known
      self.outcome = outcome
    }
  }

  /// A method's estimate of the known cell.
  public struct Estimate: Sendable {
    /// The estimate from its parts (for methods outside this module, such as the Bayesian ones):
    /// ``covered`` and ``logRelativeError`` follow from `estimate`, `intervals` and `known`.
    public init(model: LogLinearModel?, estimate: Double, intervals: [IntervalEstimate], known: Int) {
      self.model = model
      self.estimate = estimate
      self.intervals = intervals
      let truth = Double(known)
      covered = intervals.first.map { interval in
        (interval.lower.value ?? 0) <= truth && interval.upper.value.map { truth <= $0 } ?? true
      }
      logRelativeError = known > 0 && estimate > 0 ? Double.log(estimate / truth) : nil
    }

    /// The log-linear model the method chose on the held-out table (`nil` for the Bayesian
    /// methods, which average over models).
    public let model: LogLinearModel?
    /// `exp(β̂₀)`: the estimated number of people only on the held-out list.
    public let estimate: Double
    /// The intervals for that number that exist (the population intervals less the people seen
    /// on the other lists), in the order of ``ListValidation/intervalMethods``; the first judges
    /// ``covered``.
    public let intervals: [IntervalEstimate]
    /// Whether the first interval holds the known count (`nil` without an interval).
    public let covered: Bool?
    /// `log(estimate / known)`, `nil` when the known count is 0.
    public let logRelativeError: Double?
  }

  /// A method's record over all lists.
  public struct Summary: Sendable {
    /// The method's name.
    public let method: String
    /// Lists held out.
    public let lists: Int
    /// Lists where the method gave an estimate.
    public let estimated: Int
    /// The share of those with an interval that covered the known count (`nil` when none had one).
    public let coverage: Double?
    /// The mean of ``Estimate/logRelativeError`` (negative: biased low), `nil` when none exists.
    public let meanLogRelativeError: Double?
  }

  /// The methods validated by default: independence, SparseMSE's stepwise selection, BIC and
  /// AIC over all hierarchical models.
  public static let defaultMethods: [Method] = ["mt", "stepwise", "bic", "aic"].compactMap(method(named:))

  /// The most lists validated: each held-out table has one list fewer, at most
  /// ``ExistenceCheck/maximumListCount``.
  public static let maximumListCount = ExistenceCheck.maximumListCount + 1

  /// The interval methods reported for each estimate, the first judging coverage: the profile
  /// likelihood (Cormack 1992), then SparseMSE's `n + exp(β̂₀ ± z·SE)`.
  public static let intervalMethods: [IntervalMethod] = [.profileLikelihood, .logWald]

  /// The method called `name` (`mt`, `stepwise`, `bic`, `aic`, `aicc`), or `nil`.
  public static func method(named name: String) -> Method? {
    switch name.lowercased() {
    case "mt": Method(name: "mt", kind: .independence)
    case "stepwise":
      Method(name: "stepwise", kind: .selection(.stepwise(threshold: StepwiseSelection.defaultThreshold)))
    case "bic": Method(name: "bic", kind: .selection(.criterion(.bic, maximumOrder: nil, candidateLimit: nil)))
    case "aic": Method(name: "aic", kind: .selection(.criterion(.aic, maximumOrder: nil, candidateLimit: nil)))
    case "aicc": Method(name: "aicc", kind: .selection(.criterion(.aicc, maximumOrder: nil, candidateLimit: nil)))
    default: nil
    }
  }

  /// Every row, list by list within method.
  public let rows: [Row]
  /// One summary per method, in the order asked.
  public let summaries: [Summary]
  /// The intervals' level.
  public let level: Double

  /// The table of the people on list `list` over the other lists, and its known all-zero cell.
  /// Other lists on which none of these people appear are left out of the table: they carry no
  /// information, and their main effect at −∞ would fail every existence check.
  /// - Throws: ``Failure/tooFewLists(_:)`` with fewer than three lists;
  ///   ``Failure/tooFewOtherLists(_:)`` when these people appear on fewer than two other lists.
  public static func heldOut(_ data: CaptureData, list: Int) throws(Failure) -> (table: CaptureData, known: Int) {
    precondition(data.listNames.indices.contains(list), "no such list")
    guard data.listCount >= 3 else { throw .tooFewLists(data.listCount) }
    let bit = UInt32(1) << UInt32(list)
    var known = 0
    var onOthers: [(history: UInt32, count: Int)] = []
    var used: UInt32 = 0
    for cell in data.cells where cell.history.rawValue & bit != 0 {
      let others = cell.history.rawValue & ~bit
      if others == 0 {
        known += cell.count
      } else {
        onOthers.append((others, cell.count))
        used |= others
      }
    }
    // The other lists with somebody on them, in order, and each one's new position.
    let kept = data.listNames.indices.filter { used & (UInt32(1) << UInt32($0)) != 0 }
    guard kept.count >= 2 else { throw .tooFewOtherLists(kept.count) }
    var counts: [(CaptureHistory, Int)] = []
    for (history, count) in onOthers {
      var compact: UInt32 = 0
      for (position, index) in kept.enumerated() where history & (UInt32(1) << UInt32(index)) != 0 {
        compact |= UInt32(1) << UInt32(position)
      }
      counts.append((CaptureHistory(rawValue: compact)!, count))
    }
    // Distinct non-empty histories over at least two named lists: always a valid table.
    let table = try! CaptureData(listNames: kept.map { data.listNames[$0] }, counts: counts)
    return (table, known)
  }

  /// Holds out each list of `data` in turn and estimates its known cell with each of `methods`.
  /// A list or method without an estimate is a row with the reason, never a missing row.
  /// - Throws: ``EstimationError/invalidLevel(_:)``; ``EstimationError/tooManyLists(_:limit:)``
  ///   beyond ``maximumListCount`` lists; ``EstimationError/cancelled`` when the calling task is
  ///   cancelled.
  public static func run(
    data: CaptureData, methods: [Method] = defaultMethods, level: Double = 0.95, concurrency: Int = 2
  ) async throws(EstimationError) -> ListValidation {
    try EstimationError.checkLevel(level)
    // A held-out table has one list fewer; the selections check existence on it.
    guard data.listCount <= maximumListCount else { throw .tooManyLists(data.listCount, limit: maximumListCount) }
    let cache = ExistenceCache()
    var rows: [Row] = []
    for method in methods {
      for list in 0..<data.listCount {
        let name = data.listNames[list]
        let registered = data.listTotal(list)
        let table: CaptureData
        let known: Int
        do throws(Failure) {
          (table, known) = try heldOut(data, list: list)
        } catch {
          let known = data.count(of: CaptureHistory(rawValue: UInt32(1) << UInt32(list))!)
          rows.append(
            Row(
              method: method.name, list: name, registered: registered, known: known,
              outcome: .failure(error)))
          continue
        }
        let outcome: Result<Estimate, Failure>
        do throws(EstimationError) {
          let procedure = method.procedure(listCount: table.listCount)
          let fit = try await ModelSelection.run(procedure, data: table, concurrency: concurrency, cache: cache).fit
          outcome = .success(estimate(fit: fit, known: known, level: level))
        } catch {
          if error == .cancelled { throw error }
          outcome = .failure(.estimation(error))
        }
        rows.append(Row(method: method.name, list: name, registered: registered, known: known, outcome: outcome))
      }
    }
    if Task.isCancelled { throw .cancelled }
    return ListValidation(rows: rows, methods: methods.map(\.name), level: level)
  }

  /// The validation made of `rows` (from ``run(data:methods:level:concurrency:)`` and from methods
  /// outside this module, such as the Bayesian ones), summarised per method in the order of
  /// `methods`.
  public init(rows: [Row], methods: [String], level: Double) {
    self.rows = rows
    self.summaries = methods.map { method in Self.summary(method, rows.filter { $0.method == method }) }
    self.level = level
  }

  /// The estimate of the known cell from the fit on the held-out table.
  static func estimate(fit: LogLinearFit, known: Int, level: Double) -> Estimate {
    let seen = Double(fit.data.observedTotal)
    let intervals = intervalMethods.compactMap { method -> IntervalEstimate? in
      (try? fit.interval(method, level: level))?.lessCount(seen)
    }
    return Estimate(model: fit.model, estimate: fit.unobserved, intervals: intervals, known: known)
  }

  /// A method's summary from its rows.
  static func summary(_ method: String, _ rows: [Row]) -> Summary {
    let estimates = rows.compactMap { try? $0.outcome.get() }
    let judged = estimates.compactMap(\.covered)
    let errors = estimates.compactMap(\.logRelativeError)
    return Summary(
      method: method, lists: rows.count, estimated: estimates.count,
      coverage: judged.isEmpty ? nil : Double(judged.count { $0 }) / Double(judged.count),
      meanLogRelativeError: errors.isEmpty ? nil : errors.reduce(0, +) / Double(errors.count))
  }
}
