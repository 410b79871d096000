import darknumber as dn
uk = "example:UKdat_5"                           # or a DataFrame: LA, NG, PFNCA, GO, GP, count
dn.describe(uk)                                  # list sizes, overlaps, sparsity warnings
fit = dn.select(uk, bootstrap=1000)              # SparseMSE stepwise, 1,000 re-selecting replicates
print(fit)                                       # N = 11,313 with BCa, percentile and profile intervals
dn.check(uk, model=fit.model).document["code"]   # 0: the MLE exists and is identifiable
bic = dn.select(uk, method="bic", max_order=3, bootstrap=1000)
dga = dn.bayes(uk, method="dga")                 # Bayesian model averaging over decomposable graphs
sensitivity = dn.sensitivity(uk)                 # each list omitted, pairs merged, other methods
dn.report(uk, "uk-2013.html")                    # all of it as one self-contained HTML page
