"""Privacy: keyed-hash pseudonyms, identifier masking in free text, and ``hocvuso privacy scan``.

* :func:`secret_key` — the pseudonymisation secret: ``HOCVUSO_SECRET`` if set, else the file
  ``platformdirs.user_config_dir("hocvuso")/secret.key``, created (random, mode 600) on first use.
  The secret never lives in the repository; keep it to link later waves.
* :func:`pseudonymise` — HMAC-SHA256 of each value with the secret, ``prefix`` + 10 hex digits,
  computed once per distinct value (vectorised through :func:`pandas.factorize`).
* :func:`mask_text` / :func:`mask_series` — replace phone numbers, 12-digit ID numbers, names
  after a form of address ("tên", "bác", "cô", "chú", "ông", "bà", …) and street addresses.
* :func:`scan_path` — find identifier patterns left in a file or a folder of outputs.
"""

from __future__ import annotations

import hmac
import json
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SECRET_ENV = "HOCVUSO_SECRET"
SECRET_FILE = "secret.key"

# ── the secret ─────────────────────────────────────────────────────────────────────────────


def secret_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("hocvuso")) / SECRET_FILE


def secret_key() -> bytes:
    """The pseudonymisation secret (env ``HOCVUSO_SECRET``, else a user config file made on first use)."""
    env = os.environ.get(SECRET_ENV)
    if env:
        return env.encode("utf-8")
    path = secret_path()
    if path.exists():
        return path.read_text(encoding="ascii").strip().encode("ascii")
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(token + "\n")
    return token.encode("ascii")


def keyed_hash(value: str, *, key: bytes | None = None, prefix: str = "p_", digits: int = 10) -> str:
    key = key if key is not None else secret_key()
    return prefix + hmac.digest(key, value.encode("utf-8"), "sha256").hex()[:digits]


def pseudonymise(values: pd.Series, *, prefix: str = "p_", key: bytes | None = None) -> pd.Series:
    """Keyed hash of every non-missing value (same value → same pseudonym), NA stays NA."""
    key = key if key is not None else secret_key()
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    digest = hmac.digest
    hashed = [prefix + digest(key, str(u).encode("utf-8"), "sha256").hex()[:10] for u in _as_list(uniques)]
    out = pd.array(hashed + [None], dtype="string").take(codes)  # -1 → the trailing NA
    return pd.Series(out, index=values.index)


def fast_keyed_ids(values: pd.Series, *, prefix: str = "r_", key: bytes | None = None) -> pd.Series:
    """Keyed SipHash-2-4 (pandas ``hash_array``, vectorised) for many distinct values, e.g. submission ids.

    The 128-bit SipHash key is derived from the secret with HMAC-SHA256. NA stays NA.
    """
    import base64

    key = key if key is not None else secret_key()
    k16 = base64.b64encode(hmac.digest(key, b"hocvuso-record-id", "sha256"))[:16].decode("ascii")
    na = values.isna().to_numpy()
    hashed = pd.util.hash_array(values.fillna("").to_numpy(dtype=object), hash_key=k16, categorize=True)
    import pyarrow as pa
    import pyarrow.compute as pc

    hexed = np.frombuffer(hashed.astype(">u8").tobytes().hex().encode("ascii"), dtype=np.uint8)
    first10 = np.ascontiguousarray(hexed.reshape(-1, 16)[:, :10]).view("S10").ravel()
    arr = pc.binary_join_element_wise(prefix, pa.array(first10, type=pa.binary(10)).cast(pa.string()), "")
    out = pd.Series(pd.array(arr, dtype="string"), index=values.index)
    out[na] = pd.NA
    return out


def _as_list(uniques) -> list:
    return uniques.tolist() if hasattr(uniques, "tolist") else list(uniques)


# ── patterns ───────────────────────────────────────────────────────────────────────────────

