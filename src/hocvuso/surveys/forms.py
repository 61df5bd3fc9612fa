"""``hocvuso survey forms``: the instrument → XLSForm (Kobo/ODK), large-print paper forms, codebook.

* :func:`xlsform_sheets` / :func:`write_xlsform` — survey / choices / settings sheets, Vietnamese
  the default language (``label::Tiếng Việt (vi)``) with English labels (``label::English (en)``),
  groups per section (so Kobo headers read ``grp_ease/ease_qr_scan``, ODK ``grp_ease-ease_qr_scan``),
  ``relevant`` per wave and consent, ``constraint`` on ranges and on the code patterns.
* :func:`convert_xlsform` — pyxform's pure-Python conversion to an XForm (no Java validator).
* :func:`write_paper_forms` — printable HTML (one per wave), large print, tick boxes, code boxes.
* :func:`codebook_frame` / :func:`write_codebook` — Markdown and CSV codebook.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from ..errors import UserError
from .instrument import Instrument, Item, load_instrument

VI = "Tiếng Việt (vi)"
EN = "English (en)"
FORM_ID = "hocvuso_pre_post"


def _col(kind: str, lang: str) -> str:
    return f"{kind}::{lang}"


def _relevant(item: Item, inst: Instrument) -> str:
    conds = []
    if set(item.waves) != set(inst.waves):
        conds.append(" or ".join(f"${{wave}} = '{w}'" for w in item.waves))
    if item.section not in ("admin", "consent"):
        conds.append("${consent} = '1'")
    if len(conds) > 1:
        conds = [f"({c})" if " or " in c else c for c in conds]
    return " and ".join(conds)


def _constraint(item: Item) -> tuple[str, str, str]:
    """(constraint, message vi, message en)."""
    if item.pattern:
        return (f"regex(., '{item.pattern}')",
                f"Sai mẫu. {item.text_vi}", f"Wrong format. {item.text_en}")
    if item.is_rating and item.min is not None:
        return (f". >= {item.min} and . <= {item.max}",
                f"Chọn một mức từ {item.min} đến {item.max}", f"Choose a value from {item.min} to {item.max}")
    return "", "", ""


def xlsform_sheets(inst: Instrument) -> dict[str, pd.DataFrame]:
    """The three XLSForm sheets as DataFrames."""
    survey: list[dict] = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {"type": "today", "name": "today"},
    ]
    section = None
    for it in inst.items:
        if it.section != section:
            if section is not None:
                survey.append({"type": "end_group", "name": ""})
            section = it.section
            vi, en = inst.sections[section]
            survey.append({"type": "begin_group", "name": f"grp_{section}", _col("label", VI): vi,
                           _col("label", EN): en})
        con, msg_vi, msg_en = _constraint(it)
        row = {
            "type": it.xlsform_type,
            "name": it.id,
            _col("label", VI): it.text_vi,
            _col("label", EN): it.text_en,
            "required": "yes" if it.required else "",
            "relevant": _relevant(it, inst),
            "constraint": con,
            _col("constraint_message", VI): msg_vi,
            _col("constraint_message", EN): msg_en,
            "appearance": "multiline" if it.type == "text" else "",
        }
        if it.type == "code":
            row[_col("hint", VI)] = "Viết HOA, không dấu: 2 chữ cái rồi 4 chữ số"
            row[_col("hint", EN)] = "Capital letters without accents: 2 letters then 4 digits"
        survey.append(row)
    survey.append({"type": "end_group", "name": ""})

    choices: list[dict] = []
    done: set[str] = set()
    for it in inst.items:
        if not it.choices or it.list_name in done:
            continue
        done.add(it.list_name)
        for c in it.choices:
            choices.append({"list_name": it.list_name, "name": c.name, _col("label", VI): c.vi, _col("label", EN): c.en})
    settings = [{"form_title": inst.title_vi, "form_id": FORM_ID, "version": inst.version.replace(".", "0") + "01",
                 "default_language": VI, "style": "pages"}]
    columns = ["type", "name", _col("label", VI), _col("label", EN), _col("hint", VI), _col("hint", EN),
               "required", "relevant", "constraint", _col("constraint_message", VI), _col("constraint_message", EN),
               "appearance"]
    survey_df = pd.DataFrame(survey).reindex(columns=columns).fillna("")
    return {"survey": survey_df, "choices": pd.DataFrame(choices), "settings": pd.DataFrame(settings)}


def write_xlsform(inst: Instrument, path: Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for name, df in xlsform_sheets(inst).items():
            df.to_excel(xl, sheet_name=name, index=False)
    return path


def convert_xlsform(path: Path) -> tuple[str, list[str]]:
    """Convert with pyxform (pure Python, no ODK Validate); return (XForm XML, warnings)."""
    from pyxform.xls2xform import convert

    warnings: list[str] = []
    try:
        result = convert(xlsform=str(path), warnings=warnings, validate=False, pretty_print=True)
    except Exception as exc:  # pyxform raises PyXFormError with the row it did not like
        raise UserError(f"pyxform không chuyển được biểu mẫu / pyxform cannot convert the form: {exc}",
                        where=str(path), fix="sửa câu hỏi được nêu trong bộ câu hỏi YAML / fix that item in the YAML") from None
    return result.xform, list(warnings) + list(getattr(result, "warnings", []) or [])


# ── codebook ───────────────────────────────────────────────────────────────────────────────


def _values(it: Item) -> str:
    if it.type == "knowledge":
        return f"1 = correct ({it.correct}), 0 = other"
    if it.type == "multi":
        return "0/1 per choice: " + ", ".join(str(c.code) for c in it.choices)
    if it.type == "code":
        return f"keyed hash 'p_' + 10 hex (raw code {it.pattern})"
    if it.type == "admin":
        return f"text {it.pattern}"
    if it.type == "text":
        return "free text, identifiers masked"
    return "; ".join(f"{c.code} = {c.en}" for c in it.choices)


def codebook_frame(inst: Instrument) -> pd.DataFrame:
    rows = []
    for it in inst.items:
        rows.append({
            "id": it.id,
            "column": " ".join(it.columns),
            "section": it.section,
            "wave": "+".join(it.waves),
            "text_vi": it.text_vi,
            "text_en": it.text_en,
            "scale": it.type,
            "values": _values(it),
            "subscale": it.subscale or "",
            "reverse_keyed": "yes" if it.reverse else "no",
        })
    return pd.DataFrame(rows)


def _md_cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def codebook_markdown(inst: Instrument) -> str:
    cb = codebook_frame(inst)
    lines = [f"# Codebook — {inst.title_en}", "",
             f"Instrument `{inst.id}` version {inst.version}. One row per item; the clean data has the "
             "column(s) named in `column` (docs/DATA.md). Reverse-keyed items are stored as answered and "
             "reversed by `hocvuso.surveys.scoring`.", "",
             "| " + " | ".join(cb.columns) + " |", "|" + "---|" * len(cb.columns)]
    for _, row in cb.iterrows():
        lines.append("| " + " | ".join(_md_cell(v) for v in row) + " |")
    subs = inst.subscales()
    lines += ["", "## Subscales", "", "| subscale | items | reverse-keyed |", "|---|---|---|"]
    for name, items in subs.items():
        lines.append(f"| {name} | {', '.join(i.id for i in items)} | "
                     f"{', '.join(i.id for i in items if i.reverse) or '—'} |")
    return "\n".join(lines) + "\n"


def write_codebook(inst: Instrument, folder: Path) -> tuple[Path, Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    md = folder / "codebook.md"
    md.write_text(codebook_markdown(inst), encoding="utf-8")
    csv = folder / "codebook.csv"
    codebook_frame(inst).to_csv(csv, index=False, encoding="utf-8", lineterminator="\n")
    return md, csv


# ── paper form ─────────────────────────────────────────────────────────────────────────────


def paper_form_html(inst: Instrument, wave: str) -> str:
    """A printable large-print form for one wave (HTML with print CSS, Vietnamese first)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("hocvuso", "templates"), autoescape=select_autoescape(["html"]))
    sections = []
    number = 0
    for sid, (vi, en) in inst.sections.items():
        items = [it for it in inst.items_for(wave) if it.section == sid and it.id != "wave"]
        if not items:
            continue
        questions = []
        for it in items:
            number += 1
            questions.append({"n": number, "item": it, "boxes": 6 if it.type == "code" else 0,
                              "volunteer": it.section in ("admin", "observed")})
        sections.append({"id": sid, "vi": vi, "en": en, "questions": questions})
    wave_label = next(c for c in inst.item("wave").choices if c.code == wave)
    return env.get_template("survey_paper.html").render(
        inst=inst, wave=wave, wave_label=wave_label, sections=sections, esc=html.escape)


