"""Benchmark ``linmod.ols(X, y)`` against scikit-learn, statsmodels and ``numpy.linalg.lstsq``.

Every tool fits the same float64 data in one process: a well-conditioned Gaussian design
``X`` (seeded), a known ``beta`` bounded away from zero, an intercept and Gaussian noise.

Timing
    ``time.perf_counter`` around each whole user-level call, ``--repeats`` times per tool
    (after ``--warmup`` untimed calls), tools interleaved round-robin so that background
    load hits all of them alike; the MEDIAN is reported with the ratio ``peer / linmod``
    (> 1 means linmod is faster).  What is timed:

    * linmod       ``res = linmod.ols(X, y); res.coef; res.std_err``
    * sklearn      ``LinearRegression().fit(X, y)``  (copy_X=True, the default)
    * statsmodels  ``res = sm.OLS(y, sm.add_constant(X)).fit(); res.params; res.bse``
    * lstsq        ``np.linalg.lstsq(np.column_stack([ones, X]), y, rcond=None)``

    (linmod and statsmodels compute standard errors; sklearn and lstsq do not.)

Memory
    Each (shape, tool) is measured in a fresh child process that regenerates the same data
    and fits once, so allocator caches and earlier fits cannot hide or inflate anything:

    * ``tracemalloc``: peak of traced memory during the fit minus the traced memory before
      it (numpy registers its data buffers with tracemalloc), and what the returned result
      still holds afterwards;
    * RSS high-water mark (Linux): ``VmHWM`` after the fit, reset with
      ``/proc/self/clear_refs`` just before it, minus ``VmRSS`` before it.  This also sees
      memory that C code allocates with plain ``malloc`` (numpy.linalg's LAPACK workspaces,
      OpenBLAS buffers), which tracemalloc cannot.

    Both are reported in multiples of ``X.nbytes`` (the n-by-p feature matrix the user
    passes, without the intercept column).

Threads are left at the BLAS default (``--threads N`` caps every BLAS/OpenMP pool with
threadpoolctl instead, e.g. ``--threads 1`` for numbers that suffer less from other
processes on a small machine); the output shows ``os.cpu_count()``, what threadpoolctl
reports and the load average before and after each shape.

``--profile`` adds a cProfile of three ``linmod.ols`` fits per shape (cumulative time).

Usage::

    python bench/ols.py                      # (1e6, 20), (4e5, 60), (1e6, 100); 5 repeats
    python bench/ols.py --quick              # tiny shapes: smoke test
    python bench/ols.py --shapes 200000x50,1000000x10 --repeats 3 --no-memory
    python bench/ols.py --shapes 400000x60 --threads 1 --profile
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

DEFAULT_SHAPES = "1000000x20,400000x60,1000000x100"
QUICK_SHAPES = "2000x5,5000x20,3000x40"
TOOLS = ("linmod", "sklearn", "statsmodels", "lstsq")
NOISE_SD = 0.5
INTERCEPT = 1.5


# --------------------------------------------------------------------------- data
def parse_shapes(text: str) -> list[tuple[int, int]]:
    """Parse ``"1000000x20,4e5x60"`` into ``[(1000000, 20), (400000, 60)]``."""
    shapes = []
    for item in text.split(","):
        item = item.strip().lower()
        if not item:
            continue
        try:
            n_text, p_text = item.split("x")
            n, p = int(float(n_text)), int(float(p_text))
        except ValueError:
            raise SystemExit(f"--shapes: cannot read {item!r}; write NxP, e.g. 400000x60") from None
        if n <= p + 1 or p < 1:
            raise SystemExit(f"--shapes: {item!r} needs n > p + 1 and p >= 1")
        shapes.append((n, p))
    return shapes


def make_data(n: int, p: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Well-conditioned Gaussian design, known coefficients, noisy response (float64).

    Returns ``X`` (n, p), C-ordered; ``y`` (n,); and the true coefficients with the
    intercept first.  The coefficients are ``±U(0.5, 2)`` so that relative differences are
    well defined.
    """
    rng = np.random.default_rng([seed, n, p])
    x = rng.standard_normal((n, p))
    beta = rng.uniform(0.5, 2.0, p) * rng.choice([-1.0, 1.0], p)
    y = x @ beta
    y += INTERCEPT
    y += NOISE_SD * rng.standard_normal(n)
    return x, y, np.concatenate([[INTERCEPT], beta])


# --------------------------------------------------------------------------- tools
def fit_linmod(x: np.ndarray, y: np.ndarray) -> Any:
    import linmod

    res = linmod.ols(x, y)
    res.coef, res.std_err  # noqa: B018 - standard errors are part of the work
    return res