_D = r"[ .\-]?"
#: Vietnamese phone numbers: mobile 0[35789]x xxx xxxx, landline 02x xxxx xxxx, or +84 / 84 forms.
PHONE = re.compile(
    r"(?<![\w.+])(?:(?:\+|00)?84" + _D + r"[35789](?:" + _D + r"\d){8}|0[35789](?:" + _D + r"\d){8}"
    r"|02(?:" + _D + r"\d){9})(?![\w])"
)
#: 12-digit citizen ID (căn cước / CCCD) numbers, also written in groups of 3 or 4.
ID_NUMBER = re.compile(r"(?<![\w.])\d{3}[ .]?\d{3}[ .]?\d{3}[ .]?\d{3}(?![\w])|(?<![\w.])\d{4}[ .]\d{4}[ .]\d{4}(?![\w])")
_UP = "A-ZÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚĂĐĨŨƠƯẠ-Ỹ"
_LOW = "a-zàáâãèéêìíòóôõùúăđĩũơưạ-ỹ"
_NAME_WORD = f"[{_UP}][{_LOW}]*"
#: A capitalised name after a form of address or "tên": "cô Lan", "tên tôi là Nguyễn Văn A".
NAME = re.compile(
    r"(?i:\b(?:tên(?:\s+(?:tôi|tui|của\s+tôi|bác|con|cháu))?(?:\s+là)?|tôi\s+là|bác|cô|chú|ông|bà|anh|chị|cháu|em|dì|cậu|mợ|thím))"
    rf"\s+(?-i:({_NAME_WORD}(?:\s+{_NAME_WORD})*))"
)
#: House numbers and streets: "số 12 đường Nguyễn Xí", "nhà 45/3 hẻm 102", "hẻm 7".
ADDRESS = re.compile(
    r"(?i:\b(?:số\s+nhà|nhà\s+số|nhà|hẻm|ngõ|ngách|kiệt)\s+\d+[\w/]*"
    rf"(?:,?\s+(?:(?i:đường|phố|hẻm|ngõ)\s+)?(?:\d+[\w/]*|(?-i:{_NAME_WORD}(?:\s+{_NAME_WORD})*)))*)"
    rf"|(?i:\bđường\s+)(?-i:{_NAME_WORD}(?:\s+{_NAME_WORD})*)"
)

PATTERNS: dict[str, tuple[re.Pattern, str]] = {
    "phone": (PHONE, "[SĐT]"),
    "id_number": (ID_NUMBER, "[SỐ ID]"),
    "address": (ADDRESS, "[ĐỊA CHỈ]"),
    "name": (NAME, "[TÊN]"),
}

#: Column names (normalised: lower case ASCII, '_' for separators) that hold direct identifiers.
IDENTIFIER_COLUMNS = {
    "name", "full_name", "fullname", "ho_ten", "hoten", "ho_va_ten", "ten", "ten_nguoi_tra_loi",
    "phone", "phone_number", "phonenumber", "sdt", "so_dien_thoai", "dien_thoai", "mobile",
    "cccd", "cmnd", "id_number", "so_cccd", "so_cmnd", "can_cuoc", "national_id",
    "address", "dia_chi", "diachi", "so_nha", "dob", "date_of_birth", "ngay_sinh", "birthday",
    "email", "gps", "geopoint", "location", "latitude", "longitude", "_geolocation", "geolocation",
    "deviceid", "device_id", "simserial", "subscriberid", "imei", "username", "_submitted_by",
    "submitterid", "submittername", "submitter_id", "submitter_name",
}


def normalise_column_name(name: str) -> str:
    text = unicodedata.normalize("NFD", str(name)).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").lower()
    last = re.split(r"[/]", text.strip())[-1]
    return re.sub(r"[^a-z0-9_]+", "_", last).strip("_") if not last.startswith("_") else last


def is_identifier_column(name: str) -> bool:
    norm = normalise_column_name(name)
    return norm in IDENTIFIER_COLUMNS or norm.lstrip("_") in IDENTIFIER_COLUMNS


def mask_text(text: str) -> str:
    """Replace identifier patterns in one string (phone, ID number, address, name)."""
    if not text:
        return text
    for pattern, token in PATTERNS.values():
        if pattern is NAME:
            text = pattern.sub(lambda m, t=token: m.group(0)[: m.start(1) - m.start(0)] + t, text)
        else:
            text = pattern.sub(token, text)
    return text


