# Long reference runs of conting's bict (reversible-jump MCMC over hierarchical log-linear models,
# Overstall & King 2014) for testing DarkNumber's `bayes --method loglinear` sampler against
# conting's posterior of N within a few Monte Carlo standard errors:
# writes Tests/DarkNumberBayesTests/Fixtures/conting-long.json.
#
# Set-up as in conting.json / conting-intermediates.json: every history of the 2^K table in
# expand.grid order (first list varies fastest), the lists as factors with levels c(0, 1) (bict
# itself switches to contr.sum), histories absent from the CSV are 0, the all-zero history is NA
# (the missing cell), the maximal model is all two-way interactions, null.move.prob = 0.5, the
# chain starts at bict's defaults (maximal model at its posterior mode). N is conting's own
# total_pop(): the observed total outside the missing and censored cells plus their draws.
#
# Each configuration runs 4 independent chains (set.seed(1) ... set.seed(4) before each bict call),
# (ScotPWID also seeds 5..8, summarized separately as scotpwid_sbh_cens_8chains),
# each of burn-in + kept iterations; the burn-in is dropped with total_pop(n.burnin = ...).
# bict is called with save = 1000 (and a scratch file prefix): conting then appends its draws to
# text files every 1,000 iterations and reads them back at the end, instead of growing its
# in-memory matrices with rbind (time quadratic in n.sample). The chain is unchanged: same seed,
# same Y0 and MODEL draws, BETA equal to 5e-15 (checked on Kosovo, 4,000 iterations).
#
# Needs R with conting 1.7, coda and jsonlite. Run from the repository root:
#   Rscript Notebooks/reference/make_conting_long_runs.R probe <config> <n.sample>   # speed only
#   Rscript Notebooks/reference/make_conting_long_runs.R run <config> <kept> <burnin> [seeds]
#   Rscript Notebooks/reference/make_conting_long_runs.R summarize
# As run for the fixture (one R process at a time, OPENBLAS_NUM_THREADS=1): `run <config> 75000 5000`
# for each config (seeds 1:4), then `run scotpwid_sbh_cens 75000 5000 5:8`, then `summarize`.
# `run` stores each chain in $CONTING_LONG_WORK (default /tmp/conting-long) as <config>-seed<s>.rds;
# `summarize` reads whatever chains are there and writes the JSON. Configs: kosovo_sbh,
# kosovo_uip, scotpwid_sbh_cens, ukdat5_sbh.
suppressMessages({
  library(conting)
  library(coda)
  library(jsonlite)
})

csv_dir <- "Sources/DarkNumber/Datasets/CSV"
out_path <- "Tests/DarkNumberBayesTests/Fixtures/conting-long.json"
work_dir <- Sys.getenv("CONTING_LONG_WORK", "/tmp/conting-long")
save_every <- 1000
sbh_a <- 0.001
sbh_b <- 0.001
n_batches_per_chain <- 10

configs <- list(
  kosovo_sbh = list(dataset = "kosovo_aggregate", prior = "SBH", cens_history = NULL),
  kosovo_uip = list(dataset = "kosovo_aggregate", prior = "UIP", cens_history = NULL),
  scotpwid_sbh_cens = list(dataset = "ScotPWID", prior = "SBH", cens_history = c(S1 = 0, S2 = 0, S3 = 0, S4 = 1)),
  ukdat5_sbh = list(dataset = "UKdat_5", prior = "SBH", cens_history = NULL)
)

