# The R front end's overhead over the bare CLI (issue 21: at most 50 ms per call).
#
# Times `darknumber estimate --example UKdat_5 --format json` as a bare system2 call and as
# dn_estimate("example:UKdat_5") (which also parses the JSON into data frames), 30 times each,
# alternately, and prints the medians and their difference.
#
#   R CMD INSTALL -l /tmp/rlib bindings/R/darknumber
#   DARKNUMBER=$PWD/.build/release/darknumber R_LIBS=/tmp/rlib Rscript Benchmarks/bindings_overhead.R
library(darknumber)
binary <- dn_binary()
bare <- wrapped <- numeric(30)
for (i in 1:30) {
  bare[i] <- system.time(system2(binary, c("estimate", "--example", "UKdat_5", "--level", "0.95", "--format", "json",
                                           "--no-progress"), stdout = TRUE))[["elapsed"]]
  wrapped[i] <- system.time(dn_estimate("example:UKdat_5"))[["elapsed"]]
}
b <- 1000 * median(bare)
w <- 1000 * median(wrapped)
cat(sprintf("bare CLI %.1f ms, R call %.1f ms, overhead %.1f ms (target <= 50 ms)\n", b, w, w - b))
