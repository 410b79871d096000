extension SVGChart {
  /// One column of an UpSet chart: which lists, and the count (`nil`: suppressed).
  package struct Intersection {
    let lists: [Bool]
    let count: Int?
  }

  /// An UpSet-style chart of list overlaps (Lex, Gehlenborg et al. 2014): a bar per capture
  /// history (the people on exactly those lists), the lists below as a dot matrix, largest first;
  /// suppressed counts are drawn as hatched bars of height `k` labelled `<k`.
  package static func upset(_ columns: [Intersection], listNames: [String], threshold: Int?, title: String) -> String {
    let shown = Array(columns.sorted { ($0.count ?? 0) > ($1.count ?? 0) }.prefix(40))
    let left = 120
    let columnWidth = 18
    let top = 34
    let barHeight = 180
    let dotRow = 18
    let width = max(420, left + shown.count * columnWidth + 20)
    let matrixTop = top + barHeight + 26
    let height = matrixTop + listNames.count * dotRow + 16
    let tallest = Double(shown.compactMap(\.count).max() ?? 1)
    var svg = open(width: width, height: height, title: title)
    svg +=
      "<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#777777\" stroke-width=\"2\"/></pattern></defs>"
    svg += "<text x=\"\(left)\" y=\"20\" font-weight=\"600\" fill=\"\(ink)\">\(escape(title))</text>"
    for (index, column) in shown.enumerated() {
      let x = left + index * columnWidth
      let value = Double(column.count ?? threshold ?? 1)
      let h = max(1.5, value / tallest * Double(barHeight))
      let y = Double(top + barHeight) - h
      let fill = column.count == nil ? "url(#hatch)" : palette[0]
      let label = column.count.map { NumberText.grouped(Double($0), digits: 0) } ?? "<\(threshold ?? 0)"
      let lists = zip(listNames, column.lists).filter(\.1).map(\.0).joined(separator: " & ")
      svg +=
        "<rect x=\"\(x + 2)\" y=\"\(number(y))\" width=\"\(columnWidth - 4)\" height=\"\(number(h))\" fill=\"\(fill)\" stroke=\"\(column.count == nil ? "#777777" : "none")\"><title>\(escape(lists)): \(escape(label))</title></rect>"
      svg +=
        "<text x=\"\(x + columnWidth / 2)\" y=\"\(number(y - 4))\" text-anchor=\"middle\" font-size=\"10\" fill=\"\(ink)\" transform=\"rotate(-60 \(x + columnWidth / 2) \(number(y - 4)))\">\(escape(label))</text>"
      for (row, on) in column.lists.enumerated() {
        let cy = matrixTop + row * dotRow + dotRow / 2
        svg += "<circle cx=\"\(x + columnWidth / 2)\" cy=\"\(cy)\" r=\"5\" fill=\"\(on ? ink : "#DDDDDD")\"/>"
      }
      let rows = column.lists.enumerated().filter(\.element).map(\.offset)
      if let first = rows.first, let last = rows.last, last > first {
        svg +=
          "<line x1=\"\(x + columnWidth / 2)\" x2=\"\(x + columnWidth / 2)\" y1=\"\(matrixTop + first * dotRow + dotRow / 2)\" y2=\"\(matrixTop + last * dotRow + dotRow / 2)\" stroke=\"\(ink)\" stroke-width=\"2\"/>"
      }
    }
    for (row, name) in listNames.enumerated() {
      svg +=
        "<text x=\"\(left - 8)\" y=\"\(matrixTop + row * dotRow + dotRow / 2 + 4)\" text-anchor=\"end\" fill=\"\(ink)\">\(escape(name))</text>"
    }
    svg +=
      "<text x=\"\(left - 8)\" y=\"\(top + barHeight)\" text-anchor=\"end\" font-size=\"12\" fill=\"\(ink)\">people</text>"
    if columns.count > shown.count {
      svg +=
        "<text x=\"\(left)\" y=\"\(height - 2)\" font-size=\"12\" fill=\"#555555\">the \(shown.count) largest of \(columns.count) histories</text>"
    }
    return svg + "</svg>"
  }
}
