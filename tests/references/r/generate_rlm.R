#!/usr/bin/env Rscript
# Robust-regression references from R's MASS::rlm for linmod's tests.
#
# Run from the repository root:
#     Rscript tests/references/r/generate_rlm.R
#
# Writes tests/references/r/rlm_reference.json: for each case, rlm()'s coefficients, scale
# s, final IRLS weights w, iteration count and summary.rlm's standard errors, both with
# MASS's defaults (acc = 1e-4, maxit = 20) and converged (acc = 1e-13, maxit = 1000).
# Redescending norms start from quantreg's LAD fit (init = coef(rq(...))), which is also
# recorded. Requires (Debian): r-base-core r-cran-mass r-cran-quantreg.

suppressPackageStartupMessages({
  library(MASS)
  library(quantreg)
})
data_dir <- "tests/data"
source("tests/references/r/common.R")

stackloss_df <- read.csv(file.path(data_dir, "stackloss.csv"))
mtcars_df <- read.csv(file.path(data_dir, "mtcars.csv"))
psis <- list(huber = psi.huber, bisquare = psi.bisquare, hampel = psi.hampel)

one <- function(formula, data, norm, scale_est, acc, maxit, weights) {
  start <- if (norm == "huber") "ls" else coef(rq(formula, tau = 0.5, data = data))
  fit <- if (is.null(weights)) {
    rlm(formula, data = data, psi = psis[[norm]], scale.est = scale_est, init = start,
        acc = acc, maxit = maxit)
  } else {
    rlm(formula, data = data, psi = psis[[norm]], scale.est = scale_est, init = start,
        acc = acc, maxit = maxit, weights = weights)
  }
  s <- summary(fit)
  list(
    start = if (is.character(start)) start else unname(start),
    coef = unname(coef(fit)),
    scale = scalar(fit$s),
    weights = unname(fit$w),
    iterations = scalar(length(fit$conv)),
    converged = scalar(fit$converged),
    se = unname(s$coefficients[, 2])
  )
}

case <- function(name, formula, data, norm, scale_est = "MAD", weights = NULL) {
  environment(formula) <- environment()
  list(
    name = scalar(name), norm = scalar(norm),
    scale = scalar(if (scale_est == "MAD") "mad" else "huber"),
    weighted = scalar(!is.null(weights)),
    default = one(formula, data, norm, scale_est, 1e-4, 20, weights),
    converged = one(formula, data, norm, scale_est, 1e-13, 1000, weights)
  )
}

sl <- stack.loss ~ Air.Flow + Water.Temp + Acid.Conc.
mt <- mpg ~ wt + hp
cases <- list(
  case("stackloss", sl, stackloss_df, "huber"),
  case("stackloss", sl, stackloss_df, "bisquare"),
  case("stackloss", sl, stackloss_df, "hampel"),
  case("stackloss", sl, stackloss_df, "huber", "Huber"),
  case("mtcars", mt, mtcars_df, "huber"),
  case("mtcars", mt, mtcars_df, "bisquare"),
  case("mtcars", mt, mtcars_df, "hampel", "Huber"),
  case("mtcars", mt, mtcars_df, "huber", weights = mtcars_df$qsec)
)
writeLines(to_json(list(mass_version = scalar(as.character(packageVersion("MASS"))),
                        cases = cases)),
           "tests/references/r/rlm_reference.json")
