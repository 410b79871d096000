extension SVGChart {
  /// One point of a trend: a level (a year), the estimate with its interval, and the number
  /// observed (`nil` where suppressed or absent).
  package struct TrendPoint {
    let label: String
    let estimate: Double?
    let lower: Double?
    let upper: Double?
    let observed: Double?
  }

  /// The estimate by level (a year) with its interval as a shaded band and error bars, the number
  /// observed beside it as a dashed line with squares; levels without an estimate are gaps.
  package static func trend(_ points: [TrendPoint], title: String, axis: String, intervalName: String) -> String {
    let width = 760
    let left = 80.0
    let right = 30.0
    let top = 40.0
    let bottom = 300.0
    let height = Int(bottom) + 70
    let values = points.flatMap { [$0.estimate, $0.upper, $0.observed].compactMap { $0 } }
    let high = max((values.max() ?? 1) * 1.08, 1)
    let plotWidth = Double(width) - left - right
    let step = plotWidth / Double(max(points.count, 1))
    func px(_ index: Int) -> Double { left + step * (Double(index) + 0.5) }
    func py(_ value: Double) -> Double { bottom - value / high * (bottom - top) }
    var svg = open(width: width, height: height, title: title)
    svg += "<text x=\"10\" y=\"18\" font-weight=\"600\" fill=\"\(ink)\">\(escape(title))</text>"
    for tick in ticks(0, high) {
      svg +=
        "<line x1=\"\(number(left))\" x2=\"\(number(left + plotWidth))\" y1=\"\(number(py(tick)))\" y2=\"\(number(py(tick)))\" stroke=\"\(grid)\"/>"
      svg +=
        "<text x=\"\(number(left - 6))\" y=\"\(number(py(tick) + 4))\" text-anchor=\"end\" fill=\"\(ink)\">\(escape(label(tick)))</text>"
    }
    for (index, point) in points.enumerated() {
      svg +=
        "<text x=\"\(number(px(index)))\" y=\"\(number(bottom + 18))\" text-anchor=\"middle\" fill=\"\(ink)\">\(escape(point.label))</text>"
    }
    svg +=
      "<text x=\"\(number(left + plotWidth / 2))\" y=\"\(number(bottom + 40))\" text-anchor=\"middle\" fill=\"\(ink)\">\(escape(axis))</text>"
    // The band: consecutive levels with both limits.
    var run: [Int] = []
    func flushBand() {
      if run.count >= 2 {
        let upper = run.map { "\(number(px($0))) \(number(py(points[$0].upper!)))" }
        let lower = run.reversed().map { "\(number(px($0))) \(number(py(points[$0].lower!)))" }
        svg +=
          "<path d=\"M\((upper + lower).joined(separator: " L")) Z\" fill=\"\(palette[0])\" fill-opacity=\"0.15\" stroke=\"none\"/>"
      }
      run = []
    }
    for (index, point) in points.enumerated() {
      if point.lower != nil && point.upper != nil { run.append(index) } else { flushBand() }
    }
    flushBand()
    func polyline(_ value: (TrendPoint) -> Double?, colour: String, dashed: Bool) {
      var segment: [String] = []
      func flush() {
        if segment.count >= 2 {
          svg +=
            "<path d=\"M\(segment.joined(separator: " L"))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"\(dashed ? " stroke-dasharray=\"5 3\"" : "")/>"
        }
        segment = []
      }
      for (index, point) in points.enumerated() {
        if let y = value(point) { segment.append("\(number(px(index))) \(number(py(y)))") } else { flush() }
      }
      flush()
    }
    polyline({ $0.estimate }, colour: palette[0], dashed: false)
    polyline({ $0.observed }, colour: palette[1], dashed: true)
    for (index, point) in points.enumerated() {
      let x = px(index)
      if let lower = point.lower, let upper = point.upper {
        svg +=
          "<line x1=\"\(number(x))\" x2=\"\(number(x))\" y1=\"\(number(py(lower)))\" y2=\"\(number(py(upper)))\" stroke=\"\(palette[0])\" stroke-width=\"1.5\"/>"
      }
      if let estimate = point.estimate {
        var tip = "\(point.label): N̂ \(NumberText.grouped(estimate, digits: 0))"
        if let lower = point.lower, let upper = point.upper {
          tip += " (\(NumberText.grouped(lower, digits: 0)) – \(NumberText.grouped(upper, digits: 0)))"
        }
        svg +=
          "<circle cx=\"\(number(x))\" cy=\"\(number(py(estimate)))\" r=\"5\" fill=\"\(palette[0])\"><title>\(escape(tip))</title></circle>"
      } else {
        svg +=
          "<text x=\"\(number(x))\" y=\"\(number(top + 14))\" text-anchor=\"middle\" font-style=\"italic\" fill=\"#777777\">no estimate</text>"
      }
      if let observed = point.observed {
        svg +=
          "<rect x=\"\(number(x - 4))\" y=\"\(number(py(observed) - 4))\" width=\"8\" height=\"8\" fill=\"\(palette[1])\"><title>\(escape("\(point.label): observed \(NumberText.grouped(observed, digits: 0))"))</title></rect>"
      }
    }
    // Legend.
    let y = Double(height) - 10
    svg += "<circle cx=\"\(number(left + 5))\" cy=\"\(number(y - 4))\" r=\"5\" fill=\"\(palette[0])\"/>"
    svg +=
      "<text x=\"\(number(left + 14))\" y=\"\(number(y))\" fill=\"\(ink)\" font-size=\"12\">\(escape("estimated N̂ with its \(intervalName) interval"))</text>"
    svg += "<rect x=\"\(number(left + 330))\" y=\"\(number(y - 8))\" width=\"8\" height=\"8\" fill=\"\(palette[1])\"/>"
    svg +=
      "<text x=\"\(number(left + 344))\" y=\"\(number(y))\" fill=\"\(ink)\" font-size=\"12\">observed (registered)</text>"
    return svg + "</svg>"
  }
}
