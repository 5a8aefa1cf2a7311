"""Exercise 3 of the lessons: fit, check all five assumptions, find violations, propose fixes.

The lesson uses scikit-learn's California housing data, which has to be downloaded; this
example runs offline on the diabetes data that ships with scikit-learn instead (Efron et
al. 2004: disease progression one year after baseline for 442 patients, against age, sex,
BMI, blood pressure and six blood serum measurements), a real regression data set of the
same kind: several correlated continuous predictors, one continuous response.  (These
are the data of ``linmod.datasets.diabetes()``, read here in their original units, not
standardised, so that the coefficients and the remedies read in mg/dl, kg/m², ...)

Run::

    python examples/exercise3_assumptions.py [output-directory-for-the-figure]

The residual plots ``exercise3_diagnostics.png`` go to the folder given on the command line,
else to the one named by ``LINMOD_EXAMPLES_OUT`` (default: ``./linmod_examples_output``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sklearn.datasets import load_diabetes

import linmod
from linmod import diagnostics


def main(out_dir: Path | None = None) -> diagnostics.AssumptionReport:
    """Work through exercise 3 and print the answer."""
    data = load_diabetes(as_frame=True, scaled=False).frame
    data = data.rename(
        columns={"s1": "tc", "s2": "ldl", "s3": "hdl", "s4": "tch", "s5": "ltg", "s6": "glu"}
    )
    formula = "target ~ age + C(sex) + bmi + bp + tc + ldl + hdl + tch + ltg + glu"

    print("a) Fit a linear regression")
    res = linmod.ols(formula, data=data)
    print(
        f"   {formula}: n = {res.n_obs}, R² = {res.r_squared:.3f}, "
        f"residual standard error {res.sigma:.1f}"
    )
    print("   R² alone says little: the residuals must be checked.\n")

    print("b) Check all five assumptions (plus influential observations)\n")
    report = diagnostics.check(res)
    print(report)

    print("\nc) Which assumptions are violated?")
    for chk in report:
        if chk.verdict != "ok":
            print(f"   - {chk.title}: {chk.verdict} - {chk.reason}")
    ok = [chk.title for chk in report if chk.verdict == "ok"]
    print(f"   Satisfied: {', '.join(ok) if ok else 'none'}.")

    print("\nd) Proposed solutions")
    for chk in report:
        if chk.remedy:
            print(f"   - {chk.title}: {chk.remedy}")
    if report.homoscedasticity.verdict != "ok":
        robust = report.refit("homoscedasticity")
        table = res.to_frame()[["coef", "std_err"]].join(robust.std_err.rename("hc3_std_err"))
        print("\n   The HC3 refit keeps the coefficients and corrects the standard errors:")
        print(table.round(3).to_string())
    vifs = diagnostics.gvif(res)[["gvif", "vif_equivalent", "band"]]
    print(
        "\n   Variance inflation factors (the serum measurements tc, ldl, tch share"
        " most of their information):"
    )
    print(vifs.round(2).to_string())
    reduced = linmod.ols(formula.replace(" + ldl", "").replace(" + tch", ""), data=data)
    print(
        f"\n   Dropping ldl and tch: R² {res.r_squared:.3f} -> {reduced.r_squared:.3f}, "
        f"largest VIF {diagnostics.vif(res).max():.1f} -> "
        f"{diagnostics.vif(reduced).max():.1f}."
    )

    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        figure = diagnostics.plot_diagnostics(res, which="lm")
        path = figure.save(out_dir / "exercise3_diagnostics.png")
        print(f"\n   Residual plots written to {path}")
    return report


def output_dir() -> Path:
    """The folder for figures: ``$LINMOD_EXAMPLES_OUT``, else ``./linmod_examples_output``."""
    return Path(os.environ.get("LINMOD_EXAMPLES_OUT") or "linmod_examples_output")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else output_dir())
