/// What the lists' overlaps say before any model: list sizes, pairwise overlaps with their Poisson
/// p-values under independence, histories by number of lists, and sparsity warnings in plain words.
///
/// The p-value of a pair is the one SparseMSE's stepwise selection uses (Chan, Silverman &
/// Vincent 2021): the observed overlap `n_ij` against its expectation `λ_ij` under the independence
/// model Mt fitted to all lists (the fitted counts of the histories containing both),
/// `min(P(X ≤ n_ij), P(X ≥ n_ij))` with `X ~ Poisson(λ_ij)`. Small values mean the two lists are
/// dependent (positively when `n_ij > λ_ij`).
public struct DataDescription: Sendable {
  /// One pair of lists.
  public struct Pair: Sendable, Hashable {
    /// Zero-based list indices, `first < second`.
    public let first: Int
    /// The second list.
    public let second: Int
    /// The number on both lists.
    public let overlap: Int
    /// Its expectation under independence (Mt), when Mt could be fitted.
    public let expected: Double?
    /// The one-sided Poisson p-value, when Mt could be fitted.
    public let pValue: Double?
  }

  /// A plain-words caveat about the data's sparsity.
  public enum Warning: Sendable, Hashable, CustomStringConvertible {
    /// The sentence without any count of people below the warnings' own thresholds (for output
    /// under small-cell suppression).
    public var suppressedDescription: String {
      switch self {
      case .smallList(let name, _):
        return "\(name) has fewer than 20 records; its interactions are estimated from very little."
      case .fewOnThreeOrMore:
        return
          "fewer than 10 people are on three or more lists: models with three-way or higher interactions rest on very little."
      default:
        return description
      }
    }

    /// Two lists share nobody.
    case noOverlap(String, String)
    /// A list's records appear on no other list.
    case isolatedList(String)
    /// A small list.
    case smallList(String, size: Int)
    /// Few people on three or more lists.
    case fewOnThreeOrMore(Int)
    /// Most possible histories are empty.
    case mostHistoriesEmpty(observed: Int, possible: Int)
    /// Pairs whose overlap departs strongly from independence.
    case dependentPairs([String])

    /// One sentence for a person.
    public var description: String {
      switch self {
      case .noOverlap(let a, let b):
        return
          "\(a) and \(b) have nobody in common: a model with their interaction puts it at −∞, and estimates that lean on their overlap may not exist (Chan, Silverman & Vincent 2021)."
      case .isolatedList(let name):
        return
          "nobody on \(name) is on any other list: it adds people but says nothing about how the lists overlap, so it cannot inform the estimate of those missed."
      case .smallList(let name, let size):
        return
          "\(name) has only \(size) record\(size == 1 ? "" : "s"); its interactions are estimated from very little."
      case .fewOnThreeOrMore(let count):
        return
          "only \(count) \(count == 1 ? "person is" : "people are") on three or more lists: models with three-way or higher interactions rest on very little."
      case .mostHistoriesEmpty(let observed, let possible):
        return
          "only \(observed) of the \(possible) possible capture histories were observed: the table is sparse, and rich models may have no estimate."
      case .dependentPairs(let pairs):
        return
          "the overlaps of \(pairs.joined(separator: ", ")) are far from what independent lists would give (p < 0.001): the lists are dependent and the independence model Mt is not credible."
      }
    }
  }

  /// The data described.
  public let data: CaptureData
  /// Each list's size.
  public let listSizes: [Int]
  /// Every pair of lists, in order (0,1), (0,2), …
  public let pairs: [Pair]
  /// `countsByListNumber[k − 1]`: people on exactly `k` lists.
  public let countsByListNumber: [Int]
  /// The histories with positive counts.
  public var histories: [CaptureData.Cell] { data.cells }
  /// Plain-words caveats.
  public let warnings: [Warning]

