"""Shared fixtures. Fixtures build what they need in temporary folders, never in the working tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_DATA = ROOT.parent / "shared" / "reference-data"


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture
def course_dir(tmp_path, monkeypatch) -> Path:
    """A temporary nbgrader course root with the project's nbgrader_config.py (like nbgrader's own fixture).

    HOCVUSO_COURSE points hocvuso at it, so nothing is written to the working tree's course/.
    """
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(ROOT / "course" / "nbgrader_config.py", course / "nbgrader_config.py")
    monkeypatch.setenv("HOCVUSO_COURSE", str(course))
    return course


@pytest.fixture
def build_dir(tmp_path, monkeypatch) -> Path:
    """A temporary build folder (HOCVUSO_BUILD) so tests never write to build/."""
    build = tmp_path / "build"
    build.mkdir()
    monkeypatch.setenv("HOCVUSO_BUILD", str(build))
    return build


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real `hocvuso` command in a subprocess, as a user would."""
    import os

    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "hocvuso.cli", *args],
        cwd=cwd or ROOT, env=full_env, capture_output=True, text=True, timeout=600,
    )