def mask_series(values: pd.Series) -> pd.Series:
    """NFC + trim + :func:`mask_text` on every distinct value (vectorised through factorize)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    masked = [mask_text(unicodedata.normalize("NFC", str(u)).strip()) for u in _as_list(uniques)]
    return pd.Series(pd.array(masked + [None], dtype="string").take(codes), index=values.index)


# ── scanning outputs ───────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Finding:
    file: str
    kind: str
    where: str
    excerpt: str

    def line(self) -> str:
        return f"{self.file}:{self.where}: {self.kind}: {self.excerpt}"


def scan_text(text: str) -> list[tuple[str, str]]:
    """(kind, match) for every identifier pattern in ``text``."""
    found = []
    for kind, (pattern, token) in PATTERNS.items():
        for m in pattern.finditer(text):
            hit = m.group(1) if kind == "name" else m.group(0)
            if token in hit:
                continue
            found.append((kind, hit))
    return found


def _redact(hit: str) -> str:
    """Show a finding without repeating it in full (the report itself must not leak)."""
    hit = hit.strip()
    return hit[:2] + "…" + hit[-2:] if len(hit) > 4 else hit[:1] + "…"


def _strings_of_table(path: Path) -> list[tuple[str, str]]:
    df = pd.read_parquet(path)
    out = []
    for col in df.columns:
        if df[col].dtype.kind in "OSUT" or str(df[col].dtype) in ("string", "str"):
            for value in pd.unique(df[col].dropna().astype(str)):
                out.append((col, value))
        out.append(("<header>", str(col)))
    return out


TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ".md", ".json", ".jsonl", ".html", ".htm", ".xml", ".yml",
                 ".yaml", ".ipynb", ".log"}


def scan_path(path: str | Path) -> list[Finding]:
    """Identifier patterns in a file, or in every readable file under a folder."""
    path = Path(path)
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    findings: list[Finding] = []
    for f in files:
        suffix = f.suffix.lower()
        try:
            if suffix == ".parquet":
                for col, value in _strings_of_table(f):
                    for kind, hit in scan_text(value):
                        findings.append(Finding(str(f), kind, f"column {col}", _redact(hit)))
                continue
            if suffix == ".xlsx":
                sheets = pd.read_excel(f, sheet_name=None, dtype=str, header=None)
                for name, sheet in sheets.items():
                    for value in pd.unique(sheet.stack().dropna().astype(str)):
                        for kind, hit in scan_text(value):
                            findings.append(Finding(str(f), kind, f"sheet {name}", _redact(hit)))
                continue
            if suffix not in TEXT_SUFFIXES:
                continue
            raw = f.read_bytes()
            text = _decode_any(raw)
            if suffix == ".ipynb":
                try:
                    text = "\n".join(_notebook_strings(json.loads(text)))
                except ValueError:
                    pass
            for number, line in enumerate(text.splitlines(), start=1):
                for kind, hit in scan_text(line):
                    findings.append(Finding(str(f), kind, f"line {number}", _redact(hit)))
        except (OSError, ValueError) as exc:  # unreadable file: report, don't crash
            findings.append(Finding(str(f), "unreadable", "-", type(exc).__name__))
    return findings


def _notebook_strings(nb: dict):
    for cell in nb.get("cells", []):
        yield "".join(cell.get("source", []))
        for out in cell.get("outputs", []):
            yield "".join(out.get("text", []))
            for value in (out.get("data") or {}).values():
                yield "".join(value) if isinstance(value, list) else str(value)


def _decode_any(raw: bytes) -> str:
    for enc in ("utf-8-sig", "utf-16") if raw[:2] not in (b"\xff\xfe", b"\xfe\xff") else ("utf-16",):
        try:
            return unicodedata.normalize("NFC", raw.decode(enc))
        except UnicodeDecodeError:
            continue
    return unicodedata.normalize("NFC", raw.decode("cp1258", errors="replace"))


# ── CLI ────────────────────────────────────────────────────────────────────────────────────


def cmd_privacy_scan(args) -> int:
    from ..errors import UserError

    path = Path(args.path)
    if not path.exists():
        raise UserError("không tìm thấy / not found", where=str(path), fix="kiểm tra lại đường dẫn / check the path")
    findings = scan_path(path)
    for f in findings:
        print(f.line())
    if findings:
        kinds = sorted({f.kind for f in findings})
        print(f"Tìm thấy {len(findings)} dấu hiệu thông tin định danh ({', '.join(kinds)}) / "
              f"found {len(findings)} identifier pattern(s) — hãy xóa hoặc che trước khi chia sẻ / "
              "remove or mask them before sharing")
        return 1
    print(f"Không thấy thông tin định danh trong / no identifier patterns in {path}")
    return 0
