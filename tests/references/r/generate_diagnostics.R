#!/usr/bin/env Rscript
# Generate independent reference values for linmod's regression diagnostics.
#
# Run from anywhere (paths are resolved from this script's location):
#     Rscript tests/references/r/generate_diagnostics.R
#
# Writes:
#   tests/data/<dataset>.csv      data sets not already exported by generate_ols.R
#                                 (longley, cars, trees, Duncan), exact values
#   tests/references/r/diagnostics_reference.json
#
# Requires (Debian): r-base-core r-cran-lmtest r-cran-car r-cran-cardata r-cran-nortest
# Numbers are written with sprintf("%.17g") by the serializer below (jsonlite would
# truncate to 15 significant digits), NA as null.

suppressPackageStartupMessages({
  library(lmtest)
  library(car)
  library(nortest)
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

# ---------------------------------------------------------------------------
# Data sets (CSV export and the JSON writer live in common.R)
# ---------------------------------------------------------------------------

# Data sets exported by generate_ols.R are read back from its CSVs (not rewritten);
# the new ones are exported here.
new_datasets <- list(
  longley = list(df = longley, rowname_col = NULL),
  cars = list(df = cars, rowname_col = NULL),
  trees = list(df = trees, rowname_col = NULL),
  Duncan = list(df = carData::Duncan, rowname_col = "occupation")
)
for (nm in names(new_datasets)) {
  export_csv(new_datasets[[nm]]$df, nm, new_datasets[[nm]]$rowname_col)
}
datasets <- list(
  mtcars = mtcars, swiss = swiss, stackloss = stackloss,
  LifeCycleSavings = LifeCycleSavings, airquality = airquality, iris = iris,
  longley = longley, cars = cars, trees = trees, Duncan = carData::Duncan
)


# ---------------------------------------------------------------------------
# Test cases
# ---------------------------------------------------------------------------

# Evaluate an htest call; keep its statistic, p-value and parameters, and record any
# warning or error R gave (the Python tests skip such entries).
htest <- function(expr) {
  warns <- character(0)
  h <- withCallingHandlers(
    tryCatch(expr, error = function(e) structure(conditionMessage(e), class = "failed")),
    warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  if (inherits(h, "failed")) return(list(error = scalar(unclass(h))))
  out <- list(statistic = scalar(unname(h$statistic)),
              p_value = scalar(unname(h$p.value)))
  if (!is.null(h$parameter)) out$parameter <- unname(as.numeric(h$parameter))
  if (length(warns)) out$r_warnings <- unique(warns)
  out
}

# Harvey-Collier statistic from recursive residuals computed by a QR solve of each
# prefix (lmtest::harvtest updates the inverse by Sherman-Morrison, which loses digits on
# ill-conditioned designs such as Longley's).  NULL when the first k rows are singular.
harvtest_qr <- function(fit) {
  X <- model.matrix(fit)
  y <- model.response(model.frame(fit))
  n <- nrow(X); k <- ncol(X)
  if (qr(X[1:k, , drop = FALSE])$rank < k) return(list(error = scalar("singular start")))
  w <- vapply((k + 1):n, function(t) {
    q <- qr(X[1:(t - 1), , drop = FALSE])
    u <- backsolve(qr.R(q), X[t, q$pivot], transpose = TRUE)
    b <- qr.coef(q, y[1:(t - 1)])
    (y[t] - sum(X[t, ] * b)) / sqrt(1 + sum(u^2))
  }, numeric(1))
  m <- length(w)
  stat <- abs(sqrt(m) * mean(w) / sd(w))
  list(statistic = scalar(stat), p_value = scalar(2 * pt(stat, m - 1, lower.tail = FALSE)),
       parameter = m - 1)
}

cases <- list(
  mtcars_wt_hp = list(dataset = "mtcars", r = mpg ~ wt + hp,
    linmod = "mpg ~ wt + hp", order_by = "hp"),
  mtcars_factor_cyl = list(dataset = "mtcars", r = mpg ~ wt + hp + factor(cyl),
    linmod = "mpg ~ wt + hp + C(cyl)"),
  swiss_all = list(dataset = "swiss", r = Fertility ~ .,
    linmod = "Fertility ~ Agriculture + Examination + Education + Catholic + `Infant.Mortality`",
    order_by = "Education"),
  stackloss_all = list(dataset = "stackloss", r = stack.loss ~ .,
    linmod = "`stack.loss` ~ `Air.Flow` + `Water.Temp` + `Acid.Conc.`"),
  lifecycle = list(dataset = "LifeCycleSavings", r = sr ~ pop15 + pop75 + dpi + ddpi,
    linmod = "sr ~ pop15 + pop75 + dpi + ddpi", order_by = "pop15"),
  airquality_naomit = list(dataset = "airquality", r = Ozone ~ Solar.R + Wind + Temp,
    linmod = "Ozone ~ `Solar.R` + Wind + Temp",
    linmod_kwargs = list(missing = scalar("drop")), order_by = "Temp"),
  iris_species = list(dataset = "iris", r = Sepal.Length ~ Sepal.Width + Species,
    linmod = "`Sepal.Length` ~ `Sepal.Width` + C(Species)"),
  longley_all = list(dataset = "longley",
    r = Employed ~ GNP + Unemployed + Armed.Forces + Population + Year,
    linmod = "Employed ~ GNP + Unemployed + `Armed.Forces` + Population + Year"),
  cars_speed = list(dataset = "cars", r = dist ~ speed, linmod = "dist ~ speed",
    order_by = "speed"),
  trees_girth_height = list(dataset = "trees", r = Volume ~ Girth + Height,
    linmod = "Volume ~ Girth + Height", order_by = "Girth"),
  duncan_type = list(dataset = "Duncan", r = prestige ~ income + education + type,
    linmod = "prestige ~ income + education + C(type)")
)

diagnose <- function(cs) {
  df <- datasets[[cs$dataset]]
  fit <- eval(bquote(lm(.(cs$r), data = df)))
  n <- nobs(fit)
  out <- list(
    dataset = scalar(cs$dataset),
    data_file = scalar(file.path("tests", "data", paste0(cs$dataset, ".csv"))),
    r_formula = scalar(paste(deparse(cs$r, width.cutoff = 500), collapse = "")),
    linmod_formula = scalar(cs$linmod),
    n = scalar(as.integer(n))
  )
  if (!is.null(cs$linmod_kwargs)) out$linmod_kwargs <- cs$linmod_kwargs

  out$resettest <- htest(resettest(fit))
  out$resettest_power2 <- htest(resettest(fit, power = 2))
  out$raintest <- htest(raintest(fit))
  out$raintest_fraction04 <- htest(raintest(fit, fraction = 0.4))
  out$raintest_mahalanobis <- htest(raintest(fit, order.by = "mahalanobis"))
  out$harvtest <- htest(harvtest(fit))
  out$harvtest_qr <- harvtest_qr(fit)
  for (alt in c("greater", "two.sided", "less")) {
    out[[paste0("dwtest_", gsub("\\.", "_", alt))]] <- htest(dwtest(fit, alternative = alt))
  }
  out$dwtest_approx <- htest(dwtest(fit, exact = FALSE))
  out$bgtest_1 <- htest(bgtest(fit, order = 1))
  out$bgtest_2 <- htest(bgtest(fit, order = 2))
  out$bgtest_2_F <- htest(bgtest(fit, order = 2, type = "F"))
  out$bptest <- htest(bptest(fit))
  out$bptest_classic <- htest(bptest(fit, studentize = FALSE))
  out$gqtest <- htest(gqtest(fit))
  out$gqtest_two_sided <- htest(gqtest(fit, alternative = "two.sided"))
  out$gqtest_fraction02 <- htest(gqtest(fit, fraction = 0.2))
  if (!is.null(cs$order_by)) {
    ob <- as.formula(paste("~", cs$order_by))
    used <- df[rownames(model.frame(fit)), , drop = FALSE]
    out$order_by <- scalar(cs$order_by)
    out$gqtest_order_by <- htest(gqtest(fit, order.by = ob, data = used))
    out$harvtest_order_by <- htest(harvtest(fit, order.by = ob, data = used))
    out$raintest_order_by <- htest(raintest(fit, order.by = ob, data = used))
    out$dwtest_order_by <- htest(dwtest(fit, order.by = ob, data = used))
  }
  out$shapiro <- htest(shapiro.test(residuals(fit)))
  out$ad_test <- htest(ad.test(residuals(fit)))

  if (length(labels(terms(fit))) >= 2) {
    v <- vif(fit)
    if (is.matrix(v)) {
      out$vif_terms <- rownames(v)
      out$vif <- unname(v[, 1])
      out$vif_df <- unname(v[, 2])
      out$vif_gvif_1_2df <- unname(v[, 3])
    } else {
      out$vif_terms <- names(v)
      out$vif <- unname(v)
    }
  }

  im <- influence.measures(fit)$infmat
  out$coef_names <- names(coef(fit))
  out$dfbetas <- unname(im[, grepl("^dfb", colnames(im)), drop = FALSE])
  out$dffits <- unname(dffits(fit))
  out$covratio <- unname(covratio(fit))
  out$cooks_distance <- unname(cooks.distance(fit))
  out$hatvalues <- unname(hatvalues(fit))
  out$rstandard <- unname(rstandard(fit))
  out$rstudent <- unname(rstudent(fit))
  out$infmat_dffit <- unname(im[, "dffit"])
  out$infmat_cov_r <- unname(im[, "cov.r"])
  out$infmat_cook_d <- unname(im[, "cook.d"])
  out$infmat_hat <- unname(im[, "hat"])

  ot <- outlierTest(fit)
  rs <- rstudent(fit)
  worst <- which.max(abs(rs))
  out$outlier_max_abs_rstudent <- scalar(unname(abs(rs[worst])))
  out$outlier_row <- scalar(as.integer(match(names(rs)[worst], rownames(df)) - 1L))
  out$outlier_p_unadjusted <- scalar(unname(2 * pt(abs(rs[worst]), df.residual(fit) - 1,
                                                  lower.tail = FALSE)))
  out$outlier_bonferroni_raw <- scalar(length(rs) * out$outlier_p_unadjusted)
  out$outlier_signif <- scalar(isTRUE(ot$signif))
  if (isTRUE(ot$signif)) {
    out$outlier_flagged_rows <- as.integer(match(names(ot$rstudent), rownames(df)) - 1L)
    out$outlier_flagged_bonf_p <- unname(ot$bonf.p)
  }
  out
}

results <- list()
for (id in names(cases)) results[[id]] <- diagnose(cases[[id]])

pkg_version <- function(p) scalar(as.character(packageVersion(p)))
si <- sessionInfo()
meta <- list(
  generator = scalar("tests/references/r/generate_diagnostics.R"),
  r_version = scalar(R.version.string),
  platform = scalar(R.version$platform),
  packages = list(stats = pkg_version("stats"), lmtest = pkg_version("lmtest"),
                  car = pkg_version("car"), nortest = pkg_version("nortest")),
  blas = scalar(if (is.null(si$BLAS)) "" else si$BLAS),
  lapack = scalar(if (is.null(si$LAPACK)) "" else si$LAPACK),
  number_format = scalar("doubles written with sprintf('%.17g'); NA -> null"),
  conventions = scalar(paste(
    "Each htest is {statistic, p_value, parameter}. lmtest functions are called on the",
    "lm fit with default arguments unless the key says otherwise; *_order_by use",
    "order.by = ~ <order_by>. dfbetas is infmat's dfb.* columns (rows = observations,",
    "columns = coef_names). outlier_row and outlier_flagged_rows are 0-based CSV rows.",
    "outlier_bonferroni_raw = n * 2 * pt(-|t|, df - 1), not capped at 1."))
)
doc <- c(list(`_meta` = meta), results)
json_path <- file.path(ref_dir, "diagnostics_reference.json")
writeLines(to_json(doc), json_path, useBytes = TRUE)
cat("Wrote", json_path, "and", length(new_datasets), "CSV files to", data_dir, "\n")
