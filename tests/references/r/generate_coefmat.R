#!/usr/bin/env Rscript
# R's printed coefficient tables (printCoefmat, as summary.lm prints them) for linmod's
# terminal and text renderers.
#
# Run from the repository root:
#     Rscript tests/references/r/generate_coefmat.R
#
# Writes tests/references/r/coefmat_reference.json: one object per case with the four
# columns (every double with sprintf("%.17g"), NA as null) and the lines R prints with
# printCoefmat(digits = 4) (summary.lm's digits), trailing spaces removed, plus
# format.pval(digits = 3) of the p-value column. Needs only r-base-core.

num <- function(x) {
  paste0("[", paste(ifelse(is.na(x), "null", sprintf("%.17g", x)), collapse = ", "), "]")
}
str_list <- function(x) paste0("[", paste(encodeString(x, quote = '"'), collapse = ", "), "]")

coefmat_case <- function(cf) {
  colnames(cf) <- c("Estimate", "Std. Error", "t value", "Pr(>|t|)")
  printed <- sub(" +$", "", capture.output(printCoefmat(cf, digits = 4)))
  paste0(
    "{\"names\": ", str_list(rownames(cf)),
    ", \"estimate\": ", num(cf[, 1]), ", \"std_error\": ", num(cf[, 2]),
    ", \"t_value\": ", num(cf[, 3]), ", \"p_value\": ", num(cf[, 4]),
    ", \"format_pval\": ", str_list(format.pval(cf[, 4], digits = 3)),
    ", \"printed\": ", str_list(printed), "}"
  )
}

from_lm <- function(fit) {
  cf <- summary(fit)$coefficients
  # aliased coefficients are rows of NA, as summary.lm prints them
  full <- matrix(NA_real_, length(coef(fit)), 4, dimnames = list(names(coef(fit)), NULL))
  full[rownames(cf), ] <- cf
  full
}

synthetic <- function(est, se, names = paste0("x", seq_along(est))) {
  t <- est / se
  cbind(est, se, t, 2 * pt(-abs(t), df = 20)) |> `rownames<-`(names)
}

cases <- list(
  mtcars_cyl = from_lm(lm(mpg ~ wt + hp + factor(cyl), mtcars)),
  mtcars_wt_hp = from_lm(lm(mpg ~ wt + hp, mtcars)),
  mtcars_wt = from_lm(lm(mpg ~ wt, mtcars)),
  mtcars_aliased = from_lm(lm(mpg ~ wt + hp + I(2 * wt), mtcars)),
  longley = from_lm(lm(Employed ~ ., longley)),
  swiss = from_lm(lm(Fertility ~ ., swiss)),
  huge_and_tiny = synthetic(c(1.5e9, -2.25e-7, 3.0), c(2.5e8, 1e-7, 0.5)),
  zero_estimate = synthetic(c(0, 12.5, -0.004), c(1.25, 0.75, 0.001)),
  no_stars = synthetic(c(0.1, -0.2), c(1, 2))
)
body <- paste(sprintf("  %s: %s", encodeString(names(cases), quote = '"'),
                      vapply(cases, coefmat_case, character(1))), collapse = ",\n")
meta <- sprintf("  \"_meta\": {\"R\": %s}", encodeString(R.version.string, quote = '"'))
writeLines(paste0("{\n", meta, ",\n", body, "\n}"),
           "tests/references/r/coefmat_reference.json")
