"""A minimal loader over the clean survey data contract (docs/DATA.md).

``load_clean(folder)`` reads ``responses.parquet`` (or ``.csv``), ``matched.parquet`` (or builds
it from ``responses``) and ``flow.json`` (or counts the flow from ``responses``) from
``folder`` or ``folder/clean``, and returns a :class:`SurveyData`. The instrument (which items
exist, their subscale, scale range and reverse keying) comes from
``hocvuso.surveys.load_instrument()``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import UserError

WAVES = ("pre", "post")
#: Admin and demographic columns carried from the pre row (docs/DATA.md).
COVARIATES = [
    "site_code", "venue_type", "khu_pho", "session_code", "volunteer_code", "age_band", "sex",
    "education", "lives_alone", "phone_type", "prior_use",
]
#: Baseline characteristics in Table 1, in order.
BASELINE = ["age_band", "sex", "education", "lives_alone", "phone_type", "prior_use", "venue_type"]
#: Default subgroups for the subgroup analysis.
SUBGROUPS = ["age_band", "sex", "education", "venue_type", "khu_pho"]
#: Column prefixes of the items compared pre vs post when no instrument is available.
ITEM_PREFIXES = ("ease_", "conf_", "anx_", "know_", "obs_")


@dataclass(frozen=True)
class ItemInfo:
    """What the analysis needs to know about one item."""

    id: str
    subscale: str | None
    lo: float
    hi: float
    reverse: bool = False
    text_vi: str = ""
    text_en: str = ""
    choices: tuple[tuple[int, str, str], ...] = ()
    waves: tuple[str, ...] = WAVES

    def text(self, lang: str) -> str:
        return (self.text_vi if lang == "vi" else self.text_en) or self.id


@dataclass
class SurveyData:
    """The clean data of one survey: responses (participant × wave), matched pairs, flow."""

    responses: pd.DataFrame
    matched: pd.DataFrame
    flow: dict
    items: list[ItemInfo]
    source: Path | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def change_items(self) -> list[ItemInfo]:
        """Items asked in both waves and present as ``<id>_pre``/``<id>_post`` in ``matched``."""
        cols = set(self.matched.columns)
        return [it for it in self.items if set(WAVES) <= set(it.waves)
                and f"{it.id}_pre" in cols and f"{it.id}_post" in cols]

    def item(self, item_id: str) -> ItemInfo:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    def subscales(self) -> dict[str, list[ItemInfo]]:
        out: dict[str, list[ItemInfo]] = {}
        for it in self.change_items:
            if it.subscale:
                out.setdefault(it.subscale, []).append(it)
        return out

    def baseline(self) -> pd.DataFrame:
        """Pre rows, one per participant, with ``completer`` (True when matched)."""
        pre = self.responses[self.responses["wave"] == "pre"].copy()
        matched_ids = set(self.matched["pid"]) if "pid" in self.matched else set()
        pre["completer"] = pre["pid"].isin(matched_ids)
        return pre.reset_index(drop=True)


def instrument_items(instrument=None) -> list[ItemInfo]:
    """Analysis items of the instrument (ratings, knowledge, observed), in instrument order."""
    if instrument is None:
        from ..surveys import load_instrument

        instrument = load_instrument()
    out = []
    for it in instrument.analysis_items:
        choices = tuple((c.code, c.vi, c.en) for c in (it.scale.choices or it.choices) if isinstance(c.code, int))
        lo, hi = it.min, it.max
        out.append(ItemInfo(
            id=it.id, subscale=it.subscale, lo=float(lo if lo is not None else 0),
            hi=float(hi if hi is not None else 1), reverse=bool(it.reverse or it.scale.reverse),
            text_vi=it.text_vi, text_en=it.text_en, choices=choices, waves=tuple(it.waves),
        ))
    return out


def _infer_items(responses: pd.DataFrame) -> list[ItemInfo]:
    out = []
    for col in responses.columns:
        if col.startswith(ITEM_PREFIXES):
            values = pd.to_numeric(responses[col], errors="coerce")
            lo = float(values.min()) if values.notna().any() else 1.0
            hi = float(values.max()) if values.notna().any() else 5.0
            out.append(ItemInfo(id=col, subscale=col.split("_")[0], lo=lo, hi=hi,
                                reverse=col.startswith("anx_")))
    return out


def _read_table(folder: Path, stem: str) -> pd.DataFrame | None:
    pq, csv = folder / f"{stem}.parquet", folder / f"{stem}.csv"
    if pq.exists():
        return pd.read_parquet(pq)
    if csv.exists():
        return pd.read_csv(csv, encoding="utf-8")
    return None


def _numeric(frame: pd.DataFrame, items: list[ItemInfo]) -> pd.DataFrame:
    frame = frame.copy()
    for it in items:
        for col in (it.id, f"{it.id}_pre", f"{it.id}_post"):
            if col in frame.columns:
                frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    return frame


def load_clean(folder: str | Path, *, instrument=None) -> SurveyData:
    """Read the clean survey data from ``folder`` (the ``OUT`` or ``OUT/clean`` of ingest)."""
    folder = Path(folder)
    if (folder / "clean").is_dir():
        folder = folder / "clean"
    if not folder.is_dir():
        raise UserError("không tìm thấy thư mục dữ liệu sạch / clean data folder not found", where=str(folder),
                        fix="chạy / run `hocvuso survey ingest … --out OUT` rồi dùng / then use --data OUT")
    responses = _read_table(folder, "responses")
    if responses is None:
        raise UserError("thiếu responses.parquet / responses.csv / missing", where=str(folder),
                        fix="dùng thư mục do `hocvuso survey ingest` tạo ra / use the folder written by ingest")
    flow = None
    if (folder / "flow.json").exists():
        flow = json.loads((folder / "flow.json").read_text(encoding="utf-8"))
    data = from_responses(responses, matched=_read_table(folder, "matched"), flow=flow, instrument=instrument)
    data.source = folder
    return data


def from_responses(responses: pd.DataFrame, *, matched: pd.DataFrame | None = None, flow: dict | None = None,
                   instrument=None, items: list[ItemInfo] | None = None) -> SurveyData:
    """Build a :class:`SurveyData` from a ``responses`` frame (``matched`` and ``flow`` are
    derived when not given)."""
    missing = [c for c in ("pid", "wave") if c not in responses.columns]
    if missing:
        raise UserError(f"thiếu cột / missing columns: {', '.join(missing)}", where="responses",
                        fix="xem docs/DATA.md / see docs/DATA.md")
    notes = []
    if items is None:
        try:
            items = instrument_items(instrument)
        except Exception as exc:  # instrument unavailable: fall back on column names
            notes.append(f"instrument not loaded ({exc}); items inferred from column names")
            items = _infer_items(responses)
    items = [it for it in items if it.id in responses.columns]
    responses = _numeric(responses, items)
    responses["wave"] = responses["wave"].astype(str)
    if matched is None:
        matched = _match(responses, items)
    matched = _numeric(matched, items)
    if flow is None:
        flow = count_flow(responses, matched)
    return SurveyData(responses=responses, matched=matched, flow=flow, items=items, notes=notes)


def _match(responses: pd.DataFrame, items: list[ItemInfo]) -> pd.DataFrame:
    pre = responses[responses["wave"] == "pre"].drop_duplicates("pid")
    post = responses[responses["wave"] == "post"].drop_duplicates("pid")
    ids = [it.id for it in items]
    keep = ["pid", *[c for c in COVARIATES if c in pre.columns]]
    left = pre[keep + ids].rename(columns={i: f"{i}_pre" for i in ids})
    right = post[["pid", *ids]].rename(columns={i: f"{i}_post" for i in ids})
    return left.merge(right, on="pid", how="inner")


def count_flow(responses: pd.DataFrame, matched: pd.DataFrame) -> dict:
    pre_ids = set(responses.loc[responses["wave"] == "pre", "pid"])
    post_ids = set(responses.loc[responses["wave"] == "post", "pid"])
    m = len(set(matched["pid"])) if "pid" in matched else len(matched)
    return {"responses": int(len(responses)), "pre": len(pre_ids), "post": len(post_ids), "matched": m,
            "pre_only": len(pre_ids - post_ids), "post_only": len(post_ids - pre_ids)}


def demo_data(folder: str | Path | None = None, *, n: int = 600, seed: int = 2025) -> Path:
    """The synthetic demo cohort's clean folder: ``<build>/surveys/demo/clean`` when the survey
    demo step (``hocvuso.surveys.cli:demo_ingest_step``) already wrote it, else generated there
    with ``hocvuso.surveys.demo_clean_data``."""
    from ..paths import build_dir

    base = Path(folder) if folder else build_dir() / "surveys" / "demo"
    clean = base / "clean"
    if (clean / "responses.parquet").exists() or (clean / "responses.csv").exists():
        return clean
    from ..surveys import demo_clean_data

    return Path(demo_clean_data(base, n=n, seed=seed))


def resolve_data(path: str | Path | None) -> Path:
    """The notebook's ``data`` parameter: a folder, or None for the demo cohort."""
    if path:
        return Path(path)
    env = os.environ.get("HOCVUSO_REPORT_DATA")
    return Path(env) if env else demo_data()

