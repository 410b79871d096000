import DarkNumber
import Testing

/// Helpers for covariate tests.
enum CovariateTestData {
  static func scotland() throws -> CovariateCaptureData {
    try #require(Dataset.named("covariates/ScotPWID")).covariateData()
  }

  /// A population of two strata with known sizes and capture probabilities depending on the
  /// stratum (independent lists within a stratum), drawn with `seed`.
  static func twoStrata(sizes: [Int], probabilities: [[Double]], seed: UInt64) throws -> CovariateCaptureData {
    var generator = SplitMix64.stream(seed: seed, index: 0)
    var records: [CovariateCaptureData.Record] = []
    for (stratum, size) in sizes.enumerated() {
      for _ in 0..<size {
        let lists = probabilities[stratum].indices.filter { generator.uniform() < probabilities[stratum][$0] }
        if let history = CaptureHistory(lists: lists) {
          records.append(.init(history: history, levels: [stratum], count: 1))
        }
      }
    }
    return try CovariateCaptureData(
      listNames: ["A", "B", "C"], covariates: [Covariate(name: "group", levels: ["g0", "g1"])],
      records: records)
  }

  /// The same individuals with each covariate value deleted with probability `share` (MCAR).
  static func deleting(_ share: Double, from data: CovariateCaptureData, seed: UInt64) throws -> CovariateCaptureData {
    var generator = SplitMix64.stream(seed: seed, index: 0)
    var records: [CovariateCaptureData.Record] = []
    for record in data.records {
      for _ in 0..<record.count {
        let levels = record.levels.map { generator.uniform() < share ? nil : $0 }
        records.append(.init(history: record.history, levels: levels, count: 1))
      }
    }
    return try CovariateCaptureData(listNames: data.listNames, covariates: data.covariates, records: records)
  }
}

@Suite("Covariates: strata of known size")
struct CovariateStrataTests {
  @Test("The covariate model recovers each stratum's size within its interval; the pooled model is biased")
  func recoversStrata() throws {
    let sizes = [2000, 4000]
    let data = try CovariateTestData.twoStrata(
      sizes: sizes, probabilities: [[0.5, 0.45, 0.55], [0.08, 0.12, 0.1]], seed: 7)
    let fit = try CovariateModel(specification: "group:A, group:B, group:C", data: data).fit(to: data)
    for (level, estimate) in fit.breakdown(covariate: 0).enumerated() {
      let interval = try estimate.interval(.logNormal)
      #expect((interval.lower.value!...interval.upper.value!).contains(Double(sizes[level])), "\(estimate)")
    }
    let total = try fit.profileLikelihoodInterval()
    #expect((total.lower.value!...total.upper.value!).contains(6000))
    let pooled = try LogLinearModel.mainEffects(listCount: 3).fit(to: data.pooled)
    let pooledInterval = try pooled.profileLikelihoodInterval()
    #expect(pooled.total < 0.8 * 6000, "heterogeneity between strata biases the pooled estimate down")
    #expect(pooledInterval.upper.value! < 6000)
  }

  @Test("Separate fits per stratum equal the joint model with the covariate on every list")
  func stratifiedEqualsSaturatedCovariate() throws {
    let data = try CovariateTestData.twoStrata(
      sizes: [1500, 2500], probabilities: [[0.4, 0.3, 0.5], [0.2, 0.25, 0.15]], seed: 11)
    let fit = try CovariateModel(specification: "group:A, group:B, group:C", data: data).fit(to: data)
    let comparison = try StratifiedComparison(fit: fit, covariate: 0)
    for row in comparison.rows {
      let separate = try row.separate.get()
      #expect(isClose(separate.total, row.joint.total, relative: 1e-8))
      #expect(isClose(separate.standardError, row.joint.standardError, relative: 1e-6))
    }
    #expect(isClose(comparison.separateTotal!.total, fit.total, relative: 1e-8))
  }

