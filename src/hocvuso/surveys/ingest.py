"""``hocvuso survey ingest``: exports → validated, pseudonymised, de-duplicated, matched data.

Pipeline (each step vectorised over whole columns; answers are parsed once per DISTINCT value
through :func:`pandas.factorize`, so a million rows cost what their few hundred distinct answers
cost):

1. :func:`~hocvuso.surveys.readers.read_export` reads each file (format, encoding, delimiter);
   the raw bytes are copied unchanged to ``OUT/raw/`` and hashed.
2. Headers are mapped to instrument items: Kobo group paths (``grp/item``), ODK paths
   (``grp-item``), split select-multiple columns (``item/choice``), question labels (label
   exports) and tool metadata (``_uuid``, ``_submission_time``, ``SubmissionDate``,
   ``meta-instanceID``, ``KEY``, ``ReviewState`` …). Identifier columns are dropped. A file
   without the required columns stops the ingest with a message naming them.
3. Values are normalised (NFC, trimmed), labels mapped to codes, codes repaired where it is
   unambiguous ("KP7" → "KP07", "ht 0512" → "HT0512", "65 tuổi" → "65-69"), knowledge answers
   scored, free text masked, the participant code replaced by a keyed hash.
4. The typed frame is validated with a pandera schema built from the instrument (lazy: every
   failure at once); each failing value, and each value that could not be parsed, goes to
   ``quarantine.csv`` with its file, row, column, value and reason, and its row is not accepted.
5. Duplicates (same pid and wave) keep the earliest submission; pre and post rows are matched
   by pid; the flow is counted (``flow.json`` / ``flow.md``). See docs/DATA.md.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import UserError
from .instrument import Instrument, Item, load_instrument
from .privacy import (
    fast_keyed_ids,
    is_identifier_column,
    keyed_hash,
    mask_series,
    mask_text,
    pseudonymise,
    secret_key,
)
from .readers import RawTable, read_export

#: Tool metadata columns → role.
META_COLUMNS = {
    "_uuid": "submission_id", "meta/instanceID": "instance_id", "meta-instanceID": "instance_id",
    "instanceID": "instance_id", "KEY": "key", "entry_id": "submission_id",
    "_submission_time": "submitted_at", "SubmissionDate": "submitted_at", "saved_at": "submitted_at",
    "ReviewState": "review_state", "_validation_status": "validation_status",
}
#: Metadata kept out of the clean data on purpose (not identifiers, not answers).
KNOWN_NOISE = {
    "start", "end", "today", "_id", "_index", "_notes", "_status", "_tags", "__version__", "_version_",
    "_xform_id_string", "_attachments", "_parent_index", "meta/rootUuid", "meta/deprecatedID",
    "AttachmentsPresent", "AttachmentsExpected", "Status", "Edits", "FormVersion", "status",
}
ADMIN_COLUMNS = ["site_code", "venue_type", "khu_pho", "session_code", "volunteer_code"]
DEMOGRAPHIC_SECTION = "demographics"
EXPORT_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".jsonl", ".ndjson"}
BLANKS = {"", "nan", "none", "null", "n/a", "na", "#n/a", "-"}


def _norm_label(text: str) -> str:
    """Label key: NFC, case-folded, dashes unified, spaces collapsed, trailing punctuation dropped."""
    text = unicodedata.normalize("NFC", str(text)).casefold()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = re.sub(r"\s+", " ", text).strip().rstrip(".:?!")
    return text


def _strip_marks(text: str) -> str:
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


# ── header mapping ─────────────────────────────────────────────────────────────────────────


@dataclass
class ColumnMap:
    items: dict[str, str]  # item id → header
    multi: dict[tuple[str, str], str]  # (item id, choice code) → header
    meta: dict[str, str]  # role → header
    identifiers: list[str]  # dropped: hold direct identifiers
    ignored: list[str]  # dropped: not part of the instrument


def _label_index(inst: Instrument) -> dict[str, str]:
    index: dict[str, str] = {}
    for it in inst.items:
        for text in (it.text_vi, it.text_en, it.id):
            index.setdefault(_norm_label(text), it.id)
    return index


def map_columns(headers, inst: Instrument) -> ColumnMap:
    ids = {it.id: it for it in inst.items}
    labels = _label_index(inst)
    cm = ColumnMap({}, {}, {}, [], [])

    def choice_code(item: Item, text: str) -> str | None:
        key = _norm_label(text)
        for c in item.choices:
            if key in (_norm_label(str(c.code)), _norm_label(c.vi), _norm_label(c.en)):
                return str(c.code)
        return None

    for header in headers:
        h = unicodedata.normalize("NFC", str(header)).strip()
        if h in META_COLUMNS:
            cm.meta.setdefault(META_COLUMNS[h], header)
            continue
        if h in KNOWN_NOISE:
            cm.ignored.append(header)
            continue
        target: tuple | None = None
        for parts in (h.split("/"), h.split("-"), re.split(r"[/-]", h)):
            if parts[-1] in ids:
                target = ("item", parts[-1])
                break
            if len(parts) >= 2 and parts[-2] in ids and ids[parts[-2]].type == "multi":
                code = choice_code(ids[parts[-2]], parts[-1])
                if code is not None:
                    target = ("multi", parts[-2], code)
                    break
        if target is None:  # label exports: "Group label/Question label", labels may hold '/'
            parts = h.split("/")
            for i in range(len(parts)):
                key = _norm_label("/".join(parts[i:]))
                if key in labels:
                    target = ("item", labels[key])
                    break
                if i < len(parts) - 1:
                    key = _norm_label("/".join(parts[i:-1]))
                    if key in labels and ids[labels[key]].type == "multi":
                        code = choice_code(ids[labels[key]], parts[-1])
                        if code is not None:
                            target = ("multi", labels[key], code)
                            break
        if target is None:
            (cm.identifiers if is_identifier_column(h) else cm.ignored).append(header)
        elif target[0] == "item":
            if target[1] in cm.items:
                cm.ignored.append(header)
            else:
                cm.items[target[1]] = header
        else:
            cm.multi.setdefault((target[1], target[2]), header)
    return cm


def check_required(raw: RawTable, cm: ColumnMap, inst: Instrument) -> None:
    missing = [it for it in inst.items if it.required and it.id not in cm.items]
    if not missing:
        return
    names = ", ".join(f"{it.id} ({it.text_vi})" for it in missing)
    found = [c for c in raw.frame.columns][:6]
    hint = ""
    if not cm.items:
        hint = (f" — tệp này có vẻ là của biểu mẫu khác, các cột là: {', '.join(map(str, found))} / "
                "this looks like another form's export")
    raise UserError(
        f"thiếu cột bắt buộc / missing required column(s): {names}{hint}",
        where=str(raw.path),
        fix="xuất lại từ biểu mẫu hocvuso-pre-post (hocvuso survey forms) với tiêu đề là tên câu hỏi / "
            "export the hocvuso-pre-post form again with question names as headers",
    )


# ── value parsing (once per distinct value) ────────────────────────────────────────────────

_INT = re.compile(r"^[+-]?\d+(?:\.0+)?$")
_EXCEL_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?(?:e[+-]?\d+)?$", re.I)
_AGE = re.compile(r"^(\d{2,3})\s*(?:t|tuổi|tuoi|age|yrs?|years?)?\.?$", re.I)


def _choice_lookup(item: Item) -> dict[str, object]:
    look: dict[str, object] = {}
    for c in item.choices:
        for key in (str(c.code), c.vi, c.en):
            look.setdefault(_norm_label(key), c.code)
    if item.id == "wave":
        for key, code in (("trước", "pre"), ("truoc", "pre"), ("sau", "post"), ("baseline", "pre"),
                          ("follow-up", "post"), ("followup", "post")):
            look.setdefault(key, code)
    if item.type == "consent" or (item.type == "demographic" and {str(c.code) for c in item.choices} == {"0", "1"}):
        for key, code in (("có", 1), ("co", 1), ("yes", 1), ("đồng ý", 1), ("true", 1),
                          ("không", 0), ("khong", 0), ("no", 0), ("false", 0)):
            look.setdefault(key, code)
    return look


def _age_band(age: int) -> str | None:
    if age < 60 or age > 110:
        return None
    if age >= 80:
        return "80+"
    lo = 60 + 5 * ((age - 60) // 5)
    return f"{lo}-{lo + 4}"


def _parser(item: Item):
    """A function: one distinct cleaned string → (value, reason or None)."""
    look = _choice_lookup(item)
    lo, hi = item.min, item.max

    if item.type == "code":
        pattern = re.compile(item.pattern or r".+")

        def parse_code(v: str):
            if pattern.fullmatch(v):
                return v, None
            code = re.sub(r"[\s.\-_/]+", "", _strip_marks(v)).upper()
            if pattern.fullmatch(code):
                return code, None
            if _EXCEL_NUMBER.fullmatch(v.strip()):
                return None, ("mã bị Excel làm hỏng (mất chữ/số 0 đầu hoặc dạng 1.23E+05) / "
                              "code mangled by Excel (lost letters/leading zeros or scientific notation)")
            if re.fullmatch(r"[A-Z]{2}\d{3}", code):
                return None, "mã thiếu một chữ số (mất số 0?) / code lacks a digit (lost leading zero?)"
            return None, ("mã phải gồm 2 chữ cái, ngày sinh 01–31, tháng sinh 01–12, ví dụ HT0512 / "
                          f"code must be 2 letters + day 01-31 + month 01-12 ({item.pattern})")
        return parse_code

    if item.type == "admin":
        pattern = re.compile(item.pattern or r".+")
        m = re.fullmatch(r"\^([A-Z]+)\[0-9\]\{(\d+)\}\$", item.pattern or "")
        prefix, width = (m.group(1), int(m.group(2))) if m else (None, 0)

        def parse_admin(v: str):
            if pattern.fullmatch(v):
                return v, None
            code = re.sub(r"\s+", "", _strip_marks(v)).upper()
            if pattern.fullmatch(code):
                return code, None
            if prefix:
                mm = re.fullmatch(rf"(?:{prefix})?-?0*(\d{{1,{width}}})(?:\.0+)?", code)
                if mm and len(mm.group(1)) <= width:
                    fixed = f"{prefix}{int(mm.group(1)):0{width}d}"
                    if pattern.fullmatch(fixed):
                        return fixed, None
            return code, None  # left for the schema's pattern check (reason names the pattern)
        return parse_admin

    if item.type == "text":
        return lambda v: (v, None)

    def parse_choice(v: str):
        key = _norm_label(v)
        if key in look:
            code = look[key]
            if item.type == "knowledge":
                return int(str(code) == item.correct), None
            return code, None
        if item.id == "age_band":
            m = _AGE.fullmatch(key)
            if m:
                band = _age_band(int(m.group(1)))
                if band:
                    return band, None
                return None, f"tuổi {m.group(1)} ngoài các nhóm 60+ / age {m.group(1)} outside the 60+ bands"
        if item.is_numeric and _INT.fullmatch(key):
            return int(float(key)), None  # range is checked by the schema
        if item.is_numeric and _EXCEL_NUMBER.fullmatch(key):
            return None, f"không phải số nguyên {lo}–{hi} / not a whole number {lo}-{hi}"
        if item.is_numeric:
            return None, f"không phải số hay câu trả lời đã biết / not a number or a known answer ({lo}-{hi})"
        return None, "không phải lựa chọn của câu hỏi / not one of the item's choices"
    return parse_choice


def convert_column(values: pd.Series, item: Item):
    """Parse one column once per distinct value.

    Returns ``(typed, missing, reasons)``: ``typed`` a pandas ``Int16`` or ``string`` array (NA
    where missing or unparseable), ``missing`` a bool mask of blank cells, ``reasons`` an object
    array (None = fine) saying why a cell could not be parsed.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parse = _parser(item)
    parsed_u: list = []
    reason_u: list = []
    missing_u: list = []
    for u in (uniques.tolist() if hasattr(uniques, "tolist") else list(uniques)):
        v = unicodedata.normalize("NFC", str(u)).strip()
        if v.casefold() in BLANKS:
            parsed_u.append(None)
            reason_u.append(None)
            missing_u.append(True)
            continue
        value, reason = parse(v)
        if item.is_numeric and value is not None and not -30000 < value < 30000:
            value, reason = None, f"ngoài khoảng {item.min}–{item.max} / out of range {item.min}-{item.max}"
        parsed_u.append(None if reason else value)
        reason_u.append(reason)
        missing_u.append(False)
    parsed_u.append(None)
    reason_u.append(None)
    missing_u.append(True)
    reasons = np.array(reason_u, dtype=object)[codes]
    missing = np.array(missing_u, dtype=bool)[codes]
    if item.is_numeric:
        na = np.array([v is None for v in parsed_u], dtype=bool)
        ints = np.array([0 if v is None else v for v in parsed_u], dtype=np.int16)
        typed = pd.arrays.IntegerArray(ints[codes], na[codes])
    else:
        typed = pd.array(parsed_u, dtype="string").take(codes)  # -1 → the trailing NA
    return typed, missing, reasons


