"""Read one survey export into a table of strings, whatever its shape.

Handles KoboToolbox CSV (``;`` or ``,``) and XLSX, ODK Central CSV, the notebook data-entry
store (JSON lines) and typed spreadsheets; detects UTF-8, UTF-8 with BOM, UTF-16 and
Windows-1258; never edits the file. A file that cannot be read as a table raises
:class:`~hocvuso.errors.UserError` naming the file and what is wrong.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import UserError

KOBO_MARKERS = {"_uuid", "_submission_time", "_id", "_index", "_validation_status", "__version__"}
ODK_MARKERS = {"SubmissionDate", "KEY", "meta-instanceID", "ReviewState", "SubmitterID"}


@dataclass
class RawTable:
    """One export, read: every cell a string ('' when blank), headers as in the file."""

    path: Path
    frame: pd.DataFrame
    source: str  # "kobo" | "odk" | "entry"
    encoding: str
    delimiter: str | None
    sha256: str
    #: rows that could not be split into the header's columns: (spreadsheet row number, text)
    bad_lines: list[tuple[int, str]] = field(default_factory=list)
    #: spreadsheet row number of each frame row (header = row 1)
    row_numbers: pd.Series | None = None

    _rows: int | None = None

    @property
    def rows_read(self) -> int:
        rows = self._rows if self._rows is not None else len(self.frame)
        return rows + len(self.bad_lines)

    def release(self) -> None:
        """Drop the strings (keeps the counts), to save memory once they have been used."""
        self._rows = len(self.frame)
        self.frame = self.frame.iloc[:0]


def _unusable(path: Path, message: str, fix: str) -> UserError:
    return UserError(message, where=str(path), fix=fix)


def detect_encoding(raw: bytes) -> str:
    """'utf-8-sig', 'utf-16', 'utf-16-le'/'-be' (no BOM), 'utf-8' or 'cp1258' (Windows-1258)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = raw[:4096]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    try:
        _check_utf8(raw)
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1258"


def _check_utf8(raw: bytes, chunk: int = 1 << 24) -> None:
    import codecs

    dec = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(raw)
    for start in range(0, len(raw), chunk):
        dec.decode(view[start:start + chunk], final=False)
    dec.decode(b"", final=True)


def _looks_binary(text_head: str) -> bool:
    if "\x00" in text_head:
        return True
    control = sum(1 for ch in text_head if ord(ch) < 32 and ch not in "\r\n\t")
    return control > max(2, len(text_head) // 50)


def sniff_delimiter(header_line: str) -> str:
    """The separator that splits the header into the most columns (outside quotes)."""
    best, best_n = ",", 0
    for sep in (",", ";", "\t"):
        try:
            n = len(next(csv.reader([header_line], delimiter=sep)))
        except (csv.Error, StopIteration):
            continue
        if n > best_n:
            best, best_n = sep, n
    return best


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name.strip() or f"_blank_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


def _detect_source(columns) -> str:
    cols = set(columns)
    if cols & ODK_MARKERS:
        return "odk"
    if cols & KOBO_MARKERS:
        return "kobo"
    return "entry"


def read_export(path: str | Path) -> RawTable:
    """Read a Kobo / ODK / data-entry file into a :class:`RawTable` (UserError if unusable)."""
    path = Path(path)
    if not path.exists():
        raise _unusable(path, "không tìm thấy tệp / file not found", "kiểm tra lại đường dẫn / check the path")
    if path.is_dir():
        raise _unusable(path, "đây là thư mục, không phải tệp / this is a folder",
                        "chỉ ra từng tệp xuất / name the export files")
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    if not raw[:1 << 16].strip() and not raw.strip():
        raise _unusable(path, "tệp rỗng (0 byte hoặc chỉ có khoảng trắng) / the file is empty",
                        "xuất lại dữ liệu từ KoboToolbox/ODK Central / export the data again")
    if raw[:4] == b"PK\x03\x04":
        return _read_xlsx(path, sha)
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return _read_jsonl(path, raw, sha)
    return _read_text_table(path, raw, sha)


def _read_xlsx(path: Path, sha: str) -> RawTable:
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, header=0)
    except Exception as exc:  # a zip that is not a workbook, a broken workbook
        raise _unusable(path, f"không mở được tệp Excel / cannot open the workbook ({type(exc).__name__})",
                        "xuất lại tệp XLSX hoặc CSV / export the XLSX or CSV again") from None
    # Kobo puts the main table first; repeat groups go to further sheets (not used here)
    name, frame = next(iter(sheets.items()))
    if frame.shape[1] == 0:
        raise _unusable(path, f"trang tính '{name}' trống / the first sheet is empty",
                        "xuất lại dữ liệu / export the data again")
    frame.columns = _dedupe([str(c) for c in frame.columns])
    frame = frame.fillna("").astype("str")
    rows = pd.Series(range(2, len(frame) + 2), index=frame.index)
    return RawTable(path, frame, _detect_source(frame.columns), "xlsx", None, sha, [], rows)


