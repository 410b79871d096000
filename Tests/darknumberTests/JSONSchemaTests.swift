import DarkNumber
import Foundation
import Testing

@testable import DarkNumberReports

/// `docs/schema/estimate.schema.json` and `select.schema.json` against real documents, by a
/// validator of the JSON Schema keywords the files use (type, const, enum, required, properties,
/// additionalProperties: false, items, minItems, minimum, exclusive bounds, local `$ref`).
@Suite("JSON Schemas of the estimate and select documents")
struct JSONSchemaTests {
  static func schema(_ name: String = "estimate") throws -> [String: Any] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/schema/\(name).schema.json")
    return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
  }

  /// The problems of `value` against `schema` (empty: valid), each with its JSON path.
  static func problems(_ value: Any, _ schema: [String: Any], root: [String: Any], path: String = "$") -> [String] {
    if let reference = schema["$ref"] as? String {
      let name = reference.replacingOccurrences(of: "#/$defs/", with: "")
      guard let definitions = root["$defs"] as? [String: Any], let target = definitions[name] as? [String: Any] else {
        return ["\(path): unknown $ref \(reference)"]
      }
      return problems(value, target, root: root, path: path)
    }
    var found: [String] = []
    // JSONSerialization gives true/false as NSNumbers of Objective-C type "c".
    let isBoolean = (value as? NSNumber).map { String(cString: $0.objCType) == "c" } ?? false
    let number = isBoolean ? nil : (value as? NSNumber)?.doubleValue
    if let type = schema["type"] as? String {
      let matches: Bool
      switch type {
      case "object": matches = value is [String: Any]
      case "array": matches = value is [Any]
      case "string": matches = value is String
      case "boolean": matches = isBoolean
      case "number": matches = number.map { $0.isFinite } ?? false
      case "integer": matches = number.map { $0.isFinite && $0.rounded() == $0 } ?? false
      default: matches = false
      }
      if !matches { return ["\(path): expected \(type), found \(value)"] }
    }
    if let constant = schema["const"], "\(constant)" != "\(value)" { found.append("\(path): expected \(constant)") }
    if let options = schema["enum"] as? [Any], !options.contains(where: { "\($0)" == "\(value)" }) {
      found.append("\(path): \(value) not in \(options)")
    }
    if let number {
      if let minimum = schema["minimum"] as? Double, number < minimum { found.append("\(path): below \(minimum)") }
      if let bound = schema["exclusiveMinimum"] as? Double, number <= bound {
        found.append("\(path): not above \(bound)")
      }
      if let bound = schema["exclusiveMaximum"] as? Double, number >= bound {
        found.append("\(path): not below \(bound)")
      }
    }
    if let object = value as? [String: Any] {
      for key in schema["required"] as? [String] ?? [] where object[key] == nil {
        found.append("\(path): missing \(key)")
      }
      let properties = schema["properties"] as? [String: Any] ?? [:]
      for (key, entry) in object {
        if let property = properties[key] as? [String: Any] {
          found += problems(entry, property, root: root, path: "\(path).\(key)")
        } else if schema["additionalProperties"] as? Bool == false {
          found.append("\(path): unexpected \(key)")
        }
      }
    }
    if let array = value as? [Any] {
      if let minimum = schema["minItems"] as? Int, array.count < minimum {
        found.append("\(path): fewer than \(minimum)")
      }
      if let items = schema["items"] as? [String: Any] {
        for (index, entry) in array.enumerated() {
          found += problems(entry, items, root: root, path: "\(path)[\(index)]")
        }
      }
    }
    return found
  }

  static func document(_ data: CaptureData, _ model: String) throws -> Any {
    let report = try EstimateReport.make(
      data: data, source: "test", modelSpecification: model,
      methods: [.wald, .logNormal, .profileLikelihood, .logWald], level: 0.9)
    return try JSONSerialization.jsonObject(with: Data(report.json().utf8))
  }

  @Test("UKdat_5, two lists (with the two-list estimators), and Ned with an interaction at −∞ are valid")
  func valid() throws {
    let schema = try Self.schema()
    let ukdat = try #require(Dataset.named("UKdat_5")).captureData()
    let twoLists = try CaptureData(csv: Array("A,B,count\n1,0,100\n0,1,80\n1,1,20\n".utf8))
    let ned = try #require(Dataset.named("Ned")).captureData()
    for (data, model) in [(ukdat, "[12,13]"), (twoLists, "A, B"), (ned, "I:K")] {
      let document = try Self.document(data, model)
      #expect(Self.problems(document, schema, root: schema) == [], "\(model)")
    }
    let nedDocument = try #require(try Self.document(ned, "I:K") as? [String: Any])
    let fit = try #require(nedDocument["fit"] as? [String: Any])
    let coefficients = try #require(fit["coefficients"] as? [[String: Any]])
    #expect(coefficients.contains { $0["atBoundary"] as? Bool == true })
  }

  @Test("select: stepwise with a re-selecting bootstrap, BIC, a parametric and a fixed-model bootstrap are valid")
  func selectDocuments() throws {
    let schema = try Self.schema("select")
    let binary = CommandRunner.productsDirectory.appendingPathComponent("darknumber")
    var kinds: Set<String> = []
    for arguments in [
      ["--example", "UKdat_5", "--bootstrap", "30"], ["--example", "UKdat_5", "--method", "bic", "--max-order", "2"],
      ["--example", "UKdat_5", "--bootstrap", "20", "--parametric"],
      ["--example", "Ned_5", "--method", "fixed", "--model", "[12,13]", "--bootstrap", "20"],
      ["--example", "Korea", "--method", "bic", "--bootstrap", "20", "--vary-ntop", "1,2,all"],
    ] {
      let run = try CommandRunner.run(binary, ["select"] + arguments + ["--format", "json", "--no-progress"])
      #expect(run.status == 0, "\(arguments): \(run.stderr)")
      let document = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
      #expect(Self.problems(document, schema, root: schema) == [], "\(arguments)")
      if let bootstrap = (document as? [String: Any])?["bootstrap"] as? [String: Any],
        let kind = bootstrap["kind"] as? String
      {
        kinds.insert(kind)
      }
    }
    #expect(kinds == ["nonparametric-reselection", "parametric-fixed-model", "nonparametric-fixed-model"])
  }

  @Test("The validator rejects a wrong type, a missing field, an unknown field and an unknown method")
  func validatorRejects() throws {
    let schema = try Self.schema()
    let ukdat = try #require(Dataset.named("UKdat_5")).captureData()
    var document = try #require(try Self.document(ukdat, "[12]") as? [String: Any])
    document["command"] = "select"
    document["extra"] = 1
    document.removeValue(forKey: "warnings")
    var intervals = try #require(document["intervals"] as? [[String: Any]])
    intervals[0]["method"] = "bootstrap"
    document["intervals"] = intervals
    let found = Self.problems(document, schema, root: schema)
    #expect(found.contains { $0.contains("missing warnings") })
    #expect(found.contains { $0.contains("unexpected extra") })
    #expect(found.contains { $0.contains("$.command") })
    #expect(found.contains { $0.contains("$.intervals[0].method") })
  }
}