  @Test("A stratum with nobody observed is a clear error")
  func emptyStratum() throws {
    let data = try CovariateTestData.scotland()
    let region = try #require(data.covariateIndex(named: "Region"))
    let only = try CovariateCaptureData(
      listNames: data.listNames,
      covariates: data.covariates,
      records: data.records.filter { $0.levels[region] == 0 })
    let fit = try CovariateModel(specification: "main", data: only).fit(to: only)
    #expect(throws: DataError.emptyStratum(covariate: "Region", level: "Rest")) {
      _ = try StratifiedComparison(fit: fit, covariate: region)
    }
  }
}

/// Active and passive covariates on examples where theory gives the answer: a covariate joined to
/// at most one list, or to lists the model already joins, is collapsible (Asmussen & Edwards
/// 1983), so N̂ is identical without it; one that joins two lists the model does not join changes
/// N̂.
@Suite("Covariates: active and passive")
struct CovariateCollapsibilityTests {
  @Test(
    "Passive covariates leave N̂ unchanged to 1e-8",
    arguments: [
      ("Region:S1", ["Region", "Gender", "Age"]),
      ("Region:S1:S2", ["Region", "Gender", "Age"]),
      ("Region:S1, Region:S2, S1:S2", ["Region", "Gender", "Age"]),
      ("Region:S3, Region:Gender, Gender:Age, Age:S3, S1:S2", ["Region", "Gender", "Age"]),
    ])
  func passive(specification: String, covariates: [String]) throws {
    let data = try CovariateTestData.scotland()
    let fit = try CovariateModel(specification: specification, data: data).fit(to: data)
    let verdicts = CovariateCollapsibility(fit: fit).verdicts
    #expect(verdicts.count == 3)
    for verdict in verdicts {
      #expect(!verdict.active, "\(specification): \(verdict.covariate)")
      #expect(abs(verdict.relativeChange ?? .nan) < 1e-8, "\(specification): \(verdict.covariate)")
    }
  }

  @Test("A covariate joining two lists the model does not join is active and changes N̂")
  func active() throws {
    let data = try CovariateTestData.scotland()
    let fit = try CovariateModel(specification: "Region:S1, Region:S2, Gender:S3", data: data).fit(to: data)
    let verdicts = CovariateCollapsibility(fit: fit).verdicts
    let region = try #require(verdicts.first { $0.covariate == "Region" })
    #expect(region.active)
    #expect(region.linkedLists == ["S1", "S2"])
    #expect(abs(region.relativeChange ?? 0) > 1e-4)
    let gender = try #require(verdicts.first { $0.covariate == "Gender" })
    #expect(!gender.active)
    #expect(abs(gender.relativeChange ?? .nan) < 1e-8)
  }

  @Test("A group that moves two lists' capture probabilities together is active: leaving it out biases N̂")
  func activeInSimulation() throws {
    let data = try CovariateTestData.twoStrata(
      sizes: [2000, 4000], probabilities: [[0.6, 0.6, 0.3], [0.1, 0.1, 0.3]], seed: 5)
    let fit = try CovariateModel(specification: "group:A, group:B", data: data).fit(to: data)
    let verdict = try #require(CovariateCollapsibility(fit: fit).verdicts.first)
    #expect(verdict.active)
    #expect(abs(fit.total - 6000) < 2 * fit.standardError)
    #expect(abs(verdict.relativeChange ?? 0) > 0.02)
  }

  @Test("Covariates that link two lists through each other are both active")
  func chain() throws {
    let data = try CovariateTestData.scotland()
    let fit = try CovariateModel(specification: "Region:S1, Region:Age, Age:S2", data: data).fit(to: data)
    let verdicts = CovariateCollapsibility(fit: fit).verdicts
    #expect(verdicts.first { $0.covariate == "Region" }?.active == true)
    #expect(verdicts.first { $0.covariate == "Age" }?.active == true)
    #expect(verdicts.first { $0.covariate == "Gender" }?.active == false)
  }
}

@Suite("Covariates: EM for missing values")
struct CovariateEMTests {
  @Test("With no value missing EM is the direct fit")
  func complete() throws {
    let data = try CovariateTestData.scotland()
    let model = try CovariateModel(specification: "S1:S2, Region:S1, Age:S2", data: data)
    let direct = try model.fit(to: data)
    let em = try model.fitByEM(to: data)
    #expect(isClose(em.total, direct.total, relative: 1e-10))
    #expect(em.iterations <= 2)
  }

