"""The outcome report: ``analysis/outcomes.ipynb`` run by papermill, exported by nbconvert.

* :class:`OutcomeReport` — what the notebook calls; every method returns one HTML section
  (heading in the report's language, tables with small cells protected, figures as embedded
  PNG) so the notebook stays thin;
* :func:`render_report` — papermill → nbconvert (``exclude_input``, no external scripts,
  ``<html lang=…>``) → one self-contained HTML file, checked for identifiers before writing;
* ``hocvuso report`` and the demo step live in :mod:`hocvuso.analysis.cli`.
"""

from __future__ import annotations

import base64
import html
import io
import re
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import UserError
from ..paths import analysis_dir, build_dir
from . import figures as F
from . import tables as T
from .data import SUBGROUPS, SurveyData, load_clean, resolve_data
from .labels import LANGS, t

NOTEBOOK = "outcomes.ipynb"
#: Outcomes of the sensitivity analysis (one mixed model each).
PRIMARY_OUTCOMES = ("ease_total", "confidence", "knowledge", "observed")
#: pseudonyms and record ids of the clean data (docs/DATA.md): must never reach a report
IDENTIFIER = re.compile(r"\b[pr]_[0-9a-f]{10}\b")

#: Report sections: id → (Vietnamese heading, English heading, TREND items it answers).
SECTIONS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "summary": ("Tóm tắt", "Summary", ("1",)),
    "methods": ("Phương pháp phân tích", "Statistical methods", ("6", "10", "11")),
    "flow": ("Luồng người tham gia", "Participant flow", ("12", "13", "16")),
    "baseline": ("Đặc điểm ban đầu: hoàn thành và mất theo dõi", "Baseline: completers and those lost",
                 ("14", "15")),
    "reliability": ("Độ tin cậy của thang đo", "Reliability of the scales", ("6",)),
    "change": ("Thay đổi trước–sau theo thang đo", "Pre–post change by scale", ("16", "17")),
    "items": ("Thay đổi theo từng câu hỏi", "Change by item", ("17",)),
    "knowledge": ("Kiến thức chống lừa đảo (McNemar)", "Scam knowledge (McNemar)", ("17",)),
    "feedback": ("Ý kiến sau khóa học", "Feedback after the classes", ("17",)),
    "subgroups": ("Thay đổi theo nhóm", "Change by subgroup", ("18",)),
    "sensitivity": ("Phân tích độ nhạy: mô hình hỗn hợp với mọi dữ liệu",
                    "Sensitivity analysis: mixed model with all data", ("16", "18")),
    "data_notes": ("Ghi chú về dữ liệu", "Notes on the data", ("16",)),
    "trend": ("Phụ lục: đối chiếu TREND", "Appendix: TREND checklist", ()),
}

#: TREND checklist (Des Jarlais, Lyles, Crepaz & the TREND Group 2004, Am J Public Health
#: 94:361-366): item → (vi, en) topic.
TREND_ITEMS: dict[str, tuple[str, str]] = {
    "1": ("Tiêu đề và tóm tắt", "Title and abstract"),
    "2": ("Bối cảnh", "Background"),
    "3": ("Người tham gia", "Participants"),
    "4": ("Can thiệp", "Interventions"),
    "5": ("Mục tiêu", "Objectives"),
    "6": ("Kết quả đo (công cụ, độ tin cậy)", "Outcomes (measures, reliability)"),
    "7": ("Cỡ mẫu", "Sample size"),
    "8": ("Phương pháp phân nhóm", "Assignment method"),
    "9": ("Làm mù", "Blinding"),
    "10": ("Đơn vị phân tích", "Unit of analysis"),
    "11": ("Phương pháp thống kê", "Statistical methods"),
    "12": ("Luồng người tham gia", "Participant flow"),
    "13": ("Tuyển chọn", "Recruitment"),
    "14": ("Dữ liệu ban đầu", "Baseline data"),
    "15": ("Tương đồng ban đầu", "Baseline equivalence"),
    "16": ("Số được phân tích", "Numbers analysed"),
    "17": ("Kết quả và ước lượng", "Outcomes and estimation"),
    "18": ("Phân tích bổ sung", "Ancillary analyses"),
    "19": ("Tác dụng không mong muốn", "Adverse events"),
    "20": ("Diễn giải", "Interpretation"),
    "21": ("Khả năng khái quát", "Generalisability"),
    "22": ("Tổng thể bằng chứng", "Overall evidence"),
}


