"""Outcome analysis of the pre/post surveys: statistics, tables, figures and the report.

Public API (used by ``analysis/outcomes.ipynb``, the report and the tests)::

    from hocvuso.analysis import paired_change, cronbach_alpha, mcnemar, adjust_pvalues
    from hocvuso.analysis import load_clean, scale_scores, table1, subgroup_change, mixed_model
    from hocvuso.analysis import figures          # flow_diagram, likert_bars, dumbbell, forest
    from hocvuso.analysis.report import OutcomeReport, render_report

Every statistic is pinned to R's output in tests/analysis (see each docstring). Names are
imported lazily, so ``hocvuso --help`` (which imports :mod:`hocvuso.analysis.cli`) stays fast.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "stats": ["PAIRED_COLUMNS", "Alpha", "McNemar", "PairedChange", "adjust_pvalues", "cronbach_alpha",
              "mcnemar", "paired_change", "paired_change_table"],
    "data": ["SurveyData", "from_responses", "load_clean"],
    "tables": ["change_by_item", "change_by_subscale", "knowledge_change", "mixed_model", "participant_flow",
               "protect", "reliability", "scale_scores", "subgroup_change", "table1"],
}
_WHERE = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    if name in ("figures", "report", "tables", "stats", "data", "labels", "cli"):
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return __all__