# The full 2^K table from the aggregate CSV (columns: the lists, then count).
table_of <- function(dataset) {
  csv <- read.csv(file.path(csv_dir, paste0(dataset, ".csv")))
  lists <- setdiff(names(csv), "count")
  grid <- expand.grid(rep(list(0:1), length(lists)))
  names(grid) <- lists
  history_key <- function(frame) do.call(paste0, frame[lists])
  counts <- csv$count[match(history_key(grid), history_key(csv))]
  absent <- which(is.na(counts) & rowSums(grid) > 0)
  counts[is.na(counts)] <- 0
  counts[rowSums(grid) == 0] <- NA
  frame <- data.frame(y = counts)
  for (list in lists) frame[[list]] <- factor(grid[[list]], levels = c(0, 1))
  list(
    frame = frame, grid = grid, lists = lists,
    formula = as.formula(paste0("y ~ (", paste(lists, collapse = " + "), ")^2")),
    absent_histories = lapply(absent, function(r) unname(unlist(grid[r, ]))),
    observed = sum(csv$count)
  )
}

censored_rows <- function(cfg, tab) {
  if (is.null(cfg$cens_history)) return(NULL)
  hit <- Reduce(`&`, lapply(tab$lists, function(l) tab$grid[[l]] == cfg$cens_history[[l]]))
  which(hit)
}

call_bict <- function(cfg, tab, n_sample, prefix) {
  cens <- censored_rows(cfg, tab)
  unlink(Sys.glob(paste0(prefix, "*")))
  if (cfg$prior == "SBH") {
    fit <- bict(formula = tab$formula, data = tab$frame, n.sample = n_sample, prior = "SBH",
                cens = cens, a = sbh_a, b = sbh_b, null.move.prob = 0.5, save = save_every, name = prefix)
  } else {
    fit <- bict(formula = tab$formula, data = tab$frame, n.sample = n_sample, prior = cfg$prior,
                cens = cens, null.move.prob = 0.5, save = save_every, name = prefix)
  }
  unlink(Sys.glob(paste0(prefix, "*")))
  fit
}

# The maximal model's posterior mode from conting's beta_mode, with the design, IP and observed
# rows bict itself used (taken from the fit), checked against the fit's eta.hat.
mode_of <- function(cfg, fit) {
  X <- fit$maximal.mod$x
  y <- fit$maximal.mod$y
  drop <- c(fit$missing1, fit$missing2)
  if (cfg$prior == "SBH") {
    mode <- beta_mode(X = X[-drop, ], y = y[-drop], prior = "SBH", IP = fit$IP, a = sbh_a, b = sbh_b)
  } else {
    mode <- beta_mode(X = X[-drop, ], y = y[-drop], prior = cfg$prior, IP = fit$IP)
  }
  eta <- as.vector(X %*% mode)
  out <- list(
    call = sprintf("beta_mode(X = fit$maximal.mod$x[-c(missing1, missing2), ], y = fit$maximal.mod$y[-c(missing1, missing2)], prior = \"%s\", IP = fit$IP%s)",
                   cfg$prior, if (cfg$prior == "SBH") ", a = 0.001, b = 0.001" else ""),
    names = colnames(X), values = unname(as.vector(mode)),
    eta_hat = eta, max_abs_diff_eta_hat_vs_fit = max(abs(eta - fit$eta.hat)),
    start_y0 = round(exp(eta[drop])), missing_rows_1based = fit$missing1,
    censored_rows_1based = if (length(fit$missing2)) fit$missing2 else NULL
  )
  if (cfg$prior == "UIP") {
    # UIP: beta_{-0} ~ N(0, IP_{-0}^{-1}) (sigma^2 = 1); minus log posterior =
    # sum(mu - y * eta) + beta_{-0}' IP_{-0} beta_{-0} / 2 on the observed rows.
    Xo <- X[-drop, ]
    yo <- y[-drop]
    R <- fit$IP[-1, -1]
    gradient <- function(beta) -as.vector(crossprod(Xo, yo - exp(as.vector(Xo %*% beta)))) + c(0, as.vector(R %*% beta[-1]))
    hessian <- function(beta) crossprod(Xo * exp(as.vector(Xo %*% beta)), Xo) + rbind(0, cbind(0, R))
    polished <- as.vector(mode)
    for (step in 1:20) polished <- polished - solve(hessian(polished), gradient(polished))
    out$gradient_of_minus_log_posterior_at_values <- gradient(as.vector(mode))
    out$newton_polished_mode <- polished
    out$gradient_at_polished <- gradient(polished)
    out$max_abs_diff_beta_mode_vs_polished <- max(abs(as.vector(mode) - polished))
  }
  out
}

