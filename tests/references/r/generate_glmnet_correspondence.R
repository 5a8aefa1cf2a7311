#!/usr/bin/env Rscript
# glmnet's ridge (alpha = 0) and elastic net without standardize, for the correspondence
# table of docs/regularization.md ("glmnet's lambda and linmod's alpha, l1_ratio").
#
# Run from the repository root:
#     Rscript tests/references/r/generate_glmnet_correspondence.R
#
# Reads glmnet_diabetes.csv and glmnet_house_prices.csv (see generate_glmnet.R).
# Writes glmnet_correspondence_reference.json: one object per case with glmnet's
# mixing value (alpha_glmnet), lambda, standardize, intercept, coef (one row per feature,
# one column per lambda), n and sd_y = sqrt(mean((y - mean(y))^2)); every double with
# sprintf("%.17g").
#
# Conventions (checked by tests/regularization/test_glmnet_correspondence.py):
# * glmnet (gaussian) standardises y internally whatever `standardize`, so its ridge term
#   is divided by sd_y: glmnet(lambda, a) is linmod's/scikit-learn's ElasticNet with
#   alpha = lambda * a + lambda * (1 - a) / sd_y, l1_ratio = lambda * a / alpha;
#   for a = 0 that is Ridge(alpha = n * lambda / sd_y) (Ridge has no 1/(2n)).
# * thresh = 1e-26 and a large maxit: glmnet converged to ~1e-10.
#
# Requires (Debian): r-base-core r-cran-glmnet

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
sd_pop <- function(y) sqrt(mean((y - mean(y))^2))

house <- read.csv(file.path(ref_dir, "glmnet_house_prices.csv"))
house_x <- as.matrix(house[, c("square_feet", "bedrooms", "bathrooms", "age", "garage")])
house_y <- house$price
diab <- read.csv(file.path(ref_dir, "glmnet_diabetes.csv"))
diab_x <- as.matrix(diab[, setdiff(names(diab), "target")])
diab_y <- diab$target

path_case <- function(name, x, y, lambda, a, standardize) {
  fit <- glmnet(x, y, family = "gaussian", alpha = a, lambda = lambda,
                standardize = standardize, thresh = 1e-26, maxit = 1e9)
  obj(list(
    dataset = str_(name),
    alpha_glmnet = num(a),
    standardize = if (standardize) "true" else "false",
    lambda = num(fit$lambda),
    intercept = num(fit$a0),
    coef = mat_rows(as.matrix(fit$beta)),
    n = num(nrow(x)),
    sd_y = num(sd_pop(y))
  ))
}

cases <- list(
  diabetes_ridge_std = path_case("diabetes", diab_x, diab_y, c(20, 2, 0.2), 0, TRUE),
  diabetes_ridge = path_case("diabetes", diab_x, diab_y, c(20, 2, 0.2), 0, FALSE),
  house_ridge_std = path_case("house", house_x, house_y, c(5000, 500, 50), 0, TRUE),
  house_enet = path_case("house", house_x, house_y, c(5000, 500, 50), 0.25, FALSE)
)

meta <- obj(list(
  R = str_(R.version.string),
  glmnet = str_(as.character(packageVersion("glmnet"))),
  thresh = num(1e-26)
))
body <- paste(sprintf("  %s: %s", str_(c("_meta", names(cases))), c(meta, unlist(cases))),
              collapse = ",\n")
out <- file.path(ref_dir, "glmnet_correspondence_reference.json")
writeLines(paste0("{\n", body, "\n}"), out)
cat("wrote", out, "\n")
