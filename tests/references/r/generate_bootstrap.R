#!/usr/bin/env Rscript
# Generate bootstrap reference values from R's boot package for linmod's tests.
#
# Run from the repository root:
#     Rscript tests/references/r/generate_bootstrap.R
#
# Writes tests/references/r/bootstrap_reference.json: for each case the resample
# indices boot drew (boot.array(b, indices = TRUE), 1-based), the replicates b$t, the
# estimate b$t0, and per statistic the percentile and BCa endpoints of
# boot.ci(b, conf = c(0.95, 0.9), type = c("perc", "bca"), index = j, L = L) at both
# levels.
#
# The acceleration: L is the jackknife influence values of Efron & Tibshirani (1993,
# eq. 14.15), (n - 1) * (mean(t_(.)) - t_(i)): empinf(b, index = j, type = "jack")
# returns (n - 1) * (t0 - t_(i)), which is centred here (boot.ci's own default, the
# regression estimate type = "reg", depends on the replicates and is not a jackknife).
#
# Requires (Debian): r-base-core r-cran-boot

suppressPackageStartupMessages(library(boot))

args_all <- commandArgs(trailingOnly = FALSE)
script_arg <- sub("^--file=", "", args_all[grepl("^--file=", args_all)])
if (length(script_arg) == 1 && nzchar(script_arg)) {
  repo_root <- normalizePath(file.path(dirname(script_arg), "..", "..", ".."))
} else {
  repo_root <- normalizePath(".")
}
ref_dir <- file.path(repo_root, "tests", "references", "r")
source(file.path(ref_dir, "common.R"))

mtcars_stat <- function(data, i) {
  cf <- coef(lm(mpg ~ wt + hp, data = data[i, ]))
  c(cf, ratio = unname(cf["wt"] / cf["hp"]))
}
stackloss_stat <- function(data, i) {
  coef(lm(stack.loss ~ Air.Flow + Water.Temp + Acid.Conc., data = data[i, ]))
}

cases <- list(
  mtcars_wt_hp = list(data = mtcars, stat = mtcars_stat, R = 999, seed = 20261203,
                      linmod = "mpg ~ wt + hp", dataset = "mtcars",
                      names = c("Intercept", "wt", "hp", "ratio")),
  stackloss_all = list(data = stackloss, stat = stackloss_stat, R = 999, seed = 16,
                       linmod = "stack.loss ~ Air.Flow + Water.Temp + Acid.Conc.",
                       dataset = "stackloss",
                       names = c("Intercept", "Air.Flow", "Water.Temp", "Acid.Conc."))
)

levels <- c(0.95, 0.9)
out <- list()
for (id in names(cases)) {
  case <- cases[[id]]
  set.seed(case$seed)
  b <- boot(case$data, case$stat, R = case$R)
  stats <- list()
  for (j in seq_along(case$names)) {
    L <- empinf(b, index = j, type = "jack")
    L <- L - mean(L)
    ci <- boot.ci(b, conf = levels, type = c("perc", "bca"), index = j, L = L)
    stats[[case$names[j]]] <- list(
      percentile = unname(ci$percent[, 4:5]),
      bca = unname(ci$bca[, 4:5]),
      acceleration = scalar(sum(L^3) / (6 * sum(L^2)^1.5))
    )
  }
  out[[id]] <- list(
    dataset = scalar(case$dataset),
    linmod = scalar(case$linmod),
    R = scalar(case$R),
    seed = scalar(case$seed),
    levels = levels,
    names = case$names,
    t0 = unname(b$t0),
    t = unname(b$t),
    indices = unname(boot.array(b, indices = TRUE)),
    statistics = stats
  )
}
out[["_meta"]] <- list(
  R = scalar(R.version.string),
  boot = scalar(as.character(packageVersion("boot"))),
  note = scalar(paste(
    "indices are 1-based rows of the CSV in tests/data; percentile and bca are",
    "rows (lower, upper) per level, in the order of levels"))
)
writeLines(to_json(out), file.path(ref_dir, "bootstrap_reference.json"))