def _html(markup: str):
    from IPython.display import HTML

    return HTML(markup)


def _esc(text) -> str:
    return html.escape(str(text), quote=True)


class OutcomeReport:
    """The sections of the outcome report for one data set and language."""

    def __init__(self, data: SurveyData, *, lang: str = "vi", subgroups: list[str] | None = None,
                 adjust: str = "holm"):
        if lang not in LANGS:
            raise UserError(f"ngôn ngữ không hỗ trợ / unsupported language: {lang!r}", where="lang",
                            fix="dùng / use 'vi' hoặc / or 'en'")
        self.data = data
        self.lang = lang
        self.subgroups = list(subgroups if subgroups is not None else SUBGROUPS)
        self.adjust = adjust
        self._subscale_change: pd.DataFrame | None = None

    @classmethod
    def load(cls, data_path=None, **kw) -> OutcomeReport:
        """From a clean-data folder (``None``: the synthetic demo cohort)."""
        import matplotlib

        matplotlib.use("Agg")
        return cls(load_clean(resolve_data(data_path)), **kw)

    # -- helpers ---------------------------------------------------------------------------
    def _l(self, vi: str, en: str) -> str:
        return vi if self.lang == "vi" else en

    def _section(self, key: str, body: str) -> object:
        vi, en, _ = SECTIONS[key]
        return _html(f'<section class="hv-section" id="{key}"><h2 class="hv-h2">{_esc(self._l(vi, en))}</h2>'
                     f"{body}</section>")

    @staticmethod
    def _table(frame: pd.DataFrame, caption: str = "", cls: str = "") -> str:
        body = frame.to_html(index=False, escape=True, na_rep=T.DASH, border=0,
                             classes=["hv-table", *cls.split()]) if len(frame) else ""
        cap = f'<p class="hv-caption">{_esc(caption)}</p>' if caption else ""
        return f'<div class="hv-table-wrap">{cap}{body}</div>'

    @staticmethod
    def _figure(fig, alt: str, cls: str = "") -> str:
        import matplotlib.pyplot as plt

        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
        plt.close(fig)
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        return (f'<figure class="hv-figure {cls}"><img src="data:image/png;base64,{data}" alt="{_esc(alt)}">'
                f"<figcaption>{_esc(alt)}</figcaption></figure>")

    def _p(self, vi: str, en: str, cls: str = "hv-text") -> str:
        return f'<p class="{cls}">{_esc(self._l(vi, en))}</p>'

    def _label_item(self, item_id: str) -> str:
        try:
            return self.data.item(item_id).text(self.lang)
        except KeyError:
            return t(item_id, self.lang)

    @property
    def subscale_change(self) -> pd.DataFrame:
        if self._subscale_change is None:
            self._subscale_change = T.change_by_subscale(self.data, adjust=self.adjust)
        return self._subscale_change

    # -- sections --------------------------------------------------------------------------
    def title(self):
        synthetic = ""
        src = str(self.data.source or "")
        if "survey" in src or "demo" in src:
            synthetic = self._p("Dữ liệu minh họa tổng hợp — không có người thật.",
                                "Synthetic demonstration data — no real people.", "hv-synthetic")
        head = self._l("Báo cáo kết quả khảo sát trước–sau: lớp Bình dân học vụ số",
                       "Pre/post survey outcome report: Bình dân học vụ số classes")
        sub = self._l(f"Tạo lúc {time.strftime('%Y-%m-%d %H:%M')} · ô dưới 5 người hiển thị \"<5\"",
                      f"Generated {time.strftime('%Y-%m-%d %H:%M')} · cells of fewer than 5 people show \"<5\"")
        return _html(f'<header class="hv-header"><h1 class="hv-h1">{_esc(head)}</h1>'
                     f'<p class="hv-sub">{_esc(sub)}</p>{synthetic}</header>')

    def summary(self):
        f = self.data.flow
        pre, matched = f.get("pre", 0), f.get("matched", 0)
        lost = f.get("pre_only", max(pre - matched, 0))
        parts = [self._p(
            f"{T.protect(pre)} người trả lời phiếu trước khóa học; {T.protect(matched)} trả lời cả phiếu sau "
            f"và được phân tích; {T.protect(lost)} mất theo dõi"
            + (f" ({100 * lost / pre:.0f}%)." if pre >= T.SMALL_CELL and lost >= T.SMALL_CELL else "."),
            f"{T.protect(pre)} people answered the pre survey; {T.protect(matched)} also answered the post "
            f"survey and are analysed; {T.protect(lost)} were lost to follow-up"
            + (f" ({100 * lost / pre:.0f}%)." if pre >= T.SMALL_CELL and lost >= T.SMALL_CELL else "."))]
        table = self.subscale_change
        if len(table) and "ease_total" in set(table["item"]):
            r = table.set_index("item").loc["ease_total"]
            if r.n >= T.SMALL_CELL and np.isfinite(r.mean_diff):
                parts.append(self._p(
                    f"Mức dễ dàng tự đánh giá (1–5) thay đổi trung bình {r.mean_diff:+.2f} điểm "
                    f"(KTC 95% {r.ci_low:.2f} đến {r.ci_high:.2f}; d_z = {r.d_z:.2f}; p {T.fmt_p(r.p_adj)}).",
                    f"Self-rated ease (1–5) changed by {r.mean_diff:+.2f} points on average "
                    f"(95% CI {r.ci_low:.2f} to {r.ci_high:.2f}; d_z = {r.d_z:.2f}; p {T.fmt_p(r.p_adj)})."))
        parts.append(self._p(
            "Đây là đánh giá trước–sau không có nhóm chứng: thay đổi có thể do lớp học nhưng cũng có thể do "
            "những yếu tố khác (tự học, quen với phiếu hỏi, người bỏ cuộc khác người ở lại).",
            "This is an uncontrolled pre/post evaluation: change may be due to the classes but also to other "
            "things (learning elsewhere, familiarity with the questionnaire, drop-outs differing from stayers).",
            "hv-caveat"))
        return self._section("summary", "".join(parts))

    def methods(self):
        adj = {"holm": "Holm", "bh": "Benjamini–Hochberg"}.get(self.adjust, self.adjust)
        body = self._p(
            "Đơn vị phân tích là người tham gia; chỉ các cặp đủ trước–sau vào phân tích chính. Với mỗi thang "
            "đo và mỗi câu: kiểm định t ghép cặp (chênh lệch trung bình và KTC 95%), d_z và g_av của Hedges, "
            "kiểm định hạng có dấu Wilcoxon (xấp xỉ chuẩn có hiệu chỉnh liên tục và hiệu chỉnh hạng trùng, "
            "bỏ chênh lệch bằng 0, như R wilcox.test) và tương quan hạng hai chuỗi. Giá trị p được hiệu chỉnh "
            f"đa kiểm định theo {adj} trong từng nhóm kết quả. Câu kiến thức 0/1: kiểm định McNemar (p chính "
            "xác). Độ tin cậy: Cronbach α với KTC theo Feldt. So sánh hoàn thành/mất theo dõi: chênh lệch chuẩn "
            "hóa (|d| > 0,1 đáng chú ý). Khác biệt giữa các nhóm: ANOVA một chiều trên điểm thay đổi (tương "
            "tác nhóm × thời điểm). Phân tích độ nhạy: mô hình hỗn hợp tuyến tính dùng mọi phiếu (ngẫu nhiên "
            "theo địa điểm và người trong địa điểm).",
            "The unit of analysis is the participant; the main analysis uses complete pre/post pairs. For each "
            "scale and item: paired t-test (mean difference with 95% CI), d_z and Hedges' g_av, Wilcoxon "
            "signed-rank test (normal approximation with continuity and tie correction, zero differences "
            "dropped, as R's wilcox.test) and the matched-pairs rank-biserial correlation. p-values are "
            f"adjusted for multiple testing ({adj}) within each family of outcomes. 0/1 knowledge items: "
            "McNemar's test (exact p). Reliability: Cronbach's alpha with a Feldt CI. Completers vs lost: "
            "standardised differences (|d| > 0.1 noteworthy). Differences between subgroups: one-way ANOVA of "
            "the change scores (the group × time interaction). Sensitivity: a linear mixed model using every "
            "response (random effects for venue and for participant within venue).")
        return self._section("methods", body)

    def flow(self):
        fig = F.flow_diagram(self.data.flow, self.lang)
        alt = self._l("Sơ đồ luồng người tham gia", "Participant flow diagram")
        table = T.participant_flow(self.data.flow, self.lang)
        table.columns = [self._l("Bước", "Stage"), "n"]
        return self._section("flow", self._figure(fig, alt, "hv-flow") + self._table(table, cls="hv-flow-table"))

    def table1(self):
        raw = T.table1(self.data)
        shown = T.format_table1(raw, self.lang)
        cap = self._l("Bảng 1. Đặc điểm lúc bắt đầu của người hoàn thành và người mất theo dõi; n (%) hoặc "
                      "trung bình (ĐLC). <5: dưới 5 người; *: ẩn để không suy ra được ô dưới 5 người.",
                      "Table 1. Baseline characteristics of completers and those lost to follow-up; n (%) or "
                      "mean (SD). <5: fewer than 5 people; *: hidden so that a <5 cell cannot be worked out.")
        flagged = raw[(raw.smd.abs() > 0.1) & (raw[["completers", "lost"]].min(axis=1) >= T.SMALL_CELL)]
        note = self._p(
            f"{len(flagged)} dòng có |chênh lệch chuẩn hóa| > 0,1.",
            f"{len(flagged)} rows have |standardised difference| > 0.1.", "hv-note")
        return self._section("baseline", self._table(shown, cap, "hv-table1") + note)

    def reliability(self):
        rel = T.reliability(self.data, "pre")
        cap = self._l("Cronbach α ở phiếu trước khóa học (câu nghịch đã đảo chiều).",
                      "Cronbach's alpha at the pre survey (reverse-keyed items reversed).")
        return self._section("reliability", self._table(T.format_reliability(rel, self.lang), cap, "hv-reliability"))

    def change(self):
        table = self.subscale_change
        shown = T.format_change(table, self.lang)
        cap = self._l("Thay đổi điểm thang đo (sau − trước), các cặp đủ.",
                      "Change in scale scores (after − before), complete pairs.")
        figs = (self._figure(F.dumbbell(table, self.lang), self._l("Điểm trung bình trước và sau theo thang đo",
                                                                  "Mean score before and after, by scale"),
                             "hv-dumbbell")
                + self._figure(F.forest(table, self.lang), self._l("Mức thay đổi chuẩn hóa d_z (KTC 95%)",
                                                                  "Standardised change d_z (95% CI)"), "hv-forest"))
        return self._section("change", self._table(shown, cap, "hv-change") + figs)

    def items(self):
        table = T.change_by_item(self.data, adjust=self.adjust)
        shown = T.format_change(table, self.lang, label=self._label_item)
        cap = self._l("Thay đổi theo câu (sau − trước), các cặp đủ; p hiệu chỉnh trên tất cả các câu.",
                      "Change by item (after − before), complete pairs; p adjusted across all items.")
        fig = self._figure(F.likert_bars(self.data, lang=self.lang),
                           self._l("Phân bố câu trả lời mức dễ dàng trước và sau",
                                   "Distribution of ease answers before and after"), "hv-likert")
        return self._section("items", self._table(shown, cap, "hv-items") + fig)

    def knowledge(self):
        k = T.knowledge_change(self.data)
        if k.empty:
            return self._section("knowledge", self._p("Không có câu kiến thức.", "No knowledge items."))
        return self._section("knowledge", self._table(T.format_knowledge(k, self.data, self.lang), cls="hv-knowledge"))

    def feedback(self):
        post = self.data.responses[self.data.responses["wave"] == "post"]
        rows = []
        for it in self.data.items:
            if tuple(it.waves) != ("post",) or it.id not in post or it.id.startswith("retro_"):
                continue
            x = post[it.id].dropna()
            if len(x) < T.SMALL_CELL:
                rows.append([it.text(self.lang), T.protect(len(x)), T.DASH, T.DASH])
                continue
            top = int((x >= it.hi - 1).sum())
            rows.append([it.text(self.lang), str(len(x)), f"{x.mean():.2f} ({x.std():.2f})",
                         "<5" if top < T.SMALL_CELL else f"{top} ({100 * top / len(x):.0f}%)"])
        frame = pd.DataFrame(rows, columns=[t("item", self.lang), "n", t("mean_sd", self.lang),
                                            self._l("Mức 4–5", "Answer 4–5")])
        if frame.empty:
            return self._section("feedback", self._p("Không có câu hỏi sau khóa học.", "No post-only items."))
        return self._section("feedback", self._table(frame, cls="hv-feedback"))

    def subgroups_section(self):
        by = [b for b in self.subgroups if b in self.data.matched.columns]
        missing = [b for b in self.subgroups if b not in self.data.matched.columns]
        outcomes = [o for o in ("ease_total", "confidence", "knowledge") if o in set(self.subscale_change["item"])]
        table, inter = T.subgroup_change(self.data, by, outcomes, adjust=self.adjust)
        body = self._table(T.format_subgroups(table, inter, self.lang), self._l(
            "Thay đổi (sau − trước) trong từng nhóm; p tương tác: khác biệt về mức thay đổi giữa các nhóm.",
            "Change (after − before) within each subgroup; interaction p: does the change differ between "
            "levels?"), "hv-subgroups")
        notes = [f"{t(r.subgroup, self.lang)}: {T._note_for_lang(r.note, self.lang)}"
                 for _, r in inter.iterrows() if r.note]
        if missing:
            notes.append(self._l("Không có trong dữ liệu: ", "Not in the data: ") + ", ".join(missing))
        if notes:
            body += "".join(f'<p class="hv-note">{_esc(n)}</p>' for n in dict.fromkeys(notes))
        body += self._p("Phân tích nhóm mang tính thăm dò; các nhóm nhỏ cho khoảng tin cậy rộng.",
                        "Subgroup analyses are exploratory; small groups give wide intervals.", "hv-caveat")
        return self._section("subgroups", body)

    def sensitivity(self):
        available = set(self.subscale_change["item"]) if len(self.subscale_change) else set()
        outcomes = [o for o in PRIMARY_OUTCOMES if o in available] or sorted(available)[:4]
        mixed = T.mixed_model(self.data, outcomes)
        cap = self._l("Ước lượng thay đổi: chỉ cặp đủ và mô hình hỗn hợp dùng mọi phiếu (giả định thiếu ngẫu "
                      "nhiên, MAR).",
                      "Estimated change: complete pairs only vs a mixed model using every response (assumes "
                      "missing at random, MAR).")
        return self._section("sensitivity", self._table(T.format_mixed(mixed, self.lang), cap, "hv-mixed"))

    def data_notes(self):
        notes = list(self.data.notes)
        for it in self.data.items:
            if it.id in self.data.responses and self.data.responses[it.id].notna().sum() == 0:
                notes.append(self._l(f"Câu {it.id}: không ai trả lời.", f"Item {it.id}: nobody answered."))
        if not notes:
            notes.append(self._l("Không có ghi chú.", "No notes."))
        return self._section("data_notes", "".join(f'<p class="hv-note">{_esc(n)}</p>' for n in notes))

    def trend_appendix(self):
        covered: dict[str, list[str]] = {}
        for vi, en, items in SECTIONS.values():
            for item in items:
                covered.setdefault(item, []).append(self._l(vi, en))
        rows = []
        for num, (vi, en) in TREND_ITEMS.items():
            where = "; ".join(covered.get(num, [])) or self._l("Tác giả viết trong bài báo",
                                                                 "For the authors to write in the paper")
            rows.append([num, self._l(vi, en), where])
        frame = pd.DataFrame(rows, columns=[self._l("Mục TREND", "TREND item"), self._l("Nội dung", "Topic"),
                                            self._l("Phần của báo cáo", "Report section")])
        cite = self._p("Des Jarlais DC, Lyles C, Crepaz N, TREND Group. Am J Public Health 2004;94(3):361–366.",
                       "Des Jarlais DC, Lyles C, Crepaz N, TREND Group. Am J Public Health 2004;94(3):361–366.",
                       "hv-cite")
        return self._section("trend", self._table(frame, cls="hv-trend") + cite)


