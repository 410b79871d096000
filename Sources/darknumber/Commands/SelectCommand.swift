import ArgumentParser
import DarkNumber
import DarkNumberLinearAlgebra
import Foundation

/// `darknumber check`: does the MLE of a model exist, and is it identifiable?
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check whether a model's maximum-likelihood estimate exists and is identifiable (SparseMSE checkident).")

  @OptionGroup var input: InputOptions

  @Option(help: "The log-linear model (default: all two-way terms).")
  var model: String = "all:2"

  @Option(help: "Output format: text, json or csv.")
  var format: OutputFormat = .text

  func run() throws {
    try CommandFailure.reporting {
      let data = try input.load()
      let model = try LogLinearModel(specification: self.model, listNames: data.listNames)
      let check = try ExistenceCheck(model: model, data: data)
      switch format {
      case .json:
        print(JSONText.encode(CheckDocument(model: model, check: check)), terminator: "")
      case .csv:
        print("model,code,exists,identifiable,lp_objective,empty_interactions")
        print(
          "\"\(model)\",\(check.sparseMSECode),\(check.estimateExists),\(check.identifiable),\(check.linearProgramObjective),\"\(check.emptyInteractions.joined(separator: " "))\""
        )
      case .text:
        print(CheckDocument(model: model, check: check).sentence)
      }
      if check.sparseMSECode != 0 { throw ExitCode(65) }
    }
  }
}

/// The JSON form of an ``ExistenceCheck``.
struct CheckDocument: Encodable {
  let schemaVersion = 1
  let command = "check"
  let model: String
  let code: Int
  let estimateExists: Bool
  let identifiable: Bool
  let linearProgramObjective: Double
  let emptyInteractions: [String]
  let sentence: String

  init(model: LogLinearModel, check: ExistenceCheck) {
    self.model = model.description
    code = check.sparseMSECode
    estimateExists = check.estimateExists
    identifiable = check.identifiable
    linearProgramObjective = check.linearProgramObjective
    emptyInteractions = check.emptyInteractions
    var parts: [String] = []
    parts.append(
      check.estimateExists
        ? "the maximum-likelihood estimate exists (linear program optimum \(check.linearProgramObjective) > 0)"
        : "the maximum-likelihood estimate does not exist (linear program optimum 0: the counts lie on the boundary of the marginal cone)"
    )
    parts.append(
      check.identifiable
        ? "it is identifiable"
        : "it is not identifiable (the design loses \(check.rankDeficiency) rank)")
    if !check.emptyInteractions.isEmpty {
      parts.append(
        "interactions set to −∞ for lists that never overlap: \(check.emptyInteractions.joined(separator: ", "))")
    }
    sentence = "Model \(model): " + parts.joined(separator: "; ") + "."
  }
}

