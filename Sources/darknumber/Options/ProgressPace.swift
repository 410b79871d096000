import Foundation
import Synchronization

/// The progress line of ``RunOptions/reporter(label:count:)``: redraws at most every 0.1 s and
/// estimates the time left from the pace so far.
final class ProgressPace: Sendable {
  private struct State {
    var lastDrawn: ContinuousClock.Instant?
    var warned = false
  }

  private let label: String
  private let count: Int?
  private let draws: Bool
  private let start = ContinuousClock.now
  private let state = Mutex(State())

  /// A line for `count` steps (`nil`: not known) labelled `label`, drawn on a terminal when
  /// `draws`, else only the one notice of a long run.
  init(label: String, count: Int?, draws: Bool) {
    self.label = label
    self.count = count
    self.draws = draws
  }

  /// `done` steps are finished.
  func report(_ done: Int) {
    let now = ContinuousClock.now
    let elapsed = Self.seconds(start.duration(to: now))
    let remaining: Double? =
      if let count, done > 0, elapsed >= 1 { elapsed * Double(count - done) / Double(done) } else { nil }
    let text: String? = state.withLock { state in
      if draws {
        if let last = state.lastDrawn, Self.seconds(last.duration(to: now)) < 0.1, done != count { return nil }
        state.lastDrawn = now
        let suffix = count.map { "/\($0)" } ?? ""
        let left = remaining.map { ", about \(Self.duration($0)) left" } ?? ""
        return "\r\u{1B}[2K\(label) \(done)\(suffix)\(left)"
      }
      guard !state.warned, let remaining, remaining > 60 else { return nil }
      state.warned = true
      return "\(label): \(done) of \(count ?? 0) done in \(Self.duration(elapsed)); about "
        + "\(Self.duration(remaining)) to go at this pace.\n"
    }
    if let text { FileHandle.standardError.write(Data(text.utf8)) }
  }

  private static func seconds(_ duration: Duration) -> Double {
    let (seconds, attoseconds) = duration.components
    return Double(seconds) + Double(attoseconds) * 1e-18
  }

  /// `42 s`, `3 min 20 s`, `2 h 5 min`, `3 d 4 h`, or `more than 10,000 days`.
  static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds < 86_400 * 10_000 else { return "more than 10,000 days" }
    let s = Int(seconds.rounded())
    switch s {
    case ..<60: return "\(s) s"
    case ..<3_600: return "\(s / 60) min \(s % 60) s"
    case ..<86_400: return "\(s / 3_600) h \(s % 3_600 / 60) min"
    default: return "\(s / 86_400) d \(s % 86_400 / 3_600) h"
    }
  }
}
