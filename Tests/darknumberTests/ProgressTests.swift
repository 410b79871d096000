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
    try process.run()
    Thread.sleep(forTimeInterval: 2.5)
    process.terminate()
    process.waitUntilExit()
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(stderr.contains("of 1000000000 done in"), "\(stderr)")
    #expect(stderr.contains("to go at this pace"), "\(stderr)")
    #expect(stderr.components(separatedBy: "to go").count == 2, "said once: \(stderr)")
  }
}
