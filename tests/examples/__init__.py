"""Tests of the runnable lesson examples in ``examples/``."""
