"""Notebook housekeeping: execute headless (nbclient), strip outputs (keeping nbgrader metadata).

``python -m hocvuso.notebooks strip PATH...`` removes outputs and execution counts before a
commit; ``metadata.nbgrader`` and every other cell metadata is kept.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat


def strip_outputs(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove outputs and execution counts; keep all metadata (nbgrader's included)."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    return nb


def has_outputs(nb: nbformat.NotebookNode) -> bool:
    return any(
        cell.cell_type == "code" and (cell.get("outputs") or cell.get("execution_count"))
        for cell in nb.cells
    )


def execute_notebook(path: str | Path, *, timeout: int = 300, cwd: str | Path | None = None,
                     kernel_name: str = "python3") -> nbformat.NotebookNode:
    """Run every cell headless with errors fatal (cells tagged ``raises-exception`` may fail)."""
    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=timeout, kernel_name=kernel_name, allow_errors=False,
        resources={"metadata": {"path": str(cwd or path.parent)}},
    )
    client.execute()
    return nb


def _main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "strip":
        print("usage: python -m hocvuso.notebooks strip NOTEBOOK...", file=sys.stderr)
        return 2
    for name in argv[1:]:
        nb = nbformat.read(name, as_version=4)
        nbformat.write(strip_outputs(nb), name)
        print(f"stripped {name}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(_main(sys.argv[1:]))
