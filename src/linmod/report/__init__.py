"""Rendering of results (text, HTML); no computation happens here."""

from linmod.report.html import render_html, write_report

__all__ = ["render_html", "write_report"]
