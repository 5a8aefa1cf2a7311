#!/usr/bin/env Rscript
# Generate independent OLS reference values from R for linmod's tests.
#
# Run from the repository root:
#     Rscript tests/references/r/generate_ols.R
#
# Writes:
#   tests/data/<dataset>.csv                 R built-in data sets, exact values
#   tests/references/r/ols_reference.json    lm() results for each test case
#
# Requires (Debian): r-base-core r-cran-sandwich r-cran-lmtest r-cran-car
# The JSON is written by a small serializer below (not jsonlite) because
# jsonlite caps numbers at 15 significant digits; here every double is written
# with sprintf("%.17g"), which round-trips exactly to IEEE-754 doubles.

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
dir.create(data_dir, recursive = TRUE, showWarnings = FALSE)
dir.create(ref_dir, recursive = TRUE, showWarnings = FALSE)

# ---------------------------------------------------------------------------
# Data sets (CSV export and the JSON writer live in common.R)
# ---------------------------------------------------------------------------

datasets <- list(
  mtcars = list(df = mtcars, rowname_col = "model"),
  swiss = list(df = swiss, rowname_col = NULL),
  stackloss = list(df = stackloss, rowname_col = NULL),
  LifeCycleSavings = list(df = LifeCycleSavings, rowname_col = "country"),
  airquality = list(df = airquality, rowname_col = NULL),
  iris = list(df = iris, rowname_col = NULL)
)
for (nm in names(datasets)) {
  export_csv(datasets[[nm]]$df, nm, datasets[[nm]]$rowname_col)
}

# ---------------------------------------------------------------------------
# Helpers for fits
# ---------------------------------------------------------------------------