  @Test("20% of covariate values deleted at random: EM reproduces the complete-data estimates within error")
  func missingAtRandom() throws {
    let data = try CovariateTestData.scotland()
    let model = try CovariateModel(specification: "S1:S2, S3:S4, Region:S1, Age:S2, Gender:Age", data: data)
    let complete = try model.fit(to: data)
    let damaged = try CovariateTestData.deleting(0.2, from: data, seed: 2022)
    #expect(damaged.hasMissingValues)
    #expect(throws: EstimationError.self) { _ = try model.fit(to: damaged) }
    let em = try model.fitByEM(to: damaged)
    #expect(em.incompleteIndividuals > data.observedTotal / 3)
    #expect(abs(em.total - complete.total) < 0.5 * complete.standardError)
    for j in data.covariates.indices {
      for (a, b) in zip(em.fit.breakdown(covariate: j), complete.breakdown(covariate: j)) {
        #expect(abs(a.total - b.total) < 2 * b.standardError, "\(b.covariate!) \(b.level!)")
      }
    }
    #expect(throws: EstimationError.self) { _ = try em.fit.profileLikelihoodInterval() }
  }
}

@Suite("Covariates: bootstrap")
struct CovariateBootstrapTests {
  @Test("Same seed, same replicates at any concurrency; percentile intervals cover N̂ per level")
  func deterministic() async throws {
    let data = try CovariateTestData.scotland()
    let fit = try CovariateModel(specification: "S1:S2, Region:S1", data: data).fit(to: data)
    var options = CovariateBootstrap.Options()
    options.replicates = 60
    options.seed = 99
    options.concurrency = 1
    let one = try await CovariateBootstrap.run(fit: fit, options: options)
    options.concurrency = 4
    let four = try await CovariateBootstrap.run(fit: fit, options: options)
    #expect(one.replicates.map { $0 ?? [] } == four.replicates.map { $0 ?? [] })
    #expect(one.successfulReplicates == 60)
    #expect(one.targets.count == 7)
    let total = try one.interval(.bootstrapPercentile, target: 0, estimate: fit.total)
    #expect(try #require(total.lower.value) < fit.total && fit.total < (try #require(total.upper.value)))
    #expect(throws: EstimationError.self) { try one.interval(.bootstrapBCa, target: 0, estimate: fit.total) }
    for (j, covariate) in data.covariates.enumerated() {
      for estimate in fit.breakdown(covariate: j) {
        let index = try #require(one.targetIndex(covariate: covariate.name, level: estimate.level))
        let interval = try one.interval(.bootstrapPercentile, target: index, estimate: estimate.total)
        #expect(
          try #require(interval.lower.value) < estimate.total && estimate.total < (try #require(interval.upper.value)))
        // The bootstrap SE is of the size of the delta-method SE.
        let values: [Double] = one.replicates.compactMap { $0?[index] }
        let mean: Double = values.reduce(0, +) / Double(values.count)
        let squares: Double = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
        let sd: Double = (squares / Double(values.count - 1)).squareRoot()
        let ratio: Double = sd / estimate.standardError
        #expect(ratio > 0.6 && ratio < 1.6, "\(estimate)")
      }
    }
  }
}

@Suite("Covariates: selection and rates")
struct CovariateSelectionTests {
  @Test("Stepwise AIC finds the covariate × list terms of a simulated population and never worsens AIC")
  func findsGeneratingTerms() throws {
    let data = try CovariateTestData.twoStrata(
      sizes: [3000, 5000], probabilities: [[0.5, 0.45, 0.2], [0.1, 0.12, 0.2]], seed: 3)
    let start = try CovariateModel(specification: "main", data: data)
    let selection = try CovariateSelection(data: data, start: start, criterion: .aic)
    let model = selection.fit.model.description
    #expect(model.contains("A:group") && model.contains("B:group"), "\(model)")
    #expect(!model.contains("C:group"), "\(model)")
    let criteria = selection.steps.map(\.criterion)
    #expect(criteria == criteria.sorted(by: >))
    let startAIC = try start.fit(to: data).aic
    #expect(criteria.last! < startAIC)
    #expect(abs(selection.fit.total - 8000) < 2 * selection.fit.standardError)
  }

