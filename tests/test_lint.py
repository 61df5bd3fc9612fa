"""Is the code clean by the project's ruff rules?"""

import subprocess
import sys

from conftest import ROOT


def test_ruff_finds_no_problems():
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "src", "tests", "benchmarks"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