# Run expr, capturing value, warnings and error message.
capture <- function(expr) {
  warns <- character(0)
  val <- withCallingHandlers(
    tryCatch(expr, error = function(e) structure(conditionMessage(e),
                                                 class = "captured_error")),
    warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  list(value = if (inherits(val, "captured_error")) NULL else val,
       error = if (inherits(val, "captured_error")) unclass(val) else NULL,
       warnings = unique(warns))
}

# Align a named vector to the full coefficient list (missing -> NA).
expand <- function(v, names_full) {
  out <- setNames(rep(NA_real_, length(names_full)), names_full)
  out[names(v)] <- v
  unname(out)
}

cases <- list(
  mtcars_wt_hp = list(
    dataset = "mtcars", r = mpg ~ wt + hp,
    linmod = "mpg ~ wt + hp"),
  mtcars_factor_cyl = list(
    dataset = "mtcars", r = mpg ~ wt + hp + factor(cyl),
    linmod = "mpg ~ wt + hp + C(cyl)"),
  mtcars_interaction = list(
    dataset = "mtcars", r = mpg ~ wt * hp,
    linmod = "mpg ~ wt * hp"),
  mtcars_noint = list(
    dataset = "mtcars", r = mpg ~ 0 + wt + hp,
    linmod = "mpg ~ 0 + wt + hp"),
  mtcars_log_poly = list(
    dataset = "mtcars", r = mpg ~ log(disp) + wt + I(wt^2),
    linmod = "mpg ~ np.log(disp) + wt + I(wt**2)"),
  mtcars_aliased = list(
    dataset = "mtcars", r = mpg ~ wt + I(2 * wt) + hp,
    linmod = "mpg ~ wt + I(2*wt) + hp"),
  swiss_all = list(
    dataset = "swiss", r = Fertility ~ .,
    linmod = "Fertility ~ Agriculture + Examination + Education + Catholic + `Infant.Mortality`"),
  stackloss_all = list(
    dataset = "stackloss", r = stack.loss ~ .,
    linmod = "`stack.loss` ~ `Air.Flow` + `Water.Temp` + `Acid.Conc.`"),
  lifecycle = list(
    dataset = "LifeCycleSavings", r = sr ~ pop15 + pop75 + dpi + ddpi,
    linmod = "sr ~ pop15 + pop75 + dpi + ddpi"),
  airquality_naomit = list(
    dataset = "airquality", r = Ozone ~ Solar.R + Wind + Temp,
    linmod = "Ozone ~ `Solar.R` + Wind + Temp",
    linmod_kwargs = list(missing = scalar("drop"))),
  iris_species = list(
    dataset = "iris", r = Sepal.Length ~ Sepal.Width + Species,
    linmod = "`Sepal.Length` ~ `Sepal.Width` + C(Species)")
)

fit_case <- function(case_id, cs) {
  df <- datasets[[cs$dataset]]$df
  fit <- eval(bquote(lm(.(cs$r), data = df)))
  sm <- summary(fit)

  all_names <- names(coef(fit))
  aliased <- is.na(coef(fit))
  est_names <- all_names[!aliased]

  # Rows (0-based, as in the CSV) that were used in the fit.
  used_rows <- match(rownames(model.frame(fit)), rownames(df)) - 1L
  n_dropped <- if (is.null(fit$na.action)) 0L else length(fit$na.action)

  ct <- sm$coefficients
  ci95 <- confint(fit, level = 0.95)
  ci90 <- confint(fit, level = 0.90)

  fstat <- sm$fstatistic
  ll <- logLik(fit)

  out <- list(
    dataset = scalar(cs$dataset),
    data_file = scalar(file.path("tests", "data", paste0(cs$dataset, ".csv"))),
    r_formula = scalar(paste(deparse(cs$r, width.cutoff = 500), collapse = "")),
    linmod_formula = scalar(cs$linmod)
  )
  if (!is.null(cs$linmod_kwargs)) out$linmod_kwargs <- cs$linmod_kwargs
  out <- c(out, list(
    n_dropped = scalar(n_dropped),
    used_rows = as.integer(used_rows),
    coef_names = all_names,
    coef = unname(coef(fit)),
    std_err = expand(ct[, "Std. Error"], all_names),
    t_values = expand(ct[, "t value"], all_names),
    p_values = expand(ct[, "Pr(>|t|)"], all_names),
    conf_int_lower = unname(ci95[all_names, 1]),
    conf_int_upper = unname(ci95[all_names, 2]),
    conf_int_90_lower = unname(ci90[all_names, 1]),
    conf_int_90_upper = unname(ci90[all_names, 2]),
    sigma = scalar(sm$sigma),
    df_resid = scalar(as.integer(fit$df.residual)),
    n_obs = scalar(as.integer(nobs(fit))),
    rank = scalar(as.integer(fit$rank)),
    r_squared = scalar(sm$r.squared),
    adj_r_squared = scalar(sm$adj.r.squared),
    f_statistic = scalar(unname(fstat["value"])),
    f_df_num = scalar(unname(fstat["numdf"])),
    f_df_den = scalar(unname(fstat["dendf"])),
    f_p_value = scalar(unname(pf(fstat["value"], fstat["numdf"], fstat["dendf"],
                                 lower.tail = FALSE))),
    log_likelihood = scalar(as.numeric(ll)),
    aic = scalar(AIC(fit)),
    bic = scalar(BIC(fit)),
    residuals = unname(residuals(fit)),
    fitted = unname(fitted(fit)),
    aliased = unname(aliased),
    aliased_names = all_names[aliased],
    vcov_names = est_names,
    vcov = unname(vcov(fit, complete = FALSE))
  ))

  notes <- list()

  # Heteroskedasticity- and autocorrelation-robust covariances.
  for (type in c("HC0", "HC1", "HC2", "HC3")) {
    r <- capture(vcovHC(fit, type = type))
    key <- tolower(type)
    if (!is.null(r$value)) {
      m <- r$value
      stopifnot(identical(rownames(m), est_names))
      out[[key]] <- unname(m)
    }
    if (!is.null(r$error)) notes[[paste0(key, "_error")]] <- scalar(r$error)
    if (length(r$warnings)) notes[[paste0(key, "_warnings")]] <- r$warnings
  }
  r <- capture(NeweyWest(fit, lag = 2, prewhite = FALSE, adjust = FALSE))
  if (!is.null(r$value)) {
    m <- r$value
    stopifnot(identical(rownames(m), est_names))
    out$hac_lag2 <- unname(m)
    out$hac_lag2_se <- unname(sqrt(diag(m)))
  }
  if (!is.null(r$error)) notes$hac_lag2_error <- scalar(r$error)
  if (length(r$warnings)) notes$hac_lag2_warnings <- r$warnings

  # Predictions at the first 5 rows used in the fit (after na.omit).
  pred_rows <- head(used_rows, 5)
  newdata <- df[pred_rows + 1L, , drop = FALSE]
  out$predict_rows <- as.integer(pred_rows)
  pc <- capture(predict(fit, newdata, interval = "confidence", level = 0.95))
  pp <- capture(predict(fit, newdata, interval = "prediction", level = 0.95))
  if (!is.null(pc$value)) {
    out$predict_fit <- unname(pc$value[, "fit"])
    out$predict_conf_lower <- unname(pc$value[, "lwr"])
    out$predict_conf_upper <- unname(pc$value[, "upr"])
  }
  if (!is.null(pp$value)) {
    out$predict_pred_lower <- unname(pp$value[, "lwr"])
    out$predict_pred_upper <- unname(pp$value[, "upr"])
  }
  if (!is.null(pc$error)) notes$predict_conf_error <- scalar(pc$error)
  if (!is.null(pp$error)) notes$predict_pred_error <- scalar(pp$error)
  w <- unique(c(pc$warnings, pp$warnings))
  if (length(w)) notes$predict_warnings <- w

  if (length(notes)) out$r_notes <- notes
  out
}

results <- list()
for (id in names(cases)) results[[id]] <- fit_case(id, cases[[id]])

pkg_version <- function(p) scalar(as.character(packageVersion(p)))
si <- sessionInfo()
meta <- list(
  generator = scalar("tests/references/r/generate_ols.R"),
  r_version = scalar(R.version.string),
  platform = scalar(R.version$platform),
  packages = list(stats = pkg_version("stats"),
                  sandwich = pkg_version("sandwich"),
                  lmtest = pkg_version("lmtest")),
  blas = scalar(if (is.null(si$BLAS)) "" else si$BLAS),
  lapack = scalar(if (is.null(si$LAPACK)) "" else si$LAPACK),
  number_format = scalar("doubles written with sprintf('%.17g'); NA/aliased -> null"),
  matrices = scalar("row-major lists of rows, ordered as vcov_names (non-aliased coefficients)"),
  row_indices = scalar("used_rows and predict_rows are 0-based row indices into the CSV in data_file"),
  conventions = scalar(paste(
    "coef/std_err/t_values/p_values/conf_int_* are aligned with coef_names",
    "(R's names and order; aliased entries are null). residuals/fitted are",
    "for the used_rows only. f_* is summary.lm's F test (uncentered, vs. the",
    "zero model, when there is no intercept). aic/bic count sigma as a",
    "parameter (df = rank + 1). hc0..hc3 = sandwich::vcovHC(type=...);",
    "hac_lag2 = sandwich::NeweyWest(lag=2, prewhite=FALSE, adjust=FALSE)."))
)

doc <- c(list(`_meta` = meta), results)
json_path <- file.path(ref_dir, "ols_reference.json")
writeLines(to_json(doc), json_path, useBytes = TRUE)
cat("Wrote", json_path, "and", length(datasets), "CSV files to", data_dir, "\n")
