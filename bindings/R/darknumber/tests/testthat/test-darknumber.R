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
  # The message names the data frame, not the temporary file it travelled in.
  expect_match(conditionMessage(error), "^the data frame `data` \\(as CSV: line 1 is its header")
  expect_error(dn_estimate(uk, model = count ~ LA), "no left-hand side")
  expect_error(dn_select("example:UKdat_5", method = "lasso"), class = "darknumber_error")
  # An option the engine does not take: its sentence, without the usage lines.
  unknown <- tryCatch(dn_select("example:UKdat_5", bogus = 1), darknumber_error = function(e) e)
  expect_equal(unknown$status, 64)
  expect_match(conditionMessage(unknown), "got the file \"1\"", fixed = TRUE)
  expect_false(grepl("Usage", conditionMessage(unknown)))
})

test_that("models are specifications and dn_estimate gives every interval by default", {
  fit <- dn_estimate("example:UKdat_5", model = ~ LA*NG + PFNCA + GO + GP)
  expect_equal(fit$model, "[12,3,4,5]")
  expect_setequal(fit$intervals$method, c("wald", "lognormal", "profile", "logwald"))
  expect_equal(dn_estimate("example:UKdat_5", intervals = "profile")$intervals$method, "profile")
})

# Three lists and a year; list C did not operate in 2010 (written by hand).
small <- data.frame(
  A     = c(1, 0, 1, 1, 0, 0, 1, 1, 0, 1),
  B     = c(0, 1, 1, 0, 1, 0, 1, 0, 1, 1),
  C     = c(0, 0, 0, 0, 0, 1, 0, 1, 1, 1),
  year  = c(2010, 2010, 2010, 2011, 2011, 2011, 2011, 2011, 2011, 2011),
  count = c(60, 50, 15, 55, 45, 40, 12, 10, 9, 3)
)

test_that("covariates and a coverage data.frame reach the engine as the CLI's files do", {
  coverage <- data.frame(year = 2010, A = 1, B = 1, C = 0)
  fit <- dn_estimate(small, covariates = "year", coverage = coverage)
  files <- c(tempfile(fileext = ".csv"), tempfile(fileext = ".csv"))
  on.exit(unlink(files))
  write.csv(small, files[1], row.names = FALSE)
  write.csv(coverage, files[2], row.names = FALSE)
  document <- cli("estimate", files[1], "--covariates", "year", "--coverage", files[2])
  expect_equal(fit$total, document$estimate$total, tolerance = 1e-12)
  # C's four observable histories in 2010 are structural zeros.
  expect_equal(fit$document$structuralZeros, 4)
  expect_equal(as.data.frame(fit)$total, document$breakdown$total, tolerance = 1e-12)
  by_level <- dn_breakdown(fit, "lognormal")
  expect_equal(by_level$level, c("2010", "2011"))
  expect_equal(by_level$lower[1], with(document$breakdown$intervals[[1]], lower[method == "lognormal"]),
               tolerance = 1e-12)
  naive <- dn_estimate(small, covariates = "year")
  expect_gt(abs(naive$document$breakdown$total[1] - fit$document$breakdown$total[1]), 10)
  # Records on a list that did not operate are the engine's error.
  wrong <- data.frame(year = 2011, A = 1, B = 1, C = 0)
  expect_error(dn_estimate(small, covariates = "year", coverage = wrong), class = "darknumber_error")
})

test_that("sensitivity, validation and options beyond the named arguments match the CLI", {
  sensitivity <- dn_sensitivity("example:UKdat_5", bayes = FALSE)
  expect_equal(round(sensitivity$total), 11313)
  expect_equal(sensitivity$document$rows, cli("sensitivity", "--example", "UKdat_5", "--no-bayes")$rows)
  validation <- dn_validate("example:kosovo_aggregate", methods = c("mt", "stepwise", "bic"))
  expect_equal(validation$document, cli("validate", "--example", "kosovo_aggregate", "--method", "mt", "stepwise",
                                        "bic", "--no-progress"))
  top <- dn_select("example:UKdat_5", method = "bic", bootstrap = 40, ntop = 5, vary_ntop = c(1, 5, "all"))
  expect_equal(top$document$ntop, cli("select", "--example", "UKdat_5", "--method", "bic", "--bootstrap", "40",
                                      "--ntop", "5", "--vary-ntop", "1,5,all", "--no-progress")$ntop)
})

