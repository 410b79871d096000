import DarkNumber
import Foundation
import Testing

/// Lists that did not operate everywhere: reading the coverage table, records on lists that did
/// not operate, strata with fewer than two lists, and the invariances a structural-zero fit must
/// keep. The numbers themselves are checked against statsmodels in ``CoverageOracleTests``.
@Suite("Coverage: lists that did not operate everywhere")
struct ListCoverageTests {
  /// The bundled synthetic Dutch-shaped table (lists PO, KM, IN, OT; year, gender, exploitation).
  static func trafficking(covariates: [String] = ["year", "gender", "exploitation"]) throws -> CovariateCaptureData {
    let all = try #require(Dataset.named("covariates/synthetic-trafficking")).covariateData()
    return try #require(all.keepingCovariates(covariates.map { all.covariateIndex(named: $0)! }))
  }

  static func csv(_ text: String) -> [UInt8] { Array(text.utf8) }

  @Test("The CSV reader: covariate columns by name, * for any level, 0/1 per list")
  func reads() throws {
    let coverage = try ListCoverage(
      csv: Self.csv("year,exploitation,PO,KM,IN,OT\n2010,*,1,0,1,1\n*,sexual,1,1,0,1\n"),
      covariates: ["year", "gender", "exploitation"], source: "c.csv")
    #expect(coverage.covariateNames == ["year", "exploitation"])
    #expect(coverage.listNames == ["PO", "KM", "IN", "OT"])
    #expect(coverage.rows.map(\.levels) == [["2010", nil], [nil, "sexual"]])
    #expect(coverage.rows.map(\.operated) == [[true, false, true, true], [true, true, false, true]])
    #expect(coverage.rows[1].location == InputLocation(source: "c.csv", line: 3))
  }

