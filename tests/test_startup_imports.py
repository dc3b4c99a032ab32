"""What start-up loads, so that a later change cannot silently bring a heavy module back.

``import bioanchors`` and the first estimate load neither scipy's special functions nor its
statistics, nor numpy's masked arrays, matplotlib, tqdm, tomli_w, the timelines, the catalog or
the output layers; the ``bioanchors timelines`` command, piped, loads no progress bar, no
figure, no JSON models and builds no per-field anchors schema class (those are built when the
schema is asked for).
Checked in a fresh interpreter (``sys.modules``), never by timing (see benchmarks/latency.py
and benchmarks/timelines.py for the times).
"""

from __future__ import annotations

import json
import subprocess
import sys

_HEAVY = (
    "numpy.ma.core",  # numpy's masked arrays (not "numpy.ma": numpy.matrixlib is always in)
    "scipy.special",
    "scipy.stats",
    "matplotlib",
    "tqdm",
    "rich",
    "jsonschema",
    "tomli_w",
    "bioanchors.timelines",
    "bioanchors.catalog",
    "bioanchors.report",
    "bioanchors.plots",
    "bioanchors.html_report",
    "bioanchors._cli",
)

_SCHEMA_CLASSES = """
def _classes(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _classes(sub)
from bioanchors.timelines.cotra import Cited
built = sorted(c.__name__ for c in _classes(Cited) if c.__name__.startswith("Cited_"))
"""


def _loaded(code: str, *, classes: bool = False) -> dict[str, list[str]]:
    """The heavy modules ``code`` loads beyond what ``import numpy, pint`` loads itself (numpy
    1.x imports its masked arrays at import), and the schema classes it built."""
    probe = (
        "import sys, json\nimport numpy, pint\nbase = set(sys.modules)\n"
        f"{code}\n"
        f"found = sorted(m for m in set(sys.modules) - base if m.startswith({_HEAVY!r}))\n"
        + (_SCHEMA_CLASSES if classes else "built = []\n")
        + "print(json.dumps({'modules': found, 'classes': built}))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    loaded: dict[str, list[str]] = json.loads(result.stdout.splitlines()[-1])
    return loaded


def test_import_and_the_first_estimate_load_nothing_heavy() -> None:
    assert _loaded("import bioanchors")["modules"] == []
    first = "import bioanchors as ba\nprint(ba.between(1e14, 1e16, 'FLOP/s').estimate().median)"
    assert _loaded(first)["modules"] == []


def test_the_timelines_command_builds_no_schema_classes_and_no_bar() -> None:
    code = (
        "import io\nfrom bioanchors.cli import main\n"
        "assert main(['timelines', '-n', '2000', '--brain', 'kokotajlod-2021'], "
        "out=io.StringIO()) == 0"
    )
    loaded = _loaded(code, classes=True)
    assert loaded["classes"] == []
    heavy = ("numpy.ma.core", "tqdm", "matplotlib", "scipy")
    assert not [m for m in loaded["modules"] if m.startswith(heavy)]
    assert "bioanchors._cli.schemas" not in loaded["modules"]


def test_the_anchors_schema_still_builds_one_class_per_field() -> None:
    code = "from bioanchors.timelines.cotra import anchors_schema\nanchors_schema()"
    built = _loaded(code, classes=True)["classes"]
    assert "Cited_spend_doubling_time_years" in built
    assert len(built) == len(set(built)) > 40
