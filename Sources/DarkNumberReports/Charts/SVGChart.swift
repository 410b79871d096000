import Foundation

/// Small self-contained SVG charts (no scripts, no external references) for reports: accessible
/// colours (Okabe & Ito 2008, distinguishable with colour-vision deficiencies), text at least
/// 12 px, and a `viewBox` so that they scale to a phone's width.
package enum SVGChart {
  /// Okabe–Ito colours: blue, vermillion, bluish green, orange, reddish purple, sky blue, yellow.
  package static let palette = ["#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#F0E442"]
  package static let ink = "#222222"
  package static let grid = "#DDDDDD"

  /// Escapes text for XML.
  package static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
  }

  package static func number(_ value: Double) -> String { String(format: "%.1f", value) }

  /// "Nice" tick values covering `low…high` (about `count` of them).
  package static func ticks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
    guard high > low, low.isFinite, high.isFinite else { return [low] }
    let raw = (high - low) / Double(count)
    let magnitude = pow(10, floor(log10(raw)))
    let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
    var value = ceil(low / step) * step
    var result: [Double] = []
    while value <= high + step * 1e-9 {
      result.append(value)
      value += step
    }
    return result
  }

  /// A tick label: thousands separated, no decimals for large values.
  package static func label(_ value: Double) -> String {
    abs(value) >= 100 ? NumberText.grouped(value, digits: 0) : NumberText.significant(value)
  }

  package static func open(width: Int, height: Int, title: String) -> String {
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\" role=\"img\" aria-label=\"\(escape(title))\" font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\" font-size=\"13\"><title>\(escape(title))</title>"
  }

  /// One labelled row: a point with a horizontal interval.
  package struct IntervalRow {
    let label: String
    let group: String
    let estimate: Double?
    let lower: Double?
    let upper: Double?
    let note: String?
  }

  /// Points with horizontal intervals, one row each, coloured by group; optional reference lines
  /// (the observed total, a known truth).
  package static func intervals(_ rows: [IntervalRow], title: String, axis: String, references: [(String, Double)] = [])
    -> String
  {
    let rowHeight = 22
    let left = 230
    let width = 760
    let right = 30
    let top = 34
    let height = top + rows.count * rowHeight + 50
    let values = rows.flatMap { [$0.estimate, $0.lower, $0.upper].compactMap { $0 } } + references.map(\.1)
    var low = values.min() ?? 0
    var high = values.max() ?? 1
    if high <= low { high = low + 1 }
    let pad = (high - low) * 0.05
    low = max(0, low - pad)
    high += pad
    let plotWidth = Double(width - left - right)
    func x(_ value: Double) -> Double { Double(left) + (value - low) / (high - low) * plotWidth }
    var svg = open(width: width, height: height, title: title)
    svg += "<text x=\"10\" y=\"16\" font-weight=\"600\" fill=\"\(ink)\">\(escape(title))</text>"
    let bottom = top + rows.count * rowHeight
    for tick in ticks(low, high) {
      svg +=
        "<line x1=\"\(number(x(tick)))\" x2=\"\(number(x(tick)))\" y1=\"\(top - 4)\" y2=\"\(bottom)\" stroke=\"\(grid)\"/>"
      svg +=
        "<text x=\"\(number(x(tick)))\" y=\"\(bottom + 16)\" text-anchor=\"middle\" fill=\"\(ink)\">\(escape(label(tick)))</text>"
    }
    svg +=
      "<text x=\"\(left + Int(plotWidth / 2))\" y=\"\(bottom + 36)\" text-anchor=\"middle\" fill=\"\(ink)\">\(escape(axis))</text>"
    for (index, reference) in references.enumerated() {
      let colour = index == 0 ? "#555555" : palette[1]
      svg +=
        "<line x1=\"\(number(x(reference.1)))\" x2=\"\(number(x(reference.1)))\" y1=\"\(top - 4)\" y2=\"\(bottom)\" stroke=\"\(colour)\" stroke-dasharray=\"4 3\"/>"
      svg +=
        "<text x=\"\(number(x(reference.1) + 4))\" y=\"\(top - 6)\" text-anchor=\"start\" font-size=\"12\" fill=\"\(colour)\">\(escape(reference.0))</text>"
    }
    var groups: [String] = []
    for row in rows where !groups.contains(row.group) { groups.append(row.group) }
    for (index, row) in rows.enumerated() {
      let y = top + index * rowHeight + rowHeight / 2
      let colour = palette[(groups.firstIndex(of: row.group) ?? 0) % palette.count]
      svg += "<text x=\"\(left - 8)\" y=\"\(y + 4)\" text-anchor=\"end\" fill=\"\(ink)\">\(escape(row.label))</text>"
      if let lower = row.lower, let upper = row.upper {
        svg +=
          "<line x1=\"\(number(x(lower)))\" x2=\"\(number(x(upper)))\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"\(colour)\" stroke-width=\"2\"/>"
      } else if let lower = row.lower {
        svg +=
          "<line x1=\"\(number(x(lower)))\" x2=\"\(number(x(high)))\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"\(colour)\" stroke-width=\"2\" stroke-dasharray=\"2 2\"/>"
      }
      if let estimate = row.estimate {
        svg +=
          "<circle cx=\"\(number(x(estimate)))\" cy=\"\(y)\" r=\"4.5\" fill=\"\(colour)\"><title>\(escape(row.label)): \(escape(NumberText.grouped(estimate)))</title></circle>"
      } else {
        svg +=
          "<text x=\"\(left + 6)\" y=\"\(y + 4)\" fill=\"#777777\" font-style=\"italic\">\(escape(row.note ?? "no estimate"))</text>"
      }
    }
    // Legend.
    var legendX = left
    for (index, group) in groups.enumerated() where groups.count > 1 {
      svg += "<circle cx=\"\(legendX + 5)\" cy=\"\(height - 8)\" r=\"4.5\" fill=\"\(palette[index % palette.count])\"/>"
      svg += "<text x=\"\(legendX + 13)\" y=\"\(height - 4)\" fill=\"\(ink)\" font-size=\"12\">\(escape(group))</text>"
      legendX += 16 + group.count * 7 + 14
    }
    return svg + "</svg>"
  }

  /// A histogram of `values` with an interval shaded and the estimate marked.
  package static func histogram(
    _ values: [Double], title: String, axis: String, interval: (Double, Double)?, estimate: Double?
  )
    -> String
  {
    let width = 760
    let height = 300
    let left = 60
    let right = 30
    let top = 34
    let bottom = height - 50
    guard let minimum = values.min(), let maximum = values.max(), maximum > minimum else {
      return open(width: width, height: 60, title: title)
        + "<text x=\"10\" y=\"30\">\(escape(title)): no spread</text></svg>"
    }
    let binCount = min(40, max(10, Int(Double(values.count).squareRoot())))
    let binWidth = (maximum - minimum) / Double(binCount)
    var bins = [Int](repeating: 0, count: binCount)
    for value in values { bins[min(binCount - 1, Int((value - minimum) / binWidth))] += 1 }
    let tallest = Double(bins.max() ?? 1)
    let plotWidth = Double(width - left - right)
    func x(_ value: Double) -> Double { Double(left) + (value - minimum) / (maximum - minimum) * plotWidth }
    func y(_ count: Double) -> Double { Double(bottom) - count / tallest * Double(bottom - top) }
    var svg = open(width: width, height: height, title: title)
    svg += "<text x=\"\(left)\" y=\"20\" font-weight=\"600\" fill=\"\(ink)\">\(escape(title))</text>"
    if let interval {
      let a = x(max(minimum, interval.0))
      let b = x(min(maximum, interval.1))
      svg +=
        "<rect x=\"\(number(a))\" y=\"\(top)\" width=\"\(number(max(0, b - a)))\" height=\"\(bottom - top)\" fill=\"\(palette[5])\" fill-opacity=\"0.18\"/>"
    }
    for (index, count) in bins.enumerated() where count > 0 {
      let x0 = x(minimum + Double(index) * binWidth)
      svg +=
        "<rect x=\"\(number(x0 + 0.5))\" y=\"\(number(y(Double(count))))\" width=\"\(number(max(1, plotWidth / Double(binCount) - 1)))\" height=\"\(number(Double(bottom) - y(Double(count))))\" fill=\"\(palette[0])\"/>"
    }
    for tick in ticks(minimum, maximum) {
      svg +=
        "<text x=\"\(number(x(tick)))\" y=\"\(bottom + 16)\" text-anchor=\"middle\" fill=\"\(ink)\">\(escape(label(tick)))</text>"
    }
    svg += "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(bottom)\" y2=\"\(bottom)\" stroke=\"\(ink)\"/>"
    svg +=
      "<text x=\"\(left + Int(plotWidth / 2))\" y=\"\(bottom + 36)\" text-anchor=\"middle\" fill=\"\(ink)\">\(escape(axis))</text>"
    if let estimate, estimate >= minimum, estimate <= maximum {
      svg +=
        "<line x1=\"\(number(x(estimate)))\" x2=\"\(number(x(estimate)))\" y1=\"\(top)\" y2=\"\(bottom)\" stroke=\"\(palette[1])\" stroke-width=\"2\"/>"
    }
    return svg + "</svg>"
  }

  /// Points `(x, y)` with axes; `highlight` marks one point.
  package static func scatter(
    _ points: [(Double, Double)], title: String, xAxis: String, yAxis: String, highlight: (Double, Double)?
  ) -> String {
    let width = 760
    let height = 340
    let left = 80
    let right = 30
    let top = 34
    let bottom = height - 50
    guard let xs = points.map(\.0).min(), let xe = points.map(\.0).max(),
      let ys = points.map(\.1).min(), let ye = points.map(\.1).max()
    else { return open(width: width, height: 60, title: title) + "<text x=\"10\" y=\"30\">no points</text></svg>" }
    let (x0, x1) = xe > xs ? (xs, xe) : (xs - 1, xs + 1)
    let (y0, y1) = ye > ys ? (ys, ye) : (ys - 1, ys + 1)
    let plotWidth = Double(width - left - right)
    func px(_ v: Double) -> Double { Double(left) + (v - x0) / (x1 - x0) * plotWidth }
    func py(_ v: Double) -> Double { Double(bottom) - (v - y0) / (y1 - y0) * Double(bottom - top) }
    var svg = open(width: width, height: height, title: title)
    svg += "<text x=\"\(left)\" y=\"20\" font-weight=\"600\" fill=\"\(ink)\">\(escape(title))</text>"
    for tick in ticks(x0, x1) {
      svg +=
        "<line x1=\"\(number(px(tick)))\" x2=\"\(number(px(tick)))\" y1=\"\(top)\" y2=\"\(bottom)\" stroke=\"\(grid)\"/><text x=\"\(number(px(tick)))\" y=\"\(bottom + 16)\" text-anchor=\"middle\" fill=\"\(ink)\">\(escape(label(tick)))</text>"
    }
    for tick in ticks(y0, y1) {
      svg +=
        "<line x1=\"\(left)\" x2=\"\(width - right)\" y1=\"\(number(py(tick)))\" y2=\"\(number(py(tick)))\" stroke=\"\(grid)\"/><text x=\"\(left - 6)\" y=\"\(number(py(tick) + 4))\" text-anchor=\"end\" fill=\"\(ink)\">\(escape(label(tick)))</text>"
    }
    for point in points {
      svg +=
        "<circle cx=\"\(number(px(point.0)))\" cy=\"\(number(py(point.1)))\" r=\"2.5\" fill=\"\(palette[0])\" fill-opacity=\"0.55\"/>"
    }
    if let highlight {
      svg +=
        "<circle cx=\"\(number(px(highlight.0)))\" cy=\"\(number(py(highlight.1)))\" r=\"6\" fill=\"none\" stroke=\"\(palette[1])\" stroke-width=\"2.5\"/>"
    }
    svg +=
      "<text x=\"\(left + Int(plotWidth / 2))\" y=\"\(bottom + 36)\" text-anchor=\"middle\" fill=\"\(ink)\">\(escape(xAxis))</text>"
    svg +=
      "<text transform=\"translate(16 \(top + (bottom - top) / 2)) rotate(-90)\" text-anchor=\"middle\" fill=\"\(ink)\">\(escape(yAxis))</text>"
    return svg + "</svg>"
  }

  /// A curve `y(x)` with a horizontal cut-off line and vertical marks.
  package static func curve(
    _ points: [(Double, Double)], title: String, xAxis: String, yAxis: String, cutoff: Double?, marks: [Double]
  ) -> String {
    var svg = scatter(points, title: title, xAxis: xAxis, yAxis: yAxis, highlight: nil)
    guard points.count >= 2, let xs = points.map(\.0).min(), let xe = points.map(\.0).max(),
      let ys = points.map(\.1).min(), let ye = points.map(\.1).max(), xe > xs, ye > ys
    else { return svg }
    let left = 80.0
    let plotWidth = 760.0 - 80 - 30
    let top = 34.0
    let bottom = 290.0
    func px(_ v: Double) -> Double { left + (v - xs) / (xe - xs) * plotWidth }
    func py(_ v: Double) -> Double { bottom - (v - ys) / (ye - ys) * (bottom - top) }
    var path = "M"
    for (index, point) in points.enumerated() {
      path += (index == 0 ? "" : " L") + "\(number(px(point.0))) \(number(py(point.1)))"
    }
    var extra = "<path d=\"\(path)\" fill=\"none\" stroke=\"\(palette[0])\" stroke-width=\"2\"/>"
    if let cutoff, cutoff >= ys, cutoff <= ye {
      extra +=
        "<line x1=\"\(left)\" x2=\"\(left + plotWidth)\" y1=\"\(number(py(cutoff)))\" y2=\"\(number(py(cutoff)))\" stroke=\"\(palette[1])\" stroke-dasharray=\"5 3\"/>"
    }
    for mark in marks where mark >= xs && mark <= xe {
      extra +=
        "<line x1=\"\(number(px(mark)))\" x2=\"\(number(px(mark)))\" y1=\"\(top)\" y2=\"\(bottom)\" stroke=\"\(palette[2])\" stroke-dasharray=\"3 3\"/>"
    }
    svg.removeLast("</svg>".count)
    return svg + extra + "</svg>"
  }
}
