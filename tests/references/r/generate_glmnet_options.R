#!/usr/bin/env Rscript
# Generate glmnet reference values for glmnet's per-feature options: penalty.factor,
# lower.limits / upper.limits and the relaxed lasso (relax = TRUE), for linmod's
# penalty_factor=, lower= / upper= and relax= / gamma=
# (tests/regularization/test_glmnet_options.py).
#
# Run from the repository root:
#     Rscript tests/references/r/generate_glmnet_options.R
#
# Reads glmnet_diabetes.csv and glmnet_house_prices.csv (see generate_glmnet.R for how
# they were written).  Writes glmnet_options_reference.json: one object per case, every
# double written with sprintf("%.17g"); each case records the options it used.
#
# Requires (Debian): r-base-core r-cran-glmnet.
#
# Conventions (checked by the tests):
# * glmnet rescales penalty.factor to sum to the number of variables (an infinite factor
#   excludes the variable and counts as 1); the factor multiplies the whole elastic-net
#   penalty of its variable.
# * lower.limits / upper.limits bound the coefficients on the original scale, also with
#   standardize = TRUE (glmnet multiplies them by the columns' sds internally).
# * For alpha < 1 glmnet standardises y by its 1/n sd (sd_y, recorded with each case):
#   glmnet(lambda, a) is linmod's ElasticNet with alpha' = lambda * a + lambda * (1 - a) / sd_y
#   and l1_ratio = lambda * a / alpha' (docs/regularization.md).
# * relax = TRUE: fit$relaxed holds, for each lambda, the unpenalised refit on the active
#   set (gamma = 0), within the same bounds; coef(fit, gamma = g) blends
#   g * penalised + (1 - g) * relaxed.
# * thresh = 1e-26 and a large maxit make glmnet converge far below its default;
#   glmnet.control(fdev = 0) keeps every lambda of the explicit sequence.

suppressPackageStartupMessages(library(glmnet))
glmnet.control(fdev = 0)

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
# Infinite limits and factors as JSON strings "inf" / "-inf" (JSON has no infinity).
num_inf <- function(x) {
  x <- as.double(x)
  s <- ifelse(is.infinite(x), ifelse(x > 0, "\"inf\"", "\"-inf\""), sprintf("%.17g", x))
  paste0("[", paste(s, collapse = ", "), "]")
}
str_ <- function(x) paste0("\"", x, "\"")
obj <- function(fields) {
  body <- paste(sprintf("    %s: %s", str_(names(fields)), unlist(fields)), collapse = ",\n")
  paste0("{\n", body, "\n  }")
}
mat_rows <- function(m) paste0("[", paste(apply(m, 1, num), collapse = ", "), "]")

diab <- read.csv(file.path(ref_dir, "glmnet_diabetes.csv"))
diab_x <- as.matrix(diab[, setdiff(names(diab), "target")])
diab_y <- diab$target
house <- read.csv(file.path(ref_dir, "glmnet_house_prices.csv"))
house_x <- as.matrix(house[, c("square_feet", "bedrooms", "bathrooms", "age", "garage")])
house_y <- house$price
sd_n <- function(y) sqrt(mean((y - mean(y))^2))
grid <- function(hi, lo, k) exp(seq(log(hi), log(lo), length.out = k))

data_of <- function(name) {
  if (name == "diabetes") list(x = diab_x, y = diab_y) else list(x = house_x, y = house_y)
}

fit_case <- function(name, lambda, a, standardize, pf = NULL, lower = -Inf, upper = Inf,
                     relax = FALSE) {
  d <- data_of(name)
  p <- ncol(d$x)
  if (is.null(pf)) pf <- rep(1, p)
  # do.call puts the values themselves in the call, which relax = TRUE re-evaluates.
  fit <- do.call(glmnet, list(x = d$x, y = d$y, family = "gaussian", alpha = a,
                              lambda = lambda, standardize = standardize,
                              penalty.factor = pf, lower.limits = lower,
                              upper.limits = upper, relax = relax, thresh = 1e-26,
                              maxit = 1e9))
  fields <- list(
    dataset = str_(name),
    alpha_glmnet = num(a),
    standardize = if (standardize) "true" else "false",
    penalty_factor = num_inf(pf),
    lower = num_inf(rep_len(lower, p)),
    upper = num_inf(rep_len(upper, p)),
    lambda = num(fit$lambda),
    intercept = num(fit$a0),
    coef = mat_rows(as.matrix(fit$beta)),
    sd_y = num(sd_n(d$y))
  )
  if (relax) {
    fields$relaxed_intercept <- num(fit$relaxed$a0)
    fields$relaxed_coef <- mat_rows(as.matrix(fit$relaxed$beta))
    g <- as.matrix(coef(fit, gamma = 0.25))
    fields$gamma <- num(0.25)
    fields$blend_intercept <- num(g[1, ])
    fields$blend_coef <- mat_rows(g[-1, , drop = FALSE])
  }
  obj(fields)
}

