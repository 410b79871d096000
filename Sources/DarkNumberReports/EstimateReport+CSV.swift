import DarkNumber

extension EstimateReport {
  /// One row per interval (or one row without an interval): model, N̂, SE, fit statistics.
  package func csv() -> String {
    let header = "model,observed,total,unobserved,standard_error,deviance,df,aic,bic,interval,level,lower,upper"
    let common = [
      "\"\(fit.model)\"", String(data.observedTotal), String(fit.total), String(fit.unobserved),
      String(fit.standardError), String(fit.deviance), String(fit.degreesOfFreedom),
      String(fit.aic), String(fit.bic),
    ].joined(separator: ",")
    var rows = [header]
    if intervals.isEmpty { rows.append(common + ",,,,") }
    for interval in intervals {
      let lower = interval.lower.value.map { String($0) } ?? ""
      let upper = interval.upper.value.map { String($0) } ?? "Inf"
      rows.append(common + ",\(interval.method.key),\(interval.level),\(lower),\(upper)")
    }
    return rows.joined(separator: "\n") + "\n"
  }
}