def fit_sklearn(x: np.ndarray, y: np.ndarray) -> Any:
    from sklearn.linear_model import LinearRegression

    return LinearRegression().fit(x, y)


def fit_statsmodels(x: np.ndarray, y: np.ndarray) -> Any:
    import statsmodels.api as sm

    res = sm.OLS(y, sm.add_constant(x)).fit()
    res.params, res.bse  # noqa: B018 - standard errors are part of the work
    return res


def fit_lstsq(x: np.ndarray, y: np.ndarray) -> Any:
    design = np.column_stack([np.ones(x.shape[0]), x])
    return np.linalg.lstsq(design, y, rcond=None)


FITS: dict[str, Callable[[np.ndarray, np.ndarray], Any]] = {
    "linmod": fit_linmod,
    "sklearn": fit_sklearn,
    "statsmodels": fit_statsmodels,
    "lstsq": fit_lstsq,
}


def coefficients(tool: str, result: Any) -> np.ndarray:
    """Coefficients with the intercept first."""
    if tool == "linmod":
        return np.asarray(result.coef, dtype=float)
    if tool == "sklearn":
        return np.concatenate([[result.intercept_], result.coef_])
    if tool == "statsmodels":
        return np.asarray(result.params, dtype=float)
    return np.asarray(result[0], dtype=float)


def standard_errors(tool: str, result: Any) -> np.ndarray | None:
    if tool == "linmod":
        return np.asarray(result.std_err, dtype=float)
    if tool == "statsmodels":
        return np.asarray(result.bse, dtype=float)
    return None


def max_rel_diff(a: np.ndarray, b: np.ndarray) -> float:
    """``max_j |a_j - b_j| / |b_j|`` (b is the reference)."""
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), np.finfo(float).tiny)))


# --------------------------------------------------------------------------- timing
def time_shape(
    n: int, p: int, seed: int, repeats: int, warmup: int, tools: tuple[str, ...]
) -> dict[str, Any]:
    x, y, truth = make_data(n, p, seed)
    times: dict[str, list[float]] = {tool: [] for tool in tools}
    coefs: dict[str, np.ndarray] = {}
    errors: dict[str, np.ndarray | None] = {}
    extras: dict[str, str] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for tool in tools:  # warm-up: imports, first-touch, keep one result for checks
            for _ in range(max(warmup, 1)):
                result = FITS[tool](x, y)
            coefs[tool] = coefficients(tool, result)
            errors[tool] = standard_errors(tool, result)
            if tool == "linmod":
                extras["linmod solver used"] = str(result.solution.method)
                extras["linmod condition number"] = f"{result.condition_number:.3g}"
            del result
            gc.collect()
        for _ in range(repeats):
            for tool in tools:
                gc.collect()
                start = time.perf_counter()
                result = FITS[tool](x, y)
                times[tool].append(time.perf_counter() - start)
                del result
    gc.collect()
    reference = coefs.get("linmod")
    agreement = {}
    if reference is not None:
        for tool in tools:
            if tool == "linmod":
                agreement[tool] = {"vs_truth": max_rel_diff(reference, truth)}
                continue
            entry = {"coef": max_rel_diff(coefs[tool], reference)}
            if errors[tool] is not None and errors["linmod"] is not None:
                entry["std_err"] = max_rel_diff(errors[tool], errors["linmod"])
            agreement[tool] = entry
    return {
        "n": n,
        "p": p,
        "x_nbytes": int(x.nbytes),
        "times": times,
        "median": {tool: statistics.median(ts) for tool, ts in times.items()},
        "agreement": agreement,
        "extras": extras,
    }


def thread_limit(threads: int | None) -> contextlib.AbstractContextManager[Any]:
    """Cap BLAS/OpenMP threads when asked; otherwise leave the defaults alone."""
    if threads is None:
        return contextlib.nullcontext()
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=threads)


