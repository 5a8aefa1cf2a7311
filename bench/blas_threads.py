"""The one-BLAS-thread context of small fits (issue 19, h6-threads): its cost and its worth.

``solver="auto"`` runs every small fit (``n * p**2 <= 5e7``) inside
:func:`linmod.linalg.threads.small_work_blas_thread`, which sets every BLAS library to one
thread and restores the counts on exit.  This script times ``linmod.ols(X, y)`` +
``std_err`` three ways in one process, on the data of ``bench/speed.py``:

* ``ctypes``         the context as it is now (OpenBLAS's own get/set functions, ctypes);
* ``threadpoolctl``  the context before h6-threads (threadpoolctl's controllers);
* ``none``           no context: numpy's and scipy's OpenBLAS keep their threads.

Two measurements per shape, each on the machine as it is and then with ``--load``
background processes spinning (``--loads 0,2``: idle, then two spinners on this 2-core
machine):

``interleaved``
    Single fits of the three, shuffled round-robin with scikit-learn's
    ``LinearRegression``, statsmodels' ``OLS`` and numpy's ``Z'Z`` (as ``bench/speed.py``):
    median wall time and median CPU time of the calling thread per fit.
``loop``
    Blocks of ``--block`` consecutive fits of one variant (in shuffled order), each
    followed by a 0.3 s pause in which OpenBLAS's woken threads go back to sleep: median
    wall time per fit, and the CPU time the *other* threads of the process (OpenBLAS's
    workers) used per fit, counted from the block's start to the end of the pause
    (a woken OpenBLAS thread spins for 2**28 cycles, ~0.1 s, before it sleeps).

Also printed: the context alone (enter + exit, µs), and the 1-minute load with every row.
Worker CPU comes from ``/proc/self/task/*/schedstat`` (Linux; ``-`` elsewhere).

Usage::

    python bench/blas_threads.py                       # 4 shapes, idle then 2 spinners
    python bench/blas_threads.py --shapes 1000x5 --loads 0 --budget 2
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import make_data, parse_shapes  # the data of bench/speed.py

DEFAULT_SHAPES = "1000x5,1000x10,10000x10,2000x20"
_MAIN = threading.get_native_id()


class ThreadpoolctlOneThread:
    """The context before h6-threads: threadpoolctl's controllers, found once."""

    _libraries: tuple[Any, ...] | None = None

    def __enter__(self) -> ThreadpoolctlOneThread:
        if ThreadpoolctlOneThread._libraries is None:
            from threadpoolctl import ThreadpoolController

            ThreadpoolctlOneThread._libraries = tuple(
                c for c in ThreadpoolController().lib_controllers if c.user_api == "blas"
            )
        self._restore = []
        for library in ThreadpoolctlOneThread._libraries:
            threads = library.num_threads
            if threads != 1:
                library.set_num_threads(1)
                self._restore.append((library, threads))
        return self

    def __exit__(self, *exc: object) -> None:
        for library, threads in self._restore:
            library.set_num_threads(threads)


def variants() -> dict[str, Callable[[], Any]]:
    from linmod.linalg.threads import small_work_blas_thread

    return {
        "ctypes": small_work_blas_thread,
        "threadpoolctl": ThreadpoolctlOneThread,
        "none": contextlib.nullcontext,
    }


def worker_ns() -> int | None:
    """CPU nanoseconds used so far by every thread of this process but the calling one."""
    total = 0
    try:
        tids = os.listdir("/proc/self/task")
    except OSError:  # pragma: no cover - not Linux
        return None
    for tid in tids:
        if int(tid) == _MAIN:
            continue
        try:
            with open(f"/proc/self/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except (OSError, ValueError, IndexError):  # a thread that just ended
            pass
    return total


def _spin() -> None:  # pragma: no cover - a background process
    while True:
        pass


@contextlib.contextmanager
def background_load(processes: int) -> Iterator[None]:
    """``processes`` background processes spinning a core each (none for 0)."""
    spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(processes)]
    for p in spinners:
        p.start()
    try:
        if spinners:
            time.sleep(1.0)  # let the load settle
        yield
    finally:
        for p in spinners:
            p.terminate()
        for p in spinners:
            p.join()


