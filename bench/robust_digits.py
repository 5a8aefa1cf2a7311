"""Correct digits of linmod's robust covariances on NIST Longley, against exact rationals.

Every float64 is a rational number, so the HC0-HC3 and HAC (Newey-West) covariances of
the float64 Longley data have exact values; ``tests/inference/exact_sandwich.py`` computes
them with :class:`fractions.Fraction` (no rounding).  This script prints, per kind, the
smallest number of correct significant digits over the coefficient variances.  The
regression test ``tests/inference/test_covariance.py`` asserts the same numbers.

Usage (from the repository root)::

    python bench/robust_digits.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.inference.test_covariance import longley_digits


def main() -> None:
    """Print the digits per covariance kind."""
    for kind, digits in longley_digits().items():
        label = "HAC(2)" if kind == "HAC" else kind
        print(f"Longley {label:<7} {digits:5.2f} correct digits (exact rational reference)")


if __name__ == "__main__":
    main()
