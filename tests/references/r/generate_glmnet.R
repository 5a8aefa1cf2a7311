#!/usr/bin/env Rscript
# Generate glmnet reference values for linmod's regularization tests.
#
# Run from the repository root:
#     Rscript tests/references/r/generate_glmnet.R
#
# Reads (committed next to this script; exact to 17 significant digits):
#   glmnet_house_prices.csv  linmod.datasets.house_prices(n=500, seed=42)
#   glmnet_diabetes.csv      sklearn.datasets.load_diabetes() (10 features + target)
# both written by:
#     python -c "import linmod; linmod.datasets.house_prices(n=500, seed=42).to_csv(
#         'tests/references/r/glmnet_house_prices.csv', index=False, float_format='%.17g')"
#     python -c "from sklearn.datasets import load_diabetes; b = load_diabetes(as_frame=True);
#         b.frame.to_csv('tests/references/r/glmnet_diabetes.csv', index=False,
#         float_format='%.17g')"
# (tests/regularization/test_glmnet.py checks that the CSVs still equal those data).
#
# Writes:
#   glmnet_reference.json   one object per case (see below); every double written with
#                           sprintf("%.17g"), which round-trips exactly.
#
# Requires (Debian): r-base-core r-cran-glmnet   (generated with glmnet 4.1-6, R 4.2.2)
#
# Conventions (checked by the tests):
# * glmnet's gaussian objective is (1/2n)||y - b - X beta||^2 + lambda * penalty; for the
#   Lasso (alpha = 1) this is scikit-learn's and linmod's objective with alpha = lambda.
#   For alpha < 1 glmnet standardises y internally, which divides its ridge term by
#   sd_y = sqrt(mean((y - mean(y))^2)): glmnet(lambda, a) solves linmod's ElasticNet with
#   alpha' = lambda * a + lambda * (1 - a) / sd_y and l1_ratio = lambda * a / alpha'.
#   sd_y is recorded with each elastic-net case.
# * standardize = TRUE scales each column by its population standard deviation (1/n),
#   as linmod's standardize=True; coefficients are reported on the original scale.
# * cv.glmnet with foldid: cvm is the fold-size weighted mean of the per-fold MSEs,
#   cvsd = sqrt(weighted.mean((cvm_k - cvm)^2) / (K - 1)); with equal fold sizes (used
#   here) these are the plain mean and sd / sqrt(K).  lambda.min / lambda.1se as usual.
# * thresh = 1e-26 and a large maxit make glmnet converge to ~1e-9 on the correlated diabetes
#   features (its default 1e-7 criterion on coefficient changes stops ~1e-5 short there).

suppressPackageStartupMessages(library(glmnet))

args_all <- commandArgs(trailingOnly = FALSE)
script_arg <- sub("^--file=", "", args_all[grepl("^--file=", args_all)])
if (length(script_arg) == 1 && nzchar(script_arg)) {
  ref_dir <- normalizePath(dirname(script_arg))
} else {
  ref_dir <- normalizePath(file.path("tests", "references", "r"))
}

# --- a small JSON writer with exact doubles ----------------------------------------
num <- function(x) {
  x <- as.double(x)
  if (length(x) == 1) return(sprintf("%.17g", x))
  paste0("[", paste(sprintf("%.17g", x), collapse = ", "), "]")
}
str_ <- function(x) paste0("\"", x, "\"")
obj <- function(fields) {
  body <- paste(sprintf("    %s: %s", str_(names(fields)), unlist(fields)), collapse = ",\n")
  paste0("{\n", body, "\n  }")
}
mat_rows <- function(m) {
  # list of rows: one row per coefficient (feature), one column per lambda
  paste0("[", paste(apply(m, 1, num), collapse = ", "), "]")
}

house <- read.csv(file.path(ref_dir, "glmnet_house_prices.csv"))
house_x <- as.matrix(house[, c("square_feet", "bedrooms", "bathrooms", "age", "garage")])
house_y <- house$price
diab <- read.csv(file.path(ref_dir, "glmnet_diabetes.csv"))
diab_x <- as.matrix(diab[, setdiff(names(diab), "target")])
diab_y <- diab$target

sd_pop <- function(y) sqrt(mean((y - mean(y))^2))
grid <- function(hi, lo, k) exp(seq(log(hi), log(lo), length.out = k))

path_case <- function(name, x, y, lambda, a, standardize, lower = -Inf) {
  fit <- glmnet(x, y, family = "gaussian", alpha = a, lambda = lambda,
                standardize = standardize, lower.limits = lower,
                thresh = 1e-26, maxit = 1e9)
  b <- as.matrix(fit$beta)
  fields <- list(
    dataset = str_(name),
    alpha_glmnet = num(a),
    standardize = if (standardize) "true" else "false",
    positive = if (is.finite(lower)) "true" else "false",
    lambda = num(fit$lambda),
    intercept = num(fit$a0),
    coef = mat_rows(b),
    sd_y = num(sd_pop(y))
  )
  obj(fields)
}

cv_case <- function(name, x, y, lambda, foldid, standardize) {
  fit <- cv.glmnet(x, y, family = "gaussian", alpha = 1, lambda = lambda,
                   foldid = foldid, standardize = standardize,
                   thresh = 1e-26, maxit = 1e9)
  fields <- list(
    dataset = str_(name),
    standardize = if (standardize) "true" else "false",
    foldid = num(foldid),
    lambda = num(fit$lambda),
    cvm = num(fit$cvm),
    cvsd = num(fit$cvsd),
    lambda_min = num(fit$lambda.min),
    lambda_1se = num(fit$lambda.1se),
    nzero = num(fit$nzero)
  )
  obj(fields)
}

cases <- list(
  house_lasso_std = path_case("house", house_x, house_y, grid(20000, 20, 25), 1, TRUE),
  house_lasso = path_case("house", house_x, house_y, grid(20000, 20, 25), 1, FALSE),
  diabetes_lasso = path_case("diabetes", diab_x, diab_y, grid(2, 0.002, 25), 1, FALSE),
  diabetes_lasso_std = path_case("diabetes", diab_x, diab_y, grid(2, 0.002, 25), 1, TRUE),
  diabetes_enet_std = path_case("diabetes", diab_x, diab_y, grid(2, 0.002, 25), 0.5, TRUE),
  diabetes_enet = path_case("diabetes", diab_x, diab_y, grid(2, 0.002, 25), 0.3, FALSE),
  diabetes_lasso_positive_std = path_case("diabetes", diab_x, diab_y, grid(2, 0.002, 25), 1,
                                          TRUE, lower = 0),
  house_cv_lasso_std = cv_case("house", house_x, house_y, grid(30000, 30, 30),
                               rep(1:5, length.out = nrow(house_x)), TRUE),
  diabetes_cv_lasso = cv_case("diabetes", diab_x, diab_y, grid(3, 0.003, 30),
                              (seq_len(nrow(diab_x)) - 1) %% 13 + 1, FALSE)
)

meta <- obj(list(
  R = str_(R.version.string),
  glmnet = str_(as.character(packageVersion("glmnet"))),
  thresh = num(1e-26),
  coef_layout = str_("coef[j] is feature j's coefficient at each lambda (original scale)")
))

body <- paste(sprintf("  %s: %s", str_(c("_meta", names(cases))), c(meta, unlist(cases))),
              collapse = ",\n")
writeLines(paste0("{\n", body, "\n}"), file.path(ref_dir, "glmnet_reference.json"))
cat("wrote", file.path(ref_dir, "glmnet_reference.json"), "\n")
