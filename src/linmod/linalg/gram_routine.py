"""Which BLAS routine forms ``X'X`` of a small C-ordered design: ``dsyrk`` or ``dgemm``.

OpenBLAS's AVX-512 builds (core types SkylakeX, Cooperlake, SapphireRapids) multiply
small matrices (``m·n·k`` up to 1e6) by dedicated kernels that read the operands in place
instead of packing them first, as the general path does; ``dsyrk`` has no such kernels.
On those cores ``X'X`` as one ``dgemm`` (``X'·X``, both operands read from ``X``'s
buffer, every entry computed and the upper triangle kept) took 0.33-0.70 of ``dsyrk``'s
time, measured in compiled code on a Zen 4 that OpenBLAS runs as SkylakeX: 2.8 against
7.5 µs at 1000 x 6, 22 against 49 µs at 1e4 x 6, 40 against 58 µs at 1000 x 31, 219
against 574 µs at 1e5 x 3.  Beyond ``m·n·k = 1e6`` ``dgemm`` takes its general path and
was 1.3-1.4x slower than ``dsyrk``; with the Haswell kernels (which OpenBLAS also runs on
Zen) it was as fast at ``p <= 6`` and 10-40 % slower beyond, so ``dsyrk`` stays there.

The choice depends only on the shape and the BLAS's core type, so the compiled kernels
(:mod:`linmod.linalg.lapack_calls`) and their interpreted twins
(:mod:`linmod.linalg.blas_products`) make the same one: the same routine with the same
arguments, so the same bits.  Either routine's ``X'X`` carries the same rounding bound
(each entry a float64 sum of ``n`` products).
"""

from __future__ import annotations

from functools import cache

from linmod.linalg.threads import loaded_blas

__all__ = ["SMALL_GEMM_CORES", "SMALL_GEMM_VOLUME", "gram_by_gemm"]

#: OpenBLAS core types (``openblas_get_corename``, as threadpoolctl reports them) whose
#: ``dgemm`` has the small-matrix kernels.
SMALL_GEMM_CORES = frozenset({"SkylakeX", "Cooperlake", "SapphireRapids"})

#: The largest ``n·p²`` OpenBLAS hands to those kernels (its ``m·n·k`` bound).
SMALL_GEMM_VOLUME = 1_000_000


@cache
def small_gemm_kernels() -> bool:
    """Whether every BLAS library in use is an OpenBLAS running small-matrix kernels.

    Decided once per process; any other BLAS (MKL, BLIS, Accelerate, an OpenBLAS on
    other kernels) keeps ``dsyrk``.
    """
    libraries = loaded_blas()
    return bool(libraries) and all(
        library.internal_api == "openblas"
        and getattr(library, "architecture", None) in SMALL_GEMM_CORES
        for library in libraries
    )


def gram_by_gemm(n: int, p: int) -> bool:
    """Whether ``X'X`` of an ``n x p`` design is formed by ``dgemm`` (else ``dsyrk``).

    Parameters
    ----------
    n, p : int
        Rows and columns of the design.

    Returns
    -------
    bool
        True when the BLAS has small-matrix ``dgemm`` kernels and ``n·p²`` is within
        :data:`SMALL_GEMM_VOLUME`.
    """
    return n > 0 and p > 0 and n * p * p <= SMALL_GEMM_VOLUME and small_gemm_kernels()