def _multi_from_text(values: pd.Series, item: Item) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Space-separated select-multiple (codes or labels) → 0/1 arrays per choice + reasons."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    per_choice = {str(c.code): [] for c in item.choices}
    reasons = []
    labels = sorted(((_norm_label(c.vi), str(c.code)) for c in item.choices), key=lambda t: -len(t[0]))
    known = {str(c.code) for c in item.choices} | {_norm_label(str(c.code)) for c in item.choices}
    for u in list(uniques) + [""]:
        text = _norm_label(unicodedata.normalize("NFC", str(u)))
        if text in BLANKS:
            for k in per_choice:
                per_choice[k].append(None)
            reasons.append(None)
            continue
        chosen = set()
        for label, code in labels:  # labels first (they may contain spaces)
            if re.search(rf"(?:^|\s){re.escape(label)}(?:\s|$)", text):
                chosen.add(code)
                text = re.sub(rf"(?:^|\s){re.escape(label)}(?=\s|$)", " ", text)
        leftover = [t for t in text.split() if t]
        bad = [t for t in leftover if t not in known]
        chosen |= {t for t in leftover if t in known}
        for k in per_choice:
            per_choice[k].append(int(k in chosen))
        reasons.append(f"lựa chọn không có trong câu hỏi / unknown choice(s): {' '.join(bad)}" if bad else None)
    arrays = {k: np.array(v, dtype=object)[codes] for k, v in per_choice.items()}
    return arrays, np.array(reasons, dtype=object)[codes]


