#!/usr/bin/env Rscript
# Reference values from R for linmod's weighted least squares (issue 15).
#
# Run from the repository root:
#     Rscript tests/references/r/generate_weights.R
#
# Reads tests/data/mtcars.csv (written by generate_ols.R) and writes
# tests/references/r/weights_reference.json: for each case the weights used (so the
# Python tests fit exactly the same problem) and what R computes on lm(weights=):
# summary.lm, confint, logLik/AIC/BIC, residuals (raw, R's residuals(), zero-weight rows
# included) and weighted.residuals, hatvalues, sandwich::vcovHC HC0-HC3 and
# NeweyWest(lag = 2, prewhite = FALSE, adjust = FALSE), influence.measures, rstandard,
# rstudent, predict(interval = "prediction", weights = ) for new rows, lmtest::bptest on
# the weighted lm, dwtest on the sqrt(w)-scaled regression (lmtest refuses a weighted lm)
# and shapiro.test on the weighted residuals (those plot.lm and rstandard use).
# The "frequency" case is lm() on the repeated rows, the definition of frequency weights.

suppressPackageStartupMessages({
  library(sandwich)
  library(lmtest)
})

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

cars <- read.csv(file.path(data_dir, "mtcars.csv"))
n <- nrow(cars)

# Weights: smooth, not integers, not squares (sqrt(w) is not exact).
w_precision <- 1 / (1 + cars$disp / 200)
w_zero <- w_precision
w_zero[c(3, 11, 20)] <- 0
w_integer <- c(1, 3, 2, 1, 4, 2, 1, 1, 2, 3, 1, 1, 2, 1, 1, 2,
               3, 1, 1, 2, 1, 1, 4, 1, 2, 1, 1, 3, 1, 2, 1, 1)

new_rows <- cars[1:5, ]
new_weights <- c(0.5, 1, 2, 4, 0.25)

matrix_of <- function(m) unname(as.matrix(m))

describe <- function(fit, weights, formula, linmod_formula) {
  s <- summary(fit)
  cf <- coef(s)
  keep <- weights > 0
  X <- model.matrix(fit)
  ww <- weights(fit)
  if (is.null(ww)) ww <- rep(1, nrow(X))
  sw <- sqrt(ww[ww > 0])
  ys <- sw * model.response(model.frame(fit))[ww > 0]
  Xs <- sw * X[ww > 0, , drop = FALSE]
  im <- influence.measures(fit)$infmat
  pr <- predict(fit, newdata = new_rows, interval = "prediction", weights = new_weights)
  cfi <- predict(fit, newdata = new_rows, interval = "confidence")
  out <- list(
    formula = scalar(formula),
    linmod_formula = scalar(linmod_formula),
    weights = weights,
    coef_names = rownames(cf),
    coef = unname(cf[, 1]),
    std_err = unname(cf[, 2]),
    t_values = unname(cf[, 3]),
    p_values = unname(cf[, 4]),
    conf_int_95 = matrix_of(confint(fit, level = 0.95)),
    sigma = scalar(s$sigma),
    df_resid = scalar(as.integer(fit$df.residual)),
    r_squared = scalar(s$r.squared),
    adj_r_squared = scalar(s$adj.r.squared),
    f_statistic = scalar(unname(s$fstatistic[1])),
    f_p_value = scalar(unname(pf(s$fstatistic[1], s$fstatistic[2], s$fstatistic[3],
                                 lower.tail = FALSE))),
    log_likelihood = scalar(as.numeric(logLik(fit))),
    aic = scalar(AIC(fit)),
    bic = scalar(BIC(fit)),
    nobs = scalar(as.integer(nobs(fit))),
    residuals = unname(residuals(fit)),
    fitted = unname(fitted(fit)),
    weighted_residuals = unname(weighted.residuals(fit)),
    hat = unname(hatvalues(fit)),
    rstandard = unname(rstandard(fit)),
    rstudent = unname(rstudent(fit)),
    cooks_distance = unname(cooks.distance(fit)),
    dffits = unname(dffits(fit)),
    covratio = unname(covratio(fit)),
    dfbetas = matrix_of(dfbetas(fit)),
    influence_matrix = matrix_of(im),
    hc0 = matrix_of(vcovHC(fit, type = "HC0")),
    hc1 = matrix_of(vcovHC(fit, type = "HC1")),
    hc2 = matrix_of(vcovHC(fit, type = "HC2")),
    hc3 = matrix_of(vcovHC(fit, type = "HC3")),
    predict_weights = new_weights,
    prediction_interval = matrix_of(pr),
    confidence_interval = matrix_of(cfi),
    bptest = scalar(unname(bptest(fit)$statistic)),
    bptest_p = scalar(unname(bptest(fit)$p.value)),
    dwtest_scaled = scalar(unname(dwtest(lm(ys ~ 0 + Xs))$statistic)),
    shapiro_weighted = scalar(unname(shapiro.test(weighted.residuals(fit))$statistic)),
    shapiro_weighted_p = scalar(unname(shapiro.test(weighted.residuals(fit))$p.value))
  )
  if (all(weights > 0)) {
    out$hac_lag2 <- matrix_of(NeweyWest(fit, lag = 2, prewhite = FALSE, adjust = FALSE))
  }
  out
}

