"""Shared helpers for the survey tests: a small synthetic cohort and its exports, a test secret."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from hocvuso.surveys.instrument import load_instrument
from hocvuso.surveys.synthetic import synthetic_cohort

TEST_SECRET = "test-secret-not-for-real-data"
#: Columns that say where a row came from (differ between two exports of the same submissions).
PROVENANCE = ["source", "source_file", "source_row"]


@pytest.fixture(autouse=True)
def private_secret(monkeypatch, tmp_path):
    """Every survey test uses a test secret and a temporary HOME: the real user config is never touched."""
    monkeypatch.setenv("HOCVUSO_SECRET", TEST_SECRET)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))


def small_cohort(n: int = 60, seed: int = 11, plant_errors: bool = False) -> pd.DataFrame:
    return synthetic_cohort(n, seed, load_instrument(), plant_errors=plant_errors, missing_rate=0.0)


def flow(clean: Path) -> dict:
    return json.loads((clean / "flow.json").read_text(encoding="utf-8"))


def responses(clean: Path) -> pd.DataFrame:
    return pd.read_parquet(clean / "responses.parquet")


def quarantine(clean: Path) -> pd.DataFrame:
    return pd.read_csv(clean / "quarantine.csv", dtype=str, keep_default_na=False)


def comparable(df: pd.DataFrame) -> pd.DataFrame:
    """Drop provenance columns and order rows so two ingests of the same submissions compare equal."""
    out = df.drop(columns=PROVENANCE).sort_values(["pid", "wave"]).reset_index(drop=True)
    return out
