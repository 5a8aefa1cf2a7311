"""One table of strings written as text, Markdown, LaTeX or HTML.

The regression table (:mod:`linmod.report.model_table`) and the exported summary
(:mod:`linmod.report.summary_export`) decide the cells; this module only lays them out:
a header row, body rows (the first cell a row label, left-aligned; the others
right-aligned), rules before chosen rows, and notes under the table.  Every cell is
escaped for its format (``*`` and ``|`` in Markdown, ``& % $ # _ { } ~ ^ \\ < > |`` in LaTeX,
``< > &`` in HTML).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from linmod.exceptions import InputError

__all__ = ["FORMATS", "escape", "render_grid"]

FORMATS = ("text", "markdown", "latex", "html")

_LATEX = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}


def check_format(format: str) -> str:
    """Refuse a format other than those of :data:`FORMATS`."""
    if format not in FORMATS:
        raise InputError(
            f"format={format!r} is not known; use 'text', 'markdown', 'latex' or 'html'"
        )
    return format


def escape(cell: str, format: str) -> str:
    """Escape one cell's text for ``format``."""
    if format == "markdown":
        return cell.replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*")
    if format == "latex":
        return "".join(_LATEX.get(ch, ch) for ch in cell)
    if format == "html":
        return html.escape(cell)
    return cell


def _text(header: Sequence[str], rows: Sequence[Sequence[str]], rules: set[int]) -> list[str]:
    table = [list(header), *map(list, rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]

    def line(row: Sequence[str]) -> str:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        return "  ".join(cells).rstrip()

    total = sum(widths) + 2 * (len(widths) - 1)
    out = [line(header), "-" * total]
    for i, row in enumerate(rows):
        if i in rules:
            out.append("-" * total)
        out.append(line(row))
    out.append("-" * total)
    return out


def _markdown(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    def line(row: Sequence[str]) -> str:
        return "| " + " | ".join(escape(c, "markdown") for c in row) + " |"

    align = "|:" + "-" * 3 + "|" + "|".join("-" * 3 + ":" for _ in header[1:]) + "|"
    return [line(header), align, *(line(row) for row in rows)]


def _latex(
    header: Sequence[str], rows: Sequence[Sequence[str]], rules: set[int], raw: set[int]
) -> list[str]:
    def line(i: int | None, row: Sequence[str]) -> str:
        cells = [c if i in raw and j > 0 else escape(c, "latex") for j, c in enumerate(row)]
        return " & ".join(cells) + r" \\"

    out = [r"\begin{tabular}{l" + "r" * (len(header) - 1) + "}", r"\hline", line(None, header)]
    out.append(r"\hline")
    for i, row in enumerate(rows):
        if i in rules:
            out.append(r"\hline")
        out.append(line(i, row))
    out += [r"\hline", r"\end{tabular}"]
    return out


def _html(
    header: Sequence[str], rows: Sequence[Sequence[str]], rules: set[int], caption: str | None
) -> list[str]:
    out = ['<table class="linmod-table">']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    head = "".join(f"<th>{html.escape(c)}</th>" for c in header)
    out += ["<thead>", f"<tr>{head}</tr>", "</thead>", "<tbody>"]
    for i, row in enumerate(rows):
        if i in rules:
            out += ["</tbody>", "<tbody>"]
        cells = [f'<th style="text-align:left">{html.escape(row[0])}</th>']
        cells += [f'<td style="text-align:right">{html.escape(c)}</td>' for c in row[1:]]
        out.append(f"<tr>{''.join(cells)}</tr>")
    out += ["</tbody>", "</table>"]
    return out


def render_grid(
    format: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    rules: Sequence[int] = (),
    notes: Sequence[str] = (),
    caption: str | None = None,
    latex_cells: dict[int, list[str]] | None = None,
) -> str:
    """Lay out a table of strings in ``format``.

    Parameters
    ----------
    format : {"text", "markdown", "latex", "html"}
    header : sequence of str
        Column headings (the first over the row labels, often empty).
    rows : sequence of sequences of str
        Body rows, each as long as ``header``.
    rules : sequence of int
        Body rows preceded by a horizontal rule (a new ``<tbody>`` in HTML).
    notes : sequence of str
        Lines under the table (a paragraph each in Markdown and HTML).
    caption : str, optional
        A title above the table.
    latex_cells : dict, optional
        Row number -> replacement cells (after the label) already in LaTeX (e.g. stars
        as ``$^{***}$``), used as they are.

    Returns
    -------
    str
    """
    check_format(format)
    rule_set = set(rules)
    if format == "text":
        lines = ([caption, ""] if caption else []) + _text(header, rows, rule_set) + list(notes)
        return "\n".join(lines)
    if format == "markdown":
        lines = ([f"**{escape(caption, 'markdown')}**", ""] if caption else []) + _markdown(
            header, rows
        )
        for note in notes:  # a paragraph each
            lines += ["", escape(note, "markdown")]
        return "\n".join(lines)
    if format == "latex":
        replaced = [list(r) for r in rows]
        for i, cells in (latex_cells or {}).items():
            replaced[i] = [rows[i][0], *cells]
        body = _latex(header, replaced, rule_set, set(latex_cells or {}))
        lines = [r"\begin{table}[ht]", r"\centering"]
        if caption:
            lines.append(r"\caption{" + escape(caption, "latex") + "}")
        lines += body
        if notes:
            lines += [r"\par\footnotesize " + r" \\ ".join(escape(n, "latex") for n in notes)]
        lines.append(r"\end{table}")
        return "\n".join(lines)
    lines = ["<div>", *_html(header, rows, rule_set, caption)]
    lines += [f"<p>{html.escape(n)}</p>" for n in notes]
    lines.append("</div>")
    return "\n".join(lines)