  @Test("Rates per 100,000 from a population file; bad files name line and column")
  func rates() throws {
    let data = try CovariateTestData.scotland()
    let gender = data.covariates[data.covariateIndex(named: "Gender")!]
    let csv = "Gender,population\nMale,2000000\nFemale,2100000\n"
    let denominators = try PopulationDenominators(csv: Array(csv.utf8), covariate: gender, source: "pop.csv")
    #expect(denominators.sizes == [2_100_000, 2_000_000])
    #expect(isClose(denominators.ratePer100000(500, level: 1), 25, relative: 1e-12))
    #expect(
      throws: DataError.unknownLevel(
        "Other", covariate: "Gender", InputLocation(source: "p", line: 3, column: 1, columnName: "Gender"))
    ) {
      _ = try PopulationDenominators(
        csv: Array("Gender,population\nMale,1\nOther,2\n".utf8), covariate: gender, source: "p")
    }
    #expect(throws: DataError.missingDenominator(covariate: "Gender", level: "Female", source: "p")) {
      _ = try PopulationDenominators(csv: Array("Gender,population\nMale,1\n".utf8), covariate: gender, source: "p")
    }
    #expect(
      throws: DataError.invalidPopulation(
        "-4", InputLocation(source: "p", line: 2, column: 2, columnName: "population"))
    ) {
      _ = try PopulationDenominators(
        csv: Array("Gender,population\nMale,-4\nFemale,3\n".utf8), covariate: gender, source: "p")
    }
    #expect(throws: DataError.self) {
      _ = try PopulationDenominators(
        csv: Array("Gender,population\nMale,1\nMale,3\n".utf8), covariate: gender, source: "p")
    }
  }
}

@Suite("Covariates: reading and validating")
struct CovariateDataTests {
  @Test("Missing markers, per-person rows, summing duplicates")
  func reads() throws {
    let csv = "id,A,B,age,sex\n1,1,0,young,F\n2,1,1,,M\n3,0,1,NA,F\n4,1,0,young,F\n"
    let data = try CovariateCaptureData(csv: Array(csv.utf8), covariates: ["age", "sex"], format: .perPerson)
    #expect(data.listNames == ["A", "B"])
    #expect(data.covariates.map(\.levels) == [["young"], ["F", "M"]])
    #expect(data.observedTotal == 4)
    #expect(data.missingCount(covariate: 0) == 2)
    #expect(data.records.count == 3)
    #expect(data.hasMissingValues)
  }

