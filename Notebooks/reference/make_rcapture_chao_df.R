# Rcapture's Mh Chao (LB) on number-of-captures data over many occasions and truncations, where
# several Chao eta are dropped and those at -Inf are judged by glm's early-stopped values:
# writes Tests/DarkNumberTests/Fixtures/rcapture-chao-df.csv (N, SE, deviance, df, AIC, BIC).
# Needs Rcapture 1.4-4 (from its CRAN source) in R's library path.
# Run from the repository root:  Rscript Notebooks/reference/make_rcapture_chao_df.R
suppressMessages(library(Rcapture))
tables <- "Sources/DarkNumber/Datasets/CSV/captures-per-unit"
cases <- rbind(
  data.frame(table = "BBS2001", t = "50", t0 = 36:50),
  data.frame(table = "BBS2001", t = as.character(c(37:45, 55, 60, 70, 80, 100)), t0 = 0),
  data.frame(table = "cbird", t = as.character(7:30), t0 = 0),
  data.frame(table = "ill", t = c(as.character(c(7:20, 30, 50)), "Inf"), t0 = 0)
)
rows <- lapply(seq_len(nrow(cases)), function(i) {
  data <- read.csv(file.path(tables, paste0(cases$table[i], ".csv")))
  t <- if (cases$t[i] == "Inf") Inf else as.numeric(cases$t[i])
  t0 <- if (cases$t0[i] == 0) NULL else cases$t0[i]
  fit <- suppressWarnings(closedp.0(data, dfreq = TRUE, dtype = "nbcap", t = t, t0 = t0))
  r <- fit$results["Mh Chao (LB)", ]
  data.frame(cases[i, ], abundance = r[["abundance"]], stderr = r[["stderr"]], deviance = r[["deviance"]],
             df = r[["df"]], AIC = r[["AIC"]], BIC = r[["BIC"]])
})
out <- do.call(rbind, rows)
write.csv(out, "Tests/DarkNumberTests/Fixtures/rcapture-chao-df.csv", row.names = FALSE)
cat(sprintf("wrote %d rows (Rcapture %s, %s)\n", nrow(out), packageVersion("Rcapture"), R.version.string))
