/// What an estimator gives on one simulated table: an estimate with its interval, or why none.
public enum SimulationOutcome: Sendable, Hashable {
  /// `N̂` and the interval's limits (`nil` when unbounded or not computed).
  case estimate(total: Double, lower: Double?, upper: Double?)
  /// No estimate exists (for example the MLE runs off to infinity), with the reason.
  case none(reason: String)

  /// `N̂`, or `nil`.
  public var total: Double? {
    if case .estimate(let total, _, _) = self { return total }
    return nil
  }
}

/// An estimator a simulation study runs on every replicate: a name and an asynchronous function of
/// the data, a seed for its own randomness (bootstraps, samplers) and the interval level.
public struct SimulationEstimator: Sendable {
  /// Bootstrap replicates inside the `stepwise+bca` and `bic+bca` estimators by default: enough
  /// for a BCa interval's coverage in a simulation study, at a fifth of SparseMSE's 1,000.
  public static let defaultBootstrapReplicates = 200

  /// The name in reports (`mt`, `stepwise+bca`).
  public let name: String
  /// Runs it.
  public let run: @Sendable (CaptureData, UInt64, Double) async -> SimulationOutcome

  /// An estimator from a function.
  public init(name: String, run: @escaping @Sendable (CaptureData, UInt64, Double) async -> SimulationOutcome) {
    self.name = name
    self.run = run
  }

  /// A selection procedure (or fixed model) with the multinomial profile-likelihood interval.
  public static func selection(_ name: String, _ procedure: SelectionProcedure) -> SimulationEstimator {
    SimulationEstimator(name: name) { data, _, level in
      do throws(EstimationError) {
        let selection = try await ModelSelection.run(procedure, data: data, concurrency: 1)
        let fit = selection.fit
        guard fit.total.isFinite else { return .none(reason: "no finite estimate") }
        let interval = try? fit.profileLikelihoodInterval(level: level)
        return .estimate(total: fit.total, lower: interval?.lower.value, upper: interval?.upper.value)
      } catch {
        return .none(reason: error.description)
      }
    }
  }

  /// A selection procedure with the bootstrap BCa interval, the selection re-run in every one of
  /// `replicates` nonparametric replicates (Chan, Silverman & Vincent 2021: stepwise + BCa).
  public static func bootstrapBCa(_ name: String, _ procedure: SelectionProcedure, replicates: Int)
    -> SimulationEstimator
  {
    SimulationEstimator(name: name) { data, seed, level in
      do throws(EstimationError) {
        let cache = ExistenceCache()
        let selection = try await ModelSelection.run(procedure, data: data, concurrency: 1, cache: cache)
        var options = SelectionBootstrap.Options()
        options.replicates = replicates
        options.seed = seed
        options.procedure = procedure
        options.concurrency = 1
        let bootstrap = try await SelectionBootstrap.run(
          data: data, options: options, selection: selection, cache: cache)
        let interval = try? bootstrap.interval(.bootstrapBCa, level: level)
        return .estimate(total: selection.fit.total, lower: interval?.lower.value, upper: interval?.upper.value)
      } catch {
        return .none(reason: error.description)
      }
    }
  }

  /// The estimators every build knows by name: `mt`, `stepwise`, `stepwise+bca`, `bic`, `aic`,
  /// `bic+bca` (bootstraps with `bootstrapReplicates`).
  public static func named(_ name: String, bootstrapReplicates: Int = defaultBootstrapReplicates, listCount: Int)
    -> SimulationEstimator?
  {
    switch name.lowercased() {
    case "mt": return .selection("mt", .fixed(.mainEffects(listCount: listCount)))
    case "stepwise": return .selection("stepwise", .stepwise(threshold: StepwiseSelection.defaultThreshold))
    case "stepwise+bca":
      return .bootstrapBCa(
        "stepwise+bca", .stepwise(threshold: StepwiseSelection.defaultThreshold), replicates: bootstrapReplicates)
    case "bic": return .selection("bic", .criterion(.bic, maximumOrder: nil, candidateLimit: nil))
    case "aic": return .selection("aic", .criterion(.aic, maximumOrder: nil, candidateLimit: nil))
    case "bic+bca":
      return .bootstrapBCa(
        "bic+bca",
        .criterion(
          .bic, maximumOrder: nil, candidateLimit: CriterionSelection.defaultCandidateLimit(listCount: listCount)),
        replicates: bootstrapReplicates)
    default: return nil
    }
  }
}
