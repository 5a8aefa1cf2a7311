"""The HTML report words its remedies for the interface that made it (issue 13).

A report made from Python names Python calls on the analysis it renders
(``analysis.results.robust('HC3')``); one made by ``linmod report`` names the command
line's flags (``--robust HC3``, ``--missing drop``, ``--thousands ,``).
"""

from __future__ import annotations

import html
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from linmod.analysis import analyse
from linmod.cli.main import main
from linmod.report import render_html

FORMULA = "y ~ x + z + w + I(x**2)"
#: Python spellings a command-line report may not contain outside "(from Python: ...)".
PYTHON = re.compile(r"\b[a-z_]+=|res\.|report\.refit|analysis\.|linmod\.(ols|ridge|diagnostics)")


def _messy_csv(path: Path) -> Path:
    """Spread growing with x (heteroscedastic), collinear x / w / x², two missing z, and
    a text column of numbers with thousands separators."""
    rng = np.random.default_rng(3)
    n = 120
    x = rng.uniform(1, 10, n)
    z = rng.normal(size=n)
    frame = pd.DataFrame(
        {
            "y": 1 + 2 * x + 0.5 * z + rng.normal(size=n) * x,
            "x": x,
            "z": z,
            "w": x + rng.normal(scale=0.05, size=n),
            "income": [f"{v:,}" for v in rng.integers(1000, 90000, n)],
        }
    )
    frame.loc[[4, 17], "z"] = np.nan
    frame.to_csv(path, index=False)
    return path


def _advice_texts(page: str) -> list[str]:
    """Remedies, reasons, notes and column-flag details, as plain text."""
    blocks = re.findall(r'<div class="remedy[^"]*">(.*?)</div>', page, flags=re.S)
    blocks += re.findall(r'<p class="remedy">(.*?)</p>', page, flags=re.S)
    blocks += re.findall(r'<article class="check[^"]*">(.*?)</article>', page, flags=re.S)
    blocks += re.findall(r'data-problem="[^"]*">(.*?)</tr>', page, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in blocks]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("wording")
    data = _messy_csv(folder / "messy.csv")
    with warnings.catch_warnings():  # the Lasso's CV on collinear columns may warn; not tested
        warnings.simplefilter("ignore")
        python_page = render_html(analyse(FORMULA, pd.read_csv(data), missing="drop"))
    out = folder / "cli.html"
    code = main(["report", str(data), "-f", FORMULA, "--missing", "drop", "-o", str(out)])
    assert code == 0
    return {"python": python_page, "cli": out.read_text(encoding="utf-8")}


def test_a_python_report_names_python_calls_on_the_analysis(pages):
    text = " ".join(_advice_texts(pages["python"]))
    assert "analysis.results.robust('HC3') (analysis.assumptions.refit())" in text
    assert "(missing='drop')" in text
    assert "read the file with thousands=','" in text
    assert "linmod.ridge" in text
    assert "--" not in text  # no command-line flag
    assert "res.robust" not in text  # the check's own name for the fit, unknown here


def test_a_command_line_report_names_flags(pages):
    texts = _advice_texts(pages["cli"])
    text = " ".join(texts)
    assert "linmod fit ... --robust HC3" in text
    assert "(--missing drop)" in text
    assert "read the file with --thousands ," in text
    assert "compare a Ridge fit with linmod cv" in text
    for block in texts:
        without_python_asides = re.sub(r"\(from Python: [^)]*\)", "", block)
        assert not PYTHON.search(without_python_asides), block


def test_a_remedy_that_starts_with_a_term_keeps_its_case(pages):
    # the multicollinearity remedy starts with the term names: "x, w, I(x ** 2) share ..."
    for page in pages.values():
        text = " ".join(_advice_texts(page))
        assert re.search(r"\bx, w, I\(x \*\* 2\) share most", text)
        assert "X, w" not in text
