// Reads a capture–recapture table (0/1 list columns and a count), selects a log-linear model
// with SparseMSE's stepwise rule, bootstraps that selection and prints N̂ with its intervals.
// Usage: select-and-bootstrap TABLE.csv [REPLICATES]
import DarkNumber
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 2, let bytes = FileManager.default.contents(atPath: arguments[1]) else {
  FileHandle.standardError.write(Data("usage: select-and-bootstrap TABLE.csv [REPLICATES]\n".utf8))
  exit(64)
}
do {
  let data = try CaptureData(csv: [UInt8](bytes), source: arguments[1])
  var options = SelectionBootstrap.Options()
  options.procedure = .stepwise(threshold: 0.02)
  options.replicates = arguments.count > 2 ? Int(arguments[2]) ?? 1000 : 1000
  options.seed = 1234
  let bootstrap = try await SelectionBootstrap.run(data: data, options: options)
  let fit = bootstrap.selection.fit
  print("lists      \(data.listNames.joined(separator: ", ")); \(data.observedTotal) observed")
  print("model      \(bootstrap.model.termNames(listNames: data.listNames).joined(separator: ", "))")
  print("N̂          \(Int(fit.total.rounded())) (SE \(Int(fit.standardError.rounded())))")
  let intervals = [
    try fit.interval(.logNormal), try fit.interval(.profileLikelihood), try bootstrap.interval(.bootstrapBCa),
  ]
  for interval in intervals {
    let lower = interval.lower.value.map { String(Int($0.rounded())) } ?? "?"
    let upper = interval.upper.value.map { String(Int($0.rounded())) } ?? "∞"
    print(interval.method.displayName.padding(toLength: 21, withPad: " ", startingAt: 0) + "\(lower)–\(upper)")
  }
  print("(\(bootstrap.sortedReplicates.count) bootstrap replicates with an estimate)")
  for warning in fit.warnings { print("warning    \(warning)") }
} catch {
  FileHandle.standardError.write(Data("\(arguments[1]): \(error)\n".utf8))
  exit(65)
}