def profile_linmod(n: int, p: int, seed: int, fits: int = 3, top: int = 25) -> str:
    """cProfile of ``fits`` calls of ``linmod.ols(X, y)`` (after a warm-up fit), cumulative."""
    x, y, _ = make_data(n, p, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit_linmod(x, y)
        profiler = cProfile.Profile()
        for _ in range(fits):
            gc.collect()
            profiler.enable()
            fit_linmod(x, y)
            profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("cumulative").print_stats(top)
    return f"{fits} fits profiled together (times are totals over them)\n" + stream.getvalue()


# --------------------------------------------------------------------------- memory
def _status_kb(field: str) -> int | None:
    try:
        with open("/proc/self/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_hwm() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return True
    except OSError:
        return False


def memory_child(n: int, p: int, seed: int, tool: str) -> dict[str, Any]:
    """Run in a fresh process: one fit of ``tool``, measured by tracemalloc and RSS."""
    x, y, _ = make_data(n, p, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Imports and any one-off caches happen on a tiny fit, outside the measurement.
        small_x, small_y, _ = make_data(200, min(p, 20), seed)
        FITS[tool](small_x, small_y)
        del small_x, small_y
        gc.collect()

        # RSS high-water mark (no tracemalloc running: it would add its own overhead).
        rss_before = _status_kb("VmRSS")
        hwm_ok = _reset_hwm()
        result = FITS[tool](x, y)
        hwm_after = _status_kb("VmHWM") if hwm_ok else None
        rss_after = _status_kb("VmRSS")
        del result
        gc.collect()

        # tracemalloc (numpy data buffers are traced).
        tracemalloc.start()
        base, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        result = FITS[tool](x, y)
        gc.collect()
        retained, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del result
    out: dict[str, Any] = {
        "tracemalloc_peak": peak - base,
        "tracemalloc_retained": retained - base,
        "x_nbytes": int(x.nbytes),
    }
    if hwm_after is not None and rss_before is not None:
        out["rss_peak"] = (hwm_after - rss_before) * 1024
        out["rss_retained"] = (rss_after - rss_before) * 1024 if rss_after else None
    return out


def measure_memory(
    n: int, p: int, seed: int, tools: tuple[str, ...], threads: int | None = None
) -> dict[str, Any]:
    results = {}
    for tool in tools:
        command = [
            sys.executable,
            os.path.abspath(__file__),
            "--_memory-child",
            f"{n}x{p}",
            "--seed",
            str(seed),
            "--tools",
            tool,
        ] + ([] if threads is None else ["--threads", str(threads)])
        completed = subprocess.run(command, capture_output=True, text=True, check=False)
        if completed.returncode != 0:
            results[tool] = {"error": completed.stderr.strip().splitlines()[-1:]}
            continue
        results[tool] = json.loads(completed.stdout.strip().splitlines()[-1])
    return results


# --------------------------------------------------------------------------- report
def _git_commit(where: str) -> str:
    """The checkout's commit, with ``+local changes`` when linmod's sources differ from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=where, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "."], cwd=where, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "?"
    return (commit or "?") + (" +local changes under src/linmod" if dirty else "")


def environment() -> dict[str, Any]:
    import scipy
    import sklearn
    import statsmodels

    import linmod

    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as handle:
            names = [
                line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")
            ]
        if names:
            cpu = names[0]
    except OSError:
        pass
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "cpu_model": cpu,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "sklearn": sklearn.__version__,
        "statsmodels": statsmodels.__version__,
        "linmod": getattr(linmod, "__version__", "?"),
    }
    info["linmod_commit"] = _git_commit(os.path.dirname(os.path.abspath(linmod.__file__)))
    try:
        import scipy.linalg  # load scipy's BLAS so threadpoolctl sees it
        from threadpoolctl import threadpool_info

        info["blas"] = [
            f"{d.get('internal_api')} {d.get('version')} ({d.get('prefix')}, "
            f"{d.get('threading_layer')}, arch {d.get('architecture')}, "
            f"{d.get('num_threads')} threads)"
            for d in threadpool_info()
        ]
    except ImportError:
        info["blas"] = ["threadpoolctl not installed; see numpy.show_config()"]
    return info


def print_timing(entry: dict[str, Any], tools: tuple[str, ...]) -> None:
    n, p, median = entry["n"], entry["p"], entry["median"]
    print(f"\n### n = {n:,}, p = {p} (+ intercept); X = {entry['x_nbytes'] / 2**20:,.0f} MiB")
    for key, value in entry["extras"].items():
        print(f"- {key}: {value}")
    print()
    print(
        "| tool | median s | min s | max s | ratio peer/linmod | max rel coef diff vs linmod "
        "| max rel std_err diff vs linmod |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    base = median.get("linmod")
    for tool in tools:
        ts = entry["times"][tool]
        ratio = (
            "1 (reference)"
            if tool == "linmod"
            else (f"{median[tool] / base:.2f}x" if base else "-")
        )
        agree = entry["agreement"].get(tool, {})
        if tool == "linmod":
            coef = f"(vs true beta: {agree.get('vs_truth', float('nan')):.1e})"
        else:
            coef = f"{agree.get('coef', float('nan')):.1e}"
        se = f"{agree['std_err']:.1e}" if "std_err" in agree else "-"
        print(
            f"| {tool} | {median[tool]:.3f} | {min(ts):.3f} | {max(ts):.3f} | {ratio} "
            f"| {coef} | {se} |"
        )


def print_memory(n: int, p: int, memory: dict[str, Any], tools: tuple[str, ...]) -> None:
    print(f"\n#### Extra memory beyond the data, n = {n:,}, p = {p} (multiples of X.nbytes)\n")
    print("| tool | tracemalloc peak | RSS peak (VmHWM) | held by result (tracemalloc) |")
    print("|---|---:|---:|---:|")
    for tool in tools:
        m = memory.get(tool, {})
        if "error" in m:
            print(f"| {tool} | error: {m['error']} | | |")
            continue
        size = m["x_nbytes"]

        def fmt(key: str, m: dict[str, Any] = m, size: int = size) -> str:
            value = m.get(key)
            return "-" if value is None else f"{value / size:.2f}x"

        print(
            f"| {tool} | {fmt('tracemalloc_peak')} | {fmt('rss_peak')} "
            f"| {fmt('tracemalloc_retained')} |"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--shapes", default=None, help=f"comma-separated NxP list (default {DEFAULT_SHAPES})"
    )
    parser.add_argument("--repeats", type=int, default=5, help="timed fits per tool (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed fits per tool first")
    parser.add_argument(
        "--quick", action="store_true", help=f"tiny shapes ({QUICK_SHAPES}) for a smoke test"
    )
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument(
        "--tools", default=",".join(TOOLS), help=f"comma-separated subset of {','.join(TOOLS)}"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the memory runs")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="cap BLAS/OpenMP threads (default: leave the library defaults)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="also print a cProfile of linmod.ols for each shape"
    )
    parser.add_argument("--json", metavar="PATH", help="also write all results as JSON")
    parser.add_argument("--_memory-child", dest="memory_child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    tools = tuple(t.strip() for t in args.tools.split(",") if t.strip())
    unknown = [t for t in tools if t not in FITS]
    if unknown:
        parser.error(f"unknown tool(s) {unknown}; choose from {list(TOOLS)}")

    if args.memory_child:
        ((n, p),) = parse_shapes(args.memory_child)
        with thread_limit(args.threads):
            print(json.dumps(memory_child(n, p, args.seed, tools[0])))
        return 0

    if args.repeats < 1:
        parser.error("--repeats must be at least 1")
    shapes = parse_shapes(args.shapes or (QUICK_SHAPES if args.quick else DEFAULT_SHAPES))
    env = environment()
    print("# linmod.ols benchmark\n")
    print("command: python " + " ".join([os.path.relpath(__file__), *sys.argv[1:]]))
    print(f"cores (os.cpu_count()): {env['cpu_count']}; CPU: {env['cpu_model']}")
    print(
        f"python {env['python']}, numpy {env['numpy']}, scipy {env['scipy']}, "
        f"scikit-learn {env['sklearn']}, statsmodels {env['statsmodels']}, "
        f"linmod {env['linmod']} (git {env['linmod_commit']})"
    )
    for line in env["blas"]:
        print(f"BLAS: {line}")
    limit = (
        "BLAS default (not limited)"
        if args.threads is None
        else (f"capped at {args.threads} with threadpoolctl")
    )
    print(
        f"threads: {limit}; OMP/OPENBLAS_NUM_THREADS = "
        f"{os.environ.get('OMP_NUM_THREADS', 'unset')}/"
        f"{os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}"
    )
    print(
        f"repeats: {args.repeats} (median reported), warm-up fits: {max(args.warmup, 1)}, "
        f"seed: {args.seed}"
    )
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    if load:
        print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    sys.stdout.flush()

    report: dict[str, Any] = {"environment": env, "args": vars(args), "shapes": []}
    for n, p in shapes:
        before = os.getloadavg()[0] if load else None
        with thread_limit(args.threads):
            entry = time_shape(n, p, args.seed, args.repeats, args.warmup, tools)
        print_timing(entry, tools)
        if load:
            entry["load_average"] = (before, os.getloadavg()[0])
            print(
                f"\n(1-minute load average before/after the timings: "
                f"{entry['load_average'][0]:.2f} / {entry['load_average'][1]:.2f} "
                f"on {os.cpu_count()} cores)"
            )
        if not args.no_memory:
            entry["memory"] = measure_memory(n, p, args.seed, tools, args.threads)
            print_memory(n, p, entry["memory"], tools)
        if args.profile and "linmod" in tools:
            with thread_limit(args.threads):
                entry["profile"] = profile_linmod(n, p, args.seed)
            print(f"\n#### cProfile of linmod.ols, n = {n:,}, p = {p}\n")
            print("```\n" + entry["profile"].strip() + "\n```")
        report["shapes"].append(entry)
        sys.stdout.flush()
    if load:
        load = os.getloadavg()
        print(f"\nload average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(report, handle, indent=2, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
