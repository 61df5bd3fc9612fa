"""Outcome analysis of the pre/post surveys: statistics, tables, figures and the report.

Public API (used by ``analysis/outcomes.ipynb``, the report and the tests)::

    from hocvuso.analysis import paired_change, cronbach_alpha, mcnemar, adjust_pvalues
    from hocvuso.analysis import load_clean, scale_scores, table1, subgroup_change, mixed_model
    from hocvuso.analysis import figures          # flow_diagram, likert_bars, dumbbell, forest
    from hocvuso.analysis.report import OutcomeReport, render_report

Every statistic is pinned to R's output in tests/analysis (see each docstring).
"""

from .data import SurveyData, from_responses, load_clean
from .stats import (
    PAIRED_COLUMNS,
    Alpha,
    McNemar,
    PairedChange,
    adjust_pvalues,
    cronbach_alpha,
    mcnemar,
    paired_change,
    paired_change_table,
)
from .tables import (
    change_by_item,
    change_by_subscale,
    knowledge_change,
    mixed_model,
    participant_flow,
    protect,
    reliability,
    scale_scores,
    subgroup_change,
    table1,
)

__all__ = [
    "PAIRED_COLUMNS", "Alpha", "McNemar", "PairedChange", "SurveyData", "adjust_pvalues",
    "change_by_item", "change_by_subscale", "cronbach_alpha", "from_responses", "knowledge_change",
    "load_clean", "mcnemar", "mixed_model", "paired_change", "paired_change_table", "participant_flow",
    "protect", "reliability", "scale_scores", "subgroup_change", "table1",
]
