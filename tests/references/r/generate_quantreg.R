#!/usr/bin/env Rscript
# Quantile-regression references from R's quantreg for linmod's tests.
#
# Run from the repository root:
#     Rscript tests/references/r/generate_quantreg.R
#
# Writes tests/data/engel.csv (quantreg's Engel food-expenditure data, exact values) and
# tests/references/r/quantreg_reference.json: for each case and quantile level, rq()'s
# coefficients (method "br", the exact simplex), the check loss rho, the check loss of
# the intercept-only model, and summary.rq's standard errors for se = "iid", "nid" and
# "ker" (hs = TRUE, quantreg's defaults), and the rank-inversion intervals of se = "rank"
# (alpha = 0.1, its default, and 0.05). Requires (Debian): r-base-core r-cran-quantreg.

suppressPackageStartupMessages(library(quantreg))
data_dir <- "tests/data"
source("tests/references/r/common.R")

data(engel)
export_csv(engel, "engel")
stackloss_df <- read.csv(file.path(data_dir, "stackloss.csv"))
mtcars_df <- read.csv(file.path(data_dir, "mtcars.csv"))

check_loss <- function(r, tau) sum(r * (tau - (r < 0)))

case <- function(name, formula, data, taus, weights = NULL) {
  out <- list()
  for (tau in taus) {
    environment(formula) <- environment()
    nonunique <- FALSE
    fit <- withCallingHandlers(
      if (is.null(weights)) rq(formula, tau = tau, data = data, method = "br")
      else rq(formula, tau = tau, data = data, weights = weights, method = "br"),
      warning = function(w) {
        if (grepl("nonunique", conditionMessage(w))) nonunique <<- TRUE
        invokeRestart("muffleWarning")
      })
    null_fit <- if (is.null(weights)) rq(update(formula, . ~ 1), tau = tau, data = data)
                else rq(update(formula, . ~ 1), tau = tau, data = data, weights = weights)
    w <- if (is.null(weights)) rep(1, nrow(data)) else weights
    entry <- list(
      tau = scalar(tau),
      names = names(coef(fit)),
      coef = unname(coef(fit)),
      nonunique = scalar(nonunique),
      rho = scalar(check_loss(w * residuals(fit), tau)),
      rho_null = scalar(check_loss(w * residuals(null_fit), tau))
    )
    # rank-inversion intervals (summary.rq's default below 1001 rows): alpha 0.1 and 0.05
    for (alpha in c(0.1, 0.05)) {
      s <- suppressWarnings(summary(fit, se = "rank", alpha = alpha))
      key <- if (alpha == 0.1) "rank90" else "rank95"
      entry[[key]] <- unname(s$coefficients[, 2:3])
    }
    # predict.rq(interval = "confidence") on the first five rows (summary's nid covariance)
    pr <- suppressWarnings(predict(fit, newdata = data[1:5, ], interval = "confidence"))
    entry$predict_fit <- unname(pr[, 1])
    entry$predict_lower <- unname(pr[, 2])
    entry$predict_upper <- unname(pr[, 3])
    for (se in c("iid", "nid", "ker")) {
      s <- suppressWarnings(summary(fit, se = se))
      entry[[paste0("se_", se)]] <- unname(s$coefficients[, 2])
      entry[[paste0("p_", se)]] <- unname(s$coefficients[, 4])
    }
    out[[length(out) + 1]] <- entry
  }
  list(name = scalar(name), formula = scalar(deparse(formula)), fits = out)
}

set.seed(1)
cases <- list(
  case("engel", foodexp ~ income, engel, c(0.1, 0.25, 0.5, 0.75, 0.9)),
  case("stackloss", stack.loss ~ Air.Flow + Water.Temp + Acid.Conc., stackloss_df,
       c(0.25, 0.5, 0.75)),
  case("mtcars", mpg ~ wt + hp + factor(cyl), mtcars_df, c(0.3, 0.5, 0.8)),
  case("mtcars_weighted", mpg ~ wt + hp, mtcars_df, c(0.5, 0.7),
       weights = mtcars_df$qsec)
)
writeLines(to_json(list(quantreg_version = scalar(as.character(packageVersion("quantreg"))),
                        cases = cases)),
           "tests/references/r/quantreg_reference.json")