def _patched(auto: Any, factory: Callable[[], Any], fit: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        auto.small_work_blas_thread = factory
        return fit()

    return run


def context_cost(factory: Callable[[], Any], repeats: int = 20000) -> float:
    """Median µs of one ``with factory(): pass``, in blocks of 1000."""
    times = []
    for _ in range(repeats // 1000):
        t0 = time.perf_counter()
        for _ in range(1000):
            with factory():
                pass
        times.append((time.perf_counter() - t0) / 1000)
    return statistics.median(times) * 1e6


def interleaved(n: int, p: int, budget: float) -> dict[str, tuple[float, float]]:
    """Median (wall, thread CPU) seconds per fit for each variant, among the peers."""
    import statsmodels.api as sm
    from sklearn.linear_model import LinearRegression

    import linmod
    import linmod.solvers.auto as auto

    x, y = make_data(n, p)
    z = np.column_stack([np.ones(n), x])

    def fit() -> Any:
        res = linmod.ols(x, y)
        res.coef, res.std_err  # noqa: B018 - part of the work
        return res

    def fit_statsmodels() -> None:
        res = sm.OLS(y, sm.add_constant(x)).fit()
        res.params, res.bse  # noqa: B018

    original = auto.small_work_blas_thread
    tools: dict[str, Callable[[], Any]] = {
        name: _patched(auto, factory, fit) for name, factory in variants().items()
    }
    ours = list(tools)
    tools |= {
        "sklearn": lambda: LinearRegression().fit(x, y),
        "statsmodels": fit_statsmodels,
        "floor": lambda: z.T @ z,
    }
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in tools}
    order = list(tools)
    shuffle = random.Random(0).shuffle
    try:
        for fn in tools.values():
            fn()
        start = time.perf_counter()
        while len(times["none"]) < 3 or time.perf_counter() - start < budget:
            shuffle(order)
            for name in order:
                w0, c0 = time.perf_counter(), time.thread_time()
                tools[name]()
                times[name].append((time.perf_counter() - w0, time.thread_time() - c0))
    finally:
        auto.small_work_blas_thread = original
    return {
        name: (
            statistics.median(t[0] for t in times[name]),
            statistics.median(t[1] for t in times[name]),
        )
        for name in ours
    }


def loop(n: int, p: int, rounds: int, block: int) -> dict[str, tuple[float, float | None]]:
    """Median wall seconds per fit and worker-thread CPU seconds per fit, per variant."""
    import linmod
    import linmod.solvers.auto as auto

    x, y = make_data(n, p)

    def fit() -> None:
        res = linmod.ols(x, y)
        res.coef, res.std_err  # noqa: B018

    original = auto.small_work_blas_thread
    factories = variants()
    walls: dict[str, list[float]] = {name: [] for name in factories}
    spins: dict[str, list[float]] = {name: [] for name in factories}
    order = list(factories)
    shuffle = random.Random(1).shuffle
    try:
        fit()
        for _ in range(rounds):
            shuffle(order)
            for name in order:
                auto.small_work_blas_thread = factories[name]
                time.sleep(0.3)  # OpenBLAS threads woken before: asleep again
                w_start = worker_ns()
                for _ in range(block):
                    t0 = time.perf_counter()
                    fit()
                    walls[name].append(time.perf_counter() - t0)
                time.sleep(0.3)  # a woken thread's spin ends within this pause
                w_end = worker_ns()
                if w_start is not None and w_end is not None:
                    spins[name].append((w_end - w_start) / 1e9 / block)
    finally:
        auto.small_work_blas_thread = original
    return {
        name: (
            statistics.median(walls[name]),
            statistics.median(spins[name]) if spins[name] else None,
        )
        for name in factories
    }


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1e3:.3f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shapes", default=DEFAULT_SHAPES)
    parser.add_argument("--loads", default="0,2", help="background spinners, e.g. 0,2")
    parser.add_argument("--budget", type=float, default=4.0, help="seconds per interleaved shape")
    parser.add_argument("--rounds", type=int, default=5, help="blocks per variant in the loop")
    parser.add_argument("--block", type=int, default=20, help="consecutive fits per block")
    args = parser.parse_args(argv)
    shapes = parse_shapes(args.shapes)
    loads = [int(v) for v in args.loads.split(",")]

    import threadpoolctl

    import linmod
    import linmod.solvers.auto  # loads scipy's LAPACK, so its OpenBLAS is listed

    print(f"linmod {linmod.__version__}, {os.cpu_count()} CPUs")
    for info in threadpoolctl.threadpool_info():
        if info["user_api"] == "blas":
            print(
                f"  {info['internal_api']} {info['version']} ({info.get('threading_layer')},"
                f" {info['num_threads']} threads): {Path(info['filepath']).name}"
            )
    names = list(variants())
    for load in loads:
        with background_load(load):
            print(f"\n## {load} background spinner(s)")
            print(
                "context alone (enter + exit), median µs: "
                + ", ".join(
                    f"{name} {context_cost(factory):.2f}" for name, factory in variants().items()
                )
                + f"  load {os.getloadavg()[0]:.1f}"
            )
            print(
                "\ninterleaved with scikit-learn, statsmodels and Z'Z:"
                " median ms per fit, wall / thread CPU"
            )
            print(f"{'n x p':>10} " + " ".join(f"{name:>19}" for name in names) + "  load")
            for n, p in shapes:
                t = interleaved(n, p, args.budget)
                cells = " ".join(f"{_ms(t[k][0]):>9} / {_ms(t[k][1]):>7}" for k in names)
                print(f"{n:>6}x{p:<3} {cells}  {os.getloadavg()[0]:.1f}", flush=True)
            print(
                f"\nloop ({args.block} fits a block, {args.rounds} blocks each): median wall ms"
                " per fit / other threads' CPU ms per fit"
            )
            print(f"{'n x p':>10} " + " ".join(f"{name:>19}" for name in names) + "  load")
            for n, p in shapes:
                t2 = loop(n, p, args.rounds, args.block)
                cells = " ".join(f"{_ms(t2[k][0]):>9} / {_ms(t2[k][1]):>7}" for k in names)
                print(f"{n:>6}x{p:<3} {cells}  {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
