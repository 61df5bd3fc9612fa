"""Figures of the outcome report (matplotlib; Vietnamese text in DejaVu Sans, which has every
Vietnamese glyph). Each function returns a :class:`matplotlib.figure.Figure` and never shows
groups of fewer than 5 people.
"""

from __future__ import annotations

import textwrap

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402

from .data import ItemInfo, SurveyData  # noqa: E402
from .labels import t  # noqa: E402
from .tables import SMALL_CELL, protect  # noqa: E402

FONT = "DejaVu Sans"
STYLE = {"font.family": FONT, "font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
         "svg.fonttype": "path", "figure.dpi": 100}
PRE_COLOR, POST_COLOR = "#8c8c8c", "#1f6f8b"


def _wrap(text: str, width: int = 38) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _fig(w: float, h: float):
    with plt.rc_context(STYLE):
        fig = plt.figure(figsize=(w, h))
    return fig


# ----------------------------------------------------------------------------------------------

def flow_diagram(flow: dict, lang: str = "vi"):
    """CONSORT-style participant flow: pre survey → analysed pairs, with those lost to follow-up
    and post-only respondents to the side (counts below 5 shown as "<5")."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7.5, 4.6))
        ax.set_axis_off()
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 10)

        def box(x, y, w, h, text, color="#eef4f7"):
            ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.08", fc=color, ec="#1f4e5f", lw=1))
            ax.text(x + w / 2, y + h / 2, text, ha="center", va="center", fontsize=9, wrap=True)

        def arrow(x0, y0, x1, y1):
            ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=dict(arrowstyle="->", color="#1f4e5f"))

        n = {k: protect(v) for k, v in flow.items() if isinstance(v, int | float)}
        if "rows_read" in flow:
            box(0.3, 8.5, 9.4, 1.2,
                f"{t('flow_rows_read', lang)}: {n['rows_read']}  ·  {t('flow_quarantined', lang)}: "
                f"{n.get('quarantined', '0')}  ·  {t('flow_duplicates', lang)}: {n.get('duplicates_removed', '0')}",
                color="#f5f5f5")
        box(1.2, 6.0, 4.6, 1.5, f"{_wrap(t('flow_pre', lang), 30)}\nn = {n.get('pre', '—')}")
        box(6.6, 3.9, 3.1, 1.6, f"{_wrap(t('flow_pre_only', lang), 20)}\nn = {n.get('pre_only', '—')}",
            color="#fbeee6")
        box(1.2, 1.8, 4.6, 1.5, f"{_wrap(t('flow_matched', lang), 30)}\nn = {n.get('matched', '—')}",
            color="#e3f1e6")
        box(6.6, 0.4, 3.1, 1.6, f"{_wrap(t('flow_post_only', lang), 20)}\nn = {n.get('post_only', '—')}",
            color="#f5f5f5")
        arrow(3.5, 6.0, 3.5, 3.4)
        arrow(3.5, 4.7, 6.5, 4.7)
        fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------------------------

def likert_bars(data: SurveyData, items: list[ItemInfo] | None = None, lang: str = "vi", *,
                max_items: int = 16):
    """Diverging stacked bars of the answers before and after (complete pairs), one pair of bars
    per item; the middle category is split around zero. Items answered by fewer than 5 people in
    a wave are left out (named in the caption)."""
    items = [it for it in (items or data.change_items) if it.hi - it.lo >= 2][:max_items]
    rows, left_out = [], []
    for it in items:
        pre = data.matched[f"{it.id}_pre"]
        post = data.matched[f"{it.id}_post"]
        both = pre.notna() & post.notna()
        if both.sum() < SMALL_CELL:
            left_out.append(it.text(lang))
            continue
        levels = np.arange(int(it.lo), int(it.hi) + 1)
        for wave, x in (("pre", pre[both]), ("post", post[both])):
            counts = np.array([(x == v).sum() for v in levels], dtype=float)
            rows.append((it, wave, 100 * counts / counts.sum(), levels))
    with plt.rc_context(STYLE):
        height = max(2.5, 0.34 * len(rows) + 1.6)
        fig, ax = plt.subplots(figsize=(9, height))
        if not rows:
            ax.set_axis_off()
            ax.text(0.5, 0.5, t("no_result", lang), ha="center", va="center")
            return fig
        k = len(rows[0][3])
        cmap = matplotlib.colormaps["BrBG"]
        colors = [cmap(v) for v in np.linspace(0.1, 0.9, k)]
        if k % 2 == 1:
            colors[k // 2] = (0.82, 0.82, 0.82, 1.0)  # the middle answer: visible grey
        ylabels, ypos = [], []
        y = 0.0
        for it, wave, pct, _levels in rows:
            mid = (len(pct) - 1) / 2
            lower = pct[: int(np.floor(mid))].sum() + (pct[int(mid)] / 2 if mid == int(mid) else 0)
            start = -lower
            for j, share in enumerate(pct):
                ax.barh(y, share, left=start, color=colors[j] if len(pct) == k else cmap(j / max(1, len(pct) - 1)),
                        edgecolor="white", height=0.8)
                start += share
            wave_word = t(wave, lang)
            ylabels.append(f"{_wrap(it.text(lang), 48)} — {wave_word}" if wave == "pre" else wave_word)
            ypos.append(y)
            y -= 1.0 if wave == "pre" else 1.6
        ax.set_yticks(ypos, ylabels, fontsize=7.5)
        ax.axvline(0, color="#333", lw=0.8)
        ax.set_xlabel("% " + ("người trả lời (cặp đủ trước–sau)" if lang == "vi" else "of respondents (complete pairs)"))
        first = rows[0][0]
        names = [c[1] if lang == "vi" else c[2] for c in first.choices] or [str(v) for v in rows[0][3]]
        handles = [plt.Rectangle((0, 0), 1, 1, color=c) for c in colors]
        ax.legend(handles, names[:k], ncol=min(k, 5), loc="lower center", bbox_to_anchor=(0.5, 1.0),
                  frameon=False, fontsize=7.5)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _pos: f"{abs(x):.0f}"))
        if left_out:
            note = ("Không vẽ (dưới 5 cặp): " if lang == "vi" else "Not shown (fewer than 5 pairs): ") + "; ".join(left_out)
            fig.text(0.01, 0.005, _wrap(note, 120), fontsize=7)
        fig.tight_layout()
    return fig


# ----------------------------------------------------------------------------------------------

def _rows(table: pd.DataFrame) -> pd.DataFrame:
    if table.empty or "n" not in table:
        return table.iloc[0:0]
    n = pd.to_numeric(table["n"], errors="coerce")
    diff = pd.to_numeric(table["mean_diff"], errors="coerce")
    return table[(n >= SMALL_CELL) & np.isfinite(diff)].reset_index(drop=True)


def _per_row_figure(rows: pd.DataFrame, lang: str):
    """A figure one row high per outcome; with no outcome, an empty figure that says so."""
    fig, ax = plt.subplots(figsize=(7.5, max(2.2, 0.42 * len(rows) + 1.2)))
    if rows.empty:
        ax.set_axis_off()
        ax.text(0.5, 0.5, t("no_result", lang), ha="center", va="center")
    return fig, ax


def dumbbell(table: pd.DataFrame, lang: str = "vi", *, label=None):
    """Mean before → mean after for each outcome (a paired slope/dumbbell chart)."""
    label = label or (lambda key: t(key, lang))
    rows = _rows(table)
    with plt.rc_context(STYLE):
        fig, ax = _per_row_figure(rows, lang)
        if rows.empty:
            return fig
        y = np.arange(len(rows))[::-1]
        ax.hlines(y, rows.mean_pre, rows.mean_post, color="#b7c9d3", lw=3, zorder=1)
        ax.scatter(rows.mean_pre, y, color=PRE_COLOR, zorder=2, label=t("pre", lang), s=36)
        ax.scatter(rows.mean_post, y, color=POST_COLOR, zorder=3, label=t("post", lang), s=36)
        ax.set_yticks(y, [_wrap(label(i), 34) for i in rows["item"]])
        ax.set_xlabel("Điểm trung bình (cặp đủ trước–sau)" if lang == "vi" else "Mean score (complete pairs)")
        ax.legend(frameon=False, loc="lower right")
        ax.grid(axis="x", color="#eeeeee")
        fig.tight_layout()
    return fig


def forest(table: pd.DataFrame, lang: str = "vi", *, effect: str = "d_z", label=None):
    """Forest plot of the standardised change ``d_z`` (approximate 95% CI) per outcome."""
    label = label or (lambda key: t(key, lang))
    rows = _rows(table)
    rows = rows[np.isfinite(pd.to_numeric(rows[effect], errors="coerce"))] if not rows.empty else rows
    with plt.rc_context(STYLE):
        fig, ax = _per_row_figure(rows, lang)
        if rows.empty:
            return fig
        y = np.arange(len(rows))[::-1]
        lo, hi = rows[f"{effect}_ci_low"], rows[f"{effect}_ci_high"]
        ax.errorbar(rows[effect], y, xerr=[rows[effect] - lo, hi - rows[effect]], fmt="s", color=POST_COLOR,
                    ecolor="#555", capsize=3, ms=5)
        ax.axvline(0, color="#333", lw=0.8, ls="--")
        ax.set_yticks(y, [f"{_wrap(label(i), 34)}  (n={protect(n)})" for i, n in zip(rows["item"], rows["n"],
                                                                                   strict=True)])
        ax.set_xlabel("Mức thay đổi chuẩn hóa d_z (KTC 95%)" if lang == "vi"
                      else "Standardised change d_z (95% CI)")
        ax.grid(axis="x", color="#eeeeee")
        fig.tight_layout()
    return fig
