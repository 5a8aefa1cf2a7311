#!/usr/bin/env Rscript
# Generate glmnet reference values with observation weights (weights=) for linmod's
# weighted ridge / lasso / elastic-net tests (tests/regularization/test_glmnet_weights.py).
#
# Run from the repository root:
#     Rscript tests/references/r/generate_glmnet_weights.R
#
# Reads glmnet_house_prices.csv and glmnet_diabetes.csv (see generate_glmnet.R for how
# they were written).  Writes glmnet_weights_reference.json: one object per case, every
# double written with sprintf("%.17g"); the weights used are written with each case.
#
# Requires (Debian): r-base-core r-cran-glmnet.
#
# Conventions (checked by the tests):
# * glmnet normalises the weights to sum to n, so its gaussian objective is
#   (1/2W) sum w_i (y_i - b - x_i'beta)^2 + lambda * penalty with W = sum w_i: for the
#   Lasso (alpha = 1) scikit-learn's and linmod's objective with sample_weight and
#   alpha = lambda.  Rows of weight 0 take no part (R's lm drops them too).
# * standardize = TRUE scales each column by its weighted population standard deviation
#   sqrt(sum w (x - xbar_w)^2 / W) about the weighted mean xbar_w, as linmod's.
# * For alpha < 1 glmnet standardises y internally by its weighted sd
#   sd_y = sqrt(sum w (y - ybar_w)^2 / W) (recorded with each case): glmnet(lambda, a) is
#   linmod's ElasticNet with alpha' = lambda * a + lambda * (1 - a) / sd_y and
#   l1_ratio = lambda * a / alpha'; for a = 0 it is linmod's Ridge (sum w r^2 + alpha ||b||^2)
#   with alpha = W * lambda / sd_y.
# * thresh = 1e-26 and a large maxit make glmnet converge far below its default.

suppressPackageStartupMessages(library(glmnet))

args_all <- commandArgs(trailingOnly = FALSE)
script_arg <- sub("^--file=", "", args_all[grepl("^--file=", args_all)])
if (length(script_arg) == 1 && nzchar(script_arg)) {
  ref_dir <- normalizePath(dirname(script_arg))
} else {
  ref_dir <- normalizePath(file.path("tests", "references", "r"))
}

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
mat_rows <- function(m) paste0("[", paste(apply(m, 1, num), collapse = ", "), "]")

house <- read.csv(file.path(ref_dir, "glmnet_house_prices.csv"))
house_x <- as.matrix(house[, c("square_feet", "bedrooms", "bathrooms", "age", "garage")])
house_y <- house$price
diab <- read.csv(file.path(ref_dir, "glmnet_diabetes.csv"))
diab_x <- as.matrix(diab[, setdiff(names(diab), "target")])
diab_y <- diab$target

# Deterministic weights: 1, 1.5, 2, 2.5 in turn, with every 11th row (from the 7th) 0.
make_weights <- function(n) {
  w <- 1 + (seq_len(n) %% 4) / 2
  w[seq(7, n, by = 11)] <- 0
  w
}
weighted_sd <- function(y, w) {
  m <- sum(w * y) / sum(w)
  sqrt(sum(w * (y - m)^2) / sum(w))
}
grid <- function(hi, lo, k) exp(seq(log(hi), log(lo), length.out = k))

path_case <- function(name, x, y, lambda, a, standardize) {
  w <- make_weights(nrow(x))
  fit <- glmnet(x, y, family = "gaussian", weights = w, alpha = a, lambda = lambda,
                standardize = standardize, thresh = 1e-26, maxit = 1e9)
  fields <- list(
    dataset = str_(name),
    alpha_glmnet = num(a),
    standardize = if (standardize) "true" else "false",
    weights = num(w),
    lambda = num(fit$lambda),
    intercept = num(fit$a0),
    coef = mat_rows(as.matrix(fit$beta)),
    sd_y = num(weighted_sd(y, w)),
    weight_sum = num(sum(w))
  )
  obj(fields)
}

cases <- list(
  house_lasso_std = path_case("house", house_x, house_y, grid(20000, 20, 20), 1, TRUE),
  house_lasso = path_case("house", house_x, house_y, grid(20000, 20, 20), 1, FALSE),
  diabetes_lasso = path_case("diabetes", diab_x, diab_y, grid(2, 0.002, 20), 1, FALSE),
  diabetes_lasso_std = path_case("diabetes", diab_x, diab_y, grid(2, 0.002, 20), 1, TRUE),
  diabetes_enet_std = path_case("diabetes", diab_x, diab_y, grid(2, 0.002, 20), 0.5, TRUE),
  diabetes_enet = path_case("diabetes", diab_x, diab_y, grid(2, 0.002, 20), 0.3, FALSE),
  diabetes_ridge_std = path_case("diabetes", diab_x, diab_y, grid(50, 0.05, 12), 0, TRUE)
)

out <- paste0(
  "{\n  \"_generator\": \"tests/references/r/generate_glmnet_weights.R\",\n",
  "  \"_glmnet_version\": \"", as.character(packageVersion("glmnet")), "\",\n  ",
  paste(sprintf("%s: %s", str_(names(cases)), unlist(cases)), collapse = ",\n  "),
  "\n}\n"
)
writeLines(out, file.path(ref_dir, "glmnet_weights_reference.json"), sep = "")
