"""What a small ``ols(X, y)`` + ``coef`` + ``std_err`` costs, counted instead of timed.

Timings of a 0.3 ms fit on a shared 2-core machine vary by ±20 % from run to run, more
than most changes to the fit's glue.  This script counts instead, so two versions of
linmod can be compared exactly (run it with ``PYTHONPATH=<checkout>/src``):

``python bench/small_fit_cost.py opcodes``
    The Python bytecodes one fit executes, by module and by function (``sys.settrace``
    with opcode events; deterministic).

``python bench/small_fit_cost.py callgrind [--rounds 20]``
    Runs the fit under valgrind's callgrind with its cache simulation (``apt-get install
    valgrind``), twice: statsmodels alone, and statsmodels then linmod in each round (so
    linmod starts from the cache state the peers leave, as in ``bench/speed.py``).  The
    difference per round is linmod's cost: instructions, L1 instruction and data misses,
    last-level misses, and an estimate of cycles ``Ir + 10 (I1 + D1) + 100 LL``; the
    statsmodels run gives the same estimate for it, and their ratio.  Instrumentation is
    switched on only for the timed rounds (``callgrind_control -i on``), after 300
    warm-up fits that load the compiled kernels.  About a minute per run; numba
    compiles its kernels again the first time (valgrind reports another CPU).

``--formula``
    Count ``ols("mpg ~ wt + hp + qsec + C(cyl)", data=mtcars)`` + ``coef`` + ``std_err``
    against ``statsmodels.formula.api.ols(...).fit()`` instead.

``python bench/small_fit_cost.py loop ROUNDS MODE [--formula]`` is the program callgrind
runs.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import statsmodels.api as sm

import linmod

N, P = 1000, 5


def _data() -> tuple[np.ndarray, np.ndarray]:
    sys.path.insert(0, str(Path(__file__).parent))
    from speed import make_data

    return make_data(N, P)


def _linmod_fit(x: np.ndarray, y: np.ndarray) -> None:
    res = linmod.ols(x, y)
    res.coef, res.std_err  # noqa: B018 - part of the work


def _statsmodels_fit(x: np.ndarray, y: np.ndarray) -> None:
    res = sm.OLS(y, sm.add_constant(x)).fit()
    res.params, res.bse  # noqa: B018 - part of the work


FORMULA = "mpg ~ wt + hp + qsec + C(cyl)"


def _fits(formula: bool) -> tuple[Callable[[], None], Callable[[], None], str]:
    """linmod's fit, the peer's, and what they fit."""
    if not formula:
        x, y = _data()
        return (lambda: _linmod_fit(x, y)), (lambda: _statsmodels_fit(x, y)), f"n = {N}, p = {P}"
    import pandas as pd
    import statsmodels.formula.api as smf

    mtcars = pd.read_csv(Path(__file__).resolve().parents[1] / "tests" / "data" / "mtcars.csv")

    def ours() -> None:
        res = linmod.ols(FORMULA, data=mtcars)
        res.coef, res.std_err  # noqa: B018 - part of the work

    def theirs() -> None:
        res = smf.ols(FORMULA, data=mtcars).fit()
        res.params, res.bse  # noqa: B018 - part of the work

    return ours, theirs, f"{FORMULA} on mtcars"


def opcodes(formula: bool, top: int = 30) -> None:
    """Print the bytecodes one warm fit executes, by module and by its ``top`` functions."""
    ours, _, what = _fits(formula)
    for _ in range(300):
        ours()
    counts: collections.Counter[tuple[str, str]] = collections.Counter()

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        if event == "call":
            frame.f_trace_opcodes = True
        elif event == "opcode":
            counts[(frame.f_code.co_filename, frame.f_code.co_name)] += 1
        return tracer

    sys.settrace(tracer)
    ours()
    sys.settrace(None)
    for name in ("_linmod_fit", "ours", "<lambda>"):
        counts.pop((__file__, name), None)
    modules: collections.Counter[str] = collections.Counter()
    for (filename, _), count in counts.items():
        match = re.search(r"/(linmod|pandas|numpy|numba|functools)[/.]", filename)
        modules[match.group(1) if match else Path(filename).name] += count
    print(f"# bytecodes of one linmod.ols + coef + std_err, {what}")
    print(f"total {sum(counts.values())}: " + ", ".join(f"{k} {v}" for k, v in modules.items()))
    for (filename, name), count in counts.most_common(top):
        short = filename.split("site-packages/")[-1].split("src/")[-1]
        print(f"{count:6d}  {short}:{name}")


def loop(rounds: int, mode: str, formula: bool) -> None:
    """The rounds callgrind counts (``mode``: ``sm`` or ``both``)."""
    ours, theirs, _ = _fits(formula)
    for _ in range(300):
        ours()
        theirs()
    pid = str(os.getpid())
    subprocess.run(["callgrind_control", "-i", "on", pid], capture_output=True, check=False)
    for _ in range(rounds):
        theirs()
        if mode == "both":
            ours()
    subprocess.run(["callgrind_control", "-i", "off", pid], capture_output=True, check=False)


_COUNTS = {"Ir": "I   refs", "I1": "I1  misses", "D1": "D1  misses", "LL": "LL misses"}


def callgrind(rounds: int, formula: bool) -> None:
    """Run :func:`loop` under callgrind for both modes and print linmod's cost per fit."""
    found: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for mode in ("sm", "both"):
            command = [
                "valgrind", "--tool=callgrind", "--instr-atstart=no", "--cache-sim=yes",
                f"--callgrind-out-file={folder}/out.{mode}", sys.executable, __file__,
                "loop", str(rounds), mode, *(["--formula"] if formula else []),
            ]  # fmt: skip
            log = subprocess.run(command, capture_output=True, text=True, check=True).stderr
            found[mode] = {
                key: float(re.search(label + r":\s+([\d,]+)", log).group(1).replace(",", ""))  # type: ignore[union-attr]
                for key, label in _COUNTS.items()
            }

    def cycles(counts: dict[str, float]) -> float:
        return counts["Ir"] + 10 * (counts["I1"] + counts["D1"]) + 100 * counts["LL"]

    peer = {key: value / rounds for key, value in found["sm"].items()}
    mine = {key: (found["both"][key] - found["sm"][key]) / rounds for key in _COUNTS}
    print(f"# per fit, {_fits(formula)[2]}, {rounds} rounds; linmod {linmod.__file__}")
    for name, counts in (("linmod", mine), ("statsmodels", peer)):
        figures = "  ".join(f"{key} {counts[key]:,.0f}" for key in _COUNTS)
        print(f"{name:<12} {figures}  est. cycles {cycles(counts):,.0f}")
    print(f"statsmodels / linmod (est. cycles): {cycles(peer) / cycles(mine):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=["opcodes", "callgrind", "loop"])
    parser.add_argument("args", nargs="*")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--formula", action="store_true", help="the mtcars formula fit")
    parser.add_argument("--top", type=int, default=30, help="opcodes: functions listed")
    options = parser.parse_args()
    if options.what == "opcodes":
        opcodes(options.formula, options.top)
    elif options.what == "callgrind":
        callgrind(options.rounds, options.formula)
    else:
        loop(int(options.args[0]), options.args[1], options.formula)


if __name__ == "__main__":
    main()
