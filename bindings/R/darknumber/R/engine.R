# Finding, building and calling the darknumber engine, as cmdstanr calls CmdStan.

# Options whose values the engine reads as one comma-separated list; other vectors repeat the option.
dn_comma_separated <- c("covariates", "estimators", "vary-ntop", "candidates")

# Commands that take --progress/--no-progress (a pipe is no terminal; this keeps stderr to errors).
dn_quiet_commands <- c("estimate", "select", "search", "bayes", "validate", "sensitivity", "report", "simulate")

dn_repository_builds <- function() {
  here <- normalizePath(getwd(), mustWork = FALSE)
  builds <- character(0)
  repeat {
    builds <- c(builds, file.path(here, ".build", "release", "darknumber"))
    up <- dirname(here)
    if (identical(up, here)) break
    here <- up
  }
  builds
}

dn_binary <- function() {
  configured <- c(`options(darknumber.binary)` = getOption("darknumber.binary", ""),
                  DARKNUMBER = Sys.getenv("DARKNUMBER", ""))
  for (name in names(configured)) {
    path <- configured[[name]]
    if (!nzchar(path)) next
    if (!file.exists(path) || dir.exists(path) || file.access(path, 1) != 0) {
      stop(name, " names ", path, ", which is not an executable file", call. = FALSE)
    }
    return(path)
  }
  for (candidate in c(dn_repository_builds(), Sys.which("darknumber"))) {
    if (nzchar(candidate) && file.exists(candidate) && file.access(candidate, 1) == 0) return(unname(candidate))
  }
  stop("the darknumber engine was not found: set options(darknumber.binary = PATH) or DARKNUMBER, ",
       "or build it with dn_build(repository)", call. = FALSE)
}

dn_build <- function(repository = ".") {
  root <- normalizePath(repository, mustWork = FALSE)
  if (!file.exists(file.path(root, "Package.swift"))) {
    stop(root, " is not the DarkNumber repository (no Package.swift)", call. = FALSE)
  }
  log <- tempfile()
  on.exit(unlink(log), add = TRUE)
  status <- dn_in_directory(root, system2("swift", c("build", "-c", "release", "--product", "darknumber"),
                                    stdout = log, stderr = log))
  if (!identical(as.integer(status), 0L)) {
    stop("swift build failed: ", paste(utils::tail(readLines(log, warn = FALSE), 5), collapse = "\n"), call. = FALSE)
  }
  path <- file.path(root, ".build", "release", "darknumber")
  options(darknumber.binary = path)
  invisible(path)
}

dn_in_directory <- function(directory, code) {
  previous <- setwd(directory)
  on.exit(setwd(previous), add = TRUE)
  force(code)
}

# A command line under construction: data frames and scenarios become temporary files.
dn_arguments <- function() {
  state <- new.env()
  state$values <- character(0)
  state$temporaries <- character(0)
  state$labels <- list()
  # CSV files the engine writes on request (draws_csv = TRUE), by table name ("draws").
  state$outputs <- list()
  state
}

dn_write_frame <- function(state, frame, argument) {
  for (name in names(frame)) if (is.logical(frame[[name]])) frame[[name]] <- as.integer(frame[[name]])
  path <- tempfile(fileext = ".csv")
  utils::write.csv(frame, path, row.names = FALSE)
  state$temporaries <- c(state$temporaries, path)
  # What the file holds, for the engine's messages.
  state$labels[[path]] <- sprintf("the data frame `%s` (as CSV: line 1 is its header, line k + 1 its row k)", argument)
  path
}

dn_add_data <- function(state, data, per_person) {
  if (is.matrix(data) && !is.null(colnames(data))) data <- as.data.frame(data)
  if (is.data.frame(data)) {
    state$values <- c(state$values, dn_write_frame(state, data, "data"))
  } else if (is.character(data) && length(data) == 1 && startsWith(data, "example:")) {
    state$values <- c(state$values, "--example", substring(data, 9))
    return(invisible(state))
  } else if (is.character(data) && length(data) == 1) {
    state$values <- c(state$values, data)
  } else {
    stop("data must be a data.frame (or a matrix with column names), a CSV path, or \"example:NAME\"",
         call. = FALSE)
  }
  if (isTRUE(per_person)) state$values <- c(state$values, "--per-person")
  invisible(state)
}

# name = value as --name value (underscores and dots become dashes): TRUE is a flag, FALSE and NULL
# leave the option out, a data.frame is passed as a CSV file, a vector repeats the option (or is
# joined with commas where the engine wants that). A file option ending in _csv given as TRUE
# (draws_csv = TRUE) goes to a temporary file read back as a table of the document ("draws").
dn_add_options <- function(state, options) {
  for (name in names(options)) {
    value <- options[[name]]
    if (is.null(value) || identical(value, FALSE)) next
    option <- gsub("[._]", "-", name)
    flag <- paste0("--", option)
    if (identical(value, TRUE) && endsWith(option, "-csv")) {
      path <- tempfile(fileext = ".csv")
      state$temporaries <- c(state$temporaries, path)
      state$outputs[[sub("-csv$", "", option)]] <- path
      state$values <- c(state$values, flag, path)
    } else if (identical(value, TRUE)) {
      state$values <- c(state$values, flag)
    } else if (identical(name, "model")) {
      state$values <- c(state$values, dn_model_argument(value))
    } else if (is.data.frame(value)) {
      state$values <- c(state$values, flag, dn_write_frame(state, value, name))
    } else if (length(value) > 1 && option %in% dn_comma_separated) {
      state$values <- c(state$values, flag, paste(value, collapse = ","))
    } else {
      for (item in value) state$values <- c(state$values, flag, format(item, scientific = FALSE, trim = TRUE))
    }
  }
  invisible(state)
}

