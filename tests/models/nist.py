"""Reader for NIST StRD linear-regression files (certified values and data)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

_NUMBER = r"[-+]?\d*\.?\d+(?:[eE][-+]?\d+)?"


@dataclass(frozen=True)
class NistProblem:
    name: str
    data: pd.DataFrame
    formula: str
    intercept: bool
    polynomial_degree: int | None
    coef: np.ndarray
    std_err: np.ndarray
    residual_sd: float
    r_squared: float

    def design(self) -> tuple[np.ndarray, np.ndarray]:
        """Float64 design matrix (without intercept column) and response, for the array API."""
        y = self.data["y"].to_numpy()
        if self.polynomial_degree is not None:
            x = self.data["x"].to_numpy()
            cols = [x**k for k in range(1, self.polynomial_degree + 1)]
        else:
            cols = [self.data[c].to_numpy() for c in self.data.columns if c != "y"]
        return np.column_stack(cols), y


def read_nist(path: Path) -> NistProblem:
    """Parse a certified-values file; the model is read from the parameter names and header."""
    lines = path.read_text().splitlines()
    params: list[tuple[int, float, float]] = []
    for line in lines:
        match = re.match(rf"\s*B(\d+)\s+({_NUMBER})\s+({_NUMBER})\s*$", line)
        if match:
            params.append((int(match.group(1)), float(match.group(2)), float(match.group(3))))

    def certified(label: str) -> float:
        for line in lines:
            match = re.match(rf"\s*{label}\s+({_NUMBER})\s*$", line)
            if match:
                return float(match.group(1))
        raise ValueError(f"{path.name}: no {label!r}")

    header_at = max(i for i, line in enumerate(lines) if re.match(r"\s*Data:\s+y\s", line))
    columns = lines[header_at].split()[1:]
    rows = [[float(v) for v in line.split()] for line in lines[header_at + 1 :] if line.strip()]
    data = pd.DataFrame(rows, columns=columns)
    indices = [k for k, _, _ in params]
    intercept = 0 in indices
    predictors = [c for c in columns if c != "y"]
    slopes = [k for k in indices if k > 0]
    if len(predictors) == 1:
        x = predictors[0]
        terms = [x if k == 1 else f"I({x}**{k})" for k in slopes]
        degree: int | None = max(slopes)
    else:
        terms = [f"x{k}" for k in slopes]
        degree = None
    formula = "y ~ " + ("" if intercept else "0 + ") + " + ".join(terms)
    return NistProblem(
        name=path.stem,
        data=data,
        formula=formula,
        intercept=intercept,
        polynomial_degree=degree,
        coef=np.array([c for _, c, _ in params]),
        std_err=np.array([s for _, _, s in params]),
        residual_sd=certified("Standard Deviation"),
        r_squared=certified("R-Squared"),
    )


def lre(estimate: np.ndarray | float, certified: np.ndarray | float) -> np.ndarray:
    """Log relative error (correct digits), capped at 15 as the certified values carry 15."""
    est = np.atleast_1d(np.asarray(estimate, dtype=float))
    cert = np.atleast_1d(np.asarray(certified, dtype=float))
    with np.errstate(divide="ignore"):
        err = np.where(
            cert == 0, np.abs(est), np.abs(est - cert) / np.abs(np.where(cert == 0, 1, cert))
        )
        return np.minimum(np.where(err == 0, 15.0, -np.log10(err)), 15.0)