/// `darknumber select`: choose a model (stepwise, by an information criterion, or downhill) and
/// estimate, optionally with a bootstrap that re-runs the selection.
struct SelectCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "select",
    abstract: "Select a log-linear model (SparseMSE stepwise, the best by BIC/AIC/AICc, or downhill) and estimate N.")

  @OptionGroup var input: InputOptions

  @Option(
    help:
      "auto (MultipleSystemsEstimation: bic up to 5 lists, stepwise from 6), stepwise (SparseMSE), bic, aic, aicc, downhill (by BIC), fixed (the --model, refitted in every bootstrap replicate), or with --covariates path (Cruyff's mse: stepwise by BIC, then AIC, then penalty 1, with the table of every model visited; the smallest BIC is reported)."
  )
  var method: SelectionMethod = .stepwise

  @Option(help: "For --method fixed: the log-linear model, e.g. \"[12,3]\" or \"LA:NG, PF\".")
  var model: String?

  @Option(help: "Stepwise p-value threshold, in [0, 1].")
  var pthresh: Double = 0.02

  @Option(
    help:
      "For bic/aic/aicc/downhill: the largest interaction order (default for bic/aic/aicc by lists, as MultipleSystemsEstimation: 1, 2, 3, 3, 2 for 2–6 lists, else 2; for downhill K − 1)."
  )
  var maxOrder: Int?

  @Option(
    help:
      "For a bic/aic/aicc bootstrap: re-select among the best N models on the data (MultipleSystemsEstimation's ntopmodels; default all for 2–3 lists, 20 for 4, 100 for 5+), or 'all'."
  )
  var ntop: CandidateLimit?

  @Option(help: "The confidence level of the intervals, in (0, 1).")
  var level: Double = 0.95

  @Option(help: "Bootstrap replicates (0: none). Re-runs the selection in every replicate unless --parametric.")
  var bootstrap: Int = 0

  @Flag(help: "Parametric bootstrap of the selected model, held fixed (as Cruyff's mse), instead of re-selection.")
  var parametric = false

  @Option(help: "The bootstrap seed; replicate i uses stream (seed, i).")
  var seed: UInt64 = 1234

  @Option(help: "Parallel bootstrap tasks (each with one BLAS thread).")
  var threads: Int = 2

  @Option(help: "Write every bootstrap replicate to this CSV file.")
  var replicatesCsv: String?

  @Option(help: "Output format: text, json or csv.")
  var format: OutputFormat = .text

  @OptionGroup(title: "Covariates") var covariates: CovariateOptions

  @Option(
    help:
      "With --covariates: hide observed counts from 1 to k − 1 in the breakdowns (and counts that would reveal them) as \"<k\"."
  )
  var suppressBelow: Int?

  @Option(
    help:
      "With --covariates: the kinds of two-factor terms the stepwise search may add, comma-separated: lists (list × list), covariate-lists (covariate × list), covariates (covariate × covariate)."
  )
  var candidates: String = "lists,covariate-lists,covariates"

  func validate() throws {
    guard level > 0 && level < 1 else { throw ValidationError("--level must lie strictly between 0 and 1.") }
    if let suppressBelow, suppressBelow < 2 { throw ValidationError("--suppress-below must be at least 2.") }
    if suppressBelow != nil && !covariates.isActive {
      throw ValidationError(
        "--suppress-below needs --covariates here (for lists only, use describe or report --suppress-below).")
    }
    if covariates.isActive {
      guard method != .fixed else {
        throw ValidationError("with --covariates a fixed model is `darknumber estimate --covariates … --model M`.")
      }
      guard parametric == false, replicatesCsv == nil else {
        throw ValidationError(
          "with --covariates the bootstrap is nonparametric and re-runs the selection in every replicate; --parametric and --replicates-csv do not apply."
        )
      }
      _ = try candidateSet()
    }
    guard pthresh >= 0 && pthresh <= 1 else { throw ValidationError("--pthresh must lie in [0, 1].") }
    if let maxOrder, maxOrder < 1 { throw ValidationError("--max-order must be at least 1.") }
    guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be 0 or more replicates.") }
    guard threads >= 1 else { throw ValidationError("--threads must be at least 1.") }
    if !covariates.isActive && method == .path {
      throw ValidationError("--method path is Cruyff's search over terms with covariates; it needs --covariates.")
    }
    if !covariates.isActive && (method == .fixed) != (model != nil) {
      throw ValidationError("--model goes with --method fixed, and --method fixed needs --model.")
    }
    if parametric && bootstrap == 0 {
      throw ValidationError("--parametric needs --bootstrap R with R > 0.")
    }
  }

  /// The procedure `method` stands for on data with lists `listNames`.
  /// - Throws: ``ModelSpecificationError`` for a `--model` that does not parse.
  func procedure(listNames: [String]) throws -> SelectionProcedure {
    let listCount = listNames.count
    switch method {
    case .auto:
      return .automatic(
        listCount: listCount, threshold: pthresh, maximumOrder: maxOrder,
        candidateLimit: candidateLimit(listCount))
    case .stepwise: return .stepwise(threshold: pthresh)
    case .bic: return .criterion(.bic, maximumOrder: maxOrder, candidateLimit: candidateLimit(listCount))
    case .aic: return .criterion(.aic, maximumOrder: maxOrder, candidateLimit: candidateLimit(listCount))
    case .aicc: return .criterion(.aicc, maximumOrder: maxOrder, candidateLimit: candidateLimit(listCount))
    case .downhill: return .downhill(.bic, maximumOrder: maxOrder, maximumSteps: 20)
    case .fixed: return .fixed(try LogLinearModel(specification: model ?? "", listNames: listNames))
    case .path: throw ValidationError("--method path needs --covariates.")  // refused in validate()
    }
  }

  private func candidateLimit(_ listCount: Int) -> Int? {
    guard let ntop else { return CriterionSelection.defaultCandidateLimit(listCount: listCount) }
    return ntop.limit
  }

  /// `--candidates` as a set.
  func candidateSet() throws -> CovariateSelection.Candidates { try Self.candidateSet(candidates) }

  /// A `--candidates` value (`lists,covariate-lists,covariates`) as a set.
  static func candidateSet(_ candidates: String) throws -> CovariateSelection.Candidates {
    var result: CovariateSelection.Candidates = []
    for name in candidates.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
      switch name {
      case "lists": result.insert(.listPairs)
      case "covariate-lists": result.insert(.covariateLists)
      case "covariates": result.insert(.covariatePairs)
      default:
        throw ValidationError("--candidates: unknown kind \"\(name)\"; expected lists, covariate-lists or covariates.")
      }
    }
    guard !result.isEmpty else { throw ValidationError("--candidates needs at least one kind.") }
    return result
  }

  /// Stepwise selection with covariates by an information criterion.
  private func runWithCovariates() async throws {
    let loaded = try covariates.load(input)
    let data = covariates.missing == .completeCases && loaded.hasMissingValues ? try loaded.completeCases() : loaded
    if data.hasMissingValues {
      let index = data.covariates.indices.first { data.missingCount(covariate: $0) > 0 }!
      throw CommandFailure.data(
        "\(data.missingCount(covariate: index)) individuals have no value of \(data.covariates[index].name); selection with covariates needs complete records (--missing complete-cases), then estimate the chosen model with --missing em."
      )
    }
    BLASThreads.setSingleThreadedStoppingWorkers()
    let criterion: InformationCriterion =
      switch method {
      case .aic: .aic
      case .aicc: .aicc
      default: .bic
      }
    let start = try CovariateModel(specification: model ?? "main", data: loaded, trends: try covariates.trends())
    let choice: CovariateAnalysis.ModelChoice =
      method == .path
      ? .path(start: start, candidates: try candidateSet())
      : .selected(start: start, criterion: criterion, candidates: try candidateSet())
    let settings = try covariates.settings(
      model: choice, data: loaded,
      level: level, bootstrap: bootstrap, seed: seed, threads: threads,
      suppressBelow: suppressBelow)
    let analysis = try await CovariateAnalysis.run(
      data: loaded, settings: settings,
      progress: bootstrap > 0
        ? CovariateReport.progressReporter(label: "bootstrap (re-selecting)", count: bootstrap) : nil)
    if bootstrap > 0 { CovariateReport.finishProgress() }
    let report = CovariateReport(command: "select", source: input.sourceDescription, analysis: analysis)
    print(report.rendered(as: format), terminator: "")
  }

  func run() async throws {
    if covariates.isActive {
      try await CommandFailure.reporting { try await runWithCovariates() }
      return
    }
    try await CommandFailure.reporting {
      let data = try input.load()
      BLASThreads.setSingleThreadedStoppingWorkers()
      let procedure = try procedure(listNames: data.listNames)
      let cache = ExistenceCache()
      let selection = try await ModelSelection.run(
        procedure, data: data, concurrency: threads, cache: cache)
      let fit = selection.fit
      let (summary, steps) = Self.describe(selection, listNames: data.listNames)
      let report = try EstimateReport.make(
        data: data, source: input.sourceDescription, fit: fit,
        methods: [.logWald, .profileLikelihood, .wald, .logNormal], level: level)
      let check = try ExistenceCheck(model: fit.model, data: data)
      var resampling: SelectionBootstrap?
      var fixedModel: ParametricBootstrap?
      if bootstrap > 0 && parametric {
        let result = await ParametricBootstrap.run(
          fit: fit, replicates: bootstrap, seed: seed, concurrency: threads)
        fixedModel = result
        try writeReplicates(result.replicates)
      } else if bootstrap > 0 {
        var options = SelectionBootstrap.Options()
        options.replicates = bootstrap
        options.seed = seed
        options.procedure = procedure
        options.concurrency = threads
        let total = bootstrap
        let interactive = isatty(STDERR_FILENO) == 1
        let result = try await SelectionBootstrap.run(
          data: data, options: options, selection: selection, cache: cache
        ) { done in
          if interactive && (done % 10 == 0 || done == total) {
            FileHandle.standardError.write(Data("\rbootstrap \(done)/\(total)".utf8))
          }
        }
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
        resampling = result
        try writeReplicates(result.replicates)
      }
      let name = method == .auto ? "auto (\(Self.name(of: procedure)))" : method.rawValue
      let selectReport = SelectReport(
        method: name, summary: summary, steps: steps, estimate: report, check: check,
        bootstrap: resampling, parametric: fixedModel)
      print(selectReport.rendered(as: format), terminator: "")
    }
  }

  /// The short name of a procedure.
  static func name(of procedure: SelectionProcedure) -> String {
    switch procedure {
    case .stepwise: "stepwise"
    case .criterion(let criterion, _, _): criterion.rawValue
    case .downhill: "downhill"
    case .fixed: "fixed"
    }
  }

  /// One line saying what the selection did, and its steps (stepwise: the interactions added
  /// with their p-values; downhill: the models moved through).
  static func describe(_ selection: ModelSelection, listNames: [String]) -> (String, [String]) {
    switch selection {
    case .stepwise(let stepwise):
      let steps = stepwise.steps.map { step in
        "\(DesignMatrix.columnName(of: step.pair, listNames: listNames)) (p = \(NumberText.significant(step.pValue)))"
      }
      return (steps.isEmpty ? "main effects kept" : "added " + steps.joined(separator: ", "), steps)
    case .criterion(let criterion):
      var summary =
        "best of \(NumberText.grouped(Double(criterion.modelCount), digits: 0)) models up to order \(criterion.maximumOrder) by \(criterion.options.criterion.rawValue.uppercased())"
      let passedOver = criterion.passedOver
      if !passedOver.isEmpty {
        let reasons = passedOver.prefix(3).map { "\($0.model) (\(reason($0.code)))" }
        summary +=
          "; passed over \(passedOver.count) better-ranked model(s) without an estimate: "
          + reasons.joined(separator: ", ") + (passedOver.count > 3 ? ", …" : "")
      }
      return (summary, [])
    case .downhill(let downhill):
      let steps = downhill.path.map(\.description)
      let summary =
        "downhill by \(downhill.criterion.rawValue.uppercased()) up to order \(downhill.maximumOrder) through "
        + steps.joined(separator: " → ") + " (\(downhill.modelsConsidered) models fitted)"
      return (summary, steps)
    case .fixed(let fit):
      return ("model \(fit.model) held fixed", [])
    }
  }

  /// SparseMSE's code in words.
  static func reason(_ code: Int) -> String {
    switch code {
    case 1: "no MLE"
    case 2: "not identifiable"
    default: "no MLE, not identifiable"
    }
  }
}