results <- list()

fit <- lm(mpg ~ wt + hp + qsec, data = cars, weights = w_precision)
results$precision <- describe(fit, w_precision, "mpg ~ wt + hp + qsec", "mpg ~ wt + hp + qsec")

fit <- lm(mpg ~ wt + hp + qsec, data = cars, weights = w_zero)
results$zero_weights <- describe(fit, w_zero, "mpg ~ wt + hp + qsec", "mpg ~ wt + hp + qsec")

fit <- lm(mpg ~ 0 + wt + hp, data = cars, weights = w_precision)
results$no_intercept <- describe(fit, w_precision, "mpg ~ 0 + wt + hp", "mpg ~ 0 + wt + hp")

# Frequency weights: the fit of the repeated rows (no weights in R: the definition).
repeated <- cars[rep(seq_len(n), w_integer), ]
fit <- lm(mpg ~ wt + hp + qsec, data = repeated)
s <- summary(fit)
results$frequency <- list(
  formula = scalar("mpg ~ wt + hp + qsec"),
  weights = w_integer,
  coef = unname(coef(fit)),
  std_err = unname(coef(s)[, 2]),
  sigma = scalar(s$sigma),
  df_resid = scalar(as.integer(fit$df.residual)),
  r_squared = scalar(s$r.squared),
  adj_r_squared = scalar(s$adj.r.squared),
  f_statistic = scalar(unname(s$fstatistic[1])),
  log_likelihood = scalar(as.numeric(logLik(fit))),
  aic = scalar(AIC(fit)),
  bic = scalar(BIC(fit)),
  hc0 = matrix_of(vcovHC(fit, type = "HC0")),
  hc1 = matrix_of(vcovHC(fit, type = "HC1")),
  hc2 = matrix_of(vcovHC(fit, type = "HC2")),
  hc3 = matrix_of(vcovHC(fit, type = "HC3"))
)

pkg_version <- function(p) scalar(as.character(packageVersion(p)))
si <- sessionInfo()
meta <- list(
  generator = scalar("tests/references/r/generate_weights.R"),
  r_version = scalar(R.version.string),
  packages = list(stats = pkg_version("stats"),
                  sandwich = pkg_version("sandwich"),
                  lmtest = pkg_version("lmtest")),
  blas = scalar(if (is.null(si$BLAS)) "" else si$BLAS),
  number_format = scalar("doubles written with sprintf('%.17g')"),
  conventions = scalar(paste(
    "Data: tests/data/mtcars.csv, all 32 rows; 'weights' is one weight per row.",
    "Vectors over rows (residuals, fitted) have every row, zero weights included,",
    "as R's residuals(); weighted_residuals, hat, influence and rstandard/rstudent",
    "drop zero-weight rows (as R). Matrices are lists of rows over coef_names.",
    "influence_matrix = influence.measures(fit)$infmat (dfbetas..., dffit, cov.r,",
    "cook.d, hat). prediction_interval = predict(fit, cars[1:5,], interval =",
    "'prediction', weights = predict_weights) (fit, lwr, upr);",
    "confidence_interval likewise with interval = 'confidence'."))
)

doc <- c(list(`_meta` = meta), results)
json_path <- file.path(ref_dir, "weights_reference.json")
writeLines(to_json(doc), json_path, useBytes = TRUE)
cat("wrote", json_path, "\n")
