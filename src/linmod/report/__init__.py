"""Rendering of results (text, HTML); no computation happens here."""