/// `--ntop` (select) and `--top` (bayes): a number of models, or all of them.
enum CandidateLimit: ExpressibleByArgument, Equatable {
  case all
  case count(Int)

  /// The count, or nil for all.
  var limit: Int? {
    if case .count(let count) = self { return count }
    return nil
  }

  init?(argument: String) {
    if argument.lowercased() == "all" {
      self = .all
    } else if let count = Int(argument), count >= 1 {
      self = .count(count)
    } else {
      return nil
    }
  }
}

extension SelectCommand {
  /// Writes `--replicates-csv` when asked.
  func writeReplicates(_ replicates: [Double?]) throws {
    guard let path = replicatesCsv else { return }
    let rows = replicates.enumerated().map { "\($0 + 1),\($1.map { String($0) } ?? "")" }
    let text = (["replicate,total"] + rows).joined(separator: "\n") + "\n"
    try TextFile.write(text, to: path)
  }
}

/// The CLI's selection methods.
enum SelectionMethod: String, CaseIterable, ExpressibleByArgument {
  case auto
  case stepwise
  case bic
  case aic
  case aicc
  case downhill
  case fixed
  /// Cruyff's search path (BIC, then AIC, then penalty 1); with --covariates only.
  case path
}

/// What `darknumber select` prints: the selection, then the chosen model's estimate.
struct SelectReport: Report {
  let method: String
  /// One line: what the selection did.
  let summary: String
  /// Stepwise: the interactions added; downhill: the models moved through.
  let steps: [String]
  let estimate: EstimateReport
  let check: ExistenceCheck
  var bootstrap: SelectionBootstrap? = nil
  var parametric: ParametricBootstrap? = nil

