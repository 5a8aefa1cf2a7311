#!/usr/bin/env Rscript
# Reference values for linmod's cluster-robust covariances (sandwich::vcovCL, clubSandwich)
# and sandwich::vcovHC HC4/HC5.
#
# Run from the repository root:
#     Rscript tests/references/r/generate_cluster.R
#
# Reads:   tests/data/Grunfeld.csv   (Grunfeld's 11-firm investment data, 1935-1954, as
#                                     shipped by statsmodels; public domain)
#          tests/data/mtcars.csv     (written by generate_ols.R)
# Writes:  tests/data/PetersenCL.csv (sandwich's PetersenCL: Petersen's simulated panel,
#                                     500 firms x 10 years)
#          tests/references/r/cluster_reference.json
#
# Requires (Debian): r-base-core r-cran-sandwich r-cran-lmtest r-cran-clubsandwich

suppressPackageStartupMessages({
  library(sandwich)
  library(lmtest)
  library(clubSandwich)
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

data("PetersenCL", package = "sandwich")
export_csv(PetersenCL, "PetersenCL")
petersen <- read.csv(file.path(data_dir, "PetersenCL.csv"))
stopifnot(identical(petersen$x, PetersenCL$x), identical(petersen$y, PetersenCL$y))
grunfeld <- read.csv(file.path(data_dir, "Grunfeld.csv"))
mtcars_csv <- read.csv(file.path(data_dir, "mtcars.csv"))

# Grunfeld with two responses missing: rows 4 and 60 (1-based) are dropped by lm, and the
# cluster labels of the full data are matched to the rows used (vcovCL's na.action rule).
grunfeld_na <- grunfeld
grunfeld_na$invest[c(4, 60)] <- NA

# Clusters of mixed sizes: each firm's 1935 and 1936 rows alone, its other years together
# (singleton and multi-row clusters in one CR2/CR3 computation); the labels go to the JSON.
grunfeld_mixed <- grunfeld
grunfeld_mixed$mixed <- ifelse(grunfeld$year <= 1936, paste(grunfeld$firm, grunfeld$year),
                               grunfeld$firm)

datasets <- list(PetersenCL = petersen, Grunfeld = grunfeld, Grunfeld_na = grunfeld_na,
                 Grunfeld_mixed = grunfeld_mixed)

# vcovCL's types and the linmod type each stands for (vcovCL's HC0 keeps G/(G-1) by
# default, so linmod's CR0 is HC0 with cadjust = FALSE).
vcovcl_types <- list(
  CR0 = list(type = "HC0", cadjust = FALSE),
  CR1 = list(type = "HC1", cadjust = TRUE),
  CR2 = list(type = "HC2", cadjust = TRUE),
  CR3 = list(type = "HC3", cadjust = TRUE)
)

matrix_of <- function(v) {
  m <- unname(as.matrix(v))
  m
}

cluster_case <- function(data_name, formula, linmod_formula, groups, types,
                         club = character(0)) {
  data <- datasets[[data_name]]
  fit <- lm(as.formula(formula), data = data)
  cl_formula <- as.formula(paste("~", paste(groups, collapse = " + ")))
  kept <- !is.na(coef(fit))
  out <- list(
    data = scalar(data_name),
    formula = scalar(formula),
    linmod_formula = scalar(linmod_formula),
    groups = groups,
    n_obs = scalar(as.integer(nobs(fit))),
    df_resid = scalar(as.integer(fit$df.residual)),
    coef_names = names(coef(fit)),
    aliased = unname(!kept),
    coef = unname(coef(fit)),
    vcov_names = names(coef(fit))[kept]
  )
  if (!(groups[1] %in% names(read.csv(file.path(data_dir, "Grunfeld.csv"))))) {
    out$labels <- as.character(data[[groups[1]]])  # a column made here, not in the CSV
  }
  for (t in types) {
    spec <- vcovcl_types[[t]]
    v <- vcovCL(fit, cluster = cl_formula, type = spec$type, cadjust = spec$cadjust)
    ct <- coeftest(fit, vcov. = v)  # t on the residual df, as for lm
    ci <- coefci(fit, vcov. = v, level = 0.95)
    entry <- list(
      vcov = matrix_of(v),
      std_err = unname(sqrt(diag(v))),
      t_value = unname(ct[, 3]),
      p_value = unname(ct[, 4]),
      conf_int = matrix_of(ci)
    )
    n_slopes <- sum(kept) - ("(Intercept)" %in% names(coef(fit)))
    if (n_slopes >= 1 && all(kept) && "(Intercept)" %in% names(coef(fit))) {
      # (skipped where the covariance of the slopes is singular: cluster fixed effects)
      w <- tryCatch(waldtest(fit, vcov = v, test = "F"), error = function(e) NULL)
      if (!is.null(w)) {
        entry$wald_f <- scalar(w$F[2])
        entry$wald_df <- c(abs(w$Df[2]), w$Res.Df[1])
        entry$wald_p <- scalar(w[["Pr(>F)"]][2])
      }
    }
    out[[t]] <- entry
  }
  if (length(club) > 0) {
    # clubSandwich takes the cluster vector of the rows used
    used <- as.integer(rownames(model.frame(fit)))
    cluster_vec <- data[[groups[1]]][used]
    for (t in club) {
      v <- vcovCR(fit, cluster = cluster_vec, type = t)
      out[[paste0("club_", t)]] <- list(vcov = matrix_of(as.matrix(v)))
    }
  }
  out
}

hc_case <- function(data, data_name, formula, linmod_formula) {
  fit <- lm(as.formula(formula), data = data)
  kept <- !is.na(coef(fit))
  out <- list(data = scalar(data_name), formula = scalar(formula),
              linmod_formula = scalar(linmod_formula),
              coef_names = names(coef(fit)), vcov_names = names(coef(fit))[kept])
  for (t in c("HC4", "HC5")) {
    v <- vcovHC(fit, type = t)
    ct <- coeftest(fit, vcov. = v)
    out[[t]] <- list(vcov = matrix_of(v), std_err = unname(sqrt(diag(v))),
                     p_value = unname(ct[, 4]))
  }
  out
}

all_types <- c("CR0", "CR1", "CR2", "CR3")
results <- list(
  petersen_firm = cluster_case("PetersenCL", "y ~ x", "y ~ x", "firm", all_types,
                               club = c("CR0", "CR1S", "CR2")),
  petersen_year = cluster_case("PetersenCL", "y ~ x", "y ~ x", "year", all_types),
  petersen_twoway = cluster_case("PetersenCL", "y ~ x", "y ~ x", c("firm", "year"),
                                 c("CR0", "CR1", "CR2")),
  petersen_no_intercept = cluster_case("PetersenCL", "y ~ 0 + x", "y ~ 0 + x", "firm",
                                       c("CR1", "CR2")),
  grunfeld_firm = cluster_case("Grunfeld", "invest ~ value + capital",
                               "invest ~ value + capital", "firm", all_types,
                               club = c("CR0", "CR2", "CR3")),
  grunfeld_year = cluster_case("Grunfeld", "invest ~ value + capital",
                               "invest ~ value + capital", "year", all_types),
  grunfeld_twoway = cluster_case("Grunfeld", "invest ~ value + capital",
                                 "invest ~ value + capital", c("firm", "year"),
                                 c("CR0", "CR1", "CR2")),
  grunfeld_no_intercept = cluster_case("Grunfeld", "invest ~ 0 + value + capital",
                                       "invest ~ 0 + value + capital", "firm",
                                       c("CR0", "CR1", "CR2")),
  grunfeld_rank_deficient = cluster_case(
    "Grunfeld", "invest ~ value + capital + I(2 * value)",
    "invest ~ value + capital + I(2 * value)", "firm", c("CR1", "CR2")),
  grunfeld_mixed = cluster_case("Grunfeld_mixed", "invest ~ value + capital",
                                "invest ~ value + capital", "mixed", all_types,
                                club = c("CR2")),
  grunfeld_missing = cluster_case("Grunfeld_na", "invest ~ value + capital",
                                  "invest ~ value + capital", "firm", c("CR1", "CR2")),
  # Firm fixed effects: I - H_gg is singular in every cluster; clubSandwich's CR2 uses
  # its pseudo-inverse (vcovCL's HC2 gives NaN there, so only clubSandwich is kept).
  grunfeld_firm_effects = cluster_case("Grunfeld", "invest ~ value + capital + factor(firm)",
                                       "invest ~ value + capital + C(firm)", "firm",
                                       c("CR1"), club = c("CR2"))
)

hc <- list(
  mtcars = hc_case(mtcars_csv, "mtcars", "mpg ~ wt + hp + disp", "mpg ~ wt + hp + disp"),
  grunfeld = hc_case(grunfeld, "Grunfeld", "invest ~ value + capital",
                     "invest ~ value + capital"),
  grunfeld_no_intercept = hc_case(grunfeld, "Grunfeld", "invest ~ 0 + value + capital",
                                  "invest ~ 0 + value + capital")
)

pkg_version <- function(p) scalar(as.character(packageVersion(p)))
si <- sessionInfo()
meta <- list(
  generator = scalar("tests/references/r/generate_cluster.R"),
  r_version = scalar(R.version.string),
  platform = scalar(R.version$platform),
  packages = list(sandwich = pkg_version("sandwich"), lmtest = pkg_version("lmtest"),
                  clubSandwich = pkg_version("clubSandwich")),
  blas = scalar(if (is.null(si$BLAS)) "" else si$BLAS),
  lapack = scalar(if (is.null(si$LAPACK)) "" else si$LAPACK),
  number_format = scalar("doubles written with sprintf('%.17g'); NA -> null"),
  conventions = scalar(paste(
    "cluster cases: CR0 = vcovCL(type = 'HC0', cadjust = FALSE), CR1 = vcovCL(type = 'HC1')",
    "(the lm default), CR2 = vcovCL(type = 'HC2'), CR3 = vcovCL(type = 'HC3'), cluster =",
    "~ groups; t/p from lmtest::coeftest(fit, vcov. = V) (residual df), conf_int from",
    "coefci (rows = coefficients, columns = lower, upper), wald_* from",
    "waldtest(fit, vcov = V, test = 'F') against the intercept-only model. club_* are",
    "clubSandwich::vcovCR(fit, cluster, type). Matrices are lists of rows over vcov_names",
    "(the non-aliased coefficients). hc cases: sandwich::vcovHC(fit, type = 'HC4'/'HC5')",
    "with the default constants (HC5 k = 0.7)."))
)
doc <- c(list(`_meta` = meta), list(cluster = results, hc = hc))
json_path <- file.path(ref_dir, "cluster_reference.json")
writeLines(to_json(doc), json_path, useBytes = TRUE)
cat("Wrote", json_path, "\n")
