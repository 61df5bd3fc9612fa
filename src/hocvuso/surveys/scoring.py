"""Scale scores from the clean data, with reverse keying applied here (never in the data).

A reverse-keyed item (``reverse: true`` in the instrument, e.g. the anxiety items of the
``confidence`` subscale) is reversed as ``min + max − x`` (on 1–5: 1↔5, 2↔4). A subscale score
is the mean (or sum) of its items, NA when fewer than ``min_answered`` of the items were answered
(default: half, the usual "half rule" for short scales).

``ease_total`` is the mean of the 16 self-rated ease items (the MDPQ-style total).
"""

from __future__ import annotations

import pandas as pd

from .instrument import Instrument, load_instrument

EASE_TYPES = {"ease5"}


def subscale_items(instrument: Instrument | None = None) -> dict[str, list[str]]:
    """Subscale → item ids, plus ``ease_total`` (all ease items)."""
    inst = instrument or load_instrument()
    out = {name: [it.id for it in items] for name, items in inst.subscales().items()}
    out["ease_total"] = [it.id for it in inst.items if it.type in EASE_TYPES]
    return out


def reverse_keyed(df: pd.DataFrame, instrument: Instrument | None = None, *, suffix: str = "") -> pd.DataFrame:
    """A copy of ``df`` with every reverse-keyed item column reversed (``min + max − x``)."""
    inst = instrument or load_instrument()
    out = df.copy()
    for it in inst.items:
        col = f"{it.id}{suffix}"
        if it.reverse and col in out.columns:
            out[col] = (it.min + it.max) - out[col]
    return out


def subscale_scores(df: pd.DataFrame, instrument: Instrument | None = None, *, how: str = "mean",
                    min_answered: float = 0.5, suffix: str = "") -> pd.DataFrame:
    """One column per subscale (see :func:`subscale_items`), same index as ``df``.

    ``suffix`` selects a wave in the matched table (``"_pre"`` / ``"_post"``). Items absent from
    ``df`` are skipped; a subscale with none of its items present is left out.
    """
    if how not in ("mean", "sum"):
        raise ValueError("how must be 'mean' or 'sum'")
    inst = instrument or load_instrument()
    rev = reverse_keyed(df, inst, suffix=suffix)
    scores = {}
    for name, ids in subscale_items(inst).items():
        cols = [f"{i}{suffix}" for i in ids if f"{i}{suffix}" in rev.columns]
        if not cols:
            continue
        block = rev[cols].astype("Float64")
        answered = block.notna().sum(axis=1)
        enough = answered >= max(1, min_answered * len(cols))
        value = block.mean(axis=1) if how == "mean" else block.sum(axis=1, min_count=1)
        scores[name] = value.where(enough)
    return pd.DataFrame(scores, index=df.index)
