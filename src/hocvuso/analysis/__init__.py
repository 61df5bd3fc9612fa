"""Outcome analysis of the pre/post surveys: statistics, tables, figures and the report.

Public API (used by ``analysis/outcomes.ipynb``, the report and the tests)::

    from hocvuso.analysis import paired_change, cronbach_alpha, mcnemar, adjust_pvalues
"""

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

__all__ = [
    "PAIRED_COLUMNS", "Alpha", "McNemar", "PairedChange", "adjust_pvalues", "cronbach_alpha",
    "mcnemar", "paired_change", "paired_change_table",
]
