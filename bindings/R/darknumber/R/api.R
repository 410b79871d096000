dn_estimate <- function(data, model = NULL, intervals = c("logwald", "profile"), level = 0.95,
                        per_person = FALSE) {
  arguments <- c(dn_model_argument(model), "--interval", intervals, "--level", level)
  dn_result("estimate", dn_run("estimate", data, arguments, per_person))
}

dn_select <- function(data, method = "stepwise", bootstrap = 0, seed = NULL, max_order = NULL,
                      per_person = FALSE) {
  arguments <- c("--method", method, "--bootstrap", bootstrap,
                 if (!is.null(seed)) c("--seed", seed), if (!is.null(max_order)) c("--max-order", max_order))
  dn_result("select", dn_run("select", data, arguments, per_person))
}

dn_models <- function(data, per_person = FALSE) {
  dn_result("models", dn_run("models", data, character(0), per_person))
}

dn_search <- function(data, max_order = NULL, per_person = FALSE) {
  arguments <- if (!is.null(max_order)) c("--max-order", max_order) else character(0)
  dn_result("search", dn_run("search", data, arguments, per_person))
}

dn_check <- function(data, model = NULL, per_person = FALSE) {
  dn_result("check", dn_run("check", data, dn_model_argument(model), per_person))
}

dn_describe <- function(data, per_person = FALSE) {
  dn_result("describe", dn_run("describe", data, character(0), per_person))
}

dn_bayes <- function(data, method = "dga", seed = NULL, per_person = FALSE) {
  arguments <- c("--method", method, if (!is.null(seed)) c("--seed", seed))
  dn_result("bayes", dn_run("bayes", data, arguments, per_person))
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
    if (!is.na(row$lower) && !is.na(row$upper)) {
      cat(sprintf("  %-20s %3.0f%%  %s - %s\n", row$method, 100 * row$level,
                  format(round(row$lower, 1), big.mark = ",", nsmall = 1),
                  format(round(row$upper, 1), big.mark = ",", nsmall = 1)))
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
    preferred <- intersect(c("models", "histories", "intervals"), names(tables))
    table <- if (length(preferred)) preferred[1] else names(tables)[1]
  }
  flat <- jsonlite::flatten(tables[[table]])
  as.data.frame(flat, row.names = row.names, optional = optional, ...)
}
