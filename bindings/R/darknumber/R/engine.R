# Finding and calling the darknumber engine, as cmdstanr calls CmdStan.

#' @noRd
dn_candidates <- function() {
  here <- normalizePath(getwd(), mustWork = FALSE)
  parents <- character(0)
  repeat {
    parents <- c(parents, file.path(here, ".build", "release", "darknumber"))
    up <- dirname(here)
    if (identical(up, here)) break
    here <- up
  }
  c(getOption("darknumber.binary", ""), Sys.getenv("DARKNUMBER", ""), parents, Sys.which("darknumber"))
}

dn_binary <- function() {
  for (candidate in dn_candidates()) {
    if (nzchar(candidate) && file.exists(candidate) && file.access(candidate, 1) == 0) return(candidate)
  }
  stop("the darknumber engine was not found: set options(darknumber.binary = PATH) or DARKNUMBER, ",
       "or build it with `swift build -c release --product darknumber` in the repository", call. = FALSE)
}

dn_data_arguments <- function(data, per_person) {
  if (is.data.frame(data)) {
    path <- tempfile(fileext = ".csv")
    utils::write.csv(data, path, row.names = FALSE, quote = FALSE)
    return(list(arguments = c(path, if (per_person) "--per-person"), temporary = path))
  }
  if (is.character(data) && length(data) == 1 && startsWith(data, "example:")) {
    return(list(arguments = c("--example", substring(data, 9)), temporary = NULL))
  }
  if (is.character(data) && length(data) == 1) {
    return(list(arguments = c(data, if (per_person) "--per-person"), temporary = NULL))
  }
  stop("data must be a data.frame, a CSV path, or \"example:NAME\"", call. = FALSE)
}

dn_run <- function(command, data, arguments = character(0), per_person = FALSE) {
  input <- dn_data_arguments(data, per_person)
  if (!is.null(input$temporary)) on.exit(unlink(input$temporary), add = TRUE)
  quiet <- if (command %in% c("select", "bayes")) "--no-progress" else character(0)
  err <- tempfile()
  on.exit(unlink(err), add = TRUE)
  out <- suppressWarnings(system2(dn_binary(), c(command, shQuote(input$arguments), arguments, "--format", "json", quiet),
                                  stdout = TRUE, stderr = err))
  status <- attr(out, "status")
  if (!is.null(status) && status != 0) {
    message <- readLines(err, warn = FALSE)
    text <- if (length(message)) message[1] else paste("darknumber exited with", status)
    text <- sub("^(darknumber: error: |Error: )", "", text)
    stop(structure(class = c("darknumber_error", "error", "condition"),
                   list(message = text, call = NULL, status = status)))
  }
  jsonlite::fromJSON(paste(out, collapse = "\n"), simplifyVector = TRUE)
}

dn_model_argument <- function(model) {
  if (is.null(model)) return(character(0))
  if (inherits(model, "formula")) {
    labels <- attr(stats::terms(model), "term.labels")
    return(c("--model", shQuote(paste(labels, collapse = ", "))))
  }
  c("--model", shQuote(model))
}

dn_result <- function(command, document) {
  total <- NULL
  model <- NULL
  if (is.list(document$estimate)) total <- document$estimate$total
  if (is.list(document$model) && !is.null(document$model$terms)) model <- document$model$terms
  if (is.list(document$selected)) {
    total <- document$selected$total
    model <- document$selected$terms
  }
  if (is.null(total) && is.list(document$posterior)) total <- document$posterior$median
  intervals <- document$intervals
  if (is.data.frame(intervals)) {
    method <- if (!is.null(intervals$method)) intervals$method else rep("credible", nrow(intervals))
    intervals <- data.frame(method = method, level = intervals$level,
                            lower = if (is.null(intervals$lower)) NA_real_ else intervals$lower,
                            upper = if (is.null(intervals$upper)) NA_real_ else intervals$upper)
  } else {
    intervals <- data.frame(method = character(0), level = numeric(0), lower = numeric(0), upper = numeric(0))
  }
  structure(list(command = command, total = total, model = model, intervals = intervals,
                 warnings = unlist(document$warnings), document = document),
            class = "darknumber_result")
}
