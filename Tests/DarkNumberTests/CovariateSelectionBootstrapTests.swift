@testable import DarkNumber
import Foundation
import Testing

/// The re-selecting bootstrap with covariates: every replicate re-runs the stepwise selection, the
/// same seed gives the same replicates at any concurrency, intervals are the replicates' quantiles
/// (percentile) or their BCa correction, and a replicate is exactly a selection on resampled data.
@Suite("Covariates: re-selecting bootstrap")
struct CovariateSelectionBootstrapTests {
  static func spina() throws -> CovariateCaptureData {
    try #require(Dataset.named("covariates/spina")).covariateData()
  }

  static func run(concurrency: Int, replicates: Int = 24, jackknife: Bool = true) async throws
    -> CovariateSelectionBootstrap
  {
    let data = try spina()
    var options = CovariateSelectionBootstrap.Options()
    options.replicates = replicates
    options.seed = 99
    options.concurrency = concurrency
    options.jackknife = jackknife
    return try await CovariateSelectionBootstrap.run(
      data: data, start: try CovariateModel(specification: "main", data: data), criterion: .bic,
      options: options)
  }

  @Test("Same seed, same replicates and model frequencies at one or two threads")
  func deterministic() async throws {
    let one = try await Self.run(concurrency: 1)
    let two = try await Self.run(concurrency: 2)
    #expect(one.replicates == two.replicates)
    #expect(one.replicateModels == two.replicateModels)
    #expect(one.modelFrequencies == two.modelFrequencies)
    #expect(one.accelerations == two.accelerations)
    #expect(one.modelFrequencies.reduce(0) { $0 + $1.count } == one.successfulReplicates)
    #expect(one.targets.first?.covariate == nil && one.targets.count == 4)
  }

  @Test("Replicate i is the selection re-run on the individuals redrawn from stream (seed, i)")
  func replicateIsReselection() async throws {
    let data = try Self.spina()
    let bootstrap = try await Self.run(concurrency: 2, replicates: 6, jackknife: false)
    for index in [0, 5] {
      var generator = SplitMix64.stream(seed: 99, index: UInt64(index))
      let draw = Multinomial(weights: data.records.map { Double($0.count) })
        .sample(count: data.observedTotal, using: &generator)
      let records = zip(data.records, draw).map {
        CovariateCaptureData.Record(history: $0.history, levels: $0.levels, count: $1)
      }
      let replicate = try CovariateCaptureData(
        listNames: data.listNames, covariates: data.covariates, records: records)
      let selection = try CovariateSelection(
        data: replicate, start: try CovariateModel(specification: "main", data: replicate), criterion: .bic,
        options: .glmCompatible)
      // The replicate's candidates start from the fits on the data, the independent selection's
      // from its current model: the same MLEs, to the convergence tolerance (deviance 1e-8).
      let values = try #require(bootstrap.replicates[index])
      #expect(isClose(values[0], selection.fit.total, relative: 1e-8))
      #expect(bootstrap.replicateModels[index] == selection.fit.model.description)
      let levels = selection.fit.breakdown(covariate: 0).map(\.total)
      #expect(values.count == levels.count + 1)
      for (value, level) in zip(values[1...], levels) { #expect(isClose(value, level, relative: 1e-8)) }
    }
    #expect(bootstrap.accelerations.allSatisfy { $0 == nil })
    // Without the jackknife there is no acceleration, so BCa is refused by name.
    #expect {
      try bootstrap.interval(.bootstrapBCa, target: 0)
    } throws: { error in
      if case .intervalNotAvailable(.bootstrapBCa, _) = error as? EstimationError { return true }
      return false
    }
  }

