extension ListsReportAnalysis {
  /// The interval a reader should quote: the bootstrap BCa interval when the bootstrap ran and
  /// gave one (it re-runs the selection, so it carries the uncertainty of choosing the model),
  /// else the profile-likelihood interval (Cormack 1992), else the first interval that exists.
  public var headlineInterval: IntervalEstimate? {
    if case .success(let interval) = bootstrapInterval { return interval }
    let available = availableIntervals
    return available.first { $0.method == .profileLikelihood } ?? available.first
  }

  /// What the analysis says, in plain words for a reader who does not know the methods: the
  /// population size with its ``headlineInterval``, how many people no list registered, what the
  /// interval includes, the assumption it rests on, and a caution when the chosen model does not
  /// fit the data (``GoodnessOfFit/isPoor``).
  public var conclusion: String {
    let fit = selection.fit
    let n = Double(fit.data.observedTotal)
    let tenths = (settings.level * 1000).rounded()
    let percent = tenths.truncatingRemainder(dividingBy: 10) == 0 ? Self.whole(tenths / 10) : "\(tenths / 10)"
    var sentences: [String] = []
    if let interval = headlineInterval, let lower = interval.lower.value {
      let registered = "of whom the lists registered \(Self.whole(n))"
      if let upper = interval.upper.value {
        sentences.append(
          "With \(percent)% confidence, between \(Self.whole(lower)) and \(Self.whole(upper)) people were in the "
            + "population (estimate \(Self.whole(fit.total))), \(registered): between "
            + "\(Self.whole(max(lower - n, 0))) and \(Self.whole(max(upper - n, 0))) were registered by no list.")
      } else {
        sentences.append(
          "With \(percent)% confidence, at least \(Self.whole(lower)) people were in the population (estimate "
            + "\(Self.whole(fit.total))), \(registered); the data set no upper limit.")
      }
      switch interval.method {
      case .bootstrapBCa:
        let replicates = bootstrap.map { Self.whole(Double($0.replicates.count)) } ?? ""
        sentences.append(
          "The interval is the bootstrap BCa interval of \(replicates) replicates that each re-ran the model "
            + "selection, so it includes the uncertainty of choosing the model.")
      default:
        sentences.append(
          "The interval is the \(interval.method.displayName) interval of the chosen model; it leaves out the "
            + "uncertainty of choosing the model (a bootstrap that re-runs the selection includes it).")
      }
    } else {
      sentences.append(
        "The estimate is \(Self.whole(fit.total)) people, of whom the lists registered \(Self.whole(n)); no "
          + "interval could be computed.")
    }
    sentences.append(
      "Like every estimate of this kind, it assumes that the chosen model (\(fit.model)) describes how the lists "
        + "overlap for the people no list registered as for those registered.")
    if fit.goodnessOfFit.isPoor {
      sentences.append("The chosen model does not fit the data well (see the warnings): read the numbers with caution.")
    }
    return sentences.joined(separator: " ")
  }

  /// `value` rounded to a whole number with thousands separated by commas (`12,810`).
  static func whole(_ value: Double) -> String {
    guard value.isFinite, abs(value) < 1e15 else { return "\(value)" }
    let rounded = Int(value.rounded())
    var digits = String(abs(rounded))
    var groups: [Substring] = []
    while digits.count > 3 {
      groups.insert(Substring(digits.suffix(3)), at: 0)
      digits.removeLast(3)
    }
    groups.insert(Substring(digits), at: 0)
    return (rounded < 0 ? "-" : "") + groups.joined(separator: ",")
  }
}