  /// The bootstrap intervals as JSON entries: BCa and percentile with re-selection, or the
  /// parametric percentile interval of the fixed model. An interval the replicates cannot give
  /// (too few with an estimate, all on one side, no acceleration) is an entry without limits whose
  /// note says why.
  var bootstrapIntervals: [EstimateDocument.IntervalEntry] {
    func entry(
      _ method: String, estimate total: Double, _ interval: () throws(EstimationError) -> (lower: Double, upper: Double)
    ) -> EstimateDocument.IntervalEntry {
      do {
        let limits = try interval()
        return EstimateDocument.IntervalEntry(
          method: method, level: estimate.level, lower: limits.lower, upper: limits.upper, upperUnbounded: false,
          estimate: total, notes: [])
      } catch {
        return EstimateDocument.IntervalEntry(
          method: method, level: estimate.level, lower: nil, upper: nil, upperUnbounded: false, estimate: total,
          notes: [error.description])
      }
    }
    if let parametric {
      return [
        entry("parametric-percentile", estimate: parametric.estimate) { () throws(EstimationError) in
          try parametric.percentileInterval(level: estimate.level)
        }
      ]
    }
    guard let bootstrap else { return [] }
    return BootstrapIntervalMethod.allCases.map { method in
      entry(method.rawValue, estimate: bootstrap.estimate) { () throws(EstimationError) in
        try bootstrap.interval(method, level: estimate.level)
      }
    }
  }

