import DarkNumber
import Foundation
import Testing

/// Rcapture 1.4-4 `closedp.0` on number-of-captures data, and the single-source estimators.
@Suite("Number-of-captures data (closedp.0)")
struct CaptureFrequenciesTests {
  static func frequencies(_ name: String, occasions: CaptureFrequencies.Occasions) throws -> CaptureFrequencies {
    let dataset = try #require(Dataset.named("captures-per-unit/\(name)"))
    return try CaptureFrequencies(csv: Array(dataset.csv.utf8), occasions: occasions, source: name)
  }

  /// Abundance, deviance, AIC, BIC to 1e-6, df exactly, SE to 5e-5 (1e-6 with glm-compatible
  /// options), bias to 1e-4; R's infoFit 1 (non-convergence or large bias) ⇔ our warnings.
  @Test("Every row of closedp.0", arguments: ["BBS2001", "BBS2001_t0_20", "cbird", "ill"])
  func table(key: String) throws {
    let document = try ReferenceFixtures.load("rcapture-closedp-0")
    let results = try #require(document["results"] as? [String: [String: Any]])
    let reference = try #require(results[key])
    let name = key.replacingOccurrences(of: "_t0_20", with: "")
    let occasions: CaptureFrequencies.Occasions =
      (reference["t"] as? String) == "Inf" ? .continuous : .finite(reference["t"] as? Int ?? 0)
    let data = try Self.frequencies(name, occasions: occasions)
    #expect(data.observedTotal == reference["n"] as? Int)
    let t0 = reference["t0"] as? Int
    let biases = reference["bias"] as? [String: Any] ?? [:]
    let short = ["M0": "M0", "Mh Chao (LB)": "MhC", "Mh Poisson2": "MhP", "Mh Darroch": "MhD", "Mh Gamma3.5": "MhG"]
    for row in try #require(reference["results"] as? [[String: Any]]) {
      let modelName = try #require(row["model"] as? String)
      let model = try #require(ClosedPopulationModel.frequencyModels.first { $0.description == modelName })
      let label = "\(key) \(modelName)"
      let fit = try model.fit(to: data, truncation: t0, options: .glmCompatible)
      #expect(isClose(fit.total, row["abundance"] as? Double ?? .nan, relative: 1e-6), "\(label) N")
      #expect(
        isClose(fit.deviance, row["deviance"] as? Double ?? .nan, relative: 1e-6, absolute: 1e-8), "\(label) deviance")
      #expect(fit.degreesOfFreedom == row["df"] as? Int, "\(label) df")
      #expect(isClose(fit.aic, row["AIC"] as? Double ?? .nan, relative: 1e-6), "\(label) AIC")
      #expect(isClose(fit.bic, row["BIC"] as? Double ?? .nan, relative: 1e-6), "\(label) BIC")
      #expect(isClose(fit.standardError, row["stderr"] as? Double ?? .nan, relative: 1e-6), "\(label) SE")
      if let expected = biases[short[modelName] ?? ""] as? Double, let bias = fit.bias {
        #expect(isClose(bias, expected, relative: 1e-4, absolute: 1e-6), "\(label) bias")
      }
      let info = row["infoFit"] as? Int ?? 0
      let flagged = fit.warnings.contains {
        switch $0 {
        case .largeAsymptoticBias, .didNotConverge: true
        default: false
        }
      }
      #expect(flagged == (info % 10 == 1 || info / 10 == 1), "\(label) infoFit \(info)")
      if info == 0 {
        let exact = try model.fit(to: data, truncation: t0)
        #expect(isClose(exact.total, row["abundance"] as? Double ?? .nan, relative: 1e-6), "\(label) N, defaults")
      }
    }
  }

  /// Rcapture judges an `η` at −∞ by the value `glm` stops at (tolerance 1e-8, at most 25
  /// iterations), and keeps it when that is positive: 70 runs of `closedp.0` (BBS2001 with `t` from
  /// 37 to 100 and `t₀` from 36 to 50, cbird with `t` from 7 to 30, ill from 7 to ∞) give the
  /// degrees of freedom exactly and N̂, SE, deviance, AIC and BIC to 1e-6
  /// (`Notebooks/reference/make_rcapture_chao_df.R`).
  @Test("Chao's lower bound: Rcapture's degrees of freedom when η at −∞ are kept or dropped")
  func chaoDegreesOfFreedom() throws {
    let url = try #require(
      Bundle.module.url(forResource: "Fixtures/rcapture-chao-df", withExtension: "csv")
        ?? Bundle.module.url(forResource: "rcapture-chao-df", withExtension: "csv"))
    let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
    #expect(lines.count == 70)
    for line in lines {
      let fields = line.split(separator: ",").map { $0.replacingOccurrences(of: "\"", with: "") }
      let (table, t, t0) = (fields[0], fields[1], Int(fields[2]) ?? 0)
      let occasions: CaptureFrequencies.Occasions = t == "Inf" ? .continuous : .finite(Int(t) ?? 0)
      let data = try Self.frequencies(table, occasions: occasions)
      let fit = try ClosedPopulationModel.mh(.chao).fit(
        to: data, truncation: t0 == 0 ? nil : t0, options: .glmCompatible)
      let label = "\(table) t = \(t) t0 = \(t0)"
      let expected = fields[3...].map { Double($0) ?? .nan }
      #expect(isClose(fit.total, expected[0], relative: 1e-6), "\(label) N")
      #expect(isClose(fit.standardError, expected[1], relative: 1e-6), "\(label) SE")
      #expect(isClose(fit.deviance, expected[2], relative: 1e-6, absolute: 1e-8), "\(label) deviance")
      #expect(Double(fit.degreesOfFreedom) == expected[3], "\(label) df")
      #expect(isClose(fit.aic, expected[4], relative: 1e-6), "\(label) AIC")
      #expect(isClose(fit.bic, expected[5], relative: 1e-6), "\(label) BIC")
    }
  }

  @Test("Reading nbcap,count: duplicates summed, bad rows located")
  func reading() throws {
    let data = try CaptureFrequencies(
      csv: Array("nbcap,count\n1,10\n2,4\n1,2\n".utf8), occasions: .finite(5), source: "f.csv")
    #expect(data.frequencies == [12, 4])
    #expect(data.observedTotal == 16)
    #expect(
      throws: DataError.captureNumberOutOfRange(
        6, occasions: "5", InputLocation(source: "f.csv", line: 3, column: 1, columnName: "nbcap"))
    ) {
      try CaptureFrequencies(csv: Array("nbcap,count\n1,10\n6,1\n".utf8), occasions: .finite(5), source: "f.csv")
    }
    #expect(throws: DataError.self) {
      try CaptureFrequencies(csv: Array("nbcap,count\n0,10\n".utf8), occasions: .continuous, source: "f.csv")
    }
  }

  @Test("Mt and Mb need histories")
  func needsHistories() throws {
    let data = try Self.frequencies("ill", occasions: .continuous)
    #expect(throws: EstimationError.needsHistories(model: "Mt")) { try ClosedPopulationModel.mt.fit(to: data) }
  }
}

