"""Read-option, level-cleaning and iteration advice in the command line's words (issue 13)."""

from __future__ import annotations

import pytest

from linmod.cli.advice import to_cli
from linmod.cli.main import main


@pytest.mark.parametrize(
    ("python", "cli"),
    [
        (
            "column 'income' holds numbers written with thousands separators (e.g. '43,609'), "
            "read as text: read the file with thousands=','",
            "column 'income' holds numbers written with thousands separators (e.g. '43,609'), "
            "read as text: read the file with --thousands ,",
        ),
        ("read the file with decimal=','", "read the file with --decimal ,"),
        (
            "read the file with na_values=['n/a', '-'] if they mean missing",
            "read the file with --na-values n/a,- if they mean missing",
        ),
        (
            "'North' / 'north'; they are separate levels: clean them if they are one "
            "(e.g. df['region'].str.strip().str.lower())",
            "'North' / 'north'; they are separate levels: clean them in the file if they are "
            "one (the command line keeps levels as written)",
        ),
        (
            "White's test skipped: its auxiliary regression would have 231 columns; run "
            "linmod.diagnostics.white(res) to compute it anyway",
            "White's test skipped: its auxiliary regression would have 231 columns; the "
            "command line does not run it (from Python: linmod.diagnostics.white(res))",
        ),
        (
            "drop or merge the redundant ones, or fit a Ridge regression (linmod.ridge); the",
            "drop or merge the redundant ones, or compare a Ridge fit with linmod cv; the",
        ),
        (
            "at 18 (fold, alpha) pairs of the cross-validation; increase max_iter or loosen tol",
            "at 18 (fold, alpha) pairs of the cross-validation; the command line keeps the "
            "default limits (from Python: max_iter= or tol=)",
        ),
    ],
)
def test_reading_and_remedy_advice_becomes_flags(python, cli):
    assert to_cli(python) == cli


def test_numbers_with_thousands_separators_name_the_flag_once(tmp_path, capsys):
    data = tmp_path / "messy.csv"
    rows = "".join(f'{i},"{40 + i},{100 + i}"\n' for i in range(30))
    data.write_text("price,income\n" + rows, encoding="utf-8")
    assert main(["fit", str(data), "-f", "price ~ income"]) == 1
    err = capsys.readouterr().err
    assert err.rstrip().endswith("read as text: read the file with --thousands ,"), err
    assert err.count("--thousands") == 1
