"""Is `hocvuso lab` configured so nbgrader finds the course (no browser needed for these)?"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import run_cli

from hocvuso.errors import UserError
from hocvuso.lab import (
    NBGRADER_SERVER_EXTENSIONS,
    WIDGETS_LAB_EXTENSION,
    prepare_config,
    server_command,
    start_server,
)

READ_NBGRADER_CONFIG = """
from nbgrader.apps.baseapp import NbGrader
app = NbGrader()
app.initialize([])
print(app.coursedir.root)
print(app.coursedir.course_id)
print(app.coursedir.db_url)
print(app.config.Exchange.root)
"""


def test_nbgrader_reads_the_course_through_the_generated_config(tmp_path, course_dir):
    """nbgrader started anywhere with the generated JUPYTER_CONFIG_DIR sees course/ and its settings."""
    config = prepare_config(tmp_path / "config", course=course_dir, exchange=tmp_path / "exchange")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config)}
    out = subprocess.run([sys.executable, "-c", READ_NBGRADER_CONFIG], cwd=elsewhere, env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    root, course_id, db_url, exchange = out.stdout.split()
    assert root == str(course_dir.resolve())
    assert course_id == "hocvuso"  # from course/nbgrader_config.py, not repeated in the generated file
    assert db_url == f"sqlite:///{course_dir.resolve() / 'gradebook.db'}"
    assert exchange == str((tmp_path / "exchange").resolve())


def test_generated_config_enables_nbgrader_and_can_disable_a_lab_extension(tmp_path, course_dir):
    config = prepare_config(tmp_path / "config", course=course_dir, exchange=tmp_path / "exchange",
                            disabled_lab_extensions=[WIDGETS_LAB_EXTENSION])
    server = json.loads((config / "jupyter_server_config.json").read_text())
    enabled = server["ServerApp"]["jpserver_extensions"]
    assert all(enabled[name] for name in NBGRADER_SERVER_EXTENSIONS)
    page = json.loads((config / "labconfig" / "page_config.json").read_text())
    assert page["disabledExtensions"] == {WIDGETS_LAB_EXTENSION: True}


def test_a_course_without_nbgrader_config_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="nbgrader_config.py"):
        prepare_config(tmp_path / "config", course=tmp_path / "empty", exchange=tmp_path / "exchange")


def test_a_course_outside_the_lab_root_is_refused_before_starting(tmp_path, course_dir):
    """The formgrader only works for a course inside the server root: say so instead of a broken lab."""
    other_root = tmp_path / "other-root"
    other_root.mkdir()
    with pytest.raises(UserError, match="Formgrader"):
        with start_server(root=other_root, course=course_dir, build=tmp_path / "build"):
            pass


def test_server_listens_on_localhost_with_a_token_and_opens_the_start_notebook(tmp_path):
    cmd = server_command(port=8899, token="abc123", root=tmp_path, open_path="notebooks/00-bat-dau.ipynb")
    assert "--ServerApp.ip=127.0.0.1" in cmd
    assert "--IdentityProvider.token=abc123" in cmd
    assert "--LabApp.default_url=/lab/tree/notebooks/00-bat-dau.ipynb" in cmd


def test_hocvuso_lab_is_a_subcommand():
    result = run_cli("lab", "--help")
    assert result.returncode == 0
    assert "nbgrader" in result.stdout and "--port" in result.stdout
