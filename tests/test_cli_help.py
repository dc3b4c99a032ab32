"""The command line explains itself: every option's help with its default, every subcommand
with a description and an example that runs, ``--version``."""

from __future__ import annotations

import argparse
import importlib.metadata
import re
import shlex
from pathlib import Path

import pytest

from bioanchors import cli
from bioanchors._cli.args import HelpFormatter, readable_default

PARSER = cli._parser()


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (action,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


COMMANDS = _subcommands(PARSER)
OPTIONS = [
    (name, action)
    for name, command in COMMANDS.items()
    for action in command._actions
    if not isinstance(action, argparse._HelpAction)
]


def _help_of(command: argparse.ArgumentParser, action: argparse.Action) -> str:
    formatter = command._get_formatter()
    assert isinstance(formatter, HelpFormatter)
    text = formatter._get_help_string(action)
    assert text is not None
    action_copy = argparse.Action(action.option_strings, action.dest, help=text)
    action_copy.default, action_copy.choices = action.default, action.choices
    return " ".join(formatter._expand_help(action_copy).split())


def _examples(command: argparse.ArgumentParser) -> list[str]:
    lines = (command.epilog or "").splitlines()
    return [line.strip() for line in lines if line.strip().startswith("bioanchors ")]


def test_there_are_subcommands_to_check() -> None:  # the walk below is not empty
    assert {"report", "run", "audit", "timelines", "sweep", "show"} <= set(COMMANDS)
    assert len(OPTIONS) > 40


@pytest.mark.parametrize(("name", "action"), OPTIONS, ids=[f"{n}:{a.dest}" for n, a in OPTIONS])
def test_every_option_has_help_that_shows_its_default(name: str, action: argparse.Action) -> None:
    command = COMMANDS[name]
    assert action.help, f"bioanchors {name} {action.dest}: no help"
    assert action.help is not argparse.SUPPRESS, f"bioanchors {name} {action.dest}: hidden"
    shown = _help_of(command, action)
    default = action.default
    if default is None or isinstance(default, bool) or default == []:
        return
    assert f"default: {readable_default(default)}" in shown or (
        "default" in shown and readable_default(default) in shown
    ), f"bioanchors {name} {action.option_strings or action.dest}: {shown!r}"


def test_samples_help_says_100_000_with_a_thousands_separator(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["run", "--help"])
    assert exit_.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "(default: 100,000)" in out
    assert "%(default)" not in out


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_subcommand_has_a_description_and_an_example(name: str) -> None:
    command = COMMANDS[name]
    description = command.description or ""
    assert len(description.split()) >= 12, f"{name}: description too short: {description!r}"
    assert _examples(command), f"{name}: no example line ('bioanchors ...') in its epilog"


def test_the_help_lists_each_subcommand_with_its_example(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        cli.main(["audit", "--help"])
    out = capsys.readouterr().out
    assert "example" in out
    assert "bioanchors audit kokotajlod-2021 --strict" in out


EXAMPLES = [(name, line) for name, command in COMMANDS.items() for line in _examples(command)]


@pytest.mark.parametrize(("name", "line"), EXAMPLES, ids=[line for _, line in EXAMPLES])
def test_every_example_parses(name: str, line: str) -> None:
    args = PARSER.parse_args(shlex.split(line)[1:])
    assert args.command == name


@pytest.mark.parametrize(("name", "line"), EXAMPLES, ids=[line for _, line in EXAMPLES])
def test_every_example_runs(
    name: str,
    line: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # figures and `new` templates land here
    argv = shlex.split(line)[1:]
    if any(a.dest == "samples" for a in COMMANDS[name]._actions):
        argv += ["--samples", "2000"]  # the last one given wins: cheap
    code = cli.main(argv)
    _, err = capsys.readouterr()
    assert code == (1 if "--strict" in argv else 0), err


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"bioanchors {importlib.metadata.version('bioanchors')}\n"


def test_schema_help_names_every_schema_it_prints() -> None:
    """`bioanchors schema --help` tells a file format from a command's JSON output, and names
    every choice (an output schema is not a 'file format' a reader would guess)."""
    from bioanchors._cli.schemas import OUTPUT_SCHEMAS

    text = " ".join(COMMANDS["schema"].format_help().split())
    assert "--format json" in text
    for name in OUTPUT_SCHEMAS:
        assert re.search(rf"[ (]{re.escape(name)}[,)]", text), name


@pytest.mark.parametrize(("name", "action"), OPTIONS, ids=[f"{n} {a.dest}" for n, a in OPTIONS])
def test_no_help_says_its_default_twice(name: str, action: argparse.Action) -> None:
    text = _help_of(COMMANDS[name], action)
    assert not ("(the default)" in text and "(default:" in text), text
