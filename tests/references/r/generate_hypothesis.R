#!/usr/bin/env Rscript
# Generate independent reference values for linmod's hypothesis tests and model comparisons.
#
# Run from anywhere (paths are resolved from this script's location):
#     Rscript tests/references/r/generate_hypothesis.R
#
# Writes:
#   tests/data/warpbreaks.csv                    R's warpbreaks (two crossed factors)
#   tests/references/r/hypothesis_reference.json
#
# Requires (Debian): r-base-core r-cran-car r-cran-lmtest r-cran-sandwich
# Cases: car::linearHypothesis (F and Chisq; classical, HC3 and Newey-West HAC
# covariances), t tests of linear combinations (K b, sqrt(diag(K V K')), t, p, interval,
# computed from vcov()), anova(fit), car::Anova(type = 2 / 3) (Type III of models with
# factors in interactions on a refit under options(contrasts = c("contr.sum",
# "contr.poly"))), anova(m1, m2, m3) and lmtest::lrtest on mtcars, warpbreaks, an
# unbalanced subset of warpbreaks and a model with a raw polynomial in an interaction.
# Numbers are written with sprintf("%.17g") (common.R), NA as null.

suppressPackageStartupMessages({
  library(car)
  library(lmtest)
  library(sandwich)
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

export_csv(warpbreaks, "warpbreaks")
mtcars_data <- read.csv(file.path(data_dir, "mtcars.csv"))
# Read back as the Python tests read it: factor levels in alphabetical order (tension H, L, M).
warp <- read.csv(file.path(data_dir, "warpbreaks.csv"), stringsAsFactors = TRUE)
# Unbalanced: six rows removed (0-based indices, as the Python tests drop them).
unbalanced_drop <- c(0L, 1L, 2L, 19L, 20L, 40L)
warp_unbalanced <- warp[-(unbalanced_drop + 1L), ]
datasets <- list(mtcars = mtcars_data, warpbreaks = warp, warpbreaks_unbalanced = warp_unbalanced)

covariance <- function(fit, kind) {
  switch(kind,
    nonrobust = vcov(fit),
    HC3 = vcovHC(fit, type = "HC3"),
    HAC2 = NeweyWest(fit, lag = 2, prewhite = FALSE, adjust = FALSE)
  )
}

fit_with <- function(formula, data, sum_contrasts = FALSE) {
  old <- options(contrasts = if (sum_contrasts) c("contr.sum", "contr.poly")
                 else c("contr.treatment", "contr.poly"))
  on.exit(options(old))
  fit <- lm(as.formula(formula), data = data)
  fit$call$data <- data  # car refits need the data, not a name
  fit
}

# --------------------------------------------------------------------------- Wald tests
wald_case <- function(id, data, formula_r, formula_py, cov, hyp_r, hyp_py, K = NULL, rhs = NULL) {
  fit <- fit_with(formula_r, datasets[[data]])
  v <- covariance(fit, cov)
  hyp <- hyp_r
  if (any(grepl(":", hyp_r))) {  # car cannot parse names with ":"; "name = 0" as rows of R
    hyp <- t(sapply(sub(" = 0$", "", hyp_r), function(n) as.numeric(names(coef(fit)) == n)))
  }
  if (!is.null(K)) hyp <- K  # names car's parser cannot read: the matrix form
  f <- linearHypothesis(fit, hyp, rhs = rhs, vcov. = v, test = "F")
  chi <- linearHypothesis(fit, hyp, rhs = rhs, vcov. = v, test = "Chisq")
  list(
    id = scalar(id), data = scalar(data), formula_r = scalar(formula_r),
    formula_py = scalar(formula_py), cov = scalar(cov),
    hypotheses_r = hyp_r, hypotheses_py = scalar(hyp_py),
    F = scalar(f$F[2]), df = scalar(as.integer(f$Df[2])), res_df = scalar(as.integer(f$Res.Df[2])),
    p_F = scalar(f[["Pr(>F)"]][2]), Chisq = scalar(chi$Chisq[2]), p_Chisq = scalar(chi[["Pr(>Chisq)"]][2])
  )
}

wald <- list(
  wald_case("two_constraints", "mtcars", "mpg ~ wt + hp + factor(cyl)",
            "mpg ~ wt + hp + C(cyl)", "nonrobust", c("wt = hp", "hp = 0"), "wt = hp, hp = 0"),
  wald_case("arithmetic", "mtcars", "mpg ~ wt + hp + factor(cyl)",
            "mpg ~ wt + hp + C(cyl)", "nonrobust", c("2*wt - hp = 1"), "2*wt - hp = 1"),
  wald_case("factor_levels", "mtcars", "mpg ~ wt + hp + factor(cyl)",
            "mpg ~ wt + hp + C(cyl)", "nonrobust", c("factor(cyl)6 = factor(cyl)8", "factor(cyl)8 = -3"),
            "C(cyl)[T.6] = `C(cyl)[T.8]`, C(cyl)[T.8] = -3",
            K = rbind(c(0, 0, 0, 1, -1), c(0, 0, 0, 0, 1)), rhs = c(0, -3)),
  wald_case("hc3", "mtcars", "mpg ~ wt + hp + factor(cyl)",
            "mpg ~ wt + hp + C(cyl)", "HC3", c("wt = hp", "hp = 0"), "wt = hp, hp = 0"),
  wald_case("hac", "mtcars", "mpg ~ wt + hp + qsec", "mpg ~ wt + hp + qsec", "HAC2",
            c("wt + qsec = 0", "hp = 0"), "wt + qsec = 0, hp = 0"),
  wald_case("interaction", "warpbreaks", "breaks ~ wool * tension", "breaks ~ wool * tension",
            "nonrobust", c("woolB:tensionL = 0", "woolB:tensionM = 0"),
            "wool[T.B]:tension[T.L] = 0, wool[T.B]:tension[T.M] = 0")
)

# --------------------------------------------------------------------------- t tests
t_case <- function(id, data, formula_r, formula_py, cov, K, rhs, hyp_py) {
  fit <- fit_with(formula_r, datasets[[data]])
  v <- covariance(fit, cov)
  b <- coef(fit)
  est <- drop(K %*% b)
  se <- sqrt(diag(K %*% v %*% t(K)))
  tval <- (est - rhs) / se
  df <- fit$df.residual
  q <- qt(0.975, df)
  list(
    id = scalar(id), data = scalar(data), formula_r = scalar(formula_r),
    formula_py = scalar(formula_py), cov = scalar(cov), hypotheses_py = hyp_py,
    rhs = rhs, estimate = est, std_err = se, t_value = tval,
    p_value = 2 * pt(-abs(tval), df), lower = est - q * se, upper = est + q * se
  )
}
# mpg ~ wt + hp + factor(cyl): (Intercept), wt, hp, factor(cyl)6, factor(cyl)8
K1 <- rbind(c(0, 1, -1, 0, 0), c(0, 2, -1, 0, 0), c(1, 3, 0, 0, 1))
ttests <- list(
  t_case("combinations", "mtcars", "mpg ~ wt + hp + factor(cyl)", "mpg ~ wt + hp + C(cyl)",
         "nonrobust", K1, c(0, 1, 20), c("wt - hp = 0", "2*wt - hp = 1", "Intercept + 3*wt + C(cyl)[T.8] = 20")),
  t_case("combinations_hc3", "mtcars", "mpg ~ wt + hp + factor(cyl)", "mpg ~ wt + hp + C(cyl)",
         "HC3", K1, c(0, 1, 20), c("wt - hp = 0", "2*wt - hp = 1", "Intercept + 3*wt + C(cyl)[T.8] = 20"))
)

# --------------------------------------------------------------------------- ANOVA tables
anova_case <- function(id, data, formula_r, formula_py, type, cov = "nonrobust") {
  interactions <- any(attr(terms(as.formula(formula_r)), "order") > 1)
  has_factor <- grepl("factor\\(|wool|tension", formula_r)
  sum_contrasts <- type == 3 && interactions && has_factor
  fit <- fit_with(formula_r, datasets[[data]], sum_contrasts)
  if (type == 1) {
    tab <- anova(fit)
    k <- nrow(tab)
    return(list(
      id = scalar(id), data = scalar(data), formula_r = scalar(formula_r),
      formula_py = scalar(formula_py), type = scalar(1L), cov = scalar(cov),
      sum_contrasts = scalar(FALSE), terms = rownames(tab)[-k],
      df = as.integer(tab$Df[-k]), sum_sq = tab[["Sum Sq"]][-k], F = tab[["F value"]][-k],
      p = tab[["Pr(>F)"]][-k], resid_df = scalar(as.integer(tab$Df[k])),
      resid_ss = scalar(tab[["Sum Sq"]][k])
    ))
  }
  tab <- if (cov == "nonrobust") Anova(fit, type = type) else
    Anova(fit, type = type, vcov. = covariance(fit, cov))
  k <- nrow(tab)
  list(
    id = scalar(id), data = scalar(data), formula_r = scalar(formula_r),
    formula_py = scalar(formula_py), type = scalar(as.integer(type)), cov = scalar(cov),
    sum_contrasts = scalar(sum_contrasts), terms = rownames(tab)[-k],
    df = as.integer(tab$Df[-k]),
    sum_sq = if (is.null(tab[["Sum Sq"]])) NULL else tab[["Sum Sq"]][-k],
    F = tab[["F"]][-k] %||% tab[["F value"]][-k],
    p = tab[["Pr(>F)"]][-k], resid_df = scalar(as.integer(tab$Df[k])),
    resid_ss = if (is.null(tab[["Sum Sq"]])) NULL else scalar(tab[["Sum Sq"]][k])
  )
}
`%||%` <- function(a, b) if (is.null(a)) b else a

models <- list(
  list("additive", "mtcars", "mpg ~ wt + hp + factor(cyl)", "mpg ~ wt + hp + C(cyl)"),
  list("factor_by_numeric", "mtcars", "mpg ~ factor(cyl) * wt + hp", "mpg ~ C(cyl) * wt + hp"),
  list("warpbreaks", "warpbreaks", "breaks ~ wool * tension", "breaks ~ wool * tension"),
  list("unbalanced", "warpbreaks_unbalanced", "breaks ~ wool * tension", "breaks ~ wool * tension"),
  list("poly", "mtcars", "mpg ~ poly(hp, 2, raw = TRUE) * factor(am) + wt",
       "mpg ~ poly(hp, 2, raw=True) * C(am) + wt"),
  list("numeric_interaction", "mtcars", "mpg ~ wt * hp + qsec", "mpg ~ wt * hp + qsec")
)
anovas <- list()
for (m in models) for (type in 1:3) {
  anovas[[length(anovas) + 1]] <- anova_case(paste0(m[[1]], "_type", type), m[[2]], m[[3]], m[[4]], type)
}
for (m in models[c(1, 2, 4)]) for (type in 2:3) {
  anovas[[length(anovas) + 1]] <- anova_case(paste0(m[[1]], "_type", type, "_hc3"), m[[2]], m[[3]], m[[4]], type, "HC3")
}
anovas[[length(anovas) + 1]] <- anova_case("additive_type2_hac", "mtcars", models[[1]][[3]], models[[1]][[4]], 2, "HAC2")

# --------------------------------------------------------------------------- nested models
m1 <- lm(mpg ~ wt, data = mtcars_data)
m2 <- lm(mpg ~ wt + hp, data = mtcars_data)
m3 <- lm(mpg ~ wt + hp + factor(cyl), data = mtcars_data)
nested_tab <- anova(m1, m2, m3)
lr_tab <- lrtest(m1, m2, m3)
nested <- list(
  formulas_py = c("mpg ~ wt", "mpg ~ wt + hp", "mpg ~ wt + hp + C(cyl)"),
  res_df = nested_tab$Res.Df, rss = nested_tab$RSS, df = nested_tab$Df,
  sum_sq = nested_tab[["Sum of Sq"]], F = nested_tab$F, p = nested_tab[["Pr(>F)"]],
  lr_df = lr_tab[["#Df"]], loglik = lr_tab$LogLik, lr_ddf = lr_tab$Df,
  chisq = lr_tab$Chisq, lr_p = lr_tab[["Pr(>Chisq)"]]
)

out <- list(wald = wald, t_test = ttests, anova = anovas, nested = nested,
            unbalanced_drop = unbalanced_drop)
body <- to_json(out, 0)
body <- sub("^\\{\n", "", sub("\n\\}$", "", body))
meta <- sprintf("  \"_meta\": {\"R\": %s, \"car\": \"%s\", \"sandwich\": \"%s\", \"lmtest\": \"%s\"}",
                encodeString(R.version.string, quote = '"'), packageVersion("car"),
                packageVersion("sandwich"), packageVersion("lmtest"))
writeLines(paste0("{\n", meta, ",\n", body, "\n}"), file.path(ref_dir, "hypothesis_reference.json"))