  @Test(
    "Bad input gets a typed error naming what is wrong",
    arguments: [
      (
        "A,B,age,count\n1,0,x,3\n0,2,y,1\n",
        DataError.notBinary("2", InputLocation(source: "t.csv", line: 3, column: 2, columnName: "B"))
      ),
      ("A,B,count\n1,0,3\n", DataError.missingColumn("age", source: "t.csv")),
      ("A,B,age,count\n1,0,,3\n0,1,NA,1\n", DataError.covariateAllMissing("age")),
      (
        "A,B,age,count\n1,0,x,-3\n",
        DataError.invalidCount(
          "-3", InputLocation(source: "t.csv", line: 2, column: 4, columnName: "count"), reason: .negative)
      ),
    ])
  func errors(csv: String, expected: DataError) {
    #expect(throws: expected) {
      _ = try CovariateCaptureData(csv: Array(csv.utf8), covariates: ["age"], source: "t.csv")
    }
  }

  @Test("Too many levels is an error, not a huge table")
  func tooManyLevels() {
    var csv = "A,B,age,count\n"
    for i in 0..<1_000 { csv += "1,0,\(i),1\n" }
    // The message counts every distinct value (it said 101 for 1,000).
    #expect(
      throws: DataError.tooManyLevels(covariate: "age", levels: 1_000, limit: Covariate.maximumLevelCount)
    ) {
      _ = try CovariateCaptureData(csv: Array(csv.utf8), covariates: ["age"], source: "t.csv")
    }
  }

  @Test("Model specifications: unknown names, trends on text levels, impossible degrees")
  func specifications() throws {
    let data = try CovariateTestData.scotland()
    #expect(throws: ModelSpecificationError.unknownName("Sex", term: "Sex:S1")) {
      _ = try CovariateModel(specification: "Sex:S1", data: data)
    }
    #expect(throws: ModelSpecificationError.trendNotNumeric(covariate: "Age", level: "Old")) {
      _ = try CovariateModel(specification: "main", data: data, trends: ["Age": 1])
    }
    #expect(throws: ModelSpecificationError.invalidTrendDegree(covariate: "Age", degree: 2, levels: 2)) {
      _ = try CovariateModel(specification: "main", data: data, trends: ["Age": 2])
    }
    #expect(throws: ModelSpecificationError.unknownCovariate("year")) {
      _ = try CovariateModel(specification: "main", data: data, trends: ["year": 1])
    }
    let model = try CovariateModel(specification: "S1:Region, Gender:Age, S1:S2", data: data)
    #expect(model.description == "S1:S2, S1:Region, Gender:Age, S3, S4")
    let missing = try CovariateTestData.deleting(0.1, from: data, seed: 1)
    #expect(throws: EstimationError.self) { _ = try model.fit(to: missing) }
  }
}

@Suite("Covariates: the synthetic Dutch-shaped table")
struct SyntheticTraffickingTests {
  /// The truth printed by `Notebooks/reference/make_synthetic_trafficking.py`.
  static let truth: [String: [String: Double]] = [
    "exploitation": ["labour": 9444, "other": 5722, "sexual": 22334],
    "gender": ["F": 25815, "M": 11685],
    "year": ["2010": 5800, "2011": 5980, "2012": 6160, "2013": 6340, "2014": 6520, "2015": 6700],
  ]

  @Test(
    "The generating model recovers the total and every level within its 95% interval; the main-effects model does not")
  func recoversTruth() throws {
    let data = try #require(Dataset.named("covariates/synthetic-trafficking")).covariateData()
    #expect(data.observedTotal == 8862)
    let model = try CovariateModel(
      specification: "PO:exploitation, IN:exploitation, KM:gender, OT:gender, gender:exploitation, PO:year",
      data: data, trends: ["year": 1])
    let fit = try model.fit(to: data)
    let interval = try fit.profileLikelihoodInterval()
    #expect((interval.lower.value!...interval.upper.value!).contains(37_500))
    for (j, covariate) in data.covariates.enumerated() {
      for estimate in fit.breakdown(covariate: j) {
        let true_ = try #require(Self.truth[covariate.name]?[estimate.level!])
        let limits = try estimate.interval(.logNormal)
        #expect((limits.lower.value!...limits.upper.value!).contains(true_), "\(covariate.name)=\(estimate.level!)")
      }
    }
    let main = try CovariateModel(specification: "main", data: data).fit(to: data)
    let mainInterval = try main.profileLikelihoodInterval()
    #expect(mainInterval.lower.value! > 37_500, "ignoring the covariates' links to the lists biases N̂ up here")
    let verdicts = CovariateCollapsibility(fit: fit).verdicts
    #expect(verdicts.map(\.active) == [false, true, true])
  }

  @Test("Stepwise BIC over all two-factor terms selects exactly the generating model")
  func selectionFindsGeneratingModel() throws {
    let data = try #require(Dataset.named("covariates/synthetic-trafficking")).covariateData()
    let start = try CovariateModel(specification: "main", data: data, trends: ["year": 1])
    let selection = try CovariateSelection(data: data, start: start, criterion: .bic)
    let generating = try CovariateModel(
      specification: "PO:exploitation, IN:exploitation, KM:gender, OT:gender, gender:exploitation, PO:year",
      data: data, trends: ["year": 1])
    #expect(Set(selection.fit.model.terms) == Set(generating.terms), "\(selection.fit.model)")
  }
}