# ── the schema (pandera) ───────────────────────────────────────────────────────────────────


def clean_schema(inst: Instrument, *, strict: bool = True, final: bool = True):
    """The pandera schema of ``responses`` (docs/DATA.md), built from the instrument.

    ``final=False`` is the schema of the typed frame before quarantine (numbers still ``Int16``
    so an out-of-range 300 can be reported rather than overflow ``Int8``).
    """
    import pandera.pandas as pa

    cols: dict[str, pa.Column] = {
        "pid": pa.Column("string", pa.Check.str_matches(r"^p_[0-9a-f]{10}$"), nullable=False),
        "submitted_at": pa.Column(nullable=True),
        "source": pa.Column("string", pa.Check.isin(["kobo", "odk", "entry"])),
        "source_file": pa.Column("string"),
        "source_row": pa.Column("int64"),
        "record_id": pa.Column("string", nullable=True),
        "matched": pa.Column(bool, required=False),
    }
    for it in inst.items:
        if it.type == "code":
            continue
        if it.type == "multi":
            for col in it.columns:
                cols[col] = pa.Column("Int8", pa.Check.isin([0, 1]), nullable=True)
            continue
        if it.type == "text":
            cols[it.id] = pa.Column("string", nullable=True)
            continue
        checks = []
        if it.is_numeric:
            checks.append(pa.Check.in_range(it.min, it.max))
            dtype = "Int8" if final else "Int16"
        else:
            dtype = "string"
            if it.pattern:
                checks.append(pa.Check.str_matches(it.pattern))
            elif it.choices:
                checks.append(pa.Check.isin([str(c.code) for c in it.choices]))
        if it.type == "consent":
            checks = [pa.Check.isin([1], error="consent")]
        cols[it.id] = pa.Column(dtype, checks, nullable=not it.required)
    return pa.DataFrameSchema(cols, strict=strict, coerce=False)