  /// An interval's limits as text, or the note saying why it has none.
  private static func limits(_ interval: EstimateDocument.IntervalEntry) -> String {
    guard let lower = interval.lower, let upper = interval.upper else {
      return "none: " + interval.notes.joined(separator: "; ")
    }
    return "\(NumberText.grouped(lower)) – \(NumberText.grouped(upper))"
  }

  func text() -> String {
    var lines = ["Selection  \(method): \(summary)"]
    lines.append("Existence  \(CheckDocument(model: estimate.fit.model, check: check).sentence)")
    if let bootstrap {
      let finite = bootstrap.sortedReplicates.count
      let among = bootstrap.candidates.isEmpty ? "" : " among the \(bootstrap.candidates.count) best models on the data"
      let acceleration =
        bootstrap.acceleration.map { NumberText.significant($0) }
        ?? "not available (a jackknife deletion has no estimate; no BCa interval)"
      lines.append(
        "Bootstrap  \(bootstrap.options.replicates) replicates (seed \(bootstrap.options.seed)), \(bootstrap.refitsFixedModel ? "the model refitted" : "selection re-run") in each\(among); \(finite) with an estimate; acceleration \(acceleration)"
      )
      for interval in bootstrapIntervals {
        lines.append("  \(NumberText.padded(interval.method, 18))\(Self.limits(interval))")
      }
      let top = bootstrap.modelFrequencies.prefix(5).map { "\($0.model) \($0.count)" }
      lines.append("  models selected: " + top.joined(separator: ", "))
    }
    if let parametric {
      lines.append(
        "Bootstrap  \(parametric.replicates.count) parametric replicates of the fixed model (seed \(parametric.seed)); \(parametric.replicates.compactMap { $0 }.count) with an estimate"
      )
      for interval in bootstrapIntervals {
        lines.append("  \(NumberText.padded(interval.method, 22))\(Self.limits(interval))")
      }
    }
    return lines.joined(separator: "\n") + "\n\n" + estimate.text()
  }

  struct Document: Encodable {
    struct Selected: Encodable {
      let terms: String
      let total: Double
      let standardError: Double
    }
    let schemaVersion = 1
    let command = "select"
    let method: String
    let summary: String
    let steps: [String]
    let selected: Selected
    let intervals: [EstimateDocument.IntervalEntry]
    struct Bootstrap: Encodable {
      struct Frequency: Encodable {
        let terms: String
        let count: Int
      }
      let kind: String
      let replicates: Int
      let seed: UInt64
      let withEstimate: Int
      let candidateModels: Int?
      let acceleration: Double?
      let modelFrequencies: [Frequency]
    }
    let existence: CheckDocument
    let bootstrap: Bootstrap?
    let warnings: [String]
  }

  func json() -> String {
    JSONText.encode(
      Document(
        method: method, summary: summary, steps: steps,
        selected: .init(
          terms: estimate.fit.model.description, total: estimate.fit.total,
          standardError: estimate.fit.standardError),
        intervals: bootstrapIntervals + estimate.intervals.map(EstimateDocument.entry),
        existence: CheckDocument(model: estimate.fit.model, check: check),
        bootstrap: bootstrap.map { result in
          Document.Bootstrap(
            kind: result.refitsFixedModel ? "nonparametric-fixed-model" : "nonparametric-reselection",
            replicates: result.options.replicates,
            seed: result.options.seed, withEstimate: result.sortedReplicates.count,
            candidateModels: result.candidates.isEmpty ? nil : result.candidates.count,
            acceleration: result.acceleration,
            modelFrequencies: result.modelFrequencies.map { .init(terms: $0.model.description, count: $0.count) })
        }
          ?? parametric.map { result in
            Document.Bootstrap(
              kind: "parametric-fixed-model", replicates: result.replicates.count, seed: result.seed,
              withEstimate: result.replicates.compactMap { $0 }.count, candidateModels: nil,
              acceleration: nil,
              modelFrequencies: [])
          },
        warnings: estimate.warnings))
  }

  func csv() -> String { estimate.csv() }
}

extension SelectionBootstrap {
  /// Whether the replicates refit a fixed model rather than re-select.
  var refitsFixedModel: Bool {
    if case .fixed = options.procedure { return true }
    return false
  }
}
