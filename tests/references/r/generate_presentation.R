#!/usr/bin/env Rscript
# Reference values for linmod's prediction (estimability, pred.var) and presentation
# (standardized coefficients) tests.
#
# Run from the repository root:
#     Rscript tests/references/r/generate_presentation.R
#
# Writes tests/references/r/presentation_reference.json (reads tests/data/*.csv, which
# generate_ols.R writes; nothing else is rewritten).
#
# Estimability: R >= 4.3's predict.lm(..., rankdeficient = "NA") sets the predictions of
# rows outside the estimable space of a rank-deficient fit to NA. Older R (this machine had
# 4.2.2) lacks the argument, so the script then applies the same rule by hand, as R 4.3's
# predict.lm source does: an orthonormal basis N of the null space of X from the QR of the
# fit, and a row x is non-estimable when ||x' N|| >= tol * ||x|| with tol = 1e-6. The
# "method" field records which path produced the numbers.
#
# Standardized coefficients: lm.beta is not packaged for Debian, so coef * sd(x) / sd(y)
# is computed directly from the model matrix columns (what lm.beta::lm.beta does).

args_all <- commandArgs(trailingOnly = FALSE)
script_arg <- sub("^--file=", "", args_all[grepl("^--file=", args_all)])
if (length(script_arg) == 1 && nzchar(script_arg)) {
  repo_root <- normalizePath(file.path(dirname(script_arg), "..", "..", ".."))
} else {
  repo_root <- normalizePath(".")
}
data_dir <- file.path(repo_root, "tests", "data")
ref_dir <- file.path(repo_root, "tests", "references", "r")
source(file.path(ref_dir, "common.R"))

mtcars_csv <- read.csv(file.path(data_dir, "mtcars.csv"))
swiss_csv <- read.csv(file.path(data_dir, "swiss.csv"))
has_rankdeficient <- getRversion() >= "4.3.0"

# R 4.3's predict.lm rule, for R versions without rankdeficient= (see the header).
non_estimable_by_hand <- function(fit, newdata, tol = 1e-6) {
  X <- model.matrix(delete.response(terms(fit)), model.frame(delete.response(terms(fit)),
                    newdata, xlev = fit$xlevels))
  qrX <- fit$qr
  p <- fit$rank
  tR <- t(qr.R(qrX))
  pp <- nrow(tR)
  if (ncol(tR) < pp) tR <- cbind(tR, matrix(0, nrow = pp, ncol = pp - ncol(tR)))
  d <- c(pp, pp)
  tR[.row(d) > p & .row(d) == .col(d)] <- 1
  nbasis <- qr.Q(qr.default(tR))[, (p + 1L):pp, drop = FALSE]
  Xb <- X[, qrX$pivot] %*% nbasis
  norm2 <- function(x) sqrt(sum(x * x))
  which(tol * apply(X, 1L, norm2) <= apply(Xb, 1L, norm2))
}

estimability_case <- function(id, data, formula, full_formula, newdata, linmod_formula) {
  fit <- lm(formula, data = data)
  full <- lm(full_formula, data = data)
  if (has_rankdeficient) {
    pr <- suppressWarnings(predict(fit, newdata, rankdeficient = "NA"))
    nonest <- which(is.na(pr))
    method <- "predict.lm(rankdeficient = 'NA')"
  } else {
    nonest <- non_estimable_by_hand(fit, newdata)
    method <- "R 4.3's predict.lm rule applied by hand (older R)"
  }
  pred <- predict(full, newdata, interval = "prediction")
  list(
    id = scalar(id),
    formula = scalar(linmod_formula),
    rank = scalar(fit$rank),
    aliased = names(coef(fit))[is.na(coef(fit))],
    newdata = lapply(newdata, function(v) if (is.factor(v)) as.character(v) else v),
    non_estimable_rows = as.integer(nonest),
    full_rank_fit = unname(pred[, "fit"]),
    full_rank_lower = unname(pred[, "lwr"]),
    full_rank_upper = unname(pred[, "upr"]),
    method = scalar(method)
  )
}

