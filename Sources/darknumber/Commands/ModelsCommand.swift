import ArgumentParser
import DarkNumber
import DarkNumberReports
import Foundation

/// `darknumber models`: Rcapture's table of the 12 standard closed-population models.
struct ModelsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "models",
    abstract: "Fit the 12 standard closed-population models (Rcapture's closedp.t) and compare them.",
    discussion: """
      M0, Mt, Mh and Mth with Chao (LB), Poisson, Darroch and Gamma heterogeneity, Mb and Mbh. \
      With --intervals, each row gets a multinomial profile-likelihood interval (not Mb, Mbh).
      """)

  @OptionGroup var input: InputOptions

  @Flag(
    help: "The input holds numbers of captures (`nbcap,count`: units caught exactly k times), as Rcapture's closedp.0.")
  var capturesPerUnit = false

  @Option(help: "With --captures-per-unit: the number of capture occasions t, or `inf` for continuous time.")
  var occasions: String?

  @Option(help: "With --captures-per-unit: fit only k ≤ t0 (units caught more often still count in n).")
  var truncation: Int?

  @Option(help: "θ of the Poisson heterogeneity model, θᵏ − 1.")
  var poissonTheta: Double = Heterogeneity.defaultPoissonTheta

  @Option(help: "θ of the Gamma heterogeneity model, −log(θ + k) + log θ.")
  var gammaTheta: Double = Heterogeneity.defaultGammaTheta

  @Flag(help: "Add profile-likelihood intervals.")
  var intervals = false

  @Flag(help: "Add Rcapture's bias-corrected estimators (closedp.bc; Rivest & Lévesque 2001).")
  var biasCorrected = false

  @OptionGroup var rendering: OutputOptions
  @OptionGroup var confidence: LevelOptions
  @OptionGroup var fitting: FittingOptions

  func validate() throws {
    guard poissonTheta > 0 && gammaTheta > 0 else { throw ValidationError("θ must be positive.") }
    if capturesPerUnit {
      guard occasions != nil else {
        throw ValidationError("--captures-per-unit needs --occasions t (a whole number ≥ 2) or inf.")
      }
      _ = try parsedOccasions()
    } else if occasions != nil || truncation != nil {
      throw ValidationError("--occasions and --truncation apply to --captures-per-unit data only.")
    }
  }

  /// `--occasions` as a library value.
  func parsedOccasions() throws -> CaptureFrequencies.Occasions {
    let text = (occasions ?? "").lowercased()
    if text == "inf" || text == "infinity" { return .continuous }
    guard let t = Int(text), t >= 2 else {
      throw ValidationError("--occasions must be a whole number ≥ 2 or inf; found \"\(occasions ?? "")\".")
    }
    return .finite(t)
  }

  /// Reads number-of-captures data from the file or a bundled `captures-per-unit/…` table.
  func loadFrequencies() throws -> CaptureFrequencies {
    let occasions = try parsedOccasions()
    if let example = input.example {
      let name = example.hasPrefix("captures-per-unit/") ? example : "captures-per-unit/\(example)"
      guard let dataset = Dataset.named(name) else {
        let names = Dataset.all.filter { $0.kind == .capturesPerUnit }.map(\.name).joined(separator: ", ")
        throw CommandFailure.usage("unknown example \"\(example)\"; number-of-captures tables: \(names).")
      }
      return try CaptureFrequencies(csv: Array(dataset.csv.utf8), occasions: occasions, source: dataset.name)
    }
    let path = input.file ?? ""
    guard let contents = FileManager.default.contents(atPath: path) else {
      throw CommandFailure.other("cannot read the file \(path).")
    }
    return try CaptureFrequencies(csv: [UInt8](contents), occasions: occasions, source: path)
  }

  func run() throws {
    try CommandFailure.reporting {
      let table: ModelTable
      if capturesPerUnit {
        let data = try loadFrequencies()
        let t0 = truncation.map { ", t0 = \($0)" } ?? ""
        table = ModelTable(
          table: try ClosedPopulationTable(
            frequencies: data, poissonTheta: poissonTheta, gammaTheta: gammaTheta, truncation: truncation,
            level: intervals ? confidence.level : nil, options: fitting.fitOptions),
          source: input.sourceDescription, listDescription: "number of captures, t = \(data.occasions)\(t0)")
      } else {
        let data = try input.load()
        table = ModelTable(
          table: try ClosedPopulationTable(
            data: data, poissonTheta: poissonTheta, gammaTheta: gammaTheta, level: intervals ? confidence.level : nil,
            biasCorrected: biasCorrected, options: fitting.fitOptions),
          source: input.sourceDescription, listDescription: "\(data.listCount) lists")
      }
      print(try table.rendered(as: rendering.format), terminator: "")
    }
  }
}