# cv.glmnet(relax = TRUE) on explicit, equal-sized folds (house: 5 folds of 100 rows), so
# that cvm is the plain mean of the folds' MSEs and cvsd their sd / sqrt(K); one curve per
# gamma of cv.glmnet's default grid c(0, 0.25, 0.5, 0.75, 1) (fit$relaxed$statlist), and
# glmnet's choices over all (lambda, gamma) pairs.
cv_relax_case <- function(name, lambda, standardize, pf = NULL, lower = -Inf, upper = Inf) {
  d <- data_of(name)
  p <- ncol(d$x)
  if (is.null(pf)) pf <- rep(1, p)
  foldid <- rep_len(1:5, nrow(d$x))
  fit <- do.call(cv.glmnet, list(x = d$x, y = d$y, family = "gaussian", alpha = 1,
                                 lambda = lambda, foldid = foldid, relax = TRUE,
                                 standardize = standardize, penalty.factor = pf,
                                 lower.limits = lower, upper.limits = upper,
                                 thresh = 1e-26, maxit = 1e9))
  stats <- fit$relaxed$statlist
  fields <- list(
    dataset = str_(name),
    standardize = if (standardize) "true" else "false",
    penalty_factor = num_inf(pf),
    lower = num_inf(rep_len(lower, p)),
    upper = num_inf(rep_len(upper, p)),
    foldid = num(foldid),
    lambda = num(fit$lambda),
    gammas = num(fit$relaxed$gamma),
    cvm = mat_rows(t(sapply(stats, function(s) s$cvm))),
    cvsd = mat_rows(t(sapply(stats, function(s) s$cvsd))),
    lambda_min = num(fit$relaxed$lambda.min),
    gamma_min = num(fit$relaxed$gamma.min),
    lambda_1se = num(fit$relaxed$lambda.1se),
    gamma_1se = num(fit$relaxed$gamma.1se)
  )
  obj(fields)
}

diab_pf <- c(0, 1, 2, 0.5, 1, 1, 3, 1, 1, 0)
diab_pf_inf <- c(1, 0, 1, 1, Inf, 1, 1, 2, 1, 1)
diab_lower <- c(-Inf, -100, 0, -Inf, -50, -Inf, -Inf, 0, -Inf, -Inf)
diab_upper <- c(Inf, Inf, 400, 250, Inf, 100, Inf, Inf, 500, Inf)
house_pf <- c(0.5, 1, 1, 2, 0)
house_lower <- c(-Inf, -1000, 0, -2000, -Inf)
house_upper <- c(150, Inf, 20000, Inf, 5000)
lam_d <- grid(5, 0.01, 6)
lam_h <- grid(40000, 40, 6)

cases <- list(
  diabetes_lasso_pf_std = fit_case("diabetes", lam_d, 1, TRUE, pf = diab_pf),
  diabetes_lasso_pf = fit_case("diabetes", lam_d, 1, FALSE, pf = diab_pf),
  diabetes_lasso_pf_inf_std = fit_case("diabetes", lam_d, 1, TRUE, pf = diab_pf_inf),
  diabetes_enet_pf_std = fit_case("diabetes", lam_d, 0.5, TRUE, pf = diab_pf),
  diabetes_lasso_box_std = fit_case("diabetes", lam_d, 1, TRUE, lower = diab_lower,
                                    upper = diab_upper),
  diabetes_lasso_box = fit_case("diabetes", lam_d, 1, FALSE, lower = diab_lower,
                                upper = diab_upper),
  diabetes_lasso_nonneg_std = fit_case("diabetes", lam_d, 1, TRUE, lower = 0),
  diabetes_enet_box_pf_std = fit_case("diabetes", lam_d, 0.7, TRUE, pf = diab_pf,
                                      lower = diab_lower, upper = diab_upper),
  house_lasso_box_pf_std = fit_case("house", lam_h, 1, TRUE, pf = house_pf,
                                    lower = house_lower, upper = house_upper),
  house_lasso_box_pf = fit_case("house", lam_h, 1, FALSE, pf = house_pf,
                                lower = house_lower, upper = house_upper),
  diabetes_lasso_relax_std = fit_case("diabetes", lam_d, 1, TRUE, relax = TRUE),
  diabetes_lasso_relax = fit_case("diabetes", lam_d, 1, FALSE, relax = TRUE),
  diabetes_lasso_relax_box_pf_std = fit_case("diabetes", lam_d, 1, TRUE, pf = diab_pf,
                                             lower = diab_lower, upper = diab_upper,
                                             relax = TRUE),
  diabetes_enet_relax_std = fit_case("diabetes", lam_d, 0.5, TRUE, relax = TRUE),
  house_cv_relax_std = cv_relax_case("house", grid(40000, 40, 25), TRUE),
  house_cv_relax_box_pf = cv_relax_case("house", grid(40000, 40, 25), FALSE, pf = house_pf,
                                        lower = house_lower, upper = house_upper)
)

out <- paste0(
  "{\n  \"_generator\": \"tests/references/r/generate_glmnet_options.R\",\n",
  "  \"_glmnet_version\": \"", as.character(packageVersion("glmnet")), "\",\n  ",
  paste(sprintf("%s: %s", str_(names(cases)), unlist(cases)), collapse = ",\n  "),
  "\n}\n"
)
writeLines(out, file.path(ref_dir, "glmnet_options_reference.json"), sep = "")
