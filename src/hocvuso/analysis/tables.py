"""Tables of the outcome report: flow, Table 1, change per item/subscale, subgroups, reliability,
knowledge (McNemar), mixed-model sensitivity — raw (numbers) and formatted (small cells protected).

Small-cell protection: in every *formatted* table a count below :data:`SMALL_CELL` is shown as
"<5", and a statistic computed on fewer than 5 people is not shown ("—", with a note). The raw
tables are for analysis code; only formatted tables go into a report. No table carries ``pid``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats as sps

from .data import BASELINE, ItemInfo, SurveyData
from .labels import level_label, level_order, t
from .stats import cronbach_alpha, mcnemar, paired_change_table

SMALL_CELL = 5
DASH = "—"
EASE_TOTAL = "ease_total"


# ----------------------------------------------------------------------------------------------
# formatting helpers
# ----------------------------------------------------------------------------------------------

def protect(n) -> str:
    """A count as shown in a report: "<5" below :data:`SMALL_CELL`."""
    if n is None or (isinstance(n, float) and math.isnan(n)):
        return DASH
    n = int(n)
    return "<5" if n < SMALL_CELL else str(n)


def fmt(x, digits: int = 2) -> str:
    if x is None or (isinstance(x, float | np.floating) and not np.isfinite(x)):
        return DASH
    return f"{x:.{digits}f}"


def fmt_p(p) -> str:
    if p is None or not np.isfinite(p):
        return DASH
    if p < 0.001:
        return "<0.001"
    return f"{p:.3f}"


def fmt_ci(est, lo, hi, digits: int = 2) -> str:
    if not np.isfinite(est):
        return DASH
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return fmt(est, digits)
    return f"{est:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]"


# ----------------------------------------------------------------------------------------------
# scores
# ----------------------------------------------------------------------------------------------

def scale_items(items: list[ItemInfo], waves: tuple[str, ...] = ()) -> dict[str, list[ItemInfo]]:
    """Subscale → items (only items asked in every wave of ``waves``), with ``ease_total`` over
    every self-rated ease item first."""
    items = [it for it in items if set(waves) <= set(it.waves)]
    groups: dict[str, list[ItemInfo]] = {}
    ease = [it for it in items if it.id.startswith("ease_")]
    if len(ease) > 1:
        groups[EASE_TOTAL] = ease
    for it in items:
        if it.subscale and it.subscale != EASE_TOTAL:
            groups.setdefault(it.subscale, []).append(it)
    return groups


def scale_scores(frame: pd.DataFrame, items: list[ItemInfo], *, suffix: str = "",
                 min_answered: float = 0.5, waves: tuple[str, ...] = ()) -> pd.DataFrame:
    """One column per subscale: the mean of the answered items (reverse-keyed items as
    ``lo + hi - x``); NaN when fewer than ``min_answered`` of the subscale's items are answered.
    ``waves`` keeps only items asked in all those waves (e.g. ``("pre", "post")``)."""
    out = {}
    for name, group in scale_items(items, waves).items():
        cols = []
        for it in group:
            col = f"{it.id}{suffix}"
            if col not in frame.columns:
                continue
            x = pd.to_numeric(frame[col], errors="coerce").astype(float)
            cols.append(it.lo + it.hi - x if it.reverse else x)
        if not cols:
            continue
        block = pd.concat(cols, axis=1)
        answered = block.notna().sum(axis=1)
        score = block.mean(axis=1)
        out[name] = score.where(answered >= math.ceil(min_answered * len(cols) - 1e-9))
    return pd.DataFrame(out, index=frame.index)


def _pre_post(data: SurveyData, items: list[ItemInfo]) -> tuple[pd.DataFrame, pd.DataFrame]:
    pre = pd.DataFrame({it.id: data.matched[f"{it.id}_pre"] for it in items}, index=data.matched.index)
    post = pd.DataFrame({it.id: data.matched[f"{it.id}_post"] for it in items}, index=data.matched.index)
    return pre.astype(float), post.astype(float)


def _score_pre_post(data: SurveyData) -> tuple[pd.DataFrame, pd.DataFrame]:
    items = data.change_items
    return (scale_scores(data.matched, items, suffix="_pre"), scale_scores(data.matched, items, suffix="_post"))


# ----------------------------------------------------------------------------------------------
# participant flow
# ----------------------------------------------------------------------------------------------

FLOW_KEYS = ["rows_read", "quarantined", "duplicates_removed", "pre", "post", "matched", "pre_only", "post_only"]


def participant_flow(flow: dict, lang: str = "vi") -> pd.DataFrame:
    """The CONSORT-style counts of ``flow.json`` as a protected table (stage, n)."""
    label = {"quarantined": "flow_quarantined", "duplicates_removed": "flow_duplicates",
             "rows_read": "flow_rows_read"}
    rows = []
    for key in FLOW_KEYS:
        if key in flow:
            rows.append({"stage": t(label.get(key, f"flow_{key}"), lang), "n": protect(flow[key])})
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------------
# Table 1
# ----------------------------------------------------------------------------------------------

def _smd_prop(p1, p0):
    """Standardised difference of a proportion (Austin 2009, Stat Med 28:3083, eq. 2)."""
    v = (p1 * (1 - p1) + p0 * (1 - p0)) / 2
    return (p1 - p0) / math.sqrt(v) if v > 0 else (0.0 if p1 == p0 else math.nan)


def _smd_mean(x1, x0):
    """Standardised difference of a mean (Austin 2009, eq. 1): (m1 - m0) / sqrt((s1² + s0²)/2)."""
    x1, x0 = x1.dropna(), x0.dropna()
    if len(x1) < 2 or len(x0) < 2:
        return math.nan
    v = (x1.var() + x0.var()) / 2
    return (x1.mean() - x0.mean()) / math.sqrt(v) if v > 0 else math.nan


def table1(data: SurveyData, variables: list[str] | None = None) -> pd.DataFrame:
    """Baseline characteristics of completers vs those lost to follow-up (raw numbers).

    Rows: one per level of each categorical characteristic (``kind="n"``: counts and column %)
    and one per baseline subscale score (``kind="mean"``: mean and SD); ``smd`` is the
    standardised difference completers − lost (Austin 2009): for a level, of its proportion; for
    a score, of the mean. |smd| > 0.1 is the usual flag for a meaningful imbalance.
    """
    base = data.baseline()
    variables = [v for v in (variables or BASELINE) if v in base.columns]
    comp = base[base["completer"]]
    lost = base[~base["completer"]]
    rows = [{"variable": "n", "level": "", "kind": "count", "completers": len(comp), "lost": len(lost),
             "completers_pct": math.nan, "lost_pct": math.nan, "completers_sd": math.nan,
             "lost_sd": math.nan, "smd": math.nan}]
    for var in variables:
        col = base[var].astype("string")
        levels = level_order(var, col.dropna().unique().tolist())
        for lev in [*levels, None]:
            in_c = (comp[var].astype("string") == lev).sum() if lev is not None else comp[var].isna().sum()
            in_l = (lost[var].astype("string") == lev).sum() if lev is not None else lost[var].isna().sum()
            if lev is None and in_c + in_l == 0:
                continue
            pc = in_c / len(comp) if len(comp) else math.nan
            pl = in_l / len(lost) if len(lost) else math.nan
            rows.append({"variable": var, "level": lev if lev is not None else "__missing__", "kind": "n",
                         "completers": int(in_c), "lost": int(in_l), "completers_pct": 100 * pc,
                         "lost_pct": 100 * pl, "completers_sd": math.nan, "lost_sd": math.nan,
                         "smd": _smd_prop(pc, pl) if np.isfinite(pc) and np.isfinite(pl) else math.nan})
    scores = scale_scores(base, data.items, waves=("pre",))
    for name in scores.columns:
        x1, x0 = scores.loc[base["completer"], name], scores.loc[~base["completer"], name]
        rows.append({"variable": name, "level": "", "kind": "mean", "completers": int(x1.notna().sum()),
                     "lost": int(x0.notna().sum()), "completers_pct": x1.mean(), "lost_pct": x0.mean(),
                     "completers_sd": x1.std(), "lost_sd": x0.std(), "smd": _smd_mean(x1, x0)})
    return pd.DataFrame(rows)


HIDDEN = "*"


def _secondary_suppression(raw: pd.DataFrame) -> set[tuple[int, str]]:
    """Cells to hide so that a single "<5" cell cannot be worked out by subtraction from the
    group total: when exactly one level of a characteristic is below 5 in a group, the next
    smallest level of that group is hidden too (shown as "*")."""
    hide: set[tuple[int, str]] = set()
    for _, block in raw[raw.kind == "n"].groupby("variable", sort=False):
        for group in ("completers", "lost"):
            counts = block[group]
            small = counts < SMALL_CELL
            if small.sum() == 1 and len(counts) > 1:
                hide.add((int(counts[~small].idxmin()), group))
    return hide


def format_table1(raw: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """Table 1 for a report: "n (%)" / "mean (SD)", counts below 5 as "<5", and a second cell
    hidden ("*") where one "<5" could otherwise be recovered from the column total."""
    out = []
    n_c = int(raw.loc[raw.kind == "count", "completers"].iloc[0])
    n_l = int(raw.loc[raw.kind == "count", "lost"].iloc[0])
    hide = _secondary_suppression(raw)
    for idx, r in raw.iterrows():
        if r.kind == "count":
            out.append([t("n_people", lang), "", protect(r.completers), protect(r.lost), DASH])
            continue
        if r.kind == "n":
            level = t("missing", lang) if r.level == "__missing__" else level_label(r.variable, r.level, lang)
            cells = []
            for group, n, pct, group_n in (("completers", r.completers, r.completers_pct, n_c),
                                           ("lost", r.lost, r.lost_pct, n_l)):
                if (idx, group) in hide:
                    cells.append(HIDDEN)
                elif group_n < SMALL_CELL or n < SMALL_CELL:
                    cells.append("<5" if n < SMALL_CELL else f"{n}")
                else:
                    cells.append(f"{n} ({pct:.0f}%)")
            small = min(r.completers, r.lost) < SMALL_CELL or HIDDEN in cells
            out.append([t(r.variable, lang), level, *cells, DASH if small else fmt(r.smd)])
        else:
            cells = []
            for n, m, sd in ((r.completers, r.completers_pct, r.completers_sd), (r.lost, r.lost_pct, r.lost_sd)):
                cells.append("<5" if n < SMALL_CELL else f"{m:.2f} ({sd:.2f})")
            small = min(r.completers, r.lost) < SMALL_CELL
            out.append([t(r.variable, lang), t("mean_sd", lang), *cells, DASH if small else fmt(r.smd)])
    cols = [t("characteristic", lang), t("level", lang), f"{t('completers', lang)}",
            f"{t('lost', lang)}", t("smd", lang)]
    return pd.DataFrame(out, columns=cols)


# ----------------------------------------------------------------------------------------------
# change
# ----------------------------------------------------------------------------------------------

def change_by_item(data: SurveyData, *, adjust: str = "holm", confidence: float = 0.95) -> pd.DataFrame:
    """Paired change of every item asked in both waves (complete pairs), adjusted across items."""
    items = data.change_items
    if not items or data.matched.empty:
        return pd.DataFrame(columns=["item"])
    pre, post = _pre_post(data, items)
    table = paired_change_table(pre, post, adjust=adjust, confidence=confidence)
    table["subscale"] = [data.item(i).subscale or "" for i in table["item"]]
    return table


def change_by_subscale(data: SurveyData, *, adjust: str = "holm", confidence: float = 0.95) -> pd.DataFrame:
    """Paired change of every subscale score (complete pairs), adjusted across subscales."""
    pre, post = _score_pre_post(data)
    if pre.empty:
        return pd.DataFrame(columns=["item"])
    return paired_change_table(pre, post, adjust=adjust, confidence=confidence)


def format_change(table: pd.DataFrame, lang: str = "vi", *, label=None, digits: int = 2) -> pd.DataFrame:
    """A change table for a report. Rows with fewer than 5 pairs show n "<5" and no statistics."""
    label = label or (lambda key: t(key, lang))
    rows = []
    for _, r in table.iterrows():
        small = r.n < SMALL_CELL
        note = _note_for_lang(r.note, lang)
        if small:
            note = ("dưới 5 cặp: không trình bày" if lang == "vi" else "fewer than 5 pairs: not shown")
            rows.append([label(r["item"]), protect(r.n), DASH, DASH, DASH, DASH, DASH, DASH, DASH, note])
            continue
        rows.append([
            label(r["item"]), protect(r.n), fmt(r.mean_pre, digits), fmt(r.mean_post, digits),
            fmt_ci(r.mean_diff, r.ci_low, r.ci_high, digits), fmt_p(r.get("p_adj", r.p)),
            fmt(r.d_z), fmt(r.g_av), fmt_p(r.get("wilcoxon_p_adj", r.wilcoxon_p)), note,
        ])
    cols = [t("outcome", lang), "n", t("pre", lang), t("post", lang), t("change", lang),
            t("p_adj", lang), "d_z", "g_av", t("wilcoxon_p", lang) + " (Holm)", t("note", lang)]
    return pd.DataFrame(rows, columns=cols)


def _note_for_lang(note: str, lang: str) -> str:
    """Notes are stored "english / tiếng Việt"; keep the part in ``lang``."""
    if not isinstance(note, str) or not note:
        return ""
    parts = []
    for piece in note.split("; "):
        if " / " in piece:
            en, vi = piece.split(" / ", 1)
            parts.append(vi if lang == "vi" else en)
        else:
            parts.append(piece)
    return "; ".join(parts)


# ----------------------------------------------------------------------------------------------
# reliability and knowledge
# ----------------------------------------------------------------------------------------------

def reliability(data: SurveyData, wave: str = "pre") -> pd.DataFrame:
    """Cronbach's alpha (Feldt CI) of each subscale with ≥ 2 items, on one wave's responses."""
    rows = data.responses[data.responses["wave"] == wave]
    out = []
    for name, group in scale_items(data.items, (wave,)).items():
        cols = [it.id for it in group if it.id in rows.columns and rows[it.id].notna().any()]
        if len(group) < 2:
            continue
        rev = [it.id for it in group if it.reverse]
        lo = min(it.lo for it in group)
        hi = max(it.hi for it in group)
        a = cronbach_alpha(rows[cols] if cols else rows[[it.id for it in group if it.id in rows]],
                           reverse=rev, scale=(lo, hi))
        out.append({"subscale": name, "k": a.k, "n": a.n, "alpha": a.alpha, "ci_low": a.ci_low,
                    "ci_high": a.ci_high, "note": a.note})
    return pd.DataFrame(out)


def format_reliability(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    rows = []
    for _, r in table.iterrows():
        small = r.n < SMALL_CELL
        rows.append([t(r.subscale, lang), r.k, protect(r.n),
                     DASH if small else fmt_ci(r.alpha, r.ci_low, r.ci_high),
                     _note_for_lang(r.note, lang) or ("" if np.isfinite(r.alpha) else t("no_result", lang))])
    return pd.DataFrame(rows, columns=[t("subgroup", lang) if False else t("outcome", lang), t("items_k", lang),
                                       "n", t("alpha", lang), t("note", lang)])


def knowledge_change(data: SurveyData) -> pd.DataFrame:
    """McNemar's test for each 0/1 knowledge item (answered correctly before vs after)."""
    out = []
    for it in data.change_items:
        if not (it.lo == 0 and it.hi == 1):
            continue
        m = mcnemar(data.matched[f"{it.id}_pre"], data.matched[f"{it.id}_post"])
        tab = m.table.to_numpy()
        out.append({"item": it.id, "n": m.n, "correct_pre": int(tab[1].sum()), "correct_post": int(tab[:, 1].sum()),
                    "b": m.b, "c": m.c, "statistic": m.statistic, "p_approx": m.p_approx, "p_exact": m.p_exact,
                    "note": m.note})
    return pd.DataFrame(out)