run_chains <- function(name, kept, burnin, seeds) {
  cfg <- configs[[name]]
  tab <- table_of(cfg$dataset)
  dir.create(work_dir, showWarnings = FALSE, recursive = TRUE)
  for (seed in seeds) {
    prefix <- file.path(work_dir, sprintf("scratch-%s-seed%d-", name, seed))
    set.seed(seed)
    start <- proc.time()[["elapsed"]]
    fit <- call_bict(cfg, tab, burnin + kept, prefix)
    wall <- proc.time()[["elapsed"]] - start
    all_draws <- total_pop(fit, n.burnin = 0)$TOT
    tp <- total_pop(fit, n.burnin = burnin)
    stopifnot(identical(tp$TOT, all_draws[-(1:burnin)]))
    top <- mod_probs(fit, n.burnin = burnin, best = 3)
    chain <- list(
      config = name, seed = seed, kept = kept, burnin = burnin, save = save_every,
      wall_s = wall, bict_time_s = unname(fit$time),
      N_all = all_draws, model_all = fit$MODEL,
      rj_acc = mean(fit$rj_acc), mh_acc = mean(fit$mh_acc),
      rj_moves = length(fit$rj_acc), mh_moves = length(fit$mh_acc),
      columns = colnames(fit$maximal.mod$x),
      obs_outside_missing = sum(fit$maximal.mod$y[-c(fit$missing1, fit$missing2)]),
      y0_means_kept = colMeans(matrix(fit$Y0, nrow = length(fit$MODEL))[-(1:burnin), , drop = FALSE]),
      censored_bounds = if (length(fit$missing2)) fit$maximal.mod$y[fit$missing2] else NULL,
      mod_probs_top = data.frame(prob = as.numeric(if (!is.null(top$table$prob.Freq)) top$table$prob.Freq else top$table$prob),
                                 formula = as.character(top$table$model_formula)),
      mode = if (seed == seeds[1]) mode_of(cfg, fit) else NULL,
      R = R.version.string, conting = as.character(packageVersion("conting"))
    )
    saveRDS(chain, file.path(work_dir, sprintf("%s-seed%d.rds", name, seed)))
    cat(sprintf("%s seed %d: %d iterations in %.1f s (%.2f ms/iteration); N mean %.1f, median %.1f; rj %.3f mh %.3f\n",
                name, seed, burnin + kept, wall, 1000 * wall / (burnin + kept), mean(tp$TOT), median(tp$TOT),
                chain$rj_acc, chain$mh_acc))
    rm(fit)
    gc(verbose = FALSE)
  }
}

# conting's MODEL codes are hexadecimal strings of the term-inclusion bits, the first design
# column (the intercept) the most significant: decode to column flags.
model_terms <- function(code, columns) {
  bits <- unlist(lapply(strsplit(code, "")[[1]], function(h) as.integer(intToBits(strtoi(h, 16L))[4:1])))
  included <- tail(bits, length(columns)) == 1
  sub("1$", "", gsub("1:", ":", columns[included]))
}

model_labels <- function(code, columns, lists) {
  terms <- setdiff(model_terms(code, columns), "(Intercept)")
  interactions <- terms[grepl(":", terms)]
  digits <- vapply(strsplit(interactions, ":"), function(parts) paste(match(parts, lists), collapse = ""), "")
  covered <- unique(unlist(lapply(strsplit(interactions, ":"), function(parts) match(parts, lists))))
  loose <- setdiff(seq_along(lists), covered)
  list(formula = paste0("~", paste(terms, collapse = " + ")),
       darknumber = paste0("[", paste(c(digits, as.character(loose)), collapse = ","), "]"))
}

