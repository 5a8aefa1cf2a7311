"""The package version, importable from every layer without importing :mod:`linmod`."""

__version__ = "0.1.0"
