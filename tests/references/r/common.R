# Shared by generate_ols.R and generate_diagnostics.R (sourced, not run on its own):
# the CSV export of R data sets and a JSON writer with full (17 significant digit) precision.

# Shortest decimal string (15..17 significant digits) that reads back as x.
# Missing values become "" (empty field).
fmt_num_csv <- function(x) {
  x <- as.double(x)
  vapply(x, function(v) {
    if (is.na(v)) return("")
    for (d in 15:17) {
      s <- sprintf(paste0("%.", d, "g"), v)
      if (as.double(s) == v) return(s)
    }
    sprintf("%.17g", v)
  }, character(1), USE.NAMES = FALSE)
}

export_csv <- function(df, name, rowname_col = NULL) {
  out <- df
  if (!is.null(rowname_col)) {
    out <- cbind(setNames(data.frame(rownames(df), stringsAsFactors = FALSE),
                          rowname_col), df)
  }
  is_text <- vapply(out, function(col) is.character(col) || is.factor(col),
                    logical(1))
  chr <- as.data.frame(lapply(seq_along(out), function(j) {
    col <- out[[j]]
    if (is_text[j]) as.character(col) else fmt_num_csv(col)
  }), stringsAsFactors = FALSE)
  names(chr) <- names(out)
  path <- file.path(data_dir, paste0(name, ".csv"))
  # Numeric columns are pre-formatted strings; quote only real text columns.
  write.csv(chr, path, row.names = FALSE, na = "",
            quote = if (any(is_text)) which(is_text) else FALSE)
  invisible(path)
}

scalar <- function(x) structure(x, class = c("json_scalar", class(x)))

json_str <- function(s) {
  s <- gsub("\\\\", "\\\\\\\\", s)
  s <- gsub("\"", "\\\\\"", s)
  s <- gsub("\n", "\\\\n", s)
  s <- gsub("\t", "\\\\t", s)
  paste0("\"", s, "\"")
}

json_atom <- function(v) {
  if (is.na(v)) return("null")
  if (is.logical(v)) return(if (v) "true" else "false")
  if (is.character(v)) return(json_str(v))
  if (is.factor(v)) return(json_str(as.character(v)))
  if (is.integer(v)) return(as.character(v))
  if (!is.finite(v)) return("null")
  sprintf("%.17g", v)
}

to_json <- function(x, indent = 0) {
  pad <- strrep("  ", indent)
  pad1 <- strrep("  ", indent + 1)
  if (is.null(x)) return("null")
  if (inherits(x, "json_scalar")) {
    x <- unclass(x)
    if (is.factor(x)) x <- as.character(x)
    stopifnot(length(x) == 1)
    return(json_atom(x))
  }
  if (is.matrix(x)) {
    rows <- vapply(seq_len(nrow(x)), function(i)
      paste0("[", paste(vapply(x[i, ], json_atom, character(1)),
                        collapse = ", "), "]"), character(1))
    if (length(rows) == 0) return("[]")
    return(paste0("[\n", paste0(pad1, rows, collapse = ",\n"), "\n", pad, "]"))
  }
  if (is.list(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    if (!is.null(names(x))) {
      items <- vapply(seq_along(x), function(i)
        paste0(pad1, json_str(names(x)[i]), ": ", to_json(x[[i]], indent + 1)),
        character(1))
      return(paste0("{\n", paste(items, collapse = ",\n"), "\n", pad, "}"))
    }
    items <- vapply(x, function(el) paste0(pad1, to_json(el, indent + 1)),
                    character(1))
    return(paste0("[\n", paste(items, collapse = ",\n"), "\n", pad, "]"))
  }
  # atomic vector -> array (always; use scalar() for single values)
  if (is.factor(x)) x <- as.character(x)
  x <- unname(x)
  paste0("[", paste(vapply(seq_along(x), function(i) json_atom(x[i]),
                           character(1)), collapse = ", "), "]")
}