batch_values <- function(chains, statistic) {
  unlist(lapply(chains, function(x) {
    groups <- cut(seq_along(x), n_batches_per_chain, labels = FALSE)
    vapply(split(x, groups), statistic, 0)
  }))
}

summarize_config <- function(name, seeds = 1:4) {
  files <- file.path(work_dir, sprintf("%s-seed%d.rds", name, seeds))
  files <- files[file.exists(files)]
  if (!length(files)) return(NULL)
  chains <- lapply(files, readRDS)
  cfg <- configs[[name]]
  tab <- table_of(cfg$dataset)
  burnin <- chains[[1]]$burnin
  kept <- chains[[1]]$kept
  stopifnot(all(vapply(chains, `[[`, 0, "kept") == kept), all(vapply(chains, `[[`, 0, "burnin") == burnin))
  draws <- lapply(chains, function(ch) ch$N_all[-(1:burnin)])
  models <- lapply(chains, function(ch) ch$model_all[-(1:burnin)])
  pooled <- unlist(draws)
  chain_list <- mcmc.list(lapply(draws, function(x) mcmc(as.numeric(x))))
  ess <- sum(effectiveSize(chain_list))
  n_total <- length(pooled)
  dens <- density(pooled)
  density_at <- function(q) approx(dens$x, dens$y, xout = q)$y
  quantile_summary <- function(p) {
    q <- unname(quantile(pooled, p))
    f <- density_at(q)
    indicator_se <- sd(batch_values(draws, function(x) mean(x <= q))) / sqrt(length(draws) * n_batches_per_chain)
    via_ess <- sqrt(p * (1 - p) / ess) / f
    via_batches <- indicator_se / f
    list(value = q, mcse = max(via_ess, via_batches), mcse_ess_density = via_ess,
         mcse_batch_means = via_batches, density = f)
  }
  mean_via_ess <- sd(pooled) / sqrt(ess)
  mean_via_batches <- sd(batch_values(draws, mean)) / sqrt(length(draws) * n_batches_per_chain)
  rhat <- gelman.diag(chain_list, autoburnin = FALSE)$psrf
  halves <- mcmc.list(unlist(lapply(draws, function(x) {
    h <- length(x) %/% 2
    list(mcmc(as.numeric(x[1:h])), mcmc(as.numeric(x[(h + 1):(2 * h)])))
  }), recursive = FALSE))
  split_rhat <- gelman.diag(halves, autoburnin = FALSE)$psrf

  codes <- unlist(models)
  counts <- sort(table(codes), decreasing = TRUE)
  columns <- chains[[1]]$columns
  top <- lapply(names(counts)[seq_len(min(3, length(counts)))], function(code) {
    labels <- model_labels(code, columns, tab$lists)
    indicators <- lapply(models, function(m) as.numeric(m == code))
    p <- mean(unlist(indicators))
    ess_ind <- sum(effectiveSize(mcmc.list(lapply(indicators, mcmc))))
    list(code = code, model = labels$formula, darknumber = labels$darknumber, prob = p,
         mcse = sd(batch_values(indicators, mean)) / sqrt(length(models) * n_batches_per_chain),
         mcse_ess = if (is.finite(ess_ind) && ess_ind > 0) sqrt(p * (1 - p) / ess_ind) else NA,
         per_chain = vapply(indicators, mean, 0))
  })
  # The decoding agrees with conting's own mod_probs formula for chain 1's top model.
  ch1_top <- names(sort(table(models[[1]]), decreasing = TRUE))[1]
  decoding_checked <- identical(model_labels(ch1_top, columns, tab$lists)$formula,
                                gsub(" ", "", chains[[1]]$mod_probs_top$formula[1]) |>
                                  (\(s) gsub("\\+", " + ", s))())

  result <- list(
    dataset = cfg$dataset,
    n_observed = tab$observed,
    settings = list(
      formula = deparse(tab$formula), prior = cfg$prior,
      a = if (cfg$prior == "SBH") sbh_a else NA, b = if (cfg$prior == "SBH") sbh_b else NA,
      maximal_order = 2, null.move.prob = 0.5,
      start = "bict defaults: maximal model at its posterior mode (beta_mode), sigma^2 = 1, y0 = round(exp(eta.hat))",
      chains = length(chains), seeds = I(vapply(chains, `[[`, 0, "seed")),
      n.sample_per_chain = burnin + kept, burnin_per_chain = burnin, kept_per_chain = kept,
      kept_total = n_total, save = chains[[1]]$save,
      histories_absent_from_csv_set_to_0 = I(tab$absent_histories),
      censoring = if (is.null(cfg$cens_history)) NA else list(
        history = I(unname(cfg$cens_history)), lists = I(tab$lists),
        cens_rows_1based = I(censored_rows(cfg, tab)),
        upper_bound = chains[[1]]$censored_bounds,
        given_as = "bict(..., cens = <row of that history in the data frame>); conting takes that row's count y as the upper bound of the cell's true count (see ?bict, ?find_cens)")
    ),
    posterior_N = list(
      definition = "conting total_pop(fit, n.burnin = burnin)$TOT per chain, pooled: observed total outside the missing/censored cells + the sum of their draws",
      observed_outside_missing_and_censored = chains[[1]]$obs_outside_missing,
      mean = list(value = mean(pooled), mcse = max(mean_via_ess, mean_via_batches),
                  mcse_ess = mean_via_ess, mcse_batch_means = mean_via_batches),
      median = quantile_summary(0.5),
      q025 = quantile_summary(0.025),
      q975 = quantile_summary(0.975),
      sd = sd(pooled),
      hpd95 = as.numeric(HPDinterval(mcmc(as.numeric(pooled)), prob = 0.95)),
      ess = ess,
      ess_per_chain = vapply(draws, function(x) unname(effectiveSize(mcmc(as.numeric(x)))), 0),
      rhat = list(psrf = rhat[1, 1], upper_ci = rhat[1, 2]),
      split_rhat = list(psrf = split_rhat[1, 1], upper_ci = split_rhat[1, 2]),
      per_chain = list(mean = vapply(draws, mean, 0), median = vapply(draws, median, 0),
                       q025 = vapply(draws, function(x) unname(quantile(x, 0.025)), 0),
                       q975 = vapply(draws, function(x) unname(quantile(x, 0.975)), 0))
    ),
    missing_and_censored_cell_means = list(
      per_chain = lapply(chains, function(ch) ch$y0_means_kept),
      note = "columns: Y0's columns (the missing cell, then any censored cell)"),
    top_models = top,
    model_decoding_matches_mod_probs = decoding_checked,
    n_models_visited = length(counts),
    acceptance = list(rj = vapply(chains, `[[`, 0, "rj_acc"), mh = vapply(chains, `[[`, 0, "mh_acc")),
    wall_time_s = list(per_chain = vapply(chains, `[[`, 0, "wall_s"),
                       total = sum(vapply(chains, `[[`, 0, "wall_s")),
                       bict_reported_per_chain = vapply(chains, `[[`, 0, "bict_time_s"))
  )
  seed1 <- Filter(function(ch) ch$seed == 1, chains)
  if (length(seed1) && (burnin + kept) >= 10000) {
    # The first 10,000 iterations of the seed-1 chain are conting.json's run (1,000 dropped).
    first <- seed1[[1]]$N_all[1001:10000]
    result$seed1_first_10000 <- list(mean = mean(first), median = median(first),
                                     q025 = unname(quantile(first, 0.025)), q975 = unname(quantile(first, 0.975)))
  }
  if (rhat[1, 1] > 1.01) {
    result$caution <- sprintf(paste0("R-hat %.3f > 1.01 (per-chain means %s): the chains disagree beyond their MCSE; ",
                                     "the MCSEs above may understate the error, use with care"),
                              rhat[1, 1], paste(round(vapply(draws, mean, 0)), collapse = ", "))
  }
  if (!is.null(chains[[1]]$mode)) result$beta_mode <- chains[[1]]$mode
  result
}

