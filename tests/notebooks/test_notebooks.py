"""The notebooks in notebooks/ run top to bottom, as a researcher would start from them.

Each is executed with nbclient on the ``python3`` kernel of the environment running the
tests (ipykernel's), started in notebooks/ as Jupyter starts it, while the test itself runs
from another folder: a notebook must find the repository from its own place.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
CELL_TIMEOUT = 240

EXPECTED = {
    "service_network.ipynb": {
        "text": ["handover flows:   7 nodes,   8 edges", "2000 users, 101 agencies"],
        "images": 4, "pages": 2,
    },
    "fragmentation.ipynb": {
        "text": ["users with contacts:", "flagged (3+ in a year):", "with parallel plans:", "index discharges:",
                 "follow-up within 7 days"],
        "images": 6, "pages": 0,
    },
}


def test_every_notebook_is_tested():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(EXPECTED)


def test_the_kernel_resolves():
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert spec.language == "python"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebooks_are_committed_without_outputs(name):
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_runs_top_to_bottom(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)            # the test's own folder is not the notebook's
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()                       # raises CellExecutionError, with the cell, on any error
    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    text = "".join(out.get("text", "") for out in outputs if out.output_type == "stream" and out.name == "stdout")
    assert f"repository: {REPO}" in text
    for expected in EXPECTED[name]["text"]:
        assert expected in text, expected
    images = [out for out in outputs if "image/png" in out.get("data", {})]
    assert len(images) >= EXPECTED[name]["images"]
    pages = [out for out in outputs if "srcdoc=" in out.get("data", {}).get("text/html", "")]
    assert len(pages) == EXPECTED[name]["pages"]       # the pyvis pages, inline
