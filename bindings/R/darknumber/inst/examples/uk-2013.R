library(darknumber)
uk <- "example:UKdat_5"                          # or MultipleSystemsEstimation's UKdat_5 data.frame, as it is
dn_describe(uk)                                  # list sizes, overlaps, sparsity warnings
fit <- dn_select(uk, bootstrap = 1000)           # SparseMSE stepwise, 1,000 re-selecting replicates
print(fit)                                       # N = 11,313 with BCa, percentile and profile intervals
dn_check(uk, model = fit$model)$document$code    # 0: the MLE exists and is identifiable
bic <- dn_select(uk, method = "bic", max_order = 3, bootstrap = 1000)
dga <- dn_bayes(uk, method = "dga")              # Bayesian model averaging over decomposable graphs
sensitivity <- dn_sensitivity(uk)                # each list omitted, pairs merged, other methods
dn_report(uk, "uk-2013.html")                    # all of it as one self-contained HTML page