def write_paper_forms(inst: Instrument, folder: Path) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for wave in inst.waves:
        path = folder / f"phieu-giay-{wave}.html"
        path.write_text(paper_form_html(inst, wave), encoding="utf-8")
        out.append(path)
    return out


def build_forms(out: Path, instrument: Instrument | str | Path | None = None) -> dict[str, Path]:
    """Everything `hocvuso survey forms` writes; returns {label: path}."""
    inst = instrument if isinstance(instrument, Instrument) else load_instrument(instrument)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    xlsx = write_xlsform(inst, out / f"{inst.id}.xlsx")
    xform, warnings = convert_xlsform(xlsx)
    xml = out / f"{inst.id}.xml"
    xml.write_text(xform, encoding="utf-8")
    md, csv = write_codebook(inst, out)
    papers = write_paper_forms(inst, out)
    result = {"biểu mẫu XLSForm (Kobo/ODK)": xlsx, "XForm (pyxform)": xml,
              "sổ mã / codebook (md)": md, "sổ mã / codebook (csv)": csv}
    for p in papers:
        result[f"phiếu giấy / paper form ({p.stem.split('-')[-1]})"] = p
    if warnings:
        (out / "pyxform-warnings.txt").write_text("\n".join(warnings) + "\n", encoding="utf-8")
    return result