# ----------------------------------------------------------------------------------------------
# rendering
# ----------------------------------------------------------------------------------------------

def template_dir() -> Path:
    return Path(__file__).resolve().parents[1] / "templates"


def render_report(data: str | Path | None = None, *, lang: str = "vi", out: str | Path | None = None,
                  subgroups: list[str] | None = None, notebook: str | Path | None = None,
                  timeout: int = 600) -> Path:
    """Run ``analysis/outcomes.ipynb`` with papermill and write a self-contained HTML report
    without code. ``data=None`` uses the synthetic demo cohort."""
    import nbformat
    import papermill as pm
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    if lang not in LANGS:
        raise UserError(f"ngôn ngữ không hỗ trợ / unsupported language: {lang!r}", where="--lang",
                        fix="dùng / use vi hoặc / or en")
    data_dir = resolve_data(data)
    loaded = load_clean(data_dir)  # fail early, with a UserError, on a bad folder
    notebook = Path(notebook) if notebook else analysis_dir() / NOTEBOOK
    out = Path(out) if out else build_dir() / "report" / f"report.{lang}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    params = {"data": str(Path(data_dir).resolve()), "lang": lang}
    if subgroups is not None:
        params["subgroups"] = list(subgroups)
    with tempfile.TemporaryDirectory(prefix="hocvuso-report-") as tmp:
        executed = Path(tmp) / "outcomes.executed.ipynb"
        try:
            pm.execute_notebook(str(notebook), str(executed), parameters=params, kernel_name="python3",
                                cwd=str(notebook.parent), progress_bar=False, log_output=False,
                                execution_timeout=timeout)
        except pm.PapermillExecutionError as exc:
            raise UserError(f"sổ báo cáo lỗi / the report notebook failed: {exc.ename}: {exc.evalue}",
                            where=str(notebook), fix="mở sổ trong JupyterLab để xem / open it in JupyterLab") from exc
        nb = nbformat.read(executed, as_version=4)
    c = Config()
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = ("remove-cell", "parameters", "injected-parameters")
    exporter = HTMLExporter(config=c, template_name="report", extra_template_basedirs=[str(template_dir())])
    exporter.register_preprocessor("nbconvert.preprocessors.TagRemovePreprocessor", enabled=True)
    nb.metadata["title"] = ("Báo cáo kết quả — Bình dân học vụ số" if lang == "vi"
                            else "Outcome report — Bình dân học vụ số")
    body, _ = exporter.from_notebook_node(nb, resources={"language_code": lang})
    body = re.sub(r'<html lang="[^"]*"', f'<html lang="{lang}"', body, count=1)
    check_no_identifiers(body, loaded)
    out.write_text(body, encoding="utf-8")
    return out


def check_no_identifiers(markup: str, data: SurveyData | None = None) -> None:
    """Refuse a report that contains a pseudonym, a record id or any pid of the data."""
    found = IDENTIFIER.search(markup)
    if found is None and data is not None and "pid" in data.responses:
        for pid in pd.unique(data.responses["pid"].astype(str)):
            if len(pid) >= 6 and pid in markup:
                found = pid
                break
    if found is not None:
        raise UserError("báo cáo chứa mã định danh người tham gia / the report contains a participant "
                        "identifier; không ghi tệp / not written", where="report",
                        fix="báo lỗi cho nhóm phát triển / report this as a bug")


__all__ = ["OutcomeReport", "render_report", "check_no_identifiers", "SECTIONS", "TREND_ITEMS"]
