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
        print("\"\(model)\",\(check.sparseMSECode),\(check.estimateExists),\(check.identifiable),\(check.linearProgramObjective),\"\(check.emptyInteractions.joined(separator: " "))\"")
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
        : "the maximum-likelihood estimate does not exist (linear program optimum 0: the counts lie on the boundary of the marginal cone)")
    parts.append(
      check.identifiable
        ? "it is identifiable"
        : "it is not identifiable (the design loses \(check.rankDeficiency) rank)")
    if !check.emptyInteractions.isEmpty {
      parts.append("interactions set to −∞ for lists that never overlap: \(check.emptyInteractions.joined(separator: ", "))")
    }
    sentence = "Model \(model): " + parts.joined(separator: "; ") + "."
  }
}

/// `darknumber select`: choose a model (stepwise or by an information criterion) and estimate.
struct SelectCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "select",
    abstract: "Select a log-linear model (SparseMSE stepwise, or the best by BIC/AIC/AICc) and estimate N.")

  @OptionGroup var input: InputOptions

  @Option(help: "auto (MultipleSystemsEstimation: bic up to 5 lists, stepwise from 6), stepwise (SparseMSE), bic, aic or aicc.")
  var method: SelectionMethod = .stepwise

  @Option(help: "Stepwise p-value threshold, in [0, 1].")
  var pthresh: Double = 0.02

  @Option(help: "For bic/aic/aicc: the largest interaction order searched (default by lists, as MultipleSystemsEstimation: 1, 2, 3, 3, 2 for 2–6 lists).")
  var maxOrder: Int?

  @Option(help: "The confidence level of the intervals, in (0, 1).")
  var level: Double = 0.95

  @Option(help: "Bootstrap replicates with the stepwise selection re-run in each (0: none).")
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

  func validate() throws {
    guard level > 0 && level < 1 else { throw ValidationError("--level must lie strictly between 0 and 1.") }
    guard pthresh >= 0 && pthresh <= 1 else { throw ValidationError("--pthresh must lie in [0, 1].") }
    if let maxOrder, maxOrder < 1 { throw ValidationError("--max-order must be at least 1.") }
    guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be 0 or more replicates.") }
    guard threads >= 1 else { throw ValidationError("--threads must be at least 1.") }
    if bootstrap > 0 && method != .stepwise && method != .auto && !parametric {
      throw ValidationError("--bootstrap re-runs the stepwise selection; use --method stepwise, or --parametric.")
    }
    if parametric && bootstrap == 0 {
      throw ValidationError("--parametric needs --bootstrap R.")
    }
  }

  func run() async throws {
    try await CommandFailure.reporting {
      let data = try input.load()
      BLASThreads.set(1)
      let fit: LogLinearFit
      var steps: [String] = []
      var resolved = method
      if method == .auto { resolved = data.listCount <= 5 ? .bic : .stepwise }
      // MultipleSystemsEstimation's default maximum orders for 2…6 lists.
      let order = maxOrder ?? [2: 1, 3: 2, 4: 3, 5: 3, 6: 2][data.listCount] ?? 2
      switch resolved {
      case .stepwise:
        let selection = try StepwiseSelection(data: data, threshold: pthresh)
        fit = selection.fit
        steps = selection.steps.map { step in
          let names = (0..<data.listCount).filter { step.pair & (1 << UInt32($0)) != 0 }
            .map { data.listNames[$0] }.joined(separator: ":")
          return "\(names) (p = \(NumberText.significant(step.pValue)))"
        }
      case .bic, .aic, .aicc, .auto:
        var options = ModelSearch.Options()
        options.maximumOrder = order
        options.keep = 1
        options.criterion = resolved == .aic ? .aic : resolved == .aicc ? .aicc : .bic
        let result = try await ModelSearch(data: data, options: options).run()
        guard let best = result.best.first else {
          throw CommandFailure.data("no model up to order \(order) has an estimate.")
        }
        fit = try best.model.fit(to: data)
        steps = ["best of \(result.modelCount) models up to order \(order) by \(options.criterion.rawValue.uppercased())"]
      }
      if bootstrap > 0 && !parametric && resolved != .stepwise {
        throw CommandFailure.usage(
          "--bootstrap re-runs the stepwise selection; this selection is by an information criterion (use --parametric, or --method stepwise).")
      }
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
        options.threshold = pthresh
        options.concurrency = threads
        let total = bootstrap
        let interactive = isatty(STDERR_FILENO) == 1
        let result = try await SelectionBootstrap.stepwise(data: data, options: options) { done in
          if interactive && (done % 10 == 0 || done == total) {
            FileHandle.standardError.write(Data("\rbootstrap \(done)/\(total)".utf8))
          }
        }
        if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
        resampling = result
        try writeReplicates(result.replicates)
      }
      let selectReport = SelectReport(
        method: method == .auto ? "auto (\(resolved.rawValue), max order \(order))" : method.rawValue, steps: steps, estimate: report, check: check, bootstrap: resampling,
        parametric: fixedModel)
      print(selectReport.rendered(as: format), terminator: "")
    }
  }
}

