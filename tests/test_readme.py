"""The README's Python examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


@pytest.mark.parametrize("source", BLOCKS)
def test_readme_python_block_runs(source):
    exec(compile(source, str(README), "exec"), {})


def test_readme_lists_the_two_setup_commands_and_ci_uses_the_test_one():
    text = README.read_text()
    test_command = 'python -m pip install -e ".[test]" && python -m pytest'
    assert 'python -m pip install -e ".[test]" && linmod demo' in text
    assert test_command in text
    ci = (README.parent / ".ci" / "run").read_text()
    assert test_command in ci
