import ArgumentParser
import DarkNumber
import DarkNumberBayes
import DarkNumberReports
import DarkNumberLinearAlgebra
import Foundation

/// `darknumber select`: choose a model (stepwise, by an information criterion, or downhill) and
/// estimate, optionally with a bootstrap that re-runs the selection.
struct SelectCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "select",
    abstract: "Select a log-linear model (SparseMSE stepwise, the best by BIC/AIC/AICc, or downhill) and estimate N.")

  @OptionGroup var input: InputOptions

  @Option(
    help:
      "auto (MultipleSystemsEstimation: bic up to 5 lists, stepwise from 6), stepwise (SparseMSE), bic, aic, aicc, downhill (by BIC), bayesthresh (Silverman's Bayesian thresholding), fixed (the --model, refitted in every bootstrap replicate), or with --covariates path (Cruyff's mse: stepwise by BIC, then AIC, then penalty 1, with the table of every model visited; the smallest BIC is reported)."
  )
  var method: SelectionMethod = .stepwise

  @Option(help: "For --method fixed: the log-linear model, e.g. \"[12,3]\" or \"LA:NG, PF\".")
  var model: String?

  @Option(parsing: .unconditional, help: "Stepwise p-value threshold, in [0, 1].")
  var pthresh: Double = StepwiseSelection.defaultThreshold

  @Option(
    parsing: .unconditional,
    help: "For bayesthresh: keep an interaction when |posterior mean| / posterior sd is at least this (default 2).")
  var threshold: Double?

  @Option(help: "For bayesthresh: the interactions' prior, proper (normal, default) or improper (flat).")
  var prior: ThresholdPrior?

  @Option(
    parsing: .unconditional,
    help: "For bayesthresh with the proper prior: the interactions' prior variance (default 1).")
  var priorVariance: Double?

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

  @Option(
    help:
      "With --bootstrap and bic/aic/aicc: also give the BCa and percentile intervals when the replicates re-select among the top n models, for each n of a comma-separated list such as 1,5,10,20,all (MultipleSystemsEstimation's vary_ntop_bca)."
  )
  var varyNtop: String?

  @Option(
    parsing: .unconditional,
    help: "Bootstrap replicates (0: none). Re-runs the selection in every replicate unless --parametric.")
  var bootstrap: Int = 0

  @Flag(help: "Parametric bootstrap of the selected model, held fixed (as Cruyff's mse), instead of re-selection.")
  var parametric = false

  @Option(help: "Write every bootstrap replicate to this CSV file.")
  var replicatesCsv: String?

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

  @OptionGroup var rendering: OutputOptions
  @OptionGroup var execution: RunOptions
  @OptionGroup var randomness: SeedOptions

  /// The seed given, or this command's default.
  private var seed: UInt64 { randomness.seed(default: 1234) }
  @OptionGroup var confidence: LevelOptions

  func validate() throws {
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
    if !covariates.isActive && method == .path {
      throw ValidationError("--method path is Cruyff's search over terms with covariates; it needs --covariates.")
    }
    if !covariates.isActive && (method == .fixed) != (model != nil) {
      throw ValidationError("--model goes with --method fixed, and --method fixed needs --model.")
    }
    if parametric && bootstrap == 0 {
      throw ValidationError("--parametric needs --bootstrap R with R > 0.")
    }
    if method == .bayesthresh {
      guard bootstrap == 0, !parametric, model == nil, varyNtop == nil, !covariates.isActive else {
        throw ValidationError(
          "--method bayesthresh gives a posterior, not a bootstrap, and selects its own model; --bootstrap, --parametric, --model, --vary-ntop and --covariates do not apply."
        )
      }
      if let maxOrder, maxOrder != 2 && maxOrder != 3 {
        throw ValidationError("--max-order for bayesthresh is 2 or 3.")
      }
      if let threshold, !(threshold >= 0 && threshold.isFinite) {
        throw ValidationError("--threshold must be a number of at least 0.")
      }
      if let priorVariance, !(priorVariance > 0 && priorVariance.isFinite) {
        throw ValidationError("--prior-variance must be a positive number.")
      }
      if priorVariance != nil && prior == .improper {
        throw ValidationError("--prior-variance goes with the proper prior, not --prior improper.")
      }
    } else if threshold != nil || prior != nil || priorVariance != nil {
      throw ValidationError("--threshold, --prior and --prior-variance go with --method bayesthresh.")
    }
    if varyNtop != nil {
      _ = try tops()
      guard bootstrap > 0, !parametric, [.bic, .aic, .aicc, .auto].contains(method), !covariates.isActive else {
        throw ValidationError(
          "--vary-ntop needs --bootstrap R (not --parametric) with --method bic, aic or aicc, without --covariates.")
      }
    }
  }

  /// `--vary-ntop` as numbers of models (`nil`: all).
  func tops() throws -> [Int?] {
    let parts = (varyNtop ?? "").split(separator: ",", omittingEmptySubsequences: false)
    return try parts.map { part in
      let text = part.trimmingCharacters(in: .whitespaces)
      guard let limit = CandidateLimit(argument: text) else {
        throw ValidationError(
          "--vary-ntop: \(quoted(text)) is not a number of models (1 or more) or 'all'; write a list such as 1,5,10,20,all."
        )
      }
      return limit.limit
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
    case .downhill: return .downhill(.bic, maximumOrder: maxOrder, maximumSteps: DownhillSelection.defaultMaximumSteps)
    case .fixed: return .fixed(try LogLinearModel(specification: model ?? "", listNames: listNames))
    case .path: throw ValidationError("--method path needs --covariates.")  // refused in validate()
    case .bayesthresh: throw ValidationError("--method bayesthresh is not a selection procedure of the bootstrap.")
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
      level: confidence.level, bootstrap: bootstrap, seed: seed, threads: execution.threads,
      suppressBelow: suppressBelow)
    let progress = execution.reporter(label: "bootstrap (re-selecting)", count: bootstrap)
    let analysis = try await CovariateAnalysis.run(data: loaded, settings: settings, progress: progress)
    execution.finish(progress)
    let report = CovariateReport(command: "select", source: input.sourceDescription, analysis: analysis)
    print(try report.rendered(as: rendering.format), terminator: "")
  }

  /// Bayesian thresholding: one library call, rendered.
  private func runThresholding() throws {
    try CommandFailure.reporting {
      let data = try input.load()
      var options = BayesianThresholding.Options()
      options.maximumOrder = maxOrder ?? 2
      options.threshold = threshold ?? options.threshold
      options.prior = prior == .improper ? .improper : .proper(variance: priorVariance ?? 1)
      options.seed = seed
      let result = try BayesianThresholding.run(data: data, options: options)
      let report = ThresholdReport(source: input.sourceDescription, data: data, result: result)
      print(try report.rendered(as: rendering.format), terminator: "")
    }
  }

  func run() async throws {
    if method == .bayesthresh {
      try runThresholding()
      return
    }
    if covariates.isActive {
      try await CommandFailure.reporting { try await runWithCovariates() }
      return
    }
    try await CommandFailure.reporting {
      let data = try input.load()
      BLASThreads.setSingleThreadedStoppingWorkers()
      let procedure = try procedure(listNames: data.listNames)
      if varyNtop != nil {
        guard case .criterion = procedure else {
          throw ValidationError(
            "--vary-ntop needs a criterion's selection; --method auto chose stepwise for \(data.listCount) lists.")
        }
      }
      let cache = ExistenceCache()
      let selection = try await ModelSelection.run(
        procedure, data: data, concurrency: execution.threads, cache: cache)
      let fit = selection.fit
      let (summary, steps) = SelectReport.describe(selection, listNames: data.listNames)
      let report = try EstimateReport.make(
        data: data, source: input.sourceDescription, fit: fit,
        methods: [.logWald, .profileLikelihood, .wald, .logNormal], level: confidence.level)
      let check = try ExistenceCheck(model: fit.model, data: data)
      var resampling: SelectionBootstrap?
      var fixedModel: ParametricBootstrap?
      var options = SelectionBootstrap.Options()
      options.replicates = bootstrap
      options.seed = seed
      options.procedure = procedure
      options.concurrency = execution.threads
      if bootstrap > 0 && parametric {
        let result = try await ParametricBootstrap.run(
          fit: fit, replicates: bootstrap, seed: seed, concurrency: execution.threads)
        fixedModel = result
        try writeReplicates(result.replicates)
      } else if bootstrap > 0 {
        let progress = execution.reporter(label: "bootstrap", count: bootstrap)
        let result = try await SelectionBootstrap.run(
          data: data, options: options, selection: selection, cache: cache, progress: progress)
        execution.finish(progress)
        resampling = result
        try writeReplicates(result.replicates)
      }
      var topModels: TopModelsBootstrap?
      if varyNtop != nil, case .criterion(let selected) = selection {
        let progress = execution.reporter(label: "bootstrap (top n)", count: bootstrap)
        topModels = try await TopModelsBootstrap.run(
          data: data, tops: try tops(), options: options, selection: selected, cache: cache, progress: progress)
        execution.finish(progress)
      }
      let name = method == .auto ? "auto (\(SelectReport.name(of: procedure)))" : method.rawValue
      let selectReport = SelectReport(
        method: name, summary: summary, steps: steps, estimate: report, check: check,
        bootstrap: resampling, parametric: fixedModel, topModels: topModels)
      print(try selectReport.rendered(as: rendering.format), terminator: "")
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
