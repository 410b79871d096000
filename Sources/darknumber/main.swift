import DarkNumber
for name in ["hare", "HIV", "UKdat_5", "Ned", "Artificial_3", "spina"] {
  let data = try Dataset.named(name)!.captureData()
  for model in [LogLinearModel.mainEffects(listCount: data.listCount), .allInteractions(listCount: data.listCount, upToOrder: 2)] {
    let fit = try model.fit(to: data)
    let ci = try fit.interval(.profileLikelihood)
    print(name, model, fit.total, ci.estimate, ci.lower, ci.upper, ci.notes)
  }
}