  /// Describes `data`.
  public init(data: CaptureData) {
    self.data = data
    let k = data.listCount
    listSizes = (0..<k).map(data.listTotal)
    var byNumber = [Int](repeating: 0, count: k)
    for cell in data.cells { byNumber[cell.history.rawValue.nonzeroBitCount - 1] += cell.count }
    countsByListNumber = byNumber
    var expected: [Double]?
    if k <= LogLinearModel.maximumFittedListCount,
      let fit = try? LogLinearModel.mainEffects(listCount: k).fit(to: data)
    {
      expected = fit.fittedValues
    }
    var pairs: [Pair] = []
    for i in 0..<k {
      for j in (i + 1)..<max(k, i + 1) {
        let overlap = data.overlap(i, j)
        var mean: Double?
        var p: Double?
        if let expected {
          let mask = (1 << i) | (1 << j)
          var sum = 0.0
          for h in 1..<(1 << k) where h & mask == mask { sum += expected[h - 1] }
          mean = sum
          p = min(Poisson.lowerTail(overlap, mean: sum), Poisson.upperTail(overlap, mean: sum))
        }
        pairs.append(Pair(first: i, second: j, overlap: overlap, expected: mean, pValue: p))
      }
    }
    self.pairs = pairs
    var warnings: [Warning] = []
    let names = data.listNames
    for pair in pairs where pair.overlap == 0 && listSizes[pair.first] > 0 && listSizes[pair.second] > 0 {
      warnings.append(.noOverlap(names[pair.first], names[pair.second]))
    }
    for list in 0..<k where listSizes[list] > 0 {
      let alone = data.count(of: CaptureHistory(lists: [list])!)
      if alone == listSizes[list] { warnings.append(.isolatedList(names[list])) }
    }
    for list in 0..<k where listSizes[list] > 0 && listSizes[list] < 20 {
      warnings.append(.smallList(names[list], size: listSizes[list]))
    }
    let threeOrMore = byNumber.dropFirst(2).reduce(0, +)
    if k >= 3 && threeOrMore < 10 { warnings.append(.fewOnThreeOrMore(threeOrMore)) }
    let possible = (1 << min(k, 62)) - 1
    if k >= 3 && k <= 30 && data.cells.count * 2 < possible {
      warnings.append(.mostHistoriesEmpty(observed: data.cells.count, possible: possible))
    }
    let dependent = pairs.filter { ($0.pValue ?? 1) < 0.001 && $0.overlap > 0 }
      .map { "\(names[$0.first]) & \(names[$0.second])" }
    if !dependent.isEmpty { warnings.append(.dependentPairs(dependent)) }
    self.warnings = warnings
  }

  /// The counts this description publishes, for ``SmallCellSuppression``, over the cells
  /// `h − 1` (history bitmask `h`): the total (index 0), list sizes, pairwise overlaps, counts by
  /// number of lists, then (when `includingHistories`) the observed histories — in that order.
  public func publishedCounts(includingHistories: Bool) -> [SmallCellSuppression.Count] {
    let k = data.listCount
    let cellCount = (1 << min(k, 30)) - 1
    let all = Array(0..<min(cellCount, Self.enumeratedCellLimit))
    func cells(where include: (Int) -> Bool) -> [Int] {
      k <= Self.enumeratedListLimit
        ? all.filter { include($0 + 1) }
        : data.cells.map { Int($0.history.rawValue) }.filter(include).map { $0 - 1 }
    }
    var counts: [SmallCellSuppression.Count] = []
    counts.append(.init(name: "observed", cells: cells { _ in true }, value: data.observedTotal, isTotal: true))
    for list in 0..<k {
      counts.append(
        .init(name: data.listNames[list], cells: cells { $0 & (1 << list) != 0 }, value: listSizes[list], isTotal: true)
      )
    }
    for pair in pairs {
      let mask = (1 << pair.first) | (1 << pair.second)
      counts.append(
        .init(
          name: "\(data.listNames[pair.first]) & \(data.listNames[pair.second])",
          cells: cells { $0 & mask == mask }, value: pair.overlap))
    }
    for number in 1...k {
      counts.append(
        .init(
          name: "on \(number) list\(number == 1 ? "" : "s")", cells: cells { $0.nonzeroBitCount == number },
          value: countsByListNumber[number - 1]))
    }
    for cell in data.cells where includingHistories {
      counts.append(
        .init(name: "history \(cell.history.rawValue)", cells: [Int(cell.history.rawValue) - 1], value: cell.count))
    }
    return counts
  }

  /// Up to this many lists, published counts are over every possible history (the exact audit);
  /// above, only the observed histories are enumerated.
  static let enumeratedListLimit = 12
  static let enumeratedCellLimit = 1 << 12
}
