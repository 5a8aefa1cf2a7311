"""The user guide in ``docs/`` runs as written and shows what it really prints.

Conventions for the pages (``docs/*.md``), enforced here:

* ```` ```python ```` blocks run in order, in one namespace per page.  The working
  directory is a fresh temporary directory holding a copy of every data file of ``tests/data/``
  (so a page can read ``"mtcars.csv"``); matplotlib draws with the Agg backend.
* ```` ```bash ```` blocks hold linmod commands only: every line that is not blank or a
  comment starts with ``linmod `` and runs as ``linmod.cli.main.main(shlex.split(line)[1:])``
  in the same directory, and must exit with 0.  A line ending in ``\\`` continues on the
  next one; a final ``< FILE`` feeds FILE to standard input (``linmod fit - ...``).
* A ```` ```text ```` block right after a python or bash block is what that block prints
  on standard output.  It is compared as doctest compares: ``...`` matches any text (also
  across lines) and trailing whitespace is ignored.  Pages show only outputs that do not
  depend on the machine (no timings).
* ```` ```console ```` blocks, and text blocks that do not follow a code block, are shown
  and never run: commands that need something the tests do not have (a Dask scheduler, a
  large file, an installer), runs whose output varies (timings), file contents, and slow
  commands that another page already runs go there.
* A snippet that demonstrates an error catches it and prints the message.  Warnings are
  errors here, as in the whole suite, so a snippet that shows a warning records it with
  ``warnings.catch_warnings``.
* :data:`PENDING` lists blocks that document features that do not work yet, with the
  exception they raise until they do.  The page test skips them, and each runs as its own
  test marked ``xfail(strict=True, raises=...)`` (after the page's earlier python blocks),
  so it fails the suite as soon as the feature works: then delete its entry.  A pending
  block must not define names that later blocks use.
"""

from __future__ import annotations

import difflib
import doctest
import io
import re
import shlex
import shutil
import sys
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import linmod

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
DATA = ROOT / "tests" / "data"
PAGES = sorted(DOCS.glob("*.md"))

#: Blocks documenting features that do not work yet: (page, text that occurs only in that
#: block) -> (reason, the exception the block raises until then).  Delete an entry when its
#: test starts passing (the strict xfail then fails).
PENDING: dict[tuple[str, str], tuple[str, type[BaseException]]] = {}

_FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
_RUNNABLE = ("python", "bash")


class UsageError(Exception):
    """A documented command was refused by the argument parser (unknown command/option)."""


@dataclass(frozen=True)
class Block:
    """One fenced block of a page and the output shown right after it (if any)."""

    page: Path
    line: int
    language: str
    source: str
    expected: str | None

    @property
    def where(self) -> str:
        return f"{self.page.name}:{self.line}"

    @property
    def pending(self) -> tuple[str, type[BaseException]] | None:
        for (page, marker), entry in PENDING.items():
            if page == self.page.name and marker in self.source:
                return entry
        return None


def parse(page: Path) -> list[Block]:
    """The fenced blocks of a page, each code block with the text block that follows it."""
    text = page.read_text(encoding="utf-8")
    matches = list(_FENCE.finditer(text))
    blocks: list[Block] = []
    i = 0
    while i < len(matches):
        match = matches[i]
        language, source = match.group(1), match.group(2)
        expected = None
        if language in _RUNNABLE and i + 1 < len(matches):
            after = matches[i + 1]
            if after.group(1) == "text" and not text[match.end() : after.start()].strip():
                expected = after.group(2)
                i += 1
        line = text.count("\n", 0, match.start()) + 1
        blocks.append(Block(page, line, language, source, expected))
        i += 1
    return blocks


def commands(block: Block) -> list[tuple[list[str], str | None]]:
    """The linmod command lines of a bash block as (argv, stdin file)."""
    result = []
    for raw in block.source.replace("\\\n", " ").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith("linmod "):
            raise AssertionError(
                f"{block.where}: bash blocks hold only linmod commands, got {line!r}; "
                "show other commands in a console block"
            )
        argv = shlex.split(line, comments=True)[1:]
        stdin = None
        if len(argv) >= 2 and argv[-2] == "<":
            argv, stdin = argv[:-2], argv[-1]
        result.append((argv, stdin))
    return result


def run_command(argv: list[str], stdin: str | None, where: str) -> None:
    """Run one linmod command line in-process; it must exit with 0."""
    from linmod.cli.main import main

    saved = sys.stdin
    try:
        if stdin is not None:
            sys.stdin = io.StringIO(Path(stdin).read_text(encoding="utf-8"))
        try:
            code = main(argv)
        except SystemExit as error:
            raise UsageError(
                f"{where}: `linmod {shlex.join(argv)}` was refused (exit {error.code})"
            ) from None
    finally:
        sys.stdin = saved
    assert code == 0, f"{where}: `linmod {shlex.join(argv)}` exited with {code}"


def _normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines()) + "\n"


def compare_output(block: Block, got: str) -> None:
    """Fail unless ``got`` is the output the page shows (doctest rules, with ELLIPSIS)."""
    if block.expected is None:
        return
    want, have = _normalise(block.expected), _normalise(got)
    if not doctest.OutputChecker().check_output(want, have, doctest.ELLIPSIS):
        diff = "".join(
            difflib.unified_diff(
                want.splitlines(True), have.splitlines(True), "shown in the page", "printed"
            )
        )
        raise AssertionError(f"{block.where}: the output differs from the page\n{diff}")


def run_block(block: Block, namespace: dict[str, Any]) -> None:
    """Run a python or bash block and check what it prints."""
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        if block.language == "python":
            # Pad so that tracebacks give line numbers of the Markdown file.
            code = compile("\n" * block.line + block.source, str(block.page), "exec")
            exec(code, namespace)
        else:
            for argv, stdin in commands(block):
                run_command(argv, stdin, block.where)
    compare_output(block, buffer.getvalue())