@Suite("Single-source estimators")
struct SingleSourceTests {
  @Test("Chao and Zelterman by hand: n = 100, f₁ = 40, f₂ = 20")
  func handComputed() throws {
    let data = try CaptureFrequencies(
      counts: [(1, 40), (2, 20), (3, 25), (4, 15)], occasions: .continuous)
    let chao = try SingleSourceEstimate(estimator: .chao, data: data)
    // 100 + 1600/40 = 140; Var = 20(4 + 8 + 2) = 280.
    #expect(isClose(chao.total, 140, relative: 1e-14))
    #expect(isClose(chao.standardError, 280.0.squareRoot(), relative: 1e-14))
    let zelterman = try SingleSourceEstimate(estimator: .zelterman, data: data)
    // λ = 1, N = 100/(1 − e⁻¹) = 158.1976706869…
    #expect(isClose(zelterman.total, 100 / (1 - Foundation.exp(-1)), relative: 1e-14))
    let e = Foundation.exp(-1.0)
    let variance = 100 * e / ((1 - e) * (1 - e)) + pow(100 * e / ((1 - e) * (1 - e)), 2) * (1.0 / 40 + 1.0 / 20)
    #expect(isClose(zelterman.standardError, variance.squareRoot(), relative: 1e-12))
  }