def _read_jsonl(path: Path, raw: bytes, sha: str) -> RawTable:
    records, bad, rows = [], [], []
    for number, line in enumerate(raw.decode("utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict):
                raise ValueError
        except ValueError:
            bad.append((number, line[:80]))
            continue
        answers = rec.get("answers") if isinstance(rec.get("answers"), dict) else {}
        flat = {k: v for k, v in rec.items() if k != "answers"}
        flat.update(answers)
        records.append({k: "" if v is None else (" ".join(map(str, v)) if isinstance(v, list) else str(v))
                        for k, v in flat.items()})
        rows.append(number)
    if not records and not bad:
        raise _unusable(path, "kho nhập liệu không có phiếu nào / the data-entry store has no record",
                        "nhập phiếu trong surveys/entry.ipynb / enter forms in surveys/entry.ipynb")
    frame = pd.DataFrame.from_records(records).fillna("").astype("str") if records else pd.DataFrame()
    return RawTable(path, frame, "entry", "utf-8", None, sha, bad, pd.Series(rows, index=frame.index))


def _read_text_table(path: Path, raw: bytes, sha: str) -> RawTable:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    encoding = detect_encoding(raw)
    head = raw[:65536].decode(encoding, errors="replace")
    if _looks_binary(head):
        raise _unusable(path, "đây không phải bảng dữ liệu (tệp nhị phân?) / this is not a table (binary file?)",
                        "xuất CSV hoặc XLSX từ KoboToolbox/ODK Central / export CSV or XLSX")
    if encoding != "utf-8":
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            raise _unusable(path, f"không giải mã được ({encoding}) / cannot decode the file",
                            "lưu lại dưới dạng CSV UTF-8 / save as CSV UTF-8") from None
        data = text.lstrip("\ufeff").encode("utf-8")
    else:
        data = raw
    first_line = head.lstrip("\ufeff").splitlines()[0] if head.strip() else ""
    stripped = first_line.strip()
    if stripped.startswith(("{", "[", "<")):
        raise _unusable(path, "đây không phải bảng dữ liệu (JSON/HTML/XML?) / this is not a table",
                        "xuất CSV hoặc XLSX từ KoboToolbox/ODK Central / export CSV or XLSX")
    sep = sniff_delimiter(first_line)
    header = next(csv.reader([first_line], delimiter=sep))
    names = _dedupe(header)
    if len(names) < 2:
        raise _unusable(
            path, "chỉ thấy 1 cột: không phải bảng, hoặc dấu phân cách không phải ',' ';' hay tab / "
            f"only one column: not a table, or the separator is not ',' ';' or tab (header: {stripped[:60]!r})",
            "xuất lại CSV với dấu ',' hoặc ';' / export the CSV again with ',' or ';'")
    def parse(newlines: bool, threads: bool = True):
        bad: list[tuple[int, str]] = []

        def on_bad(row):
            bad.append(((row.number) if row.number is not None else -1, row.text[:120]))
            return "skip"

        start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        try:
            table = pacsv.read_csv(
                io.BytesIO(memoryview(data)[start:]),
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24,
                                               use_threads=threads),
                parse_options=pacsv.ParseOptions(delimiter=sep, invalid_row_handler=on_bad,
                                                 newlines_in_values=newlines),
                convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False),
            )
        except pa.ArrowInvalid as exc:
            raise _unusable(path, f"không đọc được bảng / cannot parse the table: {str(exc)[:120]}",
                            "mở bằng LibreOffice/Excel và lưu lại CSV UTF-8 / re-save as CSV UTF-8") from None
        return table, bad

    table, bad = parse(False)
    if bad:  # perhaps quoted line breaks inside answers: try again allowing them
        table2, bad2 = parse(True)
        if not bad2:
            table, bad = table2, bad2
        else:  # really malformed rows: parse on one thread, which knows their line numbers
            table, bad = parse(False, threads=False)
    frame = table.to_pandas()
    # spreadsheet row numbers: header is row 1; rows skipped as bad shift the numbering
    if bad:
        bad_numbers = sorted(n for n, _ in bad if n > 0)
        numbers, current, b = [], 2, 0
        while len(numbers) < len(frame):
            if b < len(bad_numbers) and bad_numbers[b] == current:
                b += 1
            else:
                numbers.append(current)
            current += 1
        rows = pd.Series(numbers, index=frame.index)
    else:
        rows = pd.Series(range(2, len(frame) + 2), index=frame.index)
    return RawTable(path, frame, _detect_source(frame.columns), encoding, sep, sha, bad, rows)