def run_page(page: Path, until: Block | None = None) -> dict[str, Any]:
    """Run every runnable block that is not pending (those before ``until`` only)."""
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    for block in parse(page):
        if until is not None and block.line >= until.line:
            break
        if block.language in _RUNNABLE and block.pending is None:
            if until is not None and block.language != "python":
                continue
            run_block(block, namespace)
    return namespace


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A temporary working directory with the test data; Agg plots, closed afterwards."""
    for file in DATA.iterdir():
        if file.suffix in (".csv", ".tsv", ".parquet"):
            shutil.copy(file, tmp_path / file.name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].switch_backend("Agg")
    yield tmp_path
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page_runs_as_written(page, workdir):
    run_page(page)


def _pending_blocks() -> list[Any]:
    params = []
    for page in PAGES:
        for block in parse(page):
            if block.pending is None:
                continue
            reason, raises = block.pending
            mark = pytest.mark.xfail(strict=True, raises=raises, reason=reason)
            params.append(pytest.param(block, id=block.where, marks=mark))
    if not params:
        skip = pytest.mark.skip(reason="no pending blocks: every documented feature works")
        params.append(pytest.param(None, id="none", marks=skip))
    return params


@pytest.mark.parametrize("block", _pending_blocks())
def test_pending_block(block, workdir):
    namespace = run_page(block.page, until=block)
    run_block(block, namespace)


def test_pending_entries_each_name_one_block():
    for (page, marker), _ in PENDING.items():
        hits = [b for b in parse(DOCS / page) if marker in b.source]
        assert len(hits) == 1, f"PENDING entry ({page!r}, {marker!r}) matches {len(hits)} blocks"


def test_every_page_is_linked_from_the_index():
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    unlinked = [p.name for p in PAGES if p.name != "index.md" and f"({p.name}" not in index]
    assert not unlinked, f"docs/index.md does not link to {unlinked}"


def _slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_links_between_pages_and_to_images_resolve():
    broken = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if target.startswith(("http://", "https://")):
                continue
            name, _, anchor = target.partition("#")
            file = DOCS / name if name else page
            if not file.exists():
                broken.append(f"{page.name}: {target} (no such file)")
            elif anchor and file.suffix == ".md":
                headings = re.findall(r"^#+ (.+)$", file.read_text(encoding="utf-8"), re.M)
                if anchor not in {_slug(h) for h in headings}:
                    broken.append(f"{page.name}: {target} (no such heading)")
    assert not broken, broken


def test_every_public_name_is_documented():
    text = "\n".join(p.read_text(encoding="utf-8") for p in PAGES)
    names = [n for n in linmod.__all__ if not n.startswith("__")]
    names += [f"metrics.{n}" for n in linmod.metrics.__all__]
    names += [f"datasets.{n}" for n in linmod.datasets.__all__ if n != "SHIPPED"]
    absent = [n for n in names if not re.search(rf"(?<!\w){re.escape(n)}\b", text)]
    assert not absent, f"not mentioned anywhere in docs/: {absent}"


def test_every_command_is_documented_in_the_cli_page(capsys):
    from linmod.cli.main import main

    with pytest.raises(SystemExit):
        main(["--help"])
    usage = capsys.readouterr().out
    listed = re.search(r"\{([\w,-]+)\}", usage)  # "{fit,check,...}" or one per line
    names = listed.group(1).split(",") if listed else re.findall(r"^ {4}([a-z]+) ", usage, re.M)
    assert len(names) >= 9, usage
    cli = (DOCS / "cli.md").read_text(encoding="utf-8")
    absent = [c for c in names if f"linmod {c}" not in cli]
    assert not absent, f"docs/cli.md shows no `linmod <command>` line for {absent}"


# ----------------------------------------------------------------- the checker checks
def _page(tmp_path: Path, body: str) -> Path:
    page = tmp_path / "page.md"
    page.write_text(body, encoding="utf-8")
    return page


def test_a_wrong_output_fails(tmp_path):
    page = _page(tmp_path, "```python\nprint(6 * 7)\n```\n\n```text\n41\n```\n")
    with pytest.raises(AssertionError, match="output differs"):
        run_page(page)
    right = _page(tmp_path, "```python\nprint(6 * 7, 'x')\n```\n```text\n4... x\n```\n")
    run_page(right)


def test_a_failing_command_fails(workdir):
    page = _page(workdir, '```bash\nlinmod fit no-such.csv -f "y ~ x"\n```\n')
    with pytest.raises(AssertionError, match="exited with 1"):
        run_page(page)
    page = _page(workdir, "```bash\nlinmod no-such-command\n```\n")
    with pytest.raises(UsageError):
        run_page(page)


def test_other_shell_commands_are_refused_in_bash_blocks(tmp_path):
    page = _page(tmp_path, "```bash\npip install linmod\n```\n")
    with pytest.raises(AssertionError, match="only linmod commands"):
        run_page(page)


def test_console_blocks_and_loose_text_are_not_run(tmp_path):
    page = _page(tmp_path, "```console\nlinmod no-such-command\n```\n\n```text\nanything\n```\n")
    assert [b.language for b in parse(page)] == ["console", "text"]
    run_page(page)


def test_stdin_redirection(workdir, capsys):
    page = _page(workdir, '```bash\nlinmod fit - -f "mpg ~ wt" \\\n  --json < mtcars.csv\n```\n')
    (block,) = parse(page)
    assert commands(block) == [(["fit", "-", "-f", "mpg ~ wt", "--json"], "mtcars.csv")]
    run_page(page)