extension SelectCommand {
  /// Writes `--replicates-csv` when asked.
  func writeReplicates(_ replicates: [Double?]) throws {
    guard let path = replicatesCsv else { return }
    let rows = replicates.enumerated().map { "\($0 + 1),\($1.map { String($0) } ?? "")" }
    let text = (["replicate,total"] + rows).joined(separator: "\n") + "\n"
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
      throw CommandFailure.other("cannot write \(path).")
    }
  }
}

/// The CLI's selection methods.
enum SelectionMethod: String, CaseIterable, ExpressibleByArgument {
  case auto
  case stepwise
  case bic
  case aic
  case aicc
}

/// What `darknumber select` prints: the selection, then the chosen model's estimate.
struct SelectReport: Report {
  let method: String
  let steps: [String]
  let estimate: EstimateReport
  let check: ExistenceCheck
  var bootstrap: SelectionBootstrap? = nil
  var parametric: ParametricBootstrap? = nil

  /// The bootstrap intervals as JSON entries: BCa and percentile with re-selection, or the
  /// parametric percentile interval of the fixed model.
  var bootstrapIntervals: [EstimateDocument.IntervalEntry] {
    if let parametric, let interval = try? parametric.percentileInterval(level: estimate.level) {
      return [
        EstimateDocument.IntervalEntry(
          method: "parametric-percentile", level: estimate.level, lower: interval.lower,
          upper: interval.upper, upperUnbounded: false, estimate: parametric.estimate, notes: [])
      ]
    }
    guard let bootstrap else { return [] }
    return BootstrapIntervalMethod.allCases.compactMap { method in
      guard let interval = try? bootstrap.interval(method, level: estimate.level) else { return nil }
      return EstimateDocument.IntervalEntry(
        method: method.rawValue, level: estimate.level, lower: interval.lower, upper: interval.upper,
        upperUnbounded: false, estimate: bootstrap.estimate, notes: [])
    }
  }

  func text() -> String {
    let what = steps.first?.hasPrefix("best of") == true ? steps.joined() : "added " + steps.joined(separator: ", ")
    var lines = ["Selection  \(method): " + (steps.isEmpty ? "main effects kept" : what)]
    lines.append("Existence  \(CheckDocument(model: estimate.fit.model, check: check).sentence)")
    if let bootstrap {
      let finite = bootstrap.sortedReplicates.count
      lines.append(
        "Bootstrap  \(bootstrap.options.replicates) replicates (seed \(bootstrap.options.seed)), selection re-run in each; \(finite) with an estimate; acceleration \(NumberText.significant(bootstrap.acceleration))")
      for interval in bootstrapIntervals {
        lines.append(
          "  \(NumberText.padded(interval.method, 18))\(NumberText.grouped(interval.lower ?? .nan)) – \(NumberText.grouped(interval.upper ?? .nan))")
      }
      let top = bootstrap.modelFrequencies.prefix(5).map { "\($0.model) \($0.count)" }
      lines.append("  models selected: " + top.joined(separator: ", "))
    }
    if let parametric {
      lines.append(
        "Bootstrap  \(parametric.replicates.count) parametric replicates of the fixed model (seed \(parametric.seed)); \(parametric.replicates.compactMap { $0 }.count) with an estimate")
      for interval in bootstrapIntervals {
        lines.append(
          "  \(NumberText.padded(interval.method, 22))\(NumberText.grouped(interval.lower ?? .nan)) – \(NumberText.grouped(interval.upper ?? .nan))")
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
        method: method, steps: steps,
        selected: .init(
          terms: estimate.fit.model.description, total: estimate.fit.total,
          standardError: estimate.fit.standardError),
        intervals: bootstrapIntervals + estimate.intervals.map(EstimateDocument.entry),
        existence: CheckDocument(model: estimate.fit.model, check: check),
        bootstrap: bootstrap.map { result in
          Document.Bootstrap(
            kind: "nonparametric-reselection", replicates: result.options.replicates,
            seed: result.options.seed, withEstimate: result.sortedReplicates.count,
            acceleration: result.acceleration,
            modelFrequencies: result.modelFrequencies.map { .init(terms: $0.model.description, count: $0.count) })
        } ?? parametric.map { result in
          Document.Bootstrap(
            kind: "parametric-fixed-model", replicates: result.replicates.count, seed: result.seed,
            withEstimate: result.replicates.compactMap { $0 }.count, acceleration: nil,
            modelFrequencies: [])
        },
        warnings: estimate.warnings))
  }

  func csv() -> String { estimate.csv() }
}
