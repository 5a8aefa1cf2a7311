"""Output files are checked before any work: clashes, inputs, folders, permissions."""

from __future__ import annotations

import argparse
import os

import pytest

import linmod.cli.io as cli_io
import linmod.model_file
import linmod.models.ols_folded
from linmod.cli.main import main
from linmod.cli.outputs import check_distinct_outputs

from ..conftest import DATA_DIR

MTCARS = str(DATA_DIR / "mtcars.csv")


@pytest.fixture
def no_work(monkeypatch):
    """Reading the data (or a model, or streaming it) fails the test: it must not start."""

    def started(*args, **kwargs):
        raise AssertionError("the command started its work before checking its outputs")

    monkeypatch.setattr(cli_io, "read_input", started)
    monkeypatch.setattr(linmod.model_file, "load", started)
    monkeypatch.setattr(linmod.models.ols_folded, "fit_streaming", started)


@pytest.mark.parametrize(
    ("argv", "first", "second"),
    [
        (
            ["fit", MTCARS, "-f", "mpg ~ wt", "--save", "{d}/m.json", "-o", "{d}/m.json"],
            "-o",
            "--save",
        ),
        (
            ["fit", MTCARS, "-f", "mpg ~ wt", "--save", "{d}/m.json", "-o", "{d}/./m.json"],
            "-o",
            "--save",
        ),
        (
            ["path", MTCARS, "-f", "mpg ~ wt + hp", "--plot", "{d}/p.svg", "-o", "{d}/p.svg"],
            "-o",
            "--plot",
        ),
    ],
)
def test_two_options_writing_one_file_are_refused(argv, first, second, tmp_path, capsys, no_work):
    argv = [part.format(d=tmp_path) for part in argv]
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    written = argv[argv.index(first) + 1]  # the message names the path as -o gave it
    assert f"{first}/--output and {second} both write {written}" in err
    assert "one would overwrite the other" in err
    assert os.listdir(tmp_path) == []  # nothing was written


def test_clashes_through_a_link_and_between_save_and_plot(tmp_path, capsys):
    target = tmp_path / "m.json"
    target.write_text("{}")
    (tmp_path / "alias.json").symlink_to(target)
    parser = argparse.ArgumentParser(prog="linmod")
    args = argparse.Namespace(output=str(tmp_path / "alias.json"), save=str(target), plot=None)
    with pytest.raises(SystemExit):
        check_distinct_outputs(parser, args)
    args = argparse.Namespace(output=None, save=str(target), plot=str(target))
    with pytest.raises(SystemExit):
        check_distinct_outputs(parser, args)
    assert f"--save and --plot both write {target}" in capsys.readouterr().err
    check_distinct_outputs(parser, argparse.Namespace(output="a.txt", save="b.json", plot=None))


@pytest.mark.parametrize(
    "command",
    [
        ["fit", MTCARS, "-f", "mpg ~ wt"],
        ["fit", MTCARS, "-f", "mpg ~ wt", "--chunksize", "10"],
        ["check", MTCARS, "-f", "mpg ~ wt"],
        ["cv", MTCARS, "-f", "mpg ~ wt"],
        ["path", MTCARS, "-f", "mpg ~ wt + hp"],
        ["compare", MTCARS, "-f", "mpg ~ wt"],
        ["predict", str(DATA_DIR / "no-model.json"), MTCARS],
    ],
)
def test_bad_outputs_stop_the_command_before_it_reads_anything(command, tmp_path, capsys, no_work):
    missing = str(tmp_path / "no" / "such" / "folder" / "out.txt")
    assert main([*command, "-o", missing]) == 1
    err = capsys.readouterr().err
    assert f"cannot write {missing!r}: the folder {os.path.dirname(missing)!r} does not" in err
    assert main([*command, "-o", str(tmp_path)]) == 1
    assert "it is a folder" in capsys.readouterr().err
    assert main([*command, "-o", MTCARS]) == 1
    assert "would overwrite the input file" in capsys.readouterr().err


def test_save_plot_and_report_paths_are_checked_first(tmp_path, capsys, no_work):
    missing = str(tmp_path / "no" / "m.json")
    assert main(["fit", MTCARS, "-f", "mpg ~ wt", "--save", missing]) == 1
    assert f"cannot write {missing!r}" in capsys.readouterr().err
    assert main(["fit", MTCARS, "-f", "mpg ~ wt", "--save", MTCARS]) == 1
    assert "would overwrite the input file" in capsys.readouterr().err
    assert main(["path", MTCARS, "-f", "mpg ~ wt", "--plot", str(tmp_path / "p.txt")]) == 1
    assert "use a .svg, .png or .pdf file name" in capsys.readouterr().err
    assert main(["report", MTCARS, "-f", "mpg ~ wt", "-o", str(tmp_path / "r.txt")]) == 1
    assert "the report is HTML" in capsys.readouterr().err
    assert main(["report", MTCARS, "-f", "mpg ~ wt", "-o", str(tmp_path / "no" / "r.html")]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []


def test_a_folder_that_cannot_be_written_is_named_before_the_fit(
    tmp_path, monkeypatch, capsys, no_work
):
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    # chmod does not stop root: the check is exercised through os.access.
    monkeypatch.setattr(os, "access", lambda p, m: str(p) != str(locked) and real_access(p, m))
    assert main(["fit", MTCARS, "-f", "mpg ~ wt", "--save", str(locked / "m.json")]) == 1
    assert "no permission to create files in" in capsys.readouterr().err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_is_refused(tmp_path, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        assert main(["fit", MTCARS, "-f", "mpg ~ wt", "-o", str(locked / "fit.txt")]) == 1
        assert "no permission to create files in" in capsys.readouterr().err
    finally:
        locked.chmod(0o755)


def test_good_outputs_are_all_written(tmp_path, capsys):
    model, fit = tmp_path / "m.json", tmp_path / "fit.json"
    assert (
        main(["fit", MTCARS, "-f", "mpg ~ wt", "--json", "-o", str(fit), "--save", str(model)]) == 0
    )
    assert sorted(os.listdir(tmp_path)) == ["fit.json", "m.json"]