  @Test("Percentile limits are type-8 quantiles of the replicates; BCa uses the jackknife's acceleration")
  func intervals() async throws {
    let bootstrap = try await Self.run(concurrency: 2, replicates: 60)
    for target in bootstrap.targets.indices {
      let sorted = bootstrap.sortedReplicates(target: target)
      let interval = try bootstrap.interval(.bootstrapPercentile, target: target, level: 0.9)
      // Type 8 at p = 0.05 and 0.95 with n = 60: h = p(n + 1/3) + 1/3.
      func type8(_ p: Double) -> Double {
        let h = p * (Double(sorted.count) + 1.0 / 3) + 1.0 / 3
        let j = Int(h.rounded(.down))
        return sorted[j - 1] + (h - Double(j)) * (sorted[j] - sorted[j - 1])
      }
      #expect(isClose(interval.lowerValue, type8(0.05), relative: 1e-12))
      #expect(isClose(interval.upperValue, type8(0.95), relative: 1e-12))
      let acceleration = try #require(bootstrap.accelerations[target])
      #expect(abs(acceleration) < 0.5)
      let bca = try bootstrap.interval(.bootstrapBCa, target: target, level: 0.9)
      #expect(bca.lowerValue < bootstrap.estimates[target] && bootstrap.estimates[target] < bca.upperValue)
    }
  }

  @Test("With a coverage: replicates keep it, and a level with too few lists has no interval")
  func coverage() async throws {
    let base = try ListCoverageTests.trafficking(covariates: ["year", "exploitation"])
    let coverage = try ListCoverage(
      csv: Array("year,exploitation,PO,KM,IN,OT\n2010,sexual,0,0,0,1\n".utf8), covariates: ["year", "exploitation"])
    let records = base.records.filter { record in
      !(record.levels[0] == 0 && record.levels[1] == 2 && record.history.rawValue & 0b0111 != 0)
    }
    let data = try CovariateCaptureData(
      listNames: base.listNames, covariates: base.covariates, records: records, coverage: coverage)
    var options = CovariateSelectionBootstrap.Options()
    options.replicates = 8
    options.jackknife = false
    let bootstrap = try await CovariateSelectionBootstrap.run(
      data: data, start: try CovariateModel(specification: "main", data: data), criterion: .bic,
      candidates: .listPairs, options: options)
    #expect(bootstrap.successfulReplicates == 8)
    let total = try #require(bootstrap.targetIndex(covariate: nil, level: nil))
    let year2010 = try #require(bootstrap.targetIndex(covariate: "year", level: "2010"))
    let year2011 = try #require(bootstrap.targetIndex(covariate: "year", level: "2011"))
    #expect(bootstrap.estimates[total].isNaN && bootstrap.estimates[year2010].isNaN)
    #expect(throws: EstimationError.bootstrapDegenerate) { try bootstrap.interval(.bootstrapPercentile, target: total) }
    #expect(throws: EstimationError.bootstrapDegenerate) {
      try bootstrap.interval(.bootstrapPercentile, target: year2010)
    }
    let interval = try bootstrap.interval(.bootstrapPercentile, target: year2011)
    #expect(interval.lowerValue < interval.upperValue)
  }

  @Test("The acceleration is Efron's jackknife formula over one deletion per distinct record, each re-selected")
  func accelerationIsTheJackknife() async throws {
    let data = try Self.spina()
    let bootstrap = try await Self.run(concurrency: 2, replicates: 2)
    let start = try CovariateModel(specification: "main", data: data)
    // Deleting one individual of record j, re-selecting with the replicates' settings.
    var deletions: [(count: Double, total: Double)] = []
    for (index, record) in data.records.enumerated() {
      var records = data.records
      records[index] = .init(history: record.history, levels: record.levels, count: record.count - 1)
      let reduced = try CovariateCaptureData(
        listNames: data.listNames, covariates: data.covariates, records: records.filter { $0.count > 0 })
      let selection = try CovariateSelection(data: reduced, start: start, criterion: .bic, options: .glmCompatible)
      deletions.append((Double(record.count), selection.fit.total))
    }
    // â = Σ c·d³ / (6 (Σ c·d²)^{3/2}), d = (count-weighted mean) − deletion (Efron 1987; SparseMSE).
    let weight = deletions.reduce(0) { $0 + $1.count }
    let mean = deletions.reduce(0) { $0 + $1.count * $1.total } / weight
    let second = deletions.reduce(0) { $0 + $1.count * pow(mean - $1.total, 2) }
    let third = deletions.reduce(0) { $0 + $1.count * pow(mean - $1.total, 3) }
    let expected = third / (6 * pow(second, 1.5))
    let acceleration = try #require(bootstrap.accelerations[0])
    #expect(isClose(acceleration, expected, relative: 1e-9, absolute: 1e-12))
  }
}
