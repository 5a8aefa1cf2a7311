"""``X'X`` of a C-ordered design by ``dsyrk`` and by ``dgemm``, as the certified kernel calls
them, and the routine :func:`linmod.linalg.gram_routine.gram_by_gemm` picks.

The rule (``dgemm`` on OpenBLAS cores with small-matrix kernels and ``n·p² <= 1e6``,
else ``dsyrk``) rests on these timings; rerun it on another CPU, or with
``OPENBLAS_CORETYPE=Haswell``, to check it there.  Compiled calls of
:func:`linmod.linalg.lapack_calls.gram_rows` with each routine, one BLAS thread, medians
of repeated calls, both in one process::

    python bench/gram_routine.py [--shapes 1000x6,100000x3] [--repeats 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from linmod.linalg.gram_routine import SMALL_GEMM_VOLUME, gram_by_gemm, small_gemm_kernels
from linmod.linalg.lapack_calls import gram_rows
from linmod.linalg.threads import loaded_blas, small_work_blas_thread

SHAPES = (
    "100x3,1000x3,1000x6,1000x11,1000x21,1000x31,1000x46,2000x21,5000x11,10000x6,"
    "20000x6,50000x4,100000x3,500x41,500x60,10000x11"
)


def _seconds(x: np.ndarray, by_gemm: bool, calls: int, repeats: int) -> float:
    out = np.zeros((x.shape[1], x.shape[1]))
    gram_rows(x, out, by_gemm)  # compiled before timing
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            gram_rows(x, out, by_gemm)
        times.append((time.perf_counter() - start) / calls)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default=SHAPES)
    parser.add_argument("--repeats", type=int, default=15)
    options = parser.parse_args()
    cores = ", ".join(
        f"{library.internal_api} {getattr(library, 'architecture', '?')}"
        for library in loaded_blas()
    )
    print(
        f"# BLAS: {cores}; small-matrix dgemm kernels: {small_gemm_kernels()}; "
        f"bound n·p² <= {SMALL_GEMM_VOLUME:.0e}; load {os.getloadavg()[0]:.1f}"
    )
    print(f"{'n x p':>12} {'n·p²':>10} {'dsyrk':>10} {'dgemm':>10} {'gemm/syrk':>9}  chosen")
    rng = np.random.default_rng(0)
    with small_work_blas_thread():
        for shape in options.shapes.split(","):
            n, p = (int(v) for v in shape.split("x"))
            x = rng.standard_normal((n, p))
            calls = max(1, int(2e6 / (n * p * p)))
            syrk = _seconds(x, False, calls, options.repeats)
            gemm = _seconds(x, True, calls, options.repeats)
            chosen = "dgemm" if gram_by_gemm(n, p) else "dsyrk"
            print(
                f"{n:>7}x{p:<4} {n * p * p:>10} {syrk * 1e6:>8.2f}µs {gemm * 1e6:>8.2f}µs"
                f" {gemm / syrk:>9.2f}  {chosen}",
                flush=True,
            )


if __name__ == "__main__":
    main()
