import DarkNumber
import Foundation
import Testing

/// Reproduces Rcapture 1.4-4 (`closedp.t`, `closedpCI.t`) on the published tables.
///
/// Tolerances (from the reference README and the issue): abundance, deviance, df, AIC, BIC and
/// coefficients 1e-6 relative; standard errors 5e-5 (R's `glm` stops at a 1e-8 relative deviance
/// change and takes its covariance from the previous iteration's weights); profile limits and the
/// multinomial abundance 1e-4 (R's `uniroot`/`optimize` tolerance 1e-4). Deviances near 0 use an
/// absolute 1e-8.
@Suite("Rcapture reference values")
struct RcaptureReferenceTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let dataset: String
    let label: String
    let specification: String
    var testDescription: String { "\(dataset): \(label)" }
  }

  /// Every model of `rcapture-closedpCI-t.json` this package covers (heterogeneity models are
  /// Rcapture's Mh/Mth family, not hierarchical log-linear models, and are skipped).
  static let cases: [Case] = {
    guard let document = try? ReferenceFixtures.load("rcapture-closedpCI-t"),
      let results = document["results"] as? [String: [String: Any]]
    else { return [] }
    var cases: [Case] = []
    for (dataset, result) in results.sorted(by: { $0.key < $1.key }) {
      for model in result["models"] as? [[String: Any]] ?? [] {
        let label = model["model"] as? String ?? ""
        var specification: String?
        if label == "Mt" {
          specification = "Mt"
        } else if label.hasPrefix("Mt + all two-way") {
          specification = "all:2"
        } else if let bracket = label.firstIndex(of: "["), label.hasPrefix("closedpMS best") {
          specification = String(label[bracket...])
        } else if label.hasSuffix("mX = ~ . + c1:c2") {
          specification = "[12]"
        }
        if let specification {
          cases.append(Case(dataset: dataset, label: label, specification: specification))
        }
      }
    }
    return cases
  }()

  static func reference(_ testCase: Case) throws -> [String: Any] {
    let document = try ReferenceFixtures.load("rcapture-closedpCI-t")
    let results = document["results"] as? [String: [String: Any]] ?? [:]
    let models = results[testCase.dataset]?["models"] as? [[String: Any]] ?? []
    guard let model = models.first(where: { $0["model"] as? String == testCase.label }) else {
      throw ReferenceFixtures.FixtureError.missing(testCase.label)
    }
    return model
  }

  @Test("The reference covers the models the foundation needs")
  func coverage() {
    // 13 data sets × (Mt, two-way) minus bunting's two-way, + 9 closedpMS best + the HIV example.
    #expect(Self.cases.count == 35)
  }

  @Test("Poisson fit: abundance, SE, deviance, df, AIC, BIC, coefficients", arguments: cases)
  func poissonFit(_ testCase: Case) throws {
    let reference = try Self.reference(testCase)
    let data = try ReferenceFixtures.data(testCase.dataset)
    let model = try LogLinearModel(specification: testCase.specification, listNames: data.listNames)
    let expectedAbundance = reference["poisson_abundance"] as? Double ?? .nan
    if testCase.dataset == "Artificial_3" && testCase.specification == "all:2" {
      // R reports N̂ ≈ 5.3e13 with "the asymptotic bias is large": the MLE does not exist.
      #expect(throws: EstimationError.self) { try model.fit(to: data) }
      return
    }
    let fit = try model.fit(to: data)
    let coefficients = reference["coefficients"] as? [String: Double] ?? [:]
    let atBoundary = coefficients.values.contains { $0 <= -10 }
    #expect(isClose(fit.total, expectedAbundance, relative: 1e-6))
    #expect(isClose(fit.deviance, reference["deviance"] as? Double ?? .nan, relative: 1e-6, absolute: 1e-8))
    #expect(fit.degreesOfFreedom == reference["df"] as? Int)
    if atBoundary {
      // R ran a parameter to the boundary (really −∞): N̂ and deviance only, and we must say so.
      #expect(fit.warnings.contains { if case .infiniteParameters = $0 { true } else { false } })
      return
    }
    #expect(isClose(fit.aic, reference["AIC"] as? Double ?? .nan, relative: 1e-6))
    #expect(isClose(fit.bic, reference["BIC"] as? Double ?? .nan, relative: 1e-6))
    #expect(isClose(fit.standardError, reference["stderr"] as? Double ?? .nan, relative: 5e-5))
    // With R glm's own stopping rule and covariance weights the SE agrees to 1e-6.
    let rFit = try model.fit(to: data, options: .glmCompatible)
    #expect(isClose(rFit.standardError, reference["stderr"] as? Double ?? .nan, relative: 1e-6))
    #expect(coefficients.count == fit.coefficients.count)
    for (rcaptureName, value) in coefficients {
      let name = try #require(ReferenceFixtures.rName(rcaptureName, listNames: data.listNames))
      let ours = try #require(fit.coefficients.first { $0.name == name }?.estimate)
      #expect(isClose(ours, value, relative: 1e-6, absolute: 1e-9), "\(name)")
    }
  }

  @Test("Multinomial profile-likelihood abundance and 95% limits", arguments: cases)
  func profileLikelihood(_ testCase: Case) throws {
    if testCase.dataset == "Artificial_3" && testCase.specification == "all:2" { return }
    let reference = try Self.reference(testCase)
    let data = try ReferenceFixtures.data(testCase.dataset)
    let model = try LogLinearModel(specification: testCase.specification, listNames: data.listNames)
    let interval = try model.fit(to: data).interval(.profileLikelihood, level: 0.95)
    #expect(isClose(interval.estimate, reference["multinomial_abundance"] as? Double ?? .nan, relative: 1e-4))
    #expect(isClose(interval.lower.value ?? .nan, reference["infCL"] as? Double ?? .nan, relative: 1e-4))
    #expect(isClose(interval.upper.value ?? .nan, reference["supCL"] as? Double ?? .nan, relative: 1e-4))
  }

  @Test("closedp.t: the Mt row of every data set")
  func closedpMt() throws {
    let document = try ReferenceFixtures.load("rcapture-closedp-t")
    let results = try #require(document["results"] as? [String: [String: Any]])
    #expect(results.count == 13)
    for (dataset, result) in results {
      let rows = result["results"] as? [[String: Any]] ?? []
      let row = try #require(rows.first { $0["model"] as? String == "Mt" })
      let data = try ReferenceFixtures.data(dataset)
      let fit = try LogLinearModel.mainEffects(listCount: data.listCount).fit(to: data)
      #expect(isClose(fit.total, row["abundance"] as? Double ?? .nan, relative: 1e-6), "\(dataset)")
      #expect(isClose(fit.standardError, row["stderr"] as? Double ?? .nan, relative: 5e-5), "\(dataset)")
      #expect(isClose(fit.deviance, row["deviance"] as? Double ?? .nan, relative: 1e-6), "\(dataset)")
      #expect(fit.degreesOfFreedom == row["df"] as? Int, "\(dataset)")
      #expect(isClose(fit.aic, row["AIC"] as? Double ?? .nan, relative: 1e-6), "\(dataset)")
      #expect(isClose(fit.bic, row["BIC"] as? Double ?? .nan, relative: 1e-6), "\(dataset)")
    }
  }
}