  @Test("Bad coverage tables: one sentence with the file, line and column")
  func badTables() throws {
    let names = ["year", "gender", "exploitation"]
    #expect(throws: DataError.notBinary("2", InputLocation(source: "c.csv", line: 3, column: 3, columnName: "KM"))) {
      try ListCoverage(
        csv: Self.csv("year,PO,KM,IN,OT\n2010,1,0,1,1\n2011,1,2,1,1\n"), covariates: names, source: "c.csv")
    }
    #expect(throws: DataError.duplicateCoverageRow(InputLocation(source: "c.csv", line: 3))) {
      try ListCoverage(
        csv: Self.csv("year,PO,KM,IN,OT\n2010,1,0,1,1\n2010,1,1,1,1\n"), covariates: names, source: "c.csv")
    }
    #expect(throws: DataError.noCovariates(source: "c.csv")) {
      try ListCoverage(csv: Self.csv("PO,KM,IN,OT\n1,0,1,1\n"), covariates: names, source: "c.csv")
    }
    #expect(throws: DataError.raggedRow(InputLocation(source: "c.csv", line: 2), expected: 5, found: 4)) {
      try ListCoverage(csv: Self.csv("year,PO,KM,IN,OT\n2010,1,0,1\n"), covariates: names, source: "c.csv")
    }
    let data = try Self.trafficking()
    let unknownLevel = try ListCoverage(
      csv: Self.csv("year,PO,KM,IN,OT\n2009,1,0,1,1\n"), covariates: names, source: "c.csv")
    #expect(throws: DataError.coverageUnknownLevel("2009", covariate: "year", InputLocation(source: "c.csv", line: 2)))
    {
      try data.withCoverage(unknownLevel)
    }
    let missingList = try ListCoverage(csv: Self.csv("year,PO,KM,IN\n2010,1,0,1\n"), covariates: names, source: "c.csv")
    #expect(throws: DataError.coverageMissingList("OT", source: "c.csv")) { try data.withCoverage(missingList) }
    let unknownColumn = try ListCoverage(
      csv: Self.csv("year,PO,KM,IN,OT,XX\n2010,1,0,1,1,1\n"), covariates: names, source: "c.csv")
    #expect(throws: DataError.coverageColumn("XX", lists: data.listNames, covariates: names, source: "c.csv")) {
      try data.withCoverage(unknownColumn)
    }
  }

  @Test("A record on a list that did not operate for it is a data error naming its line and the list's column")
  func recordOnClosedList() throws {
    let coverage = try ListCoverage(
      csv: Self.csv("year,A,B,C\n2011,1,0,1\n"), covariates: ["year"], source: "c.csv")
    let data = "A,B,C,year,count\n1,0,0,2010,5\n0,1,0,2010,4\n1,1,0,2010,3\n1,0,1,2011,2\n0,1,1,2011,1\n"
    #expect(
      throws: DataError.recordOnClosedList(
        list: "B", stratum: "year=2011", InputLocation(source: "d.csv", line: 6, column: 2, columnName: "B"))
    ) {
      try CovariateCaptureData(csv: Self.csv(data), covariates: ["year"], source: "d.csv", coverage: coverage)
    }
    // From values: the same check, without a location.
    let valid = try CovariateCaptureData(csv: Self.csv(data), covariates: ["year"], source: "d.csv")
    #expect(throws: DataError.recordOnClosedList(list: "B", stratum: "year=2011", nil)) {
      try valid.withCoverage(coverage)
    }
    // A record whose year is missing may be from 2010, when B operated: not an error.
    let missing = "A,B,C,year,count\n1,0,0,2010,5\n0,1,0,2010,4\n1,1,0,,3\n1,0,1,2011,2\n"
    let withMissing = try CovariateCaptureData(csv: Self.csv(missing), covariates: ["year"], coverage: coverage)
    #expect(withMissing.hasMissingValues)
  }

  @Test("A coverage in which every list operated everywhere changes no number")
  func trivialCoverage() throws {
    let data = try Self.trafficking()
    let coverage = try ListCoverage(
      csv: Self.csv("year,PO,KM,IN,OT\n2010,1,1,1,1\n"), covariates: ["year"], source: nil)
    let model = "PO:KM, IN:exploitation, KM:gender"
    let plain = try CovariateModel(specification: model, data: data).fit(to: data)
    let covered = try data.withCoverage(coverage)
    let fit = try CovariateModel(specification: model, data: covered).fit(to: covered)
    #expect(fit.structuralZeroCount == 0)
    #expect(fit.droppedCoefficients.isEmpty)
    #expect(fit.total == plain.total)
    #expect(fit.standardError == plain.standardError)
    #expect(fit.deviance == plain.deviance)
  }

  /// Late start of KM (no KM records in 2010–2011), as the oracle's `late-start` pattern.
  static func lateStart() throws -> CovariateCaptureData {
    let data = try trafficking()
    let year = data.covariateIndex(named: "year")!
    let closedYears: Set<String> = ["2010", "2011"]
    let records = data.records.filter { record in
      !(record.history.contains(list: 1) && closedYears.contains(data.covariates[year].levels[record.levels[year]!]))
    }
    let coverage = try ListCoverage(
      csv: csv("year,PO,KM,IN,OT\n2010,1,0,1,1\n2011,1,0,1,1\n"), covariates: ["year"], source: nil)
    return try CovariateCaptureData(
      listNames: data.listNames, covariates: data.covariates, records: records, coverage: coverage)
  }

  @Test("Structural zeros: cells on a closed list are left out, the inestimable KM × year terms named and dropped")
  func structuralZeros() throws {
    let data = try Self.lateStart()
    let fit = try CovariateModel(specification: "PO:KM, KM:year", data: data).fit(to: data)
    // 2 years × 2 genders × 3 forms = 12 combinations, each with the 8 histories that include KM.
    #expect(fit.structuralZeroCount == 12 * 8)
    #expect(fit.fittedCellCount == 36 * 15 - 96)
    #expect(fit.droppedCoefficients == ["KM:year2011", "KM:year2015"])
    #expect(fit.warnings.contains(.notEstimableUnderCoverage(["KM:year2011", "KM:year2015"])))
    #expect(!fit.coefficients.contains { $0.name == "KM:year2011" })
    // Every structural-zero cell is fitted as 0; every other cell positively.
    for (c, cell) in fit.cells.enumerated() {
      #expect(cell.hasEstimate)
      for h in 1...15 {
        let value = fit.fittedValues[c * 15 + h - 1]
        let closed = !cell.operatingLists[1] && h & 2 != 0
        #expect(closed ? value == 0 : value > 0)
      }
    }
    #expect(fit.degreesOfFreedom == fit.fittedCellCount - fit.rank)
  }

  @Test("Naive versus coverage-aware: treating non-operation as non-capture lowers the 2010–2011 estimates")
  func naiveIsBiased() throws {
    let data = try Self.lateStart()
    let naive = try CovariateCaptureData(listNames: data.listNames, covariates: data.covariates, records: data.records)
    let model = "PO:KM"
    let aware = try CovariateModel(specification: model, data: data).fit(to: data)
    let ignoring = try CovariateModel(specification: model, data: naive).fit(to: naive)
    let year = data.covariateIndex(named: "year")!
    let a = aware.breakdown(covariate: year)
    let b = ignoring.breakdown(covariate: year)
    // Without KM's recaptures in 2010–2011 the naive model reads the missing overlap as
    // independence at lower capture rates, and the year main effect makes the years differ.
    #expect(a[0].total != b[0].total)
    #expect(aware.deviance < ignoring.deviance)
  }

  @Test(
    "A stratum where fewer than two lists operated: no estimate for it or any total with it, a warning, the rest estimated"
  )
  func tooFewLists() throws {
    let base = try Self.trafficking(covariates: ["year", "exploitation"])
    let coverage = try ListCoverage(
      csv: Self.csv("year,exploitation,PO,KM,IN,OT\n2010,sexual,0,0,0,1\n"), covariates: ["year", "exploitation"],
      source: nil)
    let year = base.covariateIndex(named: "year")!
    let form = base.covariateIndex(named: "exploitation")!
    let records = base.records.filter { record in
      let levels = (
        base.covariates[year].levels[record.levels[year]!], base.covariates[form].levels[record.levels[form]!]
      )
      return !(levels == ("2010", "sexual") && record.history.rawValue & 0b0111 != 0)
    }
    let data = try CovariateCaptureData(
      listNames: base.listNames, covariates: base.covariates, records: records, coverage: coverage)
    let fit = try CovariateModel(specification: "PO:KM", data: data).fit(to: data)
    #expect(fit.warnings.contains(.tooFewOperatingLists(strata: ["year=2010, exploitation=sexual"])))
    #expect(!fit.totalEstimate.estimateExists)
    #expect(fit.totalEstimate.strataWithTooFewLists == ["year=2010, exploitation=sexual"])
    #expect(fit.totalEstimate.noEstimateReason != nil)
    let years = fit.breakdown(covariate: year)
    #expect(!years[0].estimateExists)
    #expect(years.dropFirst().allSatisfy { $0.estimateExists && $0.total.isFinite && $0.total > $0.observed })
    let forms = fit.breakdown(covariate: form)
    #expect(forms.map(\.estimateExists) == [true, true, false])
    #expect(throws: EstimationError.tooFewOperatingLists(strata: ["year=2010, exploitation=sexual"])) {
      try fit.profileLikelihoodInterval()
    }
  }

  @Test("Leaving out a covariate the coverage depends on is refused; others can be left out")
  func keepingCovariates() throws {
    let data = try Self.lateStart()
    #expect(data.keepingCovariates([1, 2]) == nil)
    let kept = try #require(data.keepingCovariates([0, 2]))
    #expect(kept.coverage?.covariateNames == ["year"])
    let verdicts = CovariateCollapsibility(fit: try CovariateModel(specification: "main", data: data).fit(to: data))
      .verdicts
    #expect(verdicts.map(\.requiredByCoverage) == [true, false, false])
    #expect(throws: EstimationError.coverageDependsOnCovariate("year")) { try verdicts[0].collapsed.get() }
  }

  @Test("Strata comparison fits each stratum on the lists that operated in it")
  func strata() throws {
    let data = try Self.lateStart()
    let fit = try CovariateModel(specification: "PO:KM", data: data).fit(to: data)
    let comparison = try StratifiedComparison(fit: fit, covariate: 0)
    let listModel = try LogLinearModel(specification: "Mt", listNames: ["PO", "IN", "OT"])
    for (index, row) in comparison.rows.enumerated() {
      let stratum = try data.stratum(covariate: 0, level: index)
      let expected: Double
      if index < 2 {
        expected = try listModel.fit(to: try stratum.removingList(1)).total
      } else {
        expected = try fit.model.listModel.fit(to: stratum).total
      }
      #expect(isClose(try row.separate.get().total, expected, relative: 1e-12), "\(row.level)")
    }
  }

  @Test("Bootstrap and EM keep the coverage: replicates never put anyone on a closed list")
  func bootstrapAndEM() async throws {
    let data = try Self.lateStart()
    let fit = try CovariateModel(specification: "PO:KM", data: data).fit(to: data)
    var options = CovariateBootstrap.Options()
    options.replicates = 40
    options.seed = 7
    let first = try await CovariateBootstrap.run(fit: fit, options: options)
    options.concurrency = 1
    let second = try await CovariateBootstrap.run(fit: fit, options: options)
    #expect(first.successfulReplicates == 40)
    #expect(first.replicates == second.replicates)
    // EM with some years missing: allocations only to years when the record's lists operated.
    var records = data.records
    let year = 0
    for index in records.indices where index % 7 == 0 {
      records[index] = .init(
        history: records[index].history,
        levels: records[index].levels.enumerated().map { $0.offset == year ? nil : $0.element },
        count: records[index].count)
    }
    let incomplete = try CovariateCaptureData(
      listNames: data.listNames, covariates: data.covariates, records: records, coverage: data.coverage)
    let em = try fit.model.fitByEM(to: incomplete)
    for (c, cell) in em.fit.cells.enumerated() where !cell.operatingLists[1] {
      for h in 1...15 where h & 2 != 0 { #expect(em.fit.fittedValues[c * 15 + h - 1] == 0) }
    }
    #expect(isClose(em.fit.cells.reduce(0) { $0 + $1.observed }, Double(data.observedTotal), relative: 1e-9))
  }
}
