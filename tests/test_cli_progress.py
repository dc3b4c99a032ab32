"""Progress bars: drawn by tqdm on a terminal's standard error, nothing when piped or --quiet,
and standard output the same either way; the engine reports through a callback only."""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest

import bioanchors
from bioanchors._cli_io import ProgressBar
from bioanchors.cli import main


class Terminal(io.StringIO):
    """A standard error that says it is a terminal."""

    def isatty(self) -> bool:
        return True


# Each command with a run long enough for two or more steps: chunks of a sampled estimate
# (more than 2**20 samples make two chunks), scenarios of a report, values of a sweep, brains
# of the timelines (the reference brain and one more).
COMMANDS = [
    (["run", "carlsmith-2020-mechanistic", "-n", "2100000"], "sampling carlsmith-2020-mechanistic"),
    (["report", "--scenarios", "kokotajlod-2021", "moravec-1998", "-n", "2000"], "estimating"),
    (["sweep", "kokotajlod-2021", "neurons", "1e10", "1e11", "-n", "2000"], "sweeping neurons"),
    (["timelines", "--brain", "kokotajlod-2021", "-n", "2000"], "forecasting"),
]


def _run(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], stderr: io.StringIO
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stderr", stderr)
    out = io.StringIO()
    code = main(argv, out=out)
    return code, out.getvalue(), stderr.getvalue()


@pytest.mark.parametrize(("argv", "label"), COMMANDS, ids=[argv[0] for argv, _ in COMMANDS])
def test_a_bar_on_a_terminal_nothing_when_piped_and_the_same_output(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], label: str
) -> None:
    code, shown, drawn = _run(monkeypatch, argv, Terminal())
    assert code == 0
    assert label in drawn
    # tqdm's bar: steps done of the total, time elapsed < time left ("2/5 [00:01<00:02, ...")
    assert re.search(r"\d+/\d+ \[\d\d:\d\d<(\?|\d\d:\d\d)", drawn), drawn
    code, piped, silent = _run(monkeypatch, argv, io.StringIO())
    assert code == 0
    assert silent == ""
    assert piped == shown
    assert label not in piped


@pytest.mark.parametrize(("argv", "label"), COMMANDS[1:2])
def test_quiet_draws_no_bar_even_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], label: str
) -> None:
    code, _, drawn = _run(monkeypatch, [*argv, "--quiet"], Terminal())
    assert (code, drawn) == (0, "")


def test_a_one_step_run_draws_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with ProgressBar("one") as bar:
        bar(1, 1)
    assert terminal.getvalue() == ""


def test_a_bar_is_cleared_at_its_end_and_a_later_run_gets_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    bar = ProgressBar("first", unit="brain")
    for done in (1, 2, 3):
        bar(done, 3)
    first = terminal.getvalue()
    assert "0/3" in first
    assert "brain" in first
    assert first.endswith("\r")  # cleared (tqdm's leave=False): the next line starts clean
    bar.label = "second"
    bar(1, 2)
    bar(2, 2)
    assert "second" in terminal.getvalue()[len(first) :]


def test_an_error_half_way_clears_the_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)

    def interrupted() -> None:
        with ProgressBar("interrupted") as bar:
            bar(1, 10)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert "interrupted" in terminal.getvalue()
    assert terminal.getvalue().endswith("\r")


def test_the_engine_reports_progress_through_a_callback_and_never_imports_tqdm() -> None:
    package = Path(bioanchors.__file__).parent
    importers = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(name.split(".")[0] in ("tqdm", "rich") for name in names):
                importers.add(path.relative_to(package).as_posix())
    assert importers == {"_cli_io.py"}
