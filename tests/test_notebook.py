"""examples/brain_compute.ipynb runs top to bottom, and is committed without outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

NOTEBOOK = Path(__file__).parent.parent / "examples" / "brain_compute.ipynb"


def _read() -> Any:
    nbformat = pytest.importorskip("nbformat")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    return notebook


def _code_cells(notebook: Any) -> list[Any]:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def test_notebook_is_saved_without_outputs() -> None:
    notebook = _read()
    assert notebook.nbformat == 4
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    cells = _code_cells(notebook)
    assert cells
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [], f"cell {index} has saved outputs; clear them before committing"
        assert cell.execution_count is None, f"cell {index} has an execution count; clear it"


def test_notebook_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Opt in to the platformdirs layout before nbclient first imports jupyter_core.paths:
    # some jupyter_core 5.x releases warn at that import ("Jupyter is migrating its paths").
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    notebook = _read()
    nbclient = pytest.importorskip("nbclient")
    client = nbclient.NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError if any cell fails

    outputs = [output for cell in _code_cells(notebook) for output in cell.outputs]
    errors = [output for output in outputs if output.output_type == "error"]
    assert not errors, errors
    stderr = [output.text for output in outputs if output.get("name") == "stderr"]
    assert not stderr, f"the notebook wrote to stderr (a warning?): {stderr}"
    # Figures render inline (tornado, audit, forest, cdf) and the tables as HTML.
    kinds = [kind for output in outputs for kind in output.get("data", {})]
    assert kinds.count("image/png") >= 6  # tornado, audit, forest, cdf, sweep, timelines
    assert kinds.count("text/html") >= 5  # ... and the forecast's table
    printed = "".join(output.get("text", "") for output in outputs)
    assert "median TAI year: 2051" in printed  # Carlsmith's brain gives Cotra's median
    assert "kokotajlod-2021:claimed  emulation" in printed  # the swap table
