/// The set of lists on which one individual was recorded: bit `i` set ⇔ recorded on list `i`
/// (zero-based, in the data's column order).
///
/// The empty history — recorded nowhere — is unobservable, so it is unrepresentable: the
/// initialiser fails for raw value 0. At most 30 lists are supported.
public struct CaptureHistory: RawRepresentable, Hashable, Comparable, Sendable {
  /// The largest number of lists a history can span.
  public static let maximumListCount = 30

  /// The bitmask of lists (bit `i` = list `i`); never zero.
  public let rawValue: UInt32

  /// A history from its bitmask; `nil` for the unobservable empty history or bits beyond list 30.
  public init?(rawValue: UInt32) {
    guard rawValue != 0, rawValue >> UInt32(Self.maximumListCount) == 0 else { return nil }
    self.rawValue = rawValue
  }

  /// The history recorded on exactly the given zero-based lists; `nil` when `lists` is empty or
  /// names a list outside `0..<30`.
  public init?(lists: some Sequence<Int>) {
    var mask: UInt32 = 0
    for list in lists {
      guard (0..<Self.maximumListCount).contains(list) else { return nil }
      mask |= 1 << UInt32(list)
    }
    self.init(rawValue: mask)
  }

  /// Whether the individual was recorded on zero-based list `list`.
  public func contains(list: Int) -> Bool { rawValue & (1 << UInt32(list)) != 0 }

  /// One `0`/`1` digit per list, in list order (`"0101"`: on the second and fourth of four lists).
  public func digits(listCount: Int) -> String {
    String((0..<listCount).map { contains(list: $0) ? "1" : "0" })
  }

  /// The number of lists the individual was recorded on.
  public var listCount: Int { rawValue.nonzeroBitCount }

  /// Orders histories by their bitmask.
  public static func < (lhs: CaptureHistory, rhs: CaptureHistory) -> Bool {
    lhs.rawValue < rhs.rawValue
  }
}
