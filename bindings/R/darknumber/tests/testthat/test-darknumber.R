# The R front end against the engine's own JSON and the published figures the Swift tests use.

uk <- data.frame(
  LA    = c(1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
  NG    = c(1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0),
  PFNCA = c(1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0),
  GO    = c(1, 0, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0),
  GP    = c(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 1),
  count = c(1, 1, 1, 15, 19, 3, 54, 4, 62, 19, 1, 463, 76, 11, 995, 8, 695, 316)
)

cli <- function(...) {
  jsonlite::fromJSON(paste(system2(dn_binary(), c(..., "--format", "json"), stdout = TRUE), collapse = "\n"))
}

test_that("UK 2013 stepwise is 11,313 with profile interval 9,889 - 13,063", {
  fit <- dn_select("example:UKdat_5")
  expect_equal(round(fit$total), 11313)
  profile <- fit$intervals[fit$intervals$method == "profile", ]
  expect_equal(round(c(profile$lower, profile$upper)), c(9889, 13063))
  expect_identical(fit$model, cli("select", "--example", "UKdat_5")$selected$terms)
})

test_that("a data frame built in R gives the bundled table's estimate to 1e-9", {
  expect_equal(sum(uk$count), 2744)
  ours <- dn_select(uk)$total
  bundled <- cli("select", "--example", "UKdat_5")$selected$total
  expect_lt(abs(ours - bundled), 1e-9 * bundled)
})

test_that("Western is 2,483; Kosovo's posterior and tables come through", {
  expect_equal(round(dn_select("example:Western")$total), 2483)
  posterior <- dn_bayes("example:kosovo_aggregate")
  expect_equal(posterior$total, cli("bayes", "--example", "kosovo_aggregate")$posterior$median)
  expect_equal(nrow(as.data.frame(dn_models("example:kosovo_aggregate"))), 12)
  expect_equal(dn_check("example:kosovo_aggregate", model = "[12,13]")$document$code, 0)
})

test_that("formulas and specifications give the same model", {
  expect_equal(dn_estimate(uk, model = ~ LA * NG + PFNCA + GO + GP)$total,
               dn_estimate(uk, model = "[12,3,4,5]")$total)
})

test_that("a malformed data frame gets the engine's sentence as an R error", {
  bad <- uk
  bad$LA[1] <- 2
  error <- tryCatch(dn_estimate(bad), darknumber_error = function(e) e)
  expect_s3_class(error, "darknumber_error")
  expect_equal(error$status, 65)
  expect_match(conditionMessage(error), "LA")
  expect_error(dn_select("example:UKdat_5", method = "lasso"), class = "darknumber_error")
})

test_that("results print like model objects", {
  expect_output(print(dn_select("example:UKdat_5")), "N = 11,313.0")
})