  @Test("ill (van der Heijden et al. 2003): Chao equals Rcapture closedp.0(t = Inf) Mh Chao")
  func ill() throws {
    let data = try CaptureFrequenciesTests.frequencies("ill", occasions: .continuous)
    let chao = try SingleSourceEstimate(estimator: .chao, data: data)
    // rcapture-closedp-0.json, ill, Mh Chao (LB): 9273.51092896172, SE 662.589997239926 — and
    // n + f₁²/(2f₂) = 1880 + 1645²/366 by hand.
    #expect(isClose(chao.total, 9273.51092896172, relative: 1e-12))
    #expect(isClose(chao.total, 1880 + 1645.0 * 1645 / 366, relative: 1e-14))
    #expect(isClose(chao.standardError, 662.589997239926, relative: 1e-9))
    let fit = try ClosedPopulationModel.mh(.chao).fit(to: data, truncation: 6)
    #expect(isClose(fit.total, chao.total, relative: 1e-8))
    let zelterman = try SingleSourceEstimate(estimator: .zelterman, data: data)
    // 1880/(1 − e^{−366/1645}).
    #expect(isClose(zelterman.total, 1880 / (1 - Foundation.exp(-366.0 / 1645)), relative: 1e-14))
    #expect(zelterman.total > chao.total)
  }

  @Test("No units seen twice: a typed error")
  func needsTwice() throws {
    let data = try CaptureFrequencies(counts: [(1, 40), (3, 2)], occasions: .continuous)
    #expect(throws: EstimationError.needsRepeatedCaptures(once: 40, twice: 0)) {
      try SingleSourceEstimate(estimator: .chao, data: data)
    }
  }
}

@Suite("Profile likelihood for number-of-captures data (closedpCI.0)")
struct FrequencyProfileTests {
  @Test(
    "ill, t = ∞, t0 = 6: limits where ℓ has dropped by χ²₁(0.95)/2, around N̂",
    arguments: [
      ClosedPopulationModel.m0, .mh(.chao), .mh(.darroch),
    ])
  func drop(model: ClosedPopulationModel) throws {
    let data = try CaptureFrequenciesTests.frequencies("ill", occasions: .continuous)
    let fit = try model.fit(to: data, truncation: 6)
    let interval = try fit.interval(.profileLikelihood)
    let lower = try #require(interval.lower.value)
    let upper = try #require(interval.upper.value)
    #expect(lower < interval.estimate && interval.estimate < upper)
    // The multinomial and Poisson estimates agree closely on 1,880 units.
    #expect(abs(interval.estimate - fit.total) < 0.05 * fit.total)
    var profile = try ProfileLikelihood(fit: fit)
    let top = try profile.logLikelihood(at: interval.estimate)
    let drop = 1.959963984540054 * 1.959963984540054 / 2
    #expect(abs(try profile.logLikelihood(at: lower) - (top - drop)) < 1e-6)
    #expect(abs(try profile.logLikelihood(at: upper) - (top - drop)) < 1e-6)
  }

  @Test("Very many occasions: each model says to truncate, the f1/f2 estimators still answer")
  func manyOccasions() throws {
    let finite = try CaptureFrequencies(
      csv: Array("nbcap,count\n1,50\n2,10\n3,2\n".utf8), occasions: .finite(100_000), source: "f.csv")
    let continuous = try CaptureFrequencies(
      csv: Array("nbcap,count\n1,50\n2,10\n1000000,2\n".utf8), occasions: .continuous, source: "g.csv")
    for (data, t0) in [(finite, 100_000), (continuous, 1_000_000)] {
      #expect(throws: EstimationError.tooManyOccasions(t0, limit: 1_000)) {
        _ = try ClosedPopulationModel.m0.fit(to: data)
      }
      let table = try ClosedPopulationTable(frequencies: data)
      let models = table.rows.filter { $0.name.hasPrefix("M") }
      #expect(models.allSatisfy { $0.total == nil && $0.diagnostics.first?.contains("truncation") == true })
      #expect(table.rows.contains { $0.name.hasPrefix("Chao") && $0.total != nil })
      // With a truncation the models are fitted again.
      #expect(try ClosedPopulationModel.m0.fit(to: data, truncation: 3).total > 62)
    }
  }
}
