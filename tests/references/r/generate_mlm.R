#!/usr/bin/env Rscript
# Reference values from R for linmod's multi-response OLS (R's "mlm", issue 18).
#
# Run from the repository root:
#     Rscript tests/references/r/generate_mlm.R
#
# Reads tests/data/mtcars.csv (written by generate_ols.R) and writes
# tests/references/r/mlm_reference.json: for each case lm(cbind(...) ~ ...) gives
# coef (a p x k matrix), vcov (R's vcov.mlm: kronecker(estVar, (X'X)^-1), with names
# "response:term"), estVar (the residual covariance E'E / (n - p)), summary.mlm per
# response (coefficient table, sigma, R squared, adjusted R squared, F statistic and its
# p-value), confint per response, residuals and fitted values (n x k), predictions for
# new rows, and anova.mlm (Pillai, Wilks, Hotelling-Lawley, Roy) of the case against a
# smaller model.

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
new_cars <- data.frame(wt = c(2.5, 3.2, 4.1), cyl = c(4, 6, 8), disp = c(120, 200, 350))

matrix_of <- function(m) unname(as.matrix(m))

case_of <- function(formula, linmod_formula, small_formula, responses) {
  fit <- lm(formula, data = cars)
  small <- lm(small_formula, data = cars)
  s <- summary(fit)
  per_response <- list()
  for (j in seq_along(responses)) {
    sj <- s[[j]]
    table <- coef(sj)
    per_response[[responses[j]]] <- list(
      estimate = unname(table[, 1]),
      std_error = unname(table[, 2]),
      t_value = unname(table[, 3]),
      p_value = unname(table[, 4]),
      sigma = scalar(sj$sigma),
      r_squared = scalar(sj$r.squared),
      adj_r_squared = scalar(sj$adj.r.squared),
      f_statistic = unname(sj$fstatistic),
      f_p_value = scalar(pf(sj$fstatistic[1], sj$fstatistic[2], sj$fstatistic[3],
                            lower.tail = FALSE)),
      conf_int = matrix_of(confint(lm(as.formula(paste(responses[j], "~",
        as.character(formula)[3])), data = cars)))
    )
  }
  tests <- list()
  for (test in c("Pillai", "Wilks", "Hotelling-Lawley", "Roy")) {
    table <- anova(fit, small, test = test)
    tests[[test]] <- list(
      res_df = unname(table$Res.Df),
      df = scalar(table$Df[2]),
      statistic = scalar(table[[test]][2]),
      approx_f = scalar(table$`approx F`[2]),
      num_df = scalar(table$`num Df`[2]),
      den_df = scalar(table$`den Df`[2]),
      p_value = scalar(table$`Pr(>F)`[2])
    )
  }
  list(
    r_formula = scalar(deparse(formula)),
    linmod_formula = scalar(linmod_formula),
    small_linmod_formula = scalar(small_formula_linmod[[linmod_formula]]),
    responses = responses,
    coef_names = rownames(coef(fit)),
    coef = matrix_of(coef(fit)),
    vcov_names = rownames(vcov(fit)),
    vcov = matrix_of(vcov(fit)),
    est_var = matrix_of(estVar(fit)),
    df_residual = scalar(fit$df.residual),
    residuals = matrix_of(residuals(fit)),
    fitted = matrix_of(fitted(fit)),
    predict = matrix_of(predict(fit, newdata = new_cars)),
    summary = per_response,
    anova = tests
  )
}

small_formula_linmod <- list(
  "mpg + qsec ~ wt + C(cyl)" = "mpg + qsec ~ wt",
  "mpg + qsec + hp ~ wt + disp" = "mpg + qsec + hp ~ wt"
)

results <- list(
  cyl = case_of(cbind(mpg, qsec) ~ wt + factor(cyl), "mpg + qsec ~ wt + C(cyl)",
                cbind(mpg, qsec) ~ wt, c("mpg", "qsec")),
  three = case_of(cbind(mpg, qsec, hp) ~ wt + disp, "mpg + qsec + hp ~ wt + disp",
                  cbind(mpg, qsec, hp) ~ wt, c("mpg", "qsec", "hp"))
)

pkg_version <- function(p) scalar(as.character(packageVersion(p)))
si <- sessionInfo()
meta <- list(
  generator = scalar("tests/references/r/generate_mlm.R"),
  r_version = scalar(R.version.string),
  packages = list(stats = pkg_version("stats")),
  blas = scalar(if (is.null(si$BLAS)) "" else si$BLAS),
  number_format = scalar("doubles written with sprintf('%.17g')"),
  conventions = scalar(paste(
    "Data: tests/data/mtcars.csv, all 32 rows. Matrices are lists of rows:",
    "coef is coef_names x responses, residuals and fitted are rows x responses,",
    "vcov is over vcov_names ('response:term', R's vcov.mlm order: response-major),",
    "est_var is responses x responses. predict: rows of new_data (wt, cyl, disp).",
    "summary.<response>.conf_int: confint of the single-response lm, rows over",
    "coef_names, columns 2.5 % and 97.5 %. anova.<test>: anova(fit, small,",
    "test = ...) of the case against small_linmod_formula, for each test."))
)

doc <- c(list(`_meta` = meta,
              new_data = list(wt = new_cars$wt, cyl = new_cars$cyl, disp = new_cars$disp)),
         results)
json_path <- file.path(ref_dir, "mlm_reference.json")
writeLines(to_json(doc), json_path, useBytes = TRUE)
cat("wrote", json_path, "\n")
