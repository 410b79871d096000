public import DarkNumber

/// The Bayesian estimators run as one more row beside the log-linear ones — in a sensitivity
/// table or on every replicate of a simulation study — with their settings here, so that every
/// caller (the command line, a front end, a test) runs the same thing.
extension LatentClassOptions {
  /// For a simulation study's many replicates: LCMCR's prior (K = 10, a = b = 0.25; Manrique-Vallier
  /// 2016) with two chains of 2,000 burn-in sweeps and 1,000 draws thinned by 5 — enough for a
  /// posterior median and a 95% interval per replicate, about twenty times cheaper than the
  /// defaults.
  public static func simulationStudy(seed: UInt64) -> LatentClassOptions {
    LatentClassOptions(burnIn: 2_000, draws: 1_000, thinning: 5, chains: 2, seed: seed)
  }

  /// For one row of a sensitivity analysis: LCMCR's prior with two chains of 10,000 burn-in sweeps
  /// (LCMCR's own) and 1,000 draws thinned by 10.
  public static func sensitivityRow(seed: UInt64) -> LatentClassOptions {
    LatentClassOptions(burnIn: 10_000, draws: 1_000, thinning: 10, chains: 2, seed: seed)
  }
}

extension PosteriorSummary {
  /// The credible interval whose level is nearest `level` (the summaries hold 90%, 95% and 99%).
  public func interval(nearest level: Double) -> IntervalEstimate? {
    intervals.min { abs($0.level - level) < abs($1.level - level) }
  }
}

extension SimulationEstimator {
  /// The most lists dga's model averaging is run on in a simulation study (the decomposable graphs
  /// of 8 lists are too many to average over per replicate).
  public static let maximumModelAveragingLists = 7

  /// `dga` (decomposable-graph model averaging with dga's defaults, ``GraphModelAveraging``, up to
  /// ``maximumModelAveragingLists`` lists) or `latent-class` (``LatentClassModel`` with
  /// ``LatentClassOptions/simulationStudy(seed:)``): the posterior median and the credible interval
  /// nearest the study's level; `nil` for any other name.
  public static func bayesian(named name: String) -> SimulationEstimator? {
    switch name.lowercased() {
    case "dga":
      return SimulationEstimator(name: "dga") { data, _, level in
        guard data.listCount <= maximumModelAveragingLists else {
          return .none(reason: "dga needs at most \(maximumModelAveragingLists) lists")
        }
        do {
          let summary = try await GraphModelAveraging.run(data: data, options: .init()).summary
          let interval = summary.interval(nearest: level)
          return .estimate(total: summary.median, lower: interval?.lower.value, upper: interval?.upper.value)
        } catch {
          return .none(reason: "\(error)")
        }
      }
    case "latent-class":
      return SimulationEstimator(name: "latent-class") { data, seed, level in
        do {
          let summary = try await LatentClassModel.run(
            data: data, options: .simulationStudy(seed: seed), concurrency: 1
          ).summary
          let interval = summary.interval(nearest: level)
          return .estimate(total: summary.median, lower: interval?.lower.value, upper: interval?.upper.value)
        } catch {
          return .none(reason: "\(error)")
        }
      }
    default:
      return nil
    }
  }
}

/// One Bayesian estimator's row beside a `SensitivityAnalysis`: its posterior summary, or why it
/// has none.
public struct BayesianSensitivityRow: Sendable {
  /// `dga (model averaging)` or `latent class (LCMCR)`.
  public let label: String
  /// The posterior of `N`, or the error.
  public let outcome: Result<PosteriorSummary, BayesError>
}

extension SensitivityAnalysis {
  /// The most lists dga's model averaging is run on in a sensitivity analysis.
  public static let maximumModelAveragingLists = 5

  /// The Bayesian rows of a sensitivity analysis of `data`: dga's model averaging with its
  /// defaults (``GraphModelAveraging``; up to ``maximumModelAveragingLists`` lists) and LCMCR with
  /// ``LatentClassOptions/sensitivityRow(seed:)``, each its posterior of `N` (the report shows its
  /// median and the credible interval nearest the level, ``PosteriorSummary/interval(nearest:)``).
  /// A sampler's failure is its row's outcome.
  /// - Throws: ``BayesError/cancelled`` when the calling task is cancelled.
  public static func bayesianRows(data: CaptureData, seed: UInt64, concurrency: Int = 2) async throws(BayesError)
    -> [BayesianSensitivityRow]
  {
    var rows: [BayesianSensitivityRow] = []
    if data.listCount <= maximumModelAveragingLists {
      let outcome: Result<PosteriorSummary, BayesError>
      do {
        outcome = .success(try await GraphModelAveraging.run(data: data, options: .init()).summary)
      } catch {
        outcome = .failure(error)
      }
      rows.append(BayesianSensitivityRow(label: "dga (model averaging)", outcome: outcome))
    }
    let outcome: Result<PosteriorSummary, BayesError>
    do {
      outcome = .success(
        try await LatentClassModel.run(data: data, options: .sensitivityRow(seed: seed), concurrency: concurrency)
          .summary)
    } catch {
      outcome = .failure(error)
    }
    rows.append(BayesianSensitivityRow(label: "latent class (LCMCR)", outcome: outcome))
    if Task.isCancelled { throw .cancelled }
    return rows
  }
}
