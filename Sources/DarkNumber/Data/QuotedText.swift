/// Text from an input, quoted for an error message: control characters written as escapes (`\n`,
/// `\r`, `\t`, `\0`, `\u{1B}`) so the message stays one line, and anything beyond 40 characters cut
/// with "…" so a 5 MB field is not echoed whole.
package func quoted(_ text: some StringProtocol) -> String {
  var result = "\""
  var count = 0
  for scalar in text.unicodeScalars {
    if count == 40 {
      result += "…"
      break
    }
    count += 1
    switch scalar {
    case "\n": result += "\\n"
    case "\r": result += "\\r"
    case "\t": result += "\\t"
    case "\0": result += "\\0"
    case "\"": result += "\\\""
    default:
      let category = scalar.properties.generalCategory
      if category == .control || (category == .format && scalar != "\u{FEFF}") {
        result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
      } else {
        result.unicodeScalars.append(scalar)
      }
    }
  }
  return result + "\""
}
