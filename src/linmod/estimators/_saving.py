"""``estimator.save(path)``: every fitted linmod estimator writes a JSON model file."""

from __future__ import annotations

from pathlib import Path

__all__ = ["SaveMixin"]


class SaveMixin:
    """Adds :meth:`save` (see :mod:`linmod.model_file` for the format)."""

    def save(self, path: str | Path) -> None:
        """Write the fitted model to ``path`` as versioned JSON (never pickle).

        Read it back with :func:`linmod.load`, which predicts from arrays or frames with
        the same features.

        Parameters
        ----------
        path : str or Path
        """
        from linmod.estimators.multi_target import savable
        from linmod.model_file import save_estimator

        save_estimator(savable(self), path)