d <- mtcars_csv
d$wt2 <- 2 * d$wt
# Rows 1 and 4 keep wt2 = 2 wt; rows 2, 3 and 5 do not (row 5: ||x'N|| / ||x|| = 1.5e-6,
# just over the tolerance 1e-6); row 6 misses by 1.5e-7 of its norm, under the tolerance.
norm_row <- function(wt, hp, wt2) sqrt(1 + wt^2 + hp^2 + wt2^2)
new1 <- data.frame(
  wt = c(3, 3, 2.5, 1.5, 3, 3),
  hp = c(120, 120, 100, 200, 120, 120),
  wt2 = c(6, 0, 2.5, 3, 6 + 3e-6 * norm_row(3, 120, 6) * sqrt(5) / 2,
          6 + 3e-7 * norm_row(3, 120, 6) * sqrt(5) / 2)
)
case1 <- estimability_case("wt2_twice_wt", d, mpg ~ wt + hp + wt2, mpg ~ wt + hp, new1,
                           "mpg ~ wt + hp + wt2")
case1$newdata$wt2 <- new1$wt2

d$v8 <- as.numeric(d$cyl == 8)
new2 <- data.frame(cyl = c(4, 8, 8, 6), wt = c(2.5, 3.5, 3.5, 3), v8 = c(0, 1, 0, 1))
case2 <- estimability_case("factor_dummy", d, mpg ~ factor(cyl) + wt + v8,
                           mpg ~ factor(cyl) + wt, new2, "mpg ~ C(cyl) + wt + v8")

# pred.var: a constant and one per row, for the full-rank fit.
fit_pv <- lm(mpg ~ wt + hp, data = mtcars_csv)
new_pv <- mtcars_csv[1:4, c("wt", "hp")]
pv_rows <- c(1, 4, 9, 16)
pred_var <- list(
  formula = scalar("mpg ~ wt + hp"),
  rows = 0:3,
  constant = scalar(2.5),
  per_row = pv_rows,
  constant_lower = unname(predict(fit_pv, new_pv, interval = "prediction", pred.var = 2.5)[, "lwr"]),
  constant_upper = unname(predict(fit_pv, new_pv, interval = "prediction", pred.var = 2.5)[, "upr"]),
  per_row_lower = unname(predict(fit_pv, new_pv, interval = "prediction", pred.var = pv_rows)[, "lwr"]),
  per_row_upper = unname(predict(fit_pv, new_pv, interval = "prediction", pred.var = pv_rows)[, "upr"])
)

standardized_case <- function(id, formula, data, linmod_formula) {
  fit <- lm(formula, data = data)
  X <- model.matrix(fit)
  keep <- colnames(X) != "(Intercept)"
  y <- model.response(model.frame(fit))
  b <- coef(fit)[keep]
  sx <- apply(X[, keep, drop = FALSE], 2, sd)
  list(
    id = scalar(id),
    formula = scalar(linmod_formula),
    terms = colnames(X)[keep],
    coef = unname(b),
    sd_x = unname(sx),
    sd_y = scalar(sd(y)),
    standardized = unname(b * sx / sd(y))
  )
}

standardized <- list(
  standardized_case("mtcars_factor_interaction", mpg ~ factor(cyl) + wt + hp + wt:hp,
                    mtcars_csv, "mpg ~ C(cyl) + wt + hp + wt:hp"),
  standardized_case("swiss_numeric", Fertility ~ Agriculture + Examination + Education +
                      Catholic + Infant.Mortality, swiss_csv,
                    "Fertility ~ Agriculture + Examination + Education + Catholic + Infant_Mortality")
)

reference <- list(
  `_meta` = list(
    r_version = scalar(R.version.string),
    has_rankdeficient = scalar(has_rankdeficient),
    conventions = scalar(paste(
      "non_estimable_rows are 1-based; full_rank_* are predict(lm of the full-rank model,",
      "interval = 'prediction') for every new row; standardized = coef * sd(model matrix",
      "column) / sd(response), the intercept left out"))
  ),
  estimability = list(case1, case2),
  pred_var = pred_var,
  standardized = standardized
)

writeLines(to_json(reference), file.path(ref_dir, "presentation_reference.json"))