summarize_all <- function() {
  results <- setNames(lapply(names(configs), summarize_config), names(configs))
  # ScotPWID's chains mix slowly into a high-N model ([13,23,24]); 4 more chains (seeds 5..8) pooled
  # with the first 4 give a tighter reference for it.
  results$scotpwid_sbh_cens_8chains <- summarize_config("scotpwid_sbh_cens", seeds = 1:8)
  if (!is.null(results$scotpwid_sbh_cens_8chains) && length(results$scotpwid_sbh_cens_8chains$settings$seeds) <= 4)
    results$scotpwid_sbh_cens_8chains <- NULL
  results <- Filter(Negate(is.null), results)
  doc <- list(
    about = "conting bict long runs: 4 independent chains per configuration (ScotPWID also 8); posterior of N with Monte Carlo standard errors and the top models' probabilities. Generated by Notebooks/reference/make_conting_long_runs.R",
    software = list(R = R.version.string, platform = R.version$platform,
                    conting = as.character(packageVersion("conting")), coda = as.character(packageVersion("coda")),
                    jsonlite = as.character(packageVersion("jsonlite")),
                    blas = extSoftVersion()[["BLAS"]], lapack = La_library(),
                    date = format(Sys.time(), "%Y-%m-%d %H:%M:%S UTC", tz = "UTC")),
    data_setup = "each CSV expanded to the full 2^K table in expand.grid order (first list fastest), histories absent from the CSV = 0, the all-zero history = NA (missing); lists as factor(levels = c(0, 1)) (bict applies contr.sum); formula y ~ (lists)^2",
    mcse = list(
      mean = "mcse = max(mcse_ess, mcse_batch_means); mcse_ess = sd(pooled) / sqrt(ESS), ESS = coda effectiveSize summed over the chains; mcse_batch_means = sd of the batch means (10 consecutive batches per chain, 40 for 4 chains) / sqrt(number of batches)",
      quantiles = "mcse = max(mcse_ess_density, mcse_batch_means); mcse_ess_density = sqrt(p(1-p)/ESS) / f(q), ESS of N as for the mean, f = density(pooled draws) (R's default bandwidth) at q; mcse_batch_means = batch-means SE (10 batches per chain) of mean(N <= q) / f(q); q = quantile(pooled, p), type 7",
      model_probabilities = "prob = share of the pooled kept iterations; mcse = batch means (10 batches per chain); mcse_ess = sqrt(p(1-p)/ESS of the indicator)",
      rhat = "coda gelman.diag (autoburnin = FALSE) on N over the chains; split_rhat the same over the half-chains"
    ),
    results = results
  )
  writeLines(toJSON(doc, auto_unbox = TRUE, pretty = TRUE, digits = NA, na = "null", null = "null"), out_path)
  cat("wrote", out_path, "with", paste(names(results), collapse = ", "), "\n")
}

args <- commandArgs(TRUE)
if (!length(args)) stop("usage: probe <config> <n.sample> | run <config> <kept> <burnin> [seeds] | summarize")
if (args[1] == "probe") {
  cfg <- configs[[args[2]]]
  tab <- table_of(cfg$dataset)
  set.seed(1)
  start <- proc.time()[["elapsed"]]
  fit <- call_bict(cfg, tab, as.numeric(args[3]), file.path(tempdir(), "probe-"))
  wall <- proc.time()[["elapsed"]] - start
  cat(sprintf("%s: %s iterations in %.1f s (%.2f ms/iteration); N mean %.1f\n", args[2], args[3], wall,
              1000 * wall / as.numeric(args[3]), total_pop(fit)$meanTOT))
} else if (args[1] == "run") {
  seeds <- if (length(args) >= 5) eval(parse(text = args[5])) else 1:4
  run_chains(args[2], as.numeric(args[3]), as.numeric(args[4]), seeds)
} else if (args[1] == "summarize") {
  summarize_all()
} else {
  stop("unknown mode ", args[1])
}
