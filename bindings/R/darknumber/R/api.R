# The engine's commands as R functions. Every number comes from the engine's JSON. Other engine
# options are passed in `...` as name = value (underscores and dots become dashes).

dn_joined <- function(values) if (is.null(values)) NULL else paste(values, collapse = ",")

dn_estimate <- function(data, model = NULL, intervals = NULL, level = 0.95,
                        covariates = NULL, per_person = FALSE, ...) {
  options <- c(list(model = model, interval = intervals, level = level, covariates = dn_joined(covariates)),
               list(...))
  dn_result("estimate", dn_run("estimate", data, options, per_person))
}

dn_select <- function(data, method = "stepwise", bootstrap = 0, seed = NULL, max_order = NULL,
                      covariates = NULL, per_person = FALSE, ...) {
  options <- c(list(method = method, bootstrap = bootstrap, seed = seed, max_order = max_order,
                    covariates = dn_joined(covariates)), list(...))
  dn_result("select", dn_run("select", data, options, per_person))
}

dn_models <- function(data, per_person = FALSE, ...) {
  dn_result("models", dn_run("models", data, list(...), per_person))
}

dn_search <- function(data, max_order = NULL, per_person = FALSE, ...) {
  dn_result("search", dn_run("search", data, c(list(max_order = max_order), list(...)), per_person))
}

dn_check <- function(data, model = NULL, per_person = FALSE) {
  dn_result("check", dn_run("check", data, list(model = model), per_person))
}

dn_describe <- function(data, per_person = FALSE) {
  dn_result("describe", dn_run("describe", data, list(), per_person))
}

dn_bayes <- function(data, method = "dga", seed = NULL, per_person = FALSE, ...) {
  dn_result("bayes", dn_run("bayes", data, c(list(method = method, seed = seed), list(...)), per_person))
}

dn_validate <- function(data, methods = c("mt", "stepwise"), per_person = FALSE, ...) {
  dn_result("validate", dn_run("validate", data, c(list(method = methods), list(...)), per_person))
}

dn_sensitivity <- function(data, method = "stepwise", bayes = TRUE, seed = NULL, per_person = FALSE, ...) {
  options <- c(list(method = method, no_bayes = !isTRUE(bayes), seed = seed), list(...))
  dn_result("sensitivity", dn_run("sensitivity", data, options, per_person))
}

dn_report <- function(data, output = "darknumber-report.html", covariates = NULL, bayes = TRUE,
                      per_person = FALSE, ...) {
  options <- c(list(output = output, covariates = dn_joined(covariates), no_bayes = !isTRUE(bayes)), list(...))
  dn_run("report", data, options, per_person, json = FALSE)
  invisible(output)
}

dn_simulate <- function(scenario, replicates = 100, estimators = c("mt", "stepwise"), seed = NULL, ...) {
  state <- dn_arguments()
  if (is.list(scenario)) {
    path <- tempfile(fileext = ".json")
    jsonlite::write_json(scenario, path, auto_unbox = TRUE, digits = NA)
    state$temporaries <- path
    state$values <- path
  } else if (is.character(scenario) && length(scenario) == 1) {
    state$values <- scenario
  } else {
    stop("scenario must be a list or the path of a JSON scenario file", call. = FALSE)
  }
  dn_preparing(state, dn_add_options(state, c(list(replicates = replicates, estimators = dn_joined(estimators),
                                                   seed = seed), list(...))))
  dn_result("simulate", dn_call(c("simulate", "run"), state))
}

dn_simulate_merge <- function(files) {
  state <- dn_arguments()
  state$values <- as.character(files)
  dn_result("simulate", dn_call(c("simulate", "merge"), state))
}

dn_breakdown <- function(x, method = "lognormal") {
  entries <- x$document[["breakdown"]]
  if (!is.data.frame(entries)) stop("no breakdown: ", x$command, " was not run with covariates", call. = FALSE)
  limits <- lapply(entries$intervals, function(intervals) {
    row <- intervals[intervals$method == method, ]
    if (!nrow(row)) return(c(NA_real_, NA_real_))
    c(row$lower[1], if (isTRUE(row$upperUnbounded[1])) NA_real_ else row$upper[1])
  })
  data.frame(covariate = entries$covariate, level = entries$level, observed = entries$observed,
             total = entries$total, standardError = entries$standardError,
             lower = vapply(limits, `[`, numeric(1), 1), upper = vapply(limits, `[`, numeric(1), 2))
}

print.darknumber_result <- function(x, ...) {
  if (!is.null(x$total)) {
    cat(sprintf("DarkNumber %s: N = %s\n", x$command, format(round(x$total, 1), big.mark = ",", nsmall = 1)))
  } else {
    cat(sprintf("DarkNumber %s\n", x$command))
  }
  if (!is.null(x$model)) cat(sprintf("  model %s\n", x$model))
  for (i in seq_len(nrow(x$intervals))) {
    row <- x$intervals[i, ]
    if (!is.na(row$lower)) {
      upper <- if (is.na(row$upper)) "unbounded" else format(round(row$upper, 1), big.mark = ",", nsmall = 1)
      cat(sprintf("  %-20s %3.0f%%  %s - %s\n", row$method, 100 * row$level,
                  format(round(row$lower, 1), big.mark = ",", nsmall = 1), upper))
    }
  }
  for (warning in x$warnings) cat("  warning:", warning, "\n")
  invisible(x)
}

summary.darknumber_result <- function(object, ...) {
  print(object)
  tables <- Filter(is.data.frame, object$document)
  if (length(tables)) cat("  tables:", paste(names(tables), collapse = ", "), "\n")
  invisible(object)
}

as.data.frame.darknumber_result <- function(x, row.names = NULL, optional = FALSE, table = NULL, ...) {
  tables <- Filter(is.data.frame, x$document)
  if (is.null(table)) {
    preferred <- intersect(c("models", "rows", "summary", "breakdown", "histories", "intervals"), names(tables))
    table <- if (length(preferred)) preferred[1] else names(tables)[1]
  }
  flat <- jsonlite::flatten(tables[[table]])
  as.data.frame(flat, row.names = row.names, optional = optional, ...)
}