test_that("CSV outputs asked for with TRUE come back as tables equal to the CLI's files", {
  path <- tempfile(fileext = ".csv")
  on.exit(unlink(path))
  fit <- dn_select("example:UKdat_5", bootstrap = 30, replicates_csv = TRUE)
  system2(dn_binary(), c("select", "--example", "UKdat_5", "--bootstrap", "30", "--replicates-csv", path,
                         "--no-progress"), stdout = FALSE)
  expect_equal(fit$document$replicates, read.csv(path))
  expect_equal(nrow(fit$document$replicates), 30)
  expect_match(dn_version(), "^[0-9]+\\.[0-9]+")
})

test_that("Kosovo's dga interval covers the true toll, 10,401 (Ball et al. 2002)", {
  posterior <- dn_bayes("example:kosovo_aggregate", method = "dga")
  credible <- posterior$intervals[abs(posterior$intervals$level - 0.95) < 1e-9, ]
  expect_true(credible$lower <= 10401 && 10401 <= credible$upper)
})

test_that("a simulation from a scenario list equals the CLI on the same scenario file", {
  scenario <- list(name = "three lists", populationSize = 2000,
                   lists = list(list(name = "A", probability = 0.2), list(name = "B", probability = 0.3),
                                list(name = "C", probability = 0.25)))
  path <- tempfile(fileext = ".json")
  on.exit(unlink(path))
  jsonlite::write_json(scenario, path, auto_unbox = TRUE)
  study <- dn_simulate(scenario, replicates = 20, seed = 3)
  expect_equal(study$document$summary, cli("simulate", "run", path, "--replicates", "20", "--seed", "3",
                                           "--no-progress")$summary)
  expect_equal(nrow(as.data.frame(study)), 2)
  shards <- c(tempfile(fileext = ".json"), tempfile(fileext = ".json"))
  on.exit(unlink(shards), add = TRUE)
  for (i in 1:2) dn_simulate(scenario, replicates = 20, seed = 3, shard = paste0(i, "/2"), output = shards[i])
  expect_equal(dn_simulate_merge(shards)$document$summary, study$document$summary)
})

test_that("the report is written where asked", {
  path <- tempfile(fileext = ".html")
  on.exit(unlink(path))
  expect_message(written <- dn_report("example:UKdat_5", path, bootstrap = 20, bayes = FALSE), "wrote")
  expect_identical(written, path)
  expect_match(paste(readLines(path, warn = FALSE), collapse = "\n"), "11,313")
})

test_that("logical list columns are 0/1", {
  logical <- uk
  for (name in c("LA", "NG", "PFNCA", "GO", "GP")) logical[[name]] <- logical[[name]] == 1
  expect_equal(dn_select(logical)$total, dn_select(uk)$total)
  expect_equal(dn_select(as.matrix(uk))$total, dn_select(uk)$total)
})

test_that("the UK 2013 analysis in ten lines (README) runs and gives the published figures", {
  directory <- tempfile()
  dir.create(directory)
  previous <- setwd(directory)
  on.exit({
    setwd(previous)
    unlink(directory, recursive = TRUE)
  })
  analysis <- new.env()
  expect_output(sys.source(system.file("examples", "uk-2013.R", package = "darknumber"), envir = analysis),
                "N = 11,313.0")
  expect_equal(round(analysis$fit$total), 11313)
  expect_equal(analysis$fit$document$intervals,
               cli("select", "--example", "UKdat_5", "--bootstrap", "1000", "--no-progress")$intervals)
  expect_equal(analysis$bic$total, cli("select", "--example", "UKdat_5", "--method", "bic", "--max-order", "3")$selected$total)
  expect_true(file.exists("uk-2013.html"))
})

test_that("dn_build refuses a folder that is not the repository; a wrong engine path is refused", {
  expect_error(dn_build(tempdir()), "no Package.swift")
  previous <- options(darknumber.binary = file.path(tempdir(), "no-such-engine"))
  on.exit(options(previous))
  expect_error(dn_binary(), "not an executable file")
})

test_that("results print like model objects", {
  expect_output(print(dn_select("example:UKdat_5")), "N = 11,313.0")
})
