"""Where things are: the project root (a clone of the repository) and the build folder.

hocvuso is installed in editable mode from a clone (``make run``), so the text sources
(``curriculum/``, ``surveys/instruments/``, ``notebooks/``, ``analysis/``) are read from the
clone. ``HOCVUSO_ROOT`` overrides the root, ``HOCVUSO_BUILD`` the build folder.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    env = os.environ.get("HOCVUSO_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


def build_dir() -> Path:
    env = os.environ.get("HOCVUSO_BUILD")
    return Path(env).resolve() if env else project_root() / "build"


def curriculum_dir() -> Path:
    return project_root() / "curriculum"


def course_dir() -> Path:
    env = os.environ.get("HOCVUSO_COURSE")
    return Path(env).resolve() if env else project_root() / "course"


def notebooks_dir() -> Path:
    return project_root() / "notebooks"


def surveys_dir() -> Path:
    return project_root() / "surveys"


def analysis_dir() -> Path:
    return project_root() / "analysis"
