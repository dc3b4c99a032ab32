"""What the ``bioanchors`` command imports before it knows which command runs.

Start-up is most of a short command's wall time, so the parser imports only what building it
needs: the pydantic models of the JSON outputs are built when JSON (or a schema) is printed,
matplotlib when a figure is drawn, tqdm when a run first reports progress. Checked in a fresh
interpreter (``sys.modules``), never by timing.
"""

from __future__ import annotations

import json
import subprocess
import sys

from bioanchors._cli.formats import OUTPUT_NAMES, output_model
from bioanchors._cli.schemas import OUTPUT_SCHEMAS

_LAZY = ("bioanchors._cli.schemas", "matplotlib", "tqdm", "bioanchors.html_report", "scipy.stats")


def _imported_after(code: str) -> list[str]:
    probe = (
        f"import sys; {code}; import json; "
        f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({_LAZY!r}))))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    found: list[str] = json.loads(result.stdout)
    return found


def test_importing_the_cli_builds_no_output_models_and_no_figures() -> None:
    assert _imported_after("import bioanchors.cli; bioanchors.cli._parser()") == []


def test_a_text_timelines_run_builds_no_output_models() -> None:
    code = (
        "import io; from bioanchors.cli import main; "
        "assert main(['timelines', '-q', '-n', '2000', '--brain', 'kokotajlod-2021'], "
        "out=io.StringIO()) == 0"
    )
    found = _imported_after(code)
    assert "bioanchors._cli.schemas" not in found
    assert "matplotlib" not in found


def test_json_output_still_builds_its_model() -> None:
    code = (
        "import io; from bioanchors.cli import main; "
        "assert main(['timelines', '-q', '-n', '2000', '--brain', 'kokotajlod-2021', "
        "'--format', 'json'], out=io.StringIO()) == 0"
    )
    assert "bioanchors._cli.schemas" in _imported_after(code)


def test_the_output_names_are_the_output_models_in_order() -> None:
    assert tuple(OUTPUT_SCHEMAS) == OUTPUT_NAMES
    for name, model in OUTPUT_SCHEMAS.items():
        assert output_model(name) is model