def _reason_for_check(check: str, item: Item | None) -> str:
    check = str(check)
    if check == "consent" or (item is not None and item.type == "consent" and check != "not_nullable"):
        return "không đồng ý tham gia / no consent"
    if check == "not_nullable":
        return "thiếu giá trị bắt buộc / required value missing"
    if check.startswith("in_range") and item is not None:
        return f"ngoài khoảng {item.min}–{item.max} / out of range {item.min}-{item.max}"
    if check.startswith("str_matches") and item is not None:
        return f"không đúng mẫu {item.pattern} / does not match {item.pattern}"
    if check.startswith("isin"):
        return "không phải lựa chọn của câu hỏi / not one of the item's choices"
    return f"không hợp lệ / invalid ({check})"


# ── one file → typed frame + problems ──────────────────────────────────────────────────────


@dataclass
class FileResult:
    raw: RawTable
    frame: pd.DataFrame  # typed, all rows of the file (accepted and not)
    problems: pd.DataFrame  # long: row position, column, value, reason
    columns: ColumnMap


def _problems(rows: np.ndarray, column: str, values, reasons) -> pd.DataFrame:
    return pd.DataFrame({"pos": rows, "column": column,
                         "value": np.asarray(values, dtype=object), "reason": np.asarray(reasons, dtype=object)})