dn_call <- function(command, state, json = TRUE) {
  on.exit(unlink(state$temporaries), add = TRUE)
  quiet <- if (command[1] %in% dn_quiet_commands && !identical(command[length(command)], "merge")) "--no-progress"
  err <- tempfile()
  on.exit(unlink(err), add = TRUE)
  words <- c(command, state$values, if (json) c("--format", "json"), quiet)
  out <- suppressWarnings(system2(dn_binary(), shQuote(words), stdout = TRUE, stderr = err))
  status <- attr(out, "status")
  said <- readLines(err, warn = FALSE)
  if (!is.null(status) && status != 0) {
    text <- dn_error_message(said, status)
    for (path in names(state$labels)) text <- gsub(path, state$labels[[path]], text, fixed = TRUE)
    stop(structure(class = c("darknumber_error", "error", "condition"),
                   list(message = text, call = NULL, status = status)))
  }
  # What the engine says it did ("wrote report.html"), as it says it on a terminal.
  if (!json && length(said)) message(paste(said, collapse = "\n"))
  if (!json) return(out)
  document <- jsonlite::fromJSON(paste(out, collapse = "\n"), simplifyVector = TRUE)
  # The CSV files asked for join the document's tables.
  for (name in names(state$outputs)) document[[name]] <- utils::read.csv(state$outputs[[name]])
  document
}

dn_version <- function() {
  out <- suppressWarnings(system2(dn_binary(), "--version", stdout = TRUE, stderr = TRUE))
  if (!is.null(attr(out, "status"))) stop(dn_error_message(out, attr(out, "status")), call. = FALSE)
  out[1]
}

# The engine's sentence: its standard error without the "darknumber: error: " prefix and without
# the usage lines that follow an argument error.
dn_error_message <- function(lines, status) {
  end <- grep("^(Usage:|Help:|  See ')", lines)
  if (length(end)) lines <- lines[seq_len(end[1] - 1)]
  text <- trimws(paste(sub("^(darknumber: error: |Error: )", "", lines), collapse = "\n"))
  if (nzchar(text)) text else paste("darknumber exited with", status)
}

dn_run <- function(command, data, options = list(), per_person = FALSE, json = TRUE) {
  state <- dn_arguments()
  dn_preparing(state, {
    dn_add_data(state, data, per_person)
    dn_add_options(state, options)
  })
  dn_call(command, state, json)
}

# Evaluates `code`, which adds to `state`; on an error the temporary files written so far go.
dn_preparing <- function(state, code) {
  tryCatch(code, error = function(e) {
    unlink(state$temporaries)
    stop(e)
  })
}

dn_model_argument <- function(model) {
  if (is.null(model)) return(character(0))
  if (inherits(model, "formula")) {
    if (length(model) != 2) stop("a model formula has no left-hand side: ~ LA*NG + PFNCA", call. = FALSE)
    labels <- attr(stats::terms(model), "term.labels")
    return(c("--model", paste(labels, collapse = ", ")))
  }
  c("--model", as.character(model))
}

dn_result <- function(command, document) {
  total <- NULL
  model <- NULL
  if (is.list(document[["estimate"]])) total <- document[["estimate"]][["total"]]
  fitted <- document[["model"]]
  if (is.list(fitted) && !is.data.frame(fitted)) model <- fitted[["specification"]]
  if (is.list(document[["selected"]])) {
    total <- document[["selected"]][["total"]]
    model <- document[["selected"]][["terms"]]
  }
  if (is.null(total) && is.list(document[["posterior"]])) total <- document[["posterior"]][["median"]]
  intervals <- document[["intervals"]]
  if (is.data.frame(intervals)) {
    method <- if (!is.null(intervals[["method"]])) intervals[["method"]] else rep(NA_character_, nrow(intervals))
    intervals <- data.frame(method = method, level = intervals[["level"]],
                            lower = if (is.null(intervals[["lower"]])) NA_real_ else intervals[["lower"]],
                            upper = if (is.null(intervals[["upper"]])) NA_real_ else intervals[["upper"]])
  } else {
    intervals <- data.frame(method = character(0), level = numeric(0), lower = numeric(0), upper = numeric(0))
  }
  if (identical(command, "sensitivity") && is.data.frame(document[["rows"]])) {
    base <- document[["rows"]][document[["rows"]]$group == "base", ][1, ]
    total <- base$total
    model <- base$model
    intervals <- data.frame(method = base$interval, level = document[["level"]], lower = base$lower, upper = base$upper)
  }
  structure(list(command = command, total = total, model = model, intervals = intervals,
                 warnings = unlist(document[["warnings"]]), document = document),
            class = "darknumber_result")
}
