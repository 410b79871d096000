import Foundation
import Testing

@testable import darknumber

/// A long run is never silent: on a terminal the progress line shows the time left; elsewhere one
/// line says how long the rest will take when that is more than a minute.
@Suite("Progress and expected duration")
struct ProgressTests {
  @Test("Durations in words")
  func durations() {
    #expect(ProgressPace.duration(42.4) == "42 s")
    #expect(ProgressPace.duration(200) == "3 min 20 s")
    #expect(ProgressPace.duration(7_500) == "2 h 5 min")
    #expect(ProgressPace.duration(3 * 86_400 + 4 * 3_600) == "3 d 4 h")
    #expect(ProgressPace.duration(.infinity) == "more than 10,000 days")
  }

  @Test("A billion replicates: the expected duration is said once, without a terminal")
  func billion() throws {
    let process = Process()
    process.executableURL = CommandRunner.productsDirectory.appendingPathComponent("darknumber")
    process.arguments = ["select", "--example", "UKdat_5", "--bootstrap", "1000000000"]
    let err = Pipe()
    process.standardError = err
    process.standardOutput = FileHandle.nullDevice
    // Collect stderr as it comes; wait for the notice (at most 60 s on a loaded machine), then a
    // second more to see that it is not repeated.
    let collected = Collected()
    err.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    while !collected.text.contains("to go") && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
    Thread.sleep(forTimeInterval: 1)
    process.terminate()
    process.waitUntilExit()
    err.fileHandleForReading.readabilityHandler = nil
    collected.append(err.fileHandleForReading.readDataToEndOfFile())
    let stderr = collected.text
    #expect(stderr.contains("of 1000000000 done in"), "\(stderr)")
    #expect(stderr.contains("to go at this pace"), "\(stderr)")
    #expect(stderr.components(separatedBy: "to go").count == 2, "said once: \(stderr)")
  }
}

/// Bytes appended from a pipe's handler thread, read from the test's.
private final class Collected: @unchecked Sendable {
  private let lock = NSLock()
  private var data = Data()

  func append(_ more: Data) { lock.withLock { data.append(more) } }

  var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
}