def process_file(raw: RawTable, inst: Instrument, key: bytes) -> FileResult:
    cm = map_columns(raw.frame.columns, inst)
    check_required(raw, cm, inst)
    src = raw.frame
    n = len(src)
    out: dict[str, object] = {}
    problems: list[pd.DataFrame] = []

    def note(mask: np.ndarray, column: str, values, reasons):
        idx = np.flatnonzero(mask)
        if len(idx):
            vals = np.asarray(values.iloc[idx] if isinstance(values, pd.Series) else np.asarray(values)[idx],
                              dtype=object)
            rs = reasons[idx] if isinstance(reasons, np.ndarray) else np.full(len(idx), reasons, dtype=object)
            problems.append(_problems(idx, column, vals, rs))

    wave_col = None
    for it in inst.items:
        if it.type == "multi":
            split = {code: cm.multi.get((it.id, str(c.code))) for c in it.choices for code in [str(c.code)]}
            if any(split.values()):
                for c in it.choices:
                    header = split[str(c.code)]
                    col = f"{it.id}__{c.code}"
                    if header is None:
                        out[col] = pd.array([pd.NA] * n, dtype="Int8")
                        continue
                    vals = src[header]
                    codes_, uniq = pd.factorize(vals, use_na_sentinel=True)
                    flags = []
                    for u in uniq.tolist() + [""]:
                        t = str(u).strip().casefold()
                        flags.append(1 if t in ("1", "true", "1.0", "có", "yes") else 0 if t in (
                            "0", "false", "0.0", "không", "no") else -1 if t in BLANKS else -2)
                    per_row = np.array(flags, dtype=np.int8)[codes_]
                    bad = per_row == -2
                    note(bad, header, vals, "không phải 0/1 / not 0 or 1")
                    arr = pd.arrays.IntegerArray(np.clip(per_row, 0, 1).astype(np.int8), per_row < 0)
                    out[col] = pd.array(arr, dtype="Int8")
            elif it.id in cm.items:
                arrays, reasons = _multi_from_text(src[cm.items[it.id]], it)
                note(pd.notna(reasons), cm.items[it.id], src[cm.items[it.id]], reasons)
                for code, arr in arrays.items():
                    out[f"{it.id}__{code}"] = pd.array(arr, dtype="Int8")
            else:
                for col in it.columns:
                    out[col] = pd.array([pd.NA] * n, dtype="Int8")
            continue
        header = cm.items.get(it.id)
        target = "participant_code" if it.type == "code" else it.id
        if header is None:
            out[target] = pd.array([pd.NA] * n, dtype="Int16" if it.is_numeric else "string")
            continue
        values = src[header]
        if it.type == "text":
            out[target] = mask_series(values.str.strip().replace("", None))
            continue
        typed, missing, reasons = convert_column(values, it)
        if it.type == "code":  # the schema sees only the pid: check the code here
            reasons = np.where(missing, "thiếu mã người tham gia / participant code missing", reasons)
        bad = pd.notna(reasons)
        note(bad, header, values, reasons)
        out[target] = typed
        if it.id == "wave":
            wave_col = out[target]

    frame = pd.DataFrame(out, index=pd.RangeIndex(n))
    # metadata
    frame.insert(0, "source", pd.array([raw.source] * n, dtype="string"))
    frame.insert(1, "source_file", pd.array([raw.path.name] * n, dtype="string"))
    frame.insert(2, "source_row", (raw.row_numbers.to_numpy() if raw.row_numbers is not None
                                   else np.arange(2, n + 2)).astype("int64"))
    sub_col = cm.meta.get("submitted_at")
    if sub_col:
        text = src[sub_col].str.strip()
        when = pd.to_datetime(text.replace("", None), utc=True, errors="coerce", format="ISO8601")
        if when.isna().sum() > (text == "").sum():  # not ISO: try Excel-style dates too
            when2 = pd.to_datetime(text.replace("", None), utc=True, errors="coerce", format="mixed", dayfirst=True)
            when = when.fillna(when2)
        bad = (when.isna() & (text != "")).to_numpy()
        note(bad, sub_col, text, "ngày giờ không đọc được / unreadable date-time")
        frame["submitted_at"] = when.dt.as_unit("us").to_numpy() if hasattr(when, "dt") else when
        frame["submitted_at"] = pd.to_datetime(frame["submitted_at"], utc=True)
    else:
        frame["submitted_at"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[us, UTC]")
    ident = cm.meta.get("submission_id") or cm.meta.get("instance_id") or cm.meta.get("key")
    if ident:
        ids = src[ident].str.strip().str.replace(r"^uuid:", "", regex=True).replace("", None)
        frame["record_id"] = fast_keyed_ids(ids, prefix="r_", key=key)
    else:
        frame["record_id"] = pd.array([None] * n, dtype="string")
    for role, bad_values in (("review_state", {"rejected"}), ("validation_status", {"validation_status_not_approved"})):
        col = cm.meta.get(role)
        if col:
            state = src[col].str.strip().str.casefold()
            bad = state.isin(bad_values).to_numpy()
            note(bad, col, src[col], "bị người duyệt từ chối / rejected by a reviewer")

    # items asked in one wave only are blank on the other wave's rows (form relevance)
    if wave_col is not None:
        wave = np.asarray(pd.Series(wave_col).astype(object).fillna(""))
        for it in inst.items:
            if set(it.waves) == set(inst.waves) or it.section == "admin":
                continue
            other = ~np.isin(wave, list(it.waves)) & (wave != "")
            for col in it.columns:
                if col in frame.columns and other.any():
                    frame.loc[other, col] = pd.NA

    problems_df = pd.concat(problems, ignore_index=True) if problems else _problems(
        np.array([], dtype=int), "", [], [])
    return FileResult(raw, frame, problems_df, cm)


def validate(frame: pd.DataFrame, inst: Instrument) -> pd.DataFrame:
    """Run the pandera schema on the whole typed frame; failures as (pos, column, value, reason)."""
    import pandera.errors as pe

    schema = clean_schema(inst, strict=False, final=False)
    check = frame.drop(columns=["participant_code"], errors="ignore")
    check.insert(0, "pid", pd.array(["p_0000000000"] * len(check), dtype="string"))  # pid is checked apart
    try:
        schema.validate(check, lazy=True)
        return _problems(np.array([], dtype=int), "", [], [])
    except pe.SchemaErrors as err:
        fc = err.failure_cases
        fc = fc[fc["index"].notna()]
        items = {c: inst.item(c) for c in fc["column"].dropna().unique() if c in inst.item_ids}
        reasons = [_reason_for_check(chk, items.get(col)) for chk, col in zip(fc["check"], fc["column"], strict=True)]
        return _problems(fc["index"].astype(int).to_numpy(), fc["column"].astype(str).to_numpy(),
                         fc["failure_case"].to_numpy(), np.array(reasons, dtype=object))


# ── the whole ingest ───────────────────────────────────────────────────────────────────────


def _column_order(inst: Instrument) -> list[str]:
    head = ["pid", "wave", *ADMIN_COLUMNS, "submitted_at", "source", "source_file", "source_row",
            "record_id", "consent", "matched"]
    rest = [c for it in inst.items if it.id not in head and it.type != "code" for c in it.columns]
    return head + [c for c in rest if c not in head]


def _write_table(df: pd.DataFrame, parquet: Path | None, csv: Path) -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    table = pa.Table.from_pandas(df, preserve_index=False)
    if parquet is not None:
        import pyarrow.parquet as pq

        pq.write_table(table, parquet)
    pacsv.write_csv(table, csv, pacsv.WriteOptions(quoting_style="needed"))


def _say(quiet: bool, text: str) -> None:
    if not quiet:
        print(text, flush=True)


def ingest(paths, out_dir: str | Path, *, instrument: Instrument | str | Path | None = None,
           quiet: bool = False, secret: bytes | str | None = None) -> Path:
    """Ingest Kobo / ODK / data-entry files into ``out_dir/clean`` (docs/DATA.md); return that folder.

    Raises :class:`UserError` only when a file itself is unusable (not found, empty, not a table,
    unknown encoding, required columns missing). Bad rows go to ``quarantine.csv``.
    ``secret`` overrides the pseudonymisation secret (the synthetic demo uses a fixed one).
    """
    inst = instrument if isinstance(instrument, Instrument) else load_instrument(instrument)
    paths = [Path(p) for p in ([paths] if isinstance(paths, str | Path) else paths)]
    expanded: list[Path] = []
    for p in paths:  # a folder means every export in it
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in EXPORT_SUFFIXES)
            if not found:
                raise UserError("thư mục không có tệp xuất nào (.csv, .xlsx, .jsonl) / no export in this folder",
                                where=str(p), fix="chỉ ra tệp xuất Kobo/ODK / name the export files")
            expanded += found
        else:
            expanded.append(p)
    paths = expanded
    if not paths:
        raise UserError("không có tệp nào để nhập / no file to ingest", fix="chỉ ra tệp xuất Kobo/ODK / name the exports")
    out_dir = Path(out_dir)
    key = secret.encode("utf-8") if isinstance(secret, str) else (secret or secret_key())

    raws = [read_export(p) for p in paths]  # every file readable before anything is written
    results = [process_file(raw, inst, key) for raw in raws]

    raw_dir, clean = out_dir / "raw", out_dir / "clean"
    raw_dir.mkdir(parents=True, exist_ok=True)
    files_meta = []
    for i, raw in enumerate(raws):
        target = raw_dir / raw.path.name
        if any(r.path.name == raw.path.name for r in raws[:i]):
            target = raw_dir / f"{i + 1:02d}-{raw.path.name}"
        if raw.path.resolve() != target.resolve():
            shutil.copyfile(raw.path, target)
        files_meta.append({"file": raw.path.name, "source": raw.source, "sha256": raw.sha256,
                           "encoding": raw.encoding, "delimiter": raw.delimiter, "rows_read": raw.rows_read,
                           "dropped_identifier_columns": [str(c) for c in results[i].columns.identifiers],
                           "ignored_columns": len(results[i].columns.ignored)})

    frames, quarantine, per_file = [], [], []
    for res in results:
        frame, problems = res.frame, res.problems
        schema_problems = validate(frame, inst)
        allp = pd.concat([problems, schema_problems], ignore_index=True)
        rejected = np.zeros(len(frame), dtype=bool)
        if len(allp):
            rejected[allp["pos"].to_numpy(dtype=int)] = True
        codes = frame["participant_code"]
        pid_all = pseudonymise(codes, prefix="p_", key=key)
        if len(allp):
            pos = allp["pos"].to_numpy(dtype=int)
            headers = {**res.columns.items, **{f"{i}__{c}": h for (i, c), h in res.columns.multi.items()}}
            columns = [headers.get(c, c) for c in allp["column"]]
            values = [res.raw.frame[h].iat[p] if h in res.raw.frame.columns else v
                      for h, p, v in zip(columns, pos, allp["value"], strict=True)]
            q = pd.DataFrame({
                "source_file": res.raw.path.name,
                "source_row": frame["source_row"].to_numpy()[pos],
                "pid": pid_all.to_numpy()[pos],
                "column": columns,
                "value": [mask_text(str(v)) if v is not None and v is not pd.NA else "" for v in values],
                "reason": allp["reason"].to_numpy(),
            })
            quarantine.append(q)
        for number, text in res.raw.bad_lines:
            quarantine.append(pd.DataFrame({
                "source_file": [res.raw.path.name], "source_row": [number], "pid": [None], "column": ["<dòng/row>"],
                "value": [mask_text(text)], "reason": ["số ô không khớp tiêu đề / wrong number of fields"]}))
        accepted = (frame.loc[~rejected] if rejected.any() else frame).drop(columns=["participant_code"])
        accepted.insert(0, "pid", pid_all[~rejected].to_numpy())
        frames.append(accepted)
        per_file.append((res.raw, int((~rejected).sum()), int(rejected.sum()) + len(res.raw.bad_lines)))
        res.raw.release()  # the raw strings are no longer needed: free them before sorting and writing
        res.frame = frame = None
        _say(quiet, f"{res.raw.path.name} [{res.raw.source}, {res.raw.encoding}]: đọc / read {res.raw.rows_read} "
                    f"= nhận / accepted {int((~rejected).sum())} + cách ly / quarantined "
                    f"{int(rejected.sum()) + len(res.raw.bad_lines)}")

    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    for it in inst.items:  # final dtypes: small integers
        for col in it.columns:
            if col in df.columns and it.is_numeric and it.type != "multi":
                df[col] = df[col].astype("Int8")
    if "consent" in df.columns:
        df["consent"] = df["consent"].astype("Int8")

    # one sort: pre before post, then participant, earliest submission first; the first row of
    # each (pid, wave) is kept, later ones are duplicates (all vectorised, one take of the frame)
    n = len(df)
    pid_codes, pid_uniques = pd.factorize(df["pid"], sort=True)
    wave_rank = (df["wave"] != "pre").to_numpy(dtype=bool).astype(np.int8)
    when = df["submitted_at"]
    t = when.to_numpy(dtype="datetime64[us]").astype("int64") if n else np.array([], dtype="int64")
    t = np.where(when.isna().to_numpy(), np.iinfo("int64").max, t)
    file_codes = pd.factorize(df["source_file"], sort=True)[0]
    order = np.lexsort((df["source_row"].to_numpy(), file_codes, t, pid_codes, wave_rank))
    pc, wr = pid_codes[order], wave_rank[order]
    dup = np.zeros(n, dtype=bool)
    if n > 1:
        dup[1:] = (pc[1:] == pc[:-1]) & (wr[1:] == wr[:-1])
    last_kept = np.maximum.accumulate(np.where(~dup, np.arange(n), 0)) if n else np.array([], dtype=int)
    dup_rows = order[dup]
    kept_rows = order[last_kept[dup]]
    dups = df.iloc[dup_rows][["pid", "wave", "source", "source_file", "source_row", "submitted_at"]].assign(
        kept_source_file=df["source_file"].to_numpy()[kept_rows],
        kept_source_row=df["source_row"].to_numpy()[kept_rows]).reset_index(drop=True)
    # same code, different answers: perhaps two residents share a code (or a corrected re-submission)
    answer_cols = [c for it in inst.items if it.section not in ("admin", "consent", "code") and it.type != "text"
                   for c in it.columns if c in df.columns]
    if len(dup_rows):
        a = df.iloc[dup_rows][answer_cols].reset_index(drop=True)
        b = df.iloc[kept_rows][answer_cols].reset_index(drop=True)
        same = ((a == b).fillna(False) | (a.isna() & b.isna())).all(axis=1).to_numpy(dtype=bool)
    else:
        same = np.zeros(0, dtype=bool)
    dups["same_answers"] = same
    df = df.iloc[order[~dup]].reset_index(drop=True)
    pcs, wrs = pc[~dup], wr[~dup]
    has_pre = np.zeros(len(pid_uniques), dtype=bool)
    has_post = np.zeros(len(pid_uniques), dtype=bool)
    has_pre[pcs[wrs == 0]] = True
    has_post[pcs[wrs == 1]] = True
    df["matched"] = has_pre[pcs] & has_post[pcs]
    counts = {"pre": int(has_pre.sum()), "post": int(has_post.sum()), "matched": int((has_pre & has_post).sum())}
    order_cols = [c for c in _column_order(inst) if c in df.columns]
    df = df[order_cols]
    df["pid"] = df["pid"].astype("string")

    matched = build_matched(df, inst)
    baseline_cols = ["pid", *ADMIN_COLUMNS] + [c for it in inst.items if it.section == DEMOGRAPHIC_SECTION
                                               for c in it.columns]
    pre_only = df[(df["wave"] == "pre") & ~df["matched"]][baseline_cols]
    post_only = df[(df["wave"] == "post") & ~df["matched"]][["pid", *ADMIN_COLUMNS, "submitted_at"]]

    qdf = pd.concat(quarantine, ignore_index=True) if quarantine else pd.DataFrame(
        columns=["source_file", "source_row", "pid", "column", "value", "reason"])
    qdf = qdf.sort_values(["source_file", "source_row"], kind="stable")

    flow = _flow(per_file, df, dups, counts, files_meta, inst)

    if clean.exists():
        shutil.rmtree(clean)
    clean.mkdir(parents=True)
    _write_table(df, clean / "responses.parquet", clean / "responses.csv")
    _write_table(matched, clean / "matched.parquet", clean / "matched.csv")
    qdf.astype({"source_row": "int64"}).to_csv(clean / "quarantine.csv", index=False, encoding="utf-8")
    _write_table(dups, None, clean / "duplicates.csv")
    _write_table(pre_only, None, clean / "pre_only.csv")
    _write_table(post_only, None, clean / "post_only.csv")
    (clean / "flow.json").write_text(json.dumps(flow, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (clean / "flow.md").write_text(flow_markdown(flow), encoding="utf-8")
    _say(quiet, f"Tổng / total: đọc / read {flow['rows_read']} = nhận / accepted {flow['accepted']} + "
                f"cách ly / quarantined {flow['quarantined']}; trùng / duplicates {flow['duplicates_removed']}; "
                f"trước / pre {flow['pre']}, sau / post {flow['post']}, ghép cặp / matched {flow['matched']} → {clean}")
    return clean


def build_matched(df: pd.DataFrame, inst: Instrument) -> pd.DataFrame:
    """One row per participant with both waves: baseline covariates + <item>_pre / <item>_post."""
    pre = df[(df["wave"] == "pre") & df["matched"]].set_index("pid")
    post = df[(df["wave"] == "post") & df["matched"]].set_index("pid").reindex(pre.index)
    base_cols = ADMIN_COLUMNS + [c for it in inst.items if it.section == DEMOGRAPHIC_SECTION for c in it.columns]
    out = pre[base_cols].copy()
    out["submitted_at_pre"] = pre["submitted_at"]
    out["submitted_at_post"] = post["submitted_at"]
    out["days_between"] = (out["submitted_at_post"] - out["submitted_at_pre"]).dt.total_seconds() / 86400
    both, post_only = {}, {}
    for it in inst.items:
        if it.section in ("admin", "consent", "code", DEMOGRAPHIC_SECTION) or it.type == "code":
            continue
        for col in it.columns:
            if "pre" in it.waves:
                both[f"{col}_pre"] = pre[col]
            if "post" in it.waves:
                post_only[f"{col}_post"] = post[col]
    out = pd.concat([out, pd.DataFrame(both), pd.DataFrame(post_only)], axis=1)
    return out.reset_index()


def _flow(per_file, df, dups, counts, files_meta, inst) -> dict:
    by_source: dict[str, dict] = {}
    for raw, acc, quar in per_file:
        s = by_source.setdefault(raw.source, {"rows_read": 0, "accepted": 0, "quarantined": 0,
                                              "duplicates_removed": 0, "pre": 0, "post": 0})
        s["rows_read"] += raw.rows_read
        s["accepted"] += acc
        s["quarantined"] += quar
    for source, count in dups["source"].value_counts().items():
        by_source[source]["duplicates_removed"] = int(count)
    for (source, wave), count in df.groupby(["source", "wave"]).size().items():
        by_source[source][wave] = int(count)
    flow = {
        "rows_read": int(sum(r.rows_read for r, _, _ in per_file)),
        "accepted": int(sum(a for _, a, _ in per_file)),
        "quarantined": int(sum(q for _, _, q in per_file)),
        "duplicates_removed": len(dups),
        "duplicates_with_different_answers": int((~dups["same_answers"]).sum()) if len(dups) else 0,
        "responses": len(df),
        "pre": counts["pre"], "post": counts["post"], "matched": counts["matched"],
        "pre_only": counts["pre"] - counts["matched"], "post_only": counts["post"] - counts["matched"],
        "by_source": by_source,
        "files": files_meta,
        "instrument": inst.id, "instrument_version": inst.version,
    }
    return flow


def flow_markdown(flow: dict) -> str:
    """The participant flow as a small bilingual Markdown table (for the report)."""
    rows = [
        ("Dòng đã đọc / rows read", flow["rows_read"]),
        ("Cách ly (lỗi dữ liệu) / quarantined", flow["quarantined"]),
        ("Nhận / accepted", flow["accepted"]),
        ("Bản trùng đã bỏ / duplicates removed", flow["duplicates_removed"]),
        ("Phiếu trước / pre responses", flow["pre"]),
        ("Phiếu sau / post responses", flow["post"]),
        ("Ghép cặp trước–sau / matched", flow["matched"]),
        ("Chỉ có phiếu trước (mất theo dõi) / pre only (lost)", flow["pre_only"]),
        ("Chỉ có phiếu sau / post only", flow["post_only"]),
    ]
    lines = ["| bước / step | số / n |", "|---|---:|"] + [f"| {a} | {b} |" for a, b in rows]
    lines += ["", "| nguồn / source | đọc / read | nhận / accepted | cách ly / quarantined | trùng / dup | trước / pre | sau / post |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for src, s in flow["by_source"].items():
        lines.append(f"| {src} | {s['rows_read']} | {s['accepted']} | {s['quarantined']} | "
                     f"{s['duplicates_removed']} | {s['pre']} | {s['post']} |")
    return "\n".join(lines) + "\n"


# ── CLI ────────────────────────────────────────────────────────────────────────────────────


def cmd_ingest(args) -> int:
    clean = ingest(args.files, args.out, instrument=args.instrument, quiet=False)
    print(f"Dữ liệu sạch / clean data: {clean}", file=sys.stdout)
    return 0


__all__ = ["ingest", "clean_schema", "map_columns", "build_matched", "flow_markdown", "keyed_hash"]
