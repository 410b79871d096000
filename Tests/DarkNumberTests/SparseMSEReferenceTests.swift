import DarkNumber
import Foundation
import Testing

/// Reproduces SparseMSE 2.0.1 `modelfit` (R `glm` Poisson fits) on its data sets.
///
/// Coefficients, deviance and the estimate to 1e-6 relative. Standard errors: to 5e-5 with our
/// defaults (covariance at the exact estimate), and to 1e-6 with ``FitOptions/glmCompatible``, which
/// takes the covariance from the last IRLS step as R does — for `IO:K` in `Ned_5`, resting on one
/// individual, the two differ by 9e-4.
@Suite("SparseMSE reference values")
struct SparseMSEReferenceTests {
  static let fits: [(String, String, String)] = {
    var result: [(String, String, String)] = []
    for dataset in ["UKdat_5", "Ned_5", "kosovo_aggregate", "UKdat", "Ned", "Artificial_3", "HIV", "dga_MY5"] {
      result.append((dataset, "modelfit_main", "Mt"))
      result.append((dataset, "modelfit_1_2", "[12]"))
      result.append((dataset, "modelfit_1_2_and_1_3", "[12,13]"))
    }
    return result
  }()

  @Test("modelfit: coefficients, standard errors, deviance, total", arguments: fits)
  func modelfit(dataset: String, key: String, specification: String) throws {
    let document = try ReferenceFixtures.load("sparsemse-fast")
    let results = try #require(document["results"] as? [String: [String: Any]])
    let reference = try #require(results[dataset]?[key] as? [String: Any])
    let data = try ReferenceFixtures.data(dataset)
    let model = try LogLinearModel(specification: specification, listNames: data.listNames)
    if reference["error_code"] != nil {
      // SparseMSE's linear-programming check found that the MLE does not exist.
      #expect(throws: EstimationError.self) { try model.fit(to: data) }
      return
    }
    let fit = try model.fit(to: data)
    if let empty = reference["emptyoverlaps"] as? String, !empty.isEmpty {
      // SparseMSE drops the cells of a non-overlapping pair (Chan, Silverman & Vincent 2021); the
      // full-table fit reaches the same limit with that interaction at −∞, and must say so.
      let boundary = fit.coefficients.filter(\.atBoundary).map(\.name)
      #expect(boundary == [empty])
      #expect(isClose(fit.total, reference["total"] as? Double ?? .nan, relative: 1e-6))
      #expect(isClose(fit.deviance, reference["deviance"] as? Double ?? .nan, relative: 1e-6))
      return
    }
    let rFit = try model.fit(to: data, options: .glmCompatible)
    let coefficients = try #require(reference["coefficients"] as? [String: Double])
    let standardErrors = try #require(reference["std_errors"] as? [String: Double])
    #expect(coefficients.count == fit.coefficients.count)
    for coefficient in fit.coefficients {
      let expected = try #require(coefficients[coefficient.name], "\(coefficient.name)")
      #expect(isClose(coefficient.estimate ?? .nan, expected, relative: 1e-6, absolute: 1e-9), "\(coefficient.name)")
      let expectedError = try #require(standardErrors[coefficient.name])
      #expect(
        isClose(coefficient.standardError ?? .nan, expectedError, relative: 5e-5) || coefficient.name == "IO:K",
        "\(coefficient.name)")
      let rError = rFit.coefficients.first { $0.name == coefficient.name }?.standardError ?? .nan
      #expect(isClose(rError, expectedError, relative: 1e-6), "\(coefficient.name)")
    }
    #expect(isClose(fit.deviance, reference["deviance"] as? Double ?? .nan, relative: 1e-6, absolute: 1e-8))
    #expect(fit.degreesOfFreedom == reference["df_residual"] as? Int)
    #expect(isClose(fit.total, reference["total"] as? Double ?? .nan, relative: 1e-6))
    #expect(isClose(fit.unobserved, reference["dark_figure"] as? Double ?? .nan, relative: 1e-6))
    #expect(isClose(fit.interceptVariance.squareRoot(), reference["log_dark_se"] as? Double ?? .nan, relative: 5e-5))
  }
}

/// The 10-list synthetic table (N = 200,000; 101,985 observed) against R `glm` and `closedp.t`.
@Suite("Synthetic 10-list table")
struct SyntheticTenListTests {
  @Test("glm main effects and all two-way terms reproduce R")
  func glmFits() throws {
    let document = try ReferenceFixtures.load("synthetic10")
    let results = try #require(document["results"] as? [String: Any])
    let glm = try #require(results["glm"] as? [String: Any])
    let data = try ReferenceFixtures.data("synthetic10")
    #expect(data.observedTotal == glm["n"] as? Int)
    let main = try #require(glm["main"] as? [String: Any])
    let mainFit = try LogLinearModel.mainEffects(listCount: 10).fit(to: data)
    #expect(isClose(mainFit.total, main["total"] as? Double ?? .nan, relative: 1e-6))
    #expect(isClose(mainFit.deviance, main["deviance"] as? Double ?? .nan, relative: 1e-6))
    #expect(mainFit.degreesOfFreedom == main["df"] as? Int)
    let twoWay = try #require(glm["two_way"] as? [String: Any])
    let twoWayFit = try LogLinearModel.allInteractions(listCount: 10, upToOrder: 2).fit(to: data)
    #expect(isClose(twoWayFit.total, twoWay["total"] as? Double ?? .nan, relative: 1e-6))
    #expect(isClose(twoWayFit.deviance, twoWay["deviance"] as? Double ?? .nan, relative: 1e-6))
    #expect(twoWayFit.degreesOfFreedom == twoWay["df"] as? Int)
    #expect(isClose(twoWayFit.interceptVariance.squareRoot(), twoWay["se_log_dark"] as? Double ?? .nan, relative: 5e-5))
  }

  @Test("closedp.t Mt row reproduces Rcapture")
  func closedpMt() throws {
    let document = try ReferenceFixtures.load("synthetic10")
    let results = try #require(document["results"] as? [String: Any])
    let closedp = try #require(results["closedp"] as? [String: Any])
    let rows = try #require(closedp["results"] as? [[String: Any]])
    let row = try #require(rows.first { $0["model"] as? String == "Mt" })
    let data = try ReferenceFixtures.data("synthetic10")
    let fit = try LogLinearModel.mainEffects(listCount: 10).fit(to: data)
    #expect(isClose(fit.total, row["abundance"] as? Double ?? .nan, relative: 1e-6))
    #expect(isClose(fit.standardError, row["stderr"] as? Double ?? .nan, relative: 5e-5))
    #expect(isClose(fit.aic, row["AIC"] as? Double ?? .nan, relative: 1e-6))
    #expect(isClose(fit.bic, row["BIC"] as? Double ?? .nan, relative: 1e-6))
  }
}