def format_knowledge(table: pd.DataFrame, data: SurveyData, lang: str = "vi") -> pd.DataFrame:
    rows = []
    for _, r in table.iterrows():
        small = r.n < SMALL_CELL

        def pct(k, n=r.n):
            return "<5" if k < SMALL_CELL else f"{k} ({100 * k / n:.0f}%)"

        rows.append([data.item(r["item"]).text(lang), protect(r.n),
                     DASH if small else pct(r.correct_pre), DASH if small else pct(r.correct_post),
                     protect(r.b), protect(r.c), DASH if small else fmt(r.statistic),
                     DASH if small else fmt_p(r.p_exact), _note_for_lang(r.note, lang)])
    head = ["Câu hỏi", "n", "Đúng trước", "Đúng sau", "Sai→đúng", "Đúng→sai", "χ² McNemar", "p chính xác", "Ghi chú"]
    if lang != "vi":
        head = ["Item", "n", "Correct before", "Correct after", "Wrong→right", "Right→wrong", "McNemar χ²",
                "exact p", "Note"]
    return pd.DataFrame(rows, columns=head)


# ----------------------------------------------------------------------------------------------
# subgroups
# ----------------------------------------------------------------------------------------------

def subgroup_change(data: SurveyData, by: list[str], outcomes: list[str] | None = None,
                    *, adjust: str = "holm") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Change in subscale scores within each level of each subgroup variable, and a test of
    whether the change differs between levels (the group × time interaction of a pre/post
    design = a one-way ANOVA F on the change scores across levels with ≥ 2 pairs).

    Returns ``(by_level, interaction)``. A variable with fewer than two usable levels gets a note
    instead of a test.
    """
    pre, post = _score_pre_post(data)
    if outcomes:
        keep = [o for o in outcomes if o in pre.columns]
        pre, post = pre[keep], post[keep]
    by = [b for b in by if b in data.matched.columns]
    groups = None
    if by:
        groups = pd.DataFrame({
            var: pd.Categorical(_codes_as_text(data.matched[var]),
                                categories=level_order(var, data.matched[var].dropna().unique()))
            for var in by}, index=data.matched.index)
    table = paired_change_table(pre, post, by=groups, adjust=adjust)
    table = table[table.subgroup != "all"].reset_index(drop=True) if by else table
    inter = []
    diff = post - pre
    for var in by:
        g = data.matched[var].astype("string")
        for outcome in pre.columns:
            d = diff[outcome]
            samples = [d[(g == lev) & d.notna()].to_numpy() for lev in g.dropna().unique()]
            usable = [s for s in samples if len(s) >= 2]
            note, f_stat, p = "", math.nan, math.nan
            if len(usable) < 2:
                note = ("only one level with data: no comparison / chỉ có một nhóm có dữ liệu: "
                        "không so sánh được")
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    res = sps.f_oneway(*usable)
                f_stat, p = float(res.statistic), float(res.pvalue)
                if not np.isfinite(p):
                    note = "no variance in change scores / thay đổi không có phương sai"
            inter.append({"subgroup": var, "outcome": outcome, "levels": len(usable), "F": f_stat, "p": p,
                          "note": note})
    return table, pd.DataFrame(inter)


def _codes_as_text(series: pd.Series) -> pd.Series:
    text = series.astype("string")
    return text.str.replace(r"\.0$", "", regex=True)


def format_subgroups(table: pd.DataFrame, inter: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    rows = []
    for _, r in table.iterrows():
        small = r.n < SMALL_CELL
        ip = inter[(inter.subgroup == r.subgroup) & (inter.outcome == r["item"])]
        ptxt = fmt_p(ip.p.iloc[0]) if len(ip) else DASH
        rows.append([t(r.subgroup, lang), level_label(r.subgroup, r.level, lang), t(r["item"], lang), protect(r.n),
                     DASH if small else fmt_ci(r.mean_diff, r.ci_low, r.ci_high),
                     DASH if small else fmt(r.d_z), ptxt,
                     ("dưới 5 cặp" if lang == "vi" else "fewer than 5 pairs") if small
                     else _note_for_lang(r.note, lang)])
    return pd.DataFrame(rows, columns=[t("subgroup", lang), t("level", lang), t("outcome", lang), "n",
                                       t("change", lang), "d_z", t("interaction_p", lang), t("note", lang)])


# ----------------------------------------------------------------------------------------------
# mixed model
# ----------------------------------------------------------------------------------------------

def mixed_model(data: SurveyData, outcomes: list[str] | None = None) -> pd.DataFrame:
    """Sensitivity analysis with all available responses (completers and those seen once).

    For each subscale score: ``score ~ post`` (a linear mixed model, statsmodels MixedLM, REML)
    with a random intercept for the venue (``site_code``, the grouping factor) and a variance
    component for participants within venues — so people with only a pre (or only a post)
    survey still contribute, under a missing-at-random assumption. Reported next to the
    complete-pairs mean change. A model that does not fit gets a note, never a number.
    """
    from statsmodels.regression.mixed_linear_model import MixedLM

    resp = data.responses
    scores = scale_scores(resp, data.items, waves=("pre", "post"))
    if outcomes:
        scores = scores[[o for o in outcomes if o in scores.columns]]
    complete = change_by_subscale(data, adjust=None)
    venue = resp["site_code"].astype("string").fillna("?") if "site_code" in resp else pd.Series("all", index=resp.index)
    rows = []
    for outcome in scores.columns:
        frame = pd.DataFrame({"y": scores[outcome], "post": (resp["wave"] == "post").astype(float),
                              "venue": venue, "person": pd.factorize(resp["pid"])[0]}).dropna()
        cc = complete[complete["item"] == outcome]
        row = {"outcome": outcome, "n_obs": len(frame), "n_people": frame.person.nunique(),
               "n_venues": frame.venue.nunique(), "estimate": math.nan, "ci_low": math.nan,
               "ci_high": math.nan, "p": math.nan,
               "cc_n": int(cc.n.iloc[0]) if len(cc) else 0,
               "cc_estimate": float(cc.mean_diff.iloc[0]) if len(cc) else math.nan,
               "cc_ci_low": float(cc.ci_low.iloc[0]) if len(cc) else math.nan,
               "cc_ci_high": float(cc.ci_high.iloc[0]) if len(cc) else math.nan, "note": ""}
        if frame.post.nunique() < 2 or frame.y.var() == 0 or len(frame) < 10:
            row["note"] = "not enough data for a model / không đủ dữ liệu cho mô hình"
            rows.append(row)
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exog = np.column_stack([np.ones(len(frame)), frame.post.to_numpy()])
                if frame.venue.nunique() >= 2:
                    model = MixedLM(frame.y.to_numpy(), exog, groups=frame.venue.to_numpy(),
                                    exog_vc=_vc_matrix(frame))
                else:  # one venue: participants are the groups
                    model = MixedLM(frame.y.to_numpy(), exog, groups=frame.person.to_numpy())
                fit = model.fit(reml=True, method=["lbfgs", "powell"])
            est, se = float(fit.fe_params[1]), float(fit.bse_fe[1])
            if not (np.isfinite(est) and np.isfinite(se)):
                raise ValueError("non-finite estimate")
            z = sps.norm.ppf(0.975)
            row.update(estimate=est, ci_low=est - z * se, ci_high=est + z * se,
                       p=float(2 * sps.norm.sf(abs(est / se))))
            if not getattr(fit, "converged", True):
                row["note"] = "model did not fully converge / mô hình chưa hội tụ hoàn toàn"
        except Exception as exc:  # noqa: BLE001 - any fitting failure becomes a note
            row["note"] = f"model could not be fitted ({type(exc).__name__}) / không ước lượng được mô hình"
        rows.append(row)
    return pd.DataFrame(rows)


def _vc_matrix(frame: pd.DataFrame) -> dict:
    """Variance-component design for "participant within venue": per venue, an indicator
    column per participant (statsmodels' ``exog_vc`` as {name: {group: matrix}})."""
    mats = {}
    for venue in pd.unique(frame.venue):
        people = frame.person[frame.venue == venue].to_numpy()
        levels, inv = np.unique(people, return_inverse=True)
        m = np.zeros((len(people), len(levels)))
        m[np.arange(len(people)), inv] = 1.0
        mats[venue] = m
    return {"participant": mats}


def format_mixed(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    rows = []
    for _, r in table.iterrows():
        rows.append([t(r.outcome, lang), protect(r.cc_n), fmt_ci(r.cc_estimate, r.cc_ci_low, r.cc_ci_high),
                     protect(r.n_obs), protect(r.n_people), str(r.n_venues),
                     fmt_ci(r.estimate, r.ci_low, r.ci_high), fmt_p(r.p), _note_for_lang(r.note, lang)])
    return pd.DataFrame(rows, columns=[t("outcome", lang), "n", t("complete_case", lang), t("n_obs", lang),
                                       t("n_people", lang), t("n_venues", lang), t("mixed_all", lang), "p",
                                       t("note", lang)])
