"""``hocvuso quizzes grade``: nbgrader autograde, in parallel, into the real gradebook.

Where submissions come from
---------------------------
With no input, ``course/submitted/<student>/<quiz>/<quiz>.ipynb`` (nbgrader's layout, what
the Assignment List's "Submit" + ``nbgrader collect`` produce). Inputs may also be folders or
``.zip`` files of downloaded notebooks named in any of these ways:

- ``<student>/<quiz>/<quiz>.ipynb`` (nbgrader layout)
- ``<student>/<quiz>.ipynb`` (one folder per volunteer)
- ``<quiz>_<student>.ipynb`` (flat; the quiz id comes first, then ``_``)

Student ids are turned into ASCII slugs (``"Nguyễn Thị Mai"`` → ``nguyen-thi-mai``; nbgrader
needs ASCII), and the mapping is written to ``student-ids.csv``. External inputs are copied into
``course/submitted/`` so the formgrader sees the same submissions.

How it is parallel, and still nbgrader
--------------------------------------
nbgrader's ``Autograde`` converter runs, per notebook, a *sanitize* pass (ClearOutput,
DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata) and an *autograde*
pass (Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
AssignLatePenalties, CheckCellMetadata), strictly one notebook after another. Here:

1. the main process triages every file (readable? known quiz? cells deleted, duplicated or
   edited? code in answer cells?) and creates the student and submission rows in the
   gradebook (what ``Autograde.init_assignment`` does);
2. worker processes run the same nbgrader preprocessors up to ``LimitOutput`` — everything that
   reads but never writes the gradebook — on their share of the notebooks;
3. the main process alone runs ``SaveAutoGrades``, ``AssignLatePenalties`` and
   ``CheckCellMetadata`` and writes ``course/autograded/…``: a single writer, so SQLite never
   sees two writers at once.

A worker keeps one warm kernel and reuses it for notebooks whose answer cells hold nothing but
``tra_loi = "…"`` literals (every other code cell is overwritten from the source by nbgrader's
OverwriteCells), resetting the namespace before each one; any notebook with other code gets a
fresh kernel that is shut down after it. Code that touches files, the gradebook or the answer
key is not run at all: its cell is replaced by an empty answer before execution.

Every submission gets a status in the grading report; a bad one never stops the batch.
"""

from __future__ import annotations

import ast
import csv
import html
import io
import multiprocessing as mp
import os
import queue
import re
import shutil
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..errors import UserError
from ..paths import build_dir, course_dir
from .bank import Bank, MalformedAnswer, describe, load_banks, normalise

#: Status codes of a submission (code → Vietnamese explanation shown in the report).
STATUSES: dict[str, str] = {
    "ok": "đã chấm",
    "invalid-json": "tệp hỏng, không đọc được (không phải notebook hợp lệ) — nộp lại bài",
    "unknown-quiz": "không có bài kiểm tra này trong giáo trình — kiểm tra tên tệp",
    "deleted-answer-cell": "đã xóa ô trả lời — câu đó tính 0 điểm",
    "duplicated-cell": "có ô bị nhân đôi — nbgrader giữ ô đầu tiên",
    "edited-locked-cell": "đã sửa ô bị khóa — nbgrader khôi phục ô gốc trước khi chấm",
    "extra-cell": "có thêm ô mã tự viết — vẫn chạy, chấm bình thường",
    "timeout": "mã chạy quá lâu (vòng lặp vô hạn?) — đã dừng",
    "huge-output": "kết quả in ra quá dài — đã cắt bớt",
    "raises": "mã trong ô trả lời gây lỗi — câu đó tính 0 điểm",
    "forbidden-code": "mã đọc đáp án / sửa sổ điểm / mở tệp — không chạy, câu đó tính 0 điểm",
    "student-id-slugged": "mã tình nguyện viên có dấu hoặc khoảng trắng — đã đổi sang dạng ASCII",
    "error": "lỗi khi chấm — xem chi tiết",
}
BAD_STATUSES = {"invalid-json", "unknown-quiz", "error"}

#: Names that mean "this code reaches outside the notebook": never executed.
FORBIDDEN_WORDS = re.compile(
    r"\b(open|os|sys|subprocess|shutil|pathlib|Path|importlib|__import__|eval|exec|compile|globals|"
    r"locals|setattr|getattr|vars|builtins|__builtins__|sqlite3|sqlalchemy|nbgrader|hocvuso|gradebook|"
    r"socket|requests|urllib|cham|kiem_tra|bat_dau|_STATE|get_ipython)\b|gradebook|\.db\b|source/|"
    r"autograded|curriculum|\.yml|\.ipynb|!|%"
)
HUGE_OUTPUT_CHARS = 100_000
QUIZ_RE = re.compile(r"^q\d{2}(-[a-z0-9]+)+$")


# ------------------------------------------------------------------ ids
def slugify(raw: str) -> str:
    """ASCII slug for a student id: ``"Nguyễn Thị Mai"`` → ``"nguyen-thi-mai"``."""
    text = unicodedata.normalize("NFD", str(raw)).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
    return text or "khong-ten"


@dataclass
class Submission:
    source_path: Path
    student_raw: str
    quiz: str
    student: str = ""
    statuses: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    path: Path | None = None  # inside course/submitted
    warm_ok: bool = True
    score: float | None = None
    max_score: float | None = None
    seconds: float = 0.0

    def add(self, status: str, detail: str = "") -> None:
        if status not in self.statuses:
            self.statuses.append(status)
        if detail:
            self.details.append(detail)

    @property
    def status(self) -> str:
        shown = [s for s in self.statuses if s != "student-id-slugged"]
        return "+".join(shown) if shown else "ok"

    @property
    def graded(self) -> bool:
        return not (set(self.statuses) & BAD_STATUSES)


# ------------------------------------------------------------------ collect
def _parse_name(rel: Path, quizzes: set[str]) -> tuple[str, str] | None:
    """(student, quiz) from a path relative to the input root, or None if it names no quiz."""
    parts = rel.parts
    stem = rel.stem
    if len(parts) >= 3 and parts[-2] == stem:
        return parts[-3], stem
    if len(parts) >= 2 and (stem in quizzes or QUIZ_RE.match(stem)):
        return parts[-2], stem
    m = re.match(r"^(q\d{2}(?:-[a-z0-9]+)+)_(.+)$", stem)
    if m:
        return m.group(2), m.group(1)
    return None


def collect(inputs: list[Path], course: Path, quizzes: set[str], tmp: Path) -> list[Submission]:
    roots: list[Path] = []
    if not inputs:
        roots.append(course / "submitted")
    for inp in inputs:
        inp = Path(inp)
        if not inp.exists():
            raise UserError("không tìm thấy / not found", where=str(inp), fix="đưa đường dẫn tới thư mục hoặc tệp .zip bài nộp")
        if inp.is_file() and inp.suffix == ".zip":
            target = tmp / f"zip-{len(roots)}"
            try:
                with zipfile.ZipFile(inp) as zf:
                    for member in zf.namelist():
                        if member.startswith("/") or ".." in Path(member).parts:
                            raise UserError("tệp zip chứa đường dẫn không an toàn / unsafe path in zip",
                                            where=f"{inp}: {member}", fix="nén lại các bài nộp")
                    zf.extractall(target)
            except zipfile.BadZipFile:
                raise UserError("tệp zip hỏng / broken zip", where=str(inp), fix="tải lại tệp zip") from None
            roots.append(target)
        elif inp.is_file() and inp.suffix == ".ipynb":
            single = tmp / f"one-{len(roots)}"
            single.mkdir(parents=True)
            shutil.copy(inp, single / inp.name)
            roots.append(single)
        else:
            roots.append(inp)
    known = _load_id_map(course)
    subs: list[Submission] = []
    for root in roots:
        for path in sorted(root.rglob("*.ipynb")):
            rel = path.relative_to(root)
            if ".ipynb_checkpoints" in rel.parts or "__MACOSX" in rel.parts:
                continue
            parsed = _parse_name(rel, quizzes)
            if parsed is None:
                sub = Submission(path, rel.parent.name or rel.stem, rel.stem)
                sub.add("unknown-quiz", f"tên tệp '{rel}' không theo dạng <mã-tnv>/<mã-bài>.ipynb hoặc <mã-bài>_<mã-tnv>.ipynb")
            else:
                sub = Submission(path, known.get(parsed[0], parsed[0]), parsed[1])
                if sub.quiz not in quizzes:
                    sub.add("unknown-quiz", f"'{sub.quiz}' không có trong curriculum/syllabus.yml")
            subs.append(sub)
    _assign_slugs(subs)
    return subs


ID_MAP = "student-ids.csv"


def _load_id_map(course: Path) -> dict[str, str]:
    """slug → id as first submitted, from ``course/student-ids.csv`` (kept across runs)."""
    path = course / ID_MAP
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        return {r["student"]: r["student_id_as_submitted"] for r in csv.DictReader(fh)}


def _save_id_map(course: Path, subs: list[Submission]) -> None:
    mapping = _load_id_map(course)
    for s in subs:
        if s.student != s.student_raw:
            mapping[s.student] = s.student_raw
    if mapping:
        _write_csv(course / ID_MAP, [{"student_id_as_submitted": r, "student": k} for k, r in sorted(mapping.items())],
                   ["student_id_as_submitted", "student"])


def _assign_slugs(subs: list[Submission]) -> None:
    owner: dict[str, str] = {}
    for sub in subs:
        slug = slugify(sub.student_raw)
        base, n = slug, 2
        while owner.get(slug, sub.student_raw) != sub.student_raw:
            slug, n = f"{base}-{n}", n + 1
        owner[slug] = sub.student_raw
        sub.student = slug
        if slug != sub.student_raw:
            sub.add("student-id-slugged", f"'{sub.student_raw}' → '{slug}'")


# ------------------------------------------------------------------ triage
def _source_cells(course: Path, quiz: str) -> dict[str, nbformat.NotebookNode]:
    nb = nbformat.read(course / "release" / quiz / f"{quiz}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if "nbgrader" in c.metadata}


def _only_literal_answer(source: str) -> bool:
    """True if the cell is empty/comments or ``tra_loi = <string literal>`` lines only."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return True  # never runs anything: IPython reports the syntax error
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str | int | float)):
            return False
    return True


def triage(sub: Submission, course: Path, cache: dict) -> nbformat.NotebookNode | None:
    """Read and check one submission; neutralise forbidden code. Returns the notebook to grade."""
    from nbgrader.utils import compute_checksum

    try:
        nb = nbformat.read(sub.source_path, as_version=4)
        if not isinstance(nb.get("cells"), list):
            raise ValueError("no cells")
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same status
        sub.add("invalid-json", f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}")
        return None
    if sub.quiz not in cache:
        cache[sub.quiz] = _source_cells(course, sub.quiz)
    source = cache[sub.quiz]
    seen: dict[str, int] = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        if meta and meta.get("grade_id"):
            seen[meta["grade_id"]] = seen.get(meta["grade_id"], 0) + 1
    dup = sorted(g for g, n in seen.items() if n > 1)
    if dup:
        sub.add("duplicated-cell", "ô trùng: " + ", ".join(dup))
        # like nbgrader's DeduplicateIds keep the last copy; the others become plain cells (nbgrader
        # itself would leave them with empty metadata, which its CheckCellMetadata then rejects)
        last = {}
        for k, cell in enumerate(nb.cells):
            gid = (cell.metadata.get("nbgrader") or {}).get("grade_id")
            if gid in dup:
                last[gid] = k
        for k, cell in enumerate(nb.cells):
            gid = (cell.metadata.get("nbgrader") or {}).get("grade_id")
            if gid in dup and last[gid] != k:
                del cell.metadata["nbgrader"]
    missing = sorted(g for g in source if g.startswith("tl-") and g not in seen)
    if missing:
        sub.add("deleted-answer-cell", "thiếu ô: " + ", ".join(m.removeprefix("tl-") for m in missing))
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader") or {}
        gid = meta.get("grade_id")
        ref = source.get(gid) if gid else None
        if ref is not None and ref.metadata["nbgrader"].get("locked") and not ref.metadata["nbgrader"].get("solution"):
            edited = cell.source != ref.source
            if "checksum" in meta:
                try:
                    edited = edited or compute_checksum(cell) != ref.metadata["nbgrader"].get("checksum")
                except Exception:  # noqa: BLE001
                    edited = True
            if edited:
                sub.add("edited-locked-cell", f"ô khóa bị sửa: {gid}")
        if cell.cell_type != "code":
            continue
        is_answer = bool(meta.get("solution")) and gid in source
        is_known = gid in source
        code = cell.source
        if not is_known and code.strip() and not all(
                line.strip().startswith("#") or not line.strip() for line in code.splitlines()):
            sub.add("extra-cell", f"ô thêm: {code.strip().splitlines()[0][:60]}")
        if is_answer or not is_known:
            if FORBIDDEN_WORDS.search(_code_only(code)):
                sub.add("forbidden-code", f"{gid or 'ô thêm'}: {code.strip()[:80]}")
                cell.source = 'tra_loi = ""  # (mã không được phép đã bị gỡ trước khi chấm)'
                continue
            if not _only_literal_answer(code):
                sub.warm_ok = False
    if "forbidden-code" in sub.statuses:
        sub.warm_ok = False
    return nb


def _code_only(source: str) -> str:
    """The code without comments and string contents (answers may mention anything)."""
    try:
        import tokenize

        toks = tokenize.generate_tokens(io.StringIO(source).readline)
        return " ".join(t.string for t in toks if t.type not in (tokenize.COMMENT, tokenize.STRING))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source


# ------------------------------------------------------------------ gradebook connections
_GRADEBOOKS: dict = {}
_PATCHED_MODULES = ("overwritecells", "overwritekernelspec", "saveautogrades", "latesubmissions")


def cached_gradebook(db_url: str, course_id: str = "default_course", authenticator=None):
    """nbgrader's ``Gradebook``, opened once per process and URL.

    ``Gradebook()`` checks every table of the schema each time it is opened (~0.15 s here),
    and nbgrader's preprocessors open it once per notebook each. ``Gradebook.close()`` only
    removes the scoped session, so the same object reopens a fresh session on its next use:
    reads are never stale and writes are committed by nbgrader's code exactly as before.
    """
    from nbgrader.api import Gradebook

    key = (os.getpid(), db_url, course_id)
    if key not in _GRADEBOOKS:
        gb = Gradebook(db_url, course_id, authenticator)
        if db_url.startswith("sqlite"):
            _sqlite_pragmas(gb.engine)
        _GRADEBOOKS[key] = gb
    return _GRADEBOOKS[key]


def _sqlite_pragmas(engine) -> None:
    """WAL journal: readers (workers, formgrader) never block the single writer; commits stay durable
    against crashes of this program (synchronous=NORMAL), without one fsync per grade cell."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    engine.dispose()  # reconnect so existing pooled connections get the pragmas


class _JsonschemaOnce:
    """``jsonschema`` as nbgrader's metadata check uses it, but checking the *schema* once.

    ``jsonschema.validate(instance, schema)`` re-validates the schema itself on every call;
    nbgrader calls it for every cell of every notebook (~20 ms each here). Same result.
    """

    def __init__(self):
        import jsonschema

        self._js = jsonschema
        self._validators: dict[int, tuple] = {}

    def __getattr__(self, name):
        return getattr(self._js, name)

    def validate(self, instance, schema, *args, **kwargs):
        if args or kwargs:
            return self._js.validate(instance, schema, *args, **kwargs)
        entry = self._validators.get(id(schema))
        if entry is None or entry[0] is not schema:
            cls = self._js.validators.validator_for(schema)
            cls.check_schema(schema)
            entry = (schema, cls(schema))
            self._validators[id(schema)] = entry
        error = self._js.exceptions.best_match(entry[1].iter_errors(instance))
        if error is not None:
            raise error


def use_cached_gradebooks() -> None:
    """Speed up nbgrader's preprocessors in this process without changing what they do.

    They share :func:`cached_gradebook` (one connection per URL instead of one per notebook and
    preprocessor) and check the metadata schema itself once (:class:`_JsonschemaOnce`).
    """
    import importlib

    for name in _PATCHED_MODULES:
        module = importlib.import_module(f"nbgrader.preprocessors.{name}")
        if hasattr(module, "Gradebook"):
            module.Gradebook = cached_gradebook
    common = importlib.import_module("nbgrader.nbgraderformat.common")
    if not isinstance(common.jsonschema, _JsonschemaOnce):
        common.jsonschema = _JsonschemaOnce()


# ------------------------------------------------------------------ workers
def _config(course: Path, db_url: str, timeout: int | None):
    from .build import nbgrader_config

    over = {"CourseDirectory": {"db_url": db_url}}
    if timeout:
        over["Execute"] = {"timeout": int(timeout)}
    return nbgrader_config(course, **over)


class _Runner:
    """Runs nbgrader's read-only autograde preprocessors; keeps one warm kernel."""

    RESET = ("get_ipython().run_line_magic('reset', '-f')\n"
             "import hocvuso.quizzes.grading as _g\n_g._reset()\ndel _g\n")

    def __init__(self, course: Path, db_url: str, timeout: int | None, warm: bool):
        self.cfg = _config(course, db_url, timeout)
        self.warm = warm
        self.km = None

    def _warm_km(self):
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        if self.km is None or not self.km.has_kernel:
            self.km = AsyncKernelManager(kernel_name="python3")
            run_sync(self.km.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"])
        return self.km

    def shutdown(self) -> None:
        if self.km is not None and self.km.has_kernel:
            from jupyter_core.utils import run_sync

            try:
                run_sync(self.km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001
                pass
        self.km = None

    def run(self, job: dict) -> dict:
        from nbconvert.preprocessors import ClearMetadataPreprocessor
        from nbgrader.preprocessors import (
            CheckCellMetadata,
            ClearOutput,
            DeduplicateIds,
            IgnorePattern,
            LimitOutput,
            OverwriteCells,
            OverwriteKernelspec,
        )

        started = time.perf_counter()
        nb = nbformat.reads(job["nb"], as_version=4)
        resources = {
            "unique_key": job["quiz"], "output_files_dir": f"{job['quiz']}_files",
            "nbgrader": {"student": job["student"], "assignment": job["quiz"], "notebook": job["quiz"],
                         "db_url": job["db_url"]},
            "metadata": {"path": job["cwd"]},
        }
        flags: list[str] = []
        try:
            for cls in (ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata):
                nb, resources = cls(config=self.cfg)(nb, resources)
            use_warm = self.warm and job["warm_ok"]
            ex = _WarmExecute(config=self.cfg)
            if use_warm:
                ex.reset_code = self.RESET
                os.environ["NBGRADER_EXECUTION"] = "autograde"
                nb, resources = ex.preprocess(nb, resources, km=self._warm_km())
                if ex.kc is not None:
                    ex.kc.stop_channels()
            else:
                os.environ["NBGRADER_EXECUTION"] = "autograde"
                nb, resources = ex.preprocess(nb, resources)
            os.environ.pop("NBGRADER_EXECUTION", None)
            for cell in nb.cells:
                size = sum(len(str(o.get("text", ""))) + len(str(o.get("data", ""))) for o in cell.get("outputs", []))
                if size > HUGE_OUTPUT_CHARS:
                    flags.append("huge-output")
                for o in cell.get("outputs", []):
                    if o.get("output_type") == "error" and o.get("ename") == "CellTimeoutError":
                        flags.append("timeout")
                    elif (o.get("output_type") == "error" and cell.metadata.get("nbgrader", {}).get("solution")
                          and o.get("ename") not in ("NameError", "KeyboardInterrupt", "CellTimeoutError")):
                        flags.append("raises")
            for cls in (IgnorePattern, ClearMetadataPreprocessor, LimitOutput):
                nb, resources = cls(config=self.cfg)(nb, resources)
            if "huge-output" in flags:
                _cap_output_chars(nb)
            # the last step of nbgrader's autograde pass; it only reads the notebook, so it runs
            # here in parallel rather than after SaveAutoGrades in the single writer
            nb, resources = CheckCellMetadata(config=self.cfg)(nb, resources)
            if "timeout" in flags and use_warm:
                self.shutdown()  # never reuse a kernel that was interrupted
            return {"id": job["id"], "nb": nbformat.writes(nb), "flags": sorted(set(flags)),
                    "seconds": time.perf_counter() - started}
        except Exception as exc:  # noqa: BLE001 - one bad notebook never stops the batch
            self.shutdown()
            return {"id": job["id"], "error": f"{type(exc).__name__}: {exc}"[:300],
                    "seconds": time.perf_counter() - started}


def _cap_output_chars(nb, limit: int = 20_000) -> None:
    """nbgrader's LimitOutput caps lines, not characters: also cap one huge line."""
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "stream" and len(o.get("text", "")) > limit:
                o["text"] = o["text"][:limit] + "\n... (đã cắt bớt / output truncated) ..."
            data = o.get("data")
            if data:
                for mime in list(data):
                    if len(str(data[mime])) > limit:
                        data[mime] = str(data[mime])[:limit] if mime == "text/plain" else ""
                for mime in [m for m, v in data.items() if v == ""]:
                    del data[mime]


def _warm_execute_class():
    from nbclient import NotebookClient
    from nbgrader.preprocessors import Execute
    from traitlets import Unicode

    class WarmExecute(Execute):
        """nbgrader's Execute; with a kernel passed in, first resets its namespace (``reset_code``)."""

        reset_code = Unicode("")

        def preprocess(self, nb, resources=None, km=None):
            NotebookClient.__init__(self, nb, km)
            self.reset_execution_trackers()
            self._check_assign_resources(resources)
            with self.setup_kernel():
                info_msg = self.wait_for_reply(self.kc.kernel_info())
                self.nb.metadata["language_info"] = info_msg["content"]["language_info"]
                if self.reset_code:
                    cwd = (resources or {}).get("metadata", {}).get("path")
                    code = self.reset_code + (f"import os as _o\n_o.chdir({cwd!r})\ndel _o\n" if cwd else "")
                    self.wait_for_reply(self.kc.execute(code, silent=True, store_history=False))
                for index, cell in enumerate(self.nb.cells):
                    self.preprocess_cell(cell, resources, index)
            self.set_widgets_metadata()
            return self.nb, self.resources

    return WarmExecute


class _LazyWarm:
    cls = None

    def __call__(self, **kw):
        if _LazyWarm.cls is None:
            _LazyWarm.cls = _warm_execute_class()
        return _LazyWarm.cls(**kw)


_WarmExecute = _LazyWarm()


def _worker_main(course, db_url, timeout, warm, jobs, results):
    import logging

    logging.disable(logging.WARNING)
    use_cached_gradebooks()
    runner = _Runner(Path(course), db_url, timeout, warm)
    try:
        while True:
            job = jobs.get()
            if job is None:
                break
            results.put(runner.run(job))
    finally:
        runner.shutdown()


# ------------------------------------------------------------------ writer (single, main process)
def _save(nb, sub: Submission, course: Path, db_url: str, cfg) -> None:
    from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades

    resources = {"nbgrader": {"student": sub.student, "assignment": sub.quiz, "notebook": sub.quiz, "db_url": db_url}}
    for cls in (SaveAutoGrades, AssignLatePenalties):
        nb, resources = cls(config=cfg)(nb, resources)
    target = course / "autograded" / sub.student / sub.quiz / f"{sub.quiz}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


def _prepare_gradebook(subs: list[Submission], db_url: str) -> None:
    import warnings


    with cached_gradebook(db_url, "hocvuso") as gb, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nbgrader's own SQLAlchemy autoflush warnings
        for sub in subs:
            gb.update_or_create_student(sub.student, **_display_name(sub.student_raw))
            gb.update_or_create_submission(sub.quiz, sub.student)


def _display_name(raw: str) -> dict[str, str]:
    """Names for the formgrader ("last, first"), from the id the coordinator gave.

    A Vietnamese full name puts the family name first: "Lê Thị Hồng Nhung" → last "Lê",
    first "Thị Hồng Nhung". A plain id such as ``tnv-demo-001`` becomes the last name.
    """
    parts = unicodedata.normalize("NFC", raw).split(maxsplit=1)
    if len(parts) == 2:
        return {"last_name": parts[0], "first_name": parts[1]}
    return {"last_name": raw, "first_name": ""}


def _ensure_assignments(course: Path, db_url: str, quizzes: set[str]) -> None:
    """A gradebook given with --db gets the quizzes' source cells (nbgrader generate_assignment)."""
    from nbgrader.api import Gradebook, MissingEntry

    from .build import ensure_tools_on_path, generate_config

    ensure_tools_on_path()
    missing = []
    with Gradebook(db_url, "hocvuso") as gb:
        for q in quizzes:
            try:
                gb.find_assignment(q)
            except MissingEntry:
                missing.append(q)
    for q in missing:
        from nbgrader.apps import NbGraderAPI

        cfg = generate_config(course)
        cfg.CourseDirectory.db_url = db_url
        api = NbGraderAPI(config=cfg)
        res = api.generate_assignment(q, force=True, create=True)
        if not res.get("success"):
            raise UserError("không ghi được bài vào sổ điểm / could not add the quiz to the gradebook", where=q,
                            fix="chạy 'hocvuso quizzes build' trước, kiểm tra --db")


# ------------------------------------------------------------------ report
@dataclass
class GradingReport:
    submissions: list[Submission]
    outputs: dict[str, Path]
    seconds: float
    workers: int

    def summary(self) -> str:
        n_ok = sum(s.graded for s in self.submissions)
        bad = [s for s in self.submissions if s.status != "ok"]
        lines = [f"Đã chấm {n_ok}/{len(self.submissions)} bài trong {self.seconds:.1f} s ({self.workers} tiến trình) / "
                 f"graded {n_ok}/{len(self.submissions)} in {self.seconds:.1f} s"]
        for s in bad:
            lines.append(f"  {s.student}/{s.quiz}: {s.status}")
        for label, p in self.outputs.items():
            lines.append(f"  {label}: {p}")
        return "\n".join(lines)

    def by_key(self) -> dict[tuple[str, str], Submission]:
        return {(s.student, s.quiz): s for s in self.submissions}


def grade(inputs: list[Path] | None = None, *, course: Path | None = None, db_url: str | None = None,
          workers: int | None = None, timeout: int | None = None, out: Path | None = None,
          warm: bool = True, progress=print) -> GradingReport:
    """Grade every submission found; write report, per-item scores and feedback; never abort the batch."""
    from .build import ensure_tools_on_path

    started = time.perf_counter()
    ensure_tools_on_path()
    use_cached_gradebooks()
    course = Path(course) if course else course_dir()
    out = Path(out) if out else build_dir() / "quizzes"
    banks = _usable_banks(progress)
    if not (course / "release").exists():
        raise UserError("chưa tạo bài kiểm tra / quizzes not built", where=str(course),
                        fix="chạy 'hocvuso quizzes build' trước")
    from .build import nbgrader_config

    cfg_db = nbgrader_config(course).CourseDirectory.get("db_url")
    db_url = db_url or os.environ.get("HOCVUSO_GRADEBOOK_URL") or cfg_db or f"sqlite:///{course / 'gradebook.db'}"
    if not re.match(r"^(sqlite:///|postgresql(\+\w+)?://)", db_url):
        raise UserError(f"địa chỉ sổ điểm không hợp lệ '{db_url}' / unsupported gradebook URL", where="--db",
                        fix="dùng sqlite:///đường/dẫn.db hoặc postgresql://người-dùng@máy/csdl")
    workers = max(1, workers or os.cpu_count() or 1)
    with tempfile.TemporaryDirectory(prefix="hocvuso-grade-") as tmpdir:
        subs = collect(list(inputs or []), course, set(banks), Path(tmpdir))
        if not subs:
            raise UserError("không có bài nộp nào / no submissions found", where=str(inputs or course / "submitted"),
                            fix="nộp bài trong JupyterLab (Assignments → Submit) rồi 'nbgrader collect', "
                                "hoặc đưa thư mục / tệp zip bài tải về")
        quizzes_used = {s.quiz for s in subs if "unknown-quiz" not in s.statuses}
        _ensure_assignments(course, db_url, quizzes_used)
        cache: dict = {}
        nbs: dict[int, nbformat.NotebookNode] = {}
        for i, sub in enumerate(subs):
            if "unknown-quiz" in sub.statuses:
                continue
            nb = triage(sub, course, cache)
            if nb is None:
                continue
            dest = course / "submitted" / sub.student / sub.quiz / f"{sub.quiz}.ipynb"
            if dest.resolve() != sub.source_path.resolve():
                dest.parent.mkdir(parents=True, exist_ok=True)
                inside = (course / "submitted").resolve() in sub.source_path.resolve().parents
                if inside:  # a non-ASCII folder in course/submitted: move it under its slug
                    shutil.move(str(sub.source_path), dest)
                    _prune_empty(sub.source_path.parent, course / "submitted")
                else:
                    shutil.copy(sub.source_path, dest)
            sub.path = dest
            nbs[i] = nb
        _save_id_map(course, subs)
        todo = [i for i in nbs]
        _prepare_gradebook([subs[i] for i in todo], db_url)
        cfg = _config(course, db_url, timeout)
        jobs = []
        for i in todo:
            sub = subs[i]
            cwd = course / "autograded" / sub.student / sub.quiz
            cwd.mkdir(parents=True, exist_ok=True)
            jobs.append({"id": i, "nb": nbformat.writes(nbs[i]), "quiz": sub.quiz, "student": sub.student,
                         "db_url": db_url, "cwd": str(cwd), "warm_ok": sub.warm_ok})
        # slow (fresh-kernel) jobs first so they do not trail at the end
        jobs.sort(key=lambda j: j["warm_ok"])
        done = 0

        def finish(result: dict) -> None:
            nonlocal done
            sub = subs[result["id"]]
            sub.seconds = result.get("seconds", 0.0)
            if "error" in result:
                sub.add("error", result["error"])
            else:
                for flag in result["flags"]:
                    sub.add(flag)
                try:
                    _save(nbformat.reads(result["nb"], as_version=4), sub, course, db_url, cfg)
                except Exception as exc:  # noqa: BLE001
                    sub.add("error", f"{type(exc).__name__}: {exc}"[:300])
            done += 1
            if progress and (done % 10 == 0 or done == len(jobs)):
                progress(f"  chấm / graded {done}/{len(jobs)}")

        n_workers = min(workers, max(1, len(jobs)))
        if n_workers == 1:
            runner = _Runner(course, db_url, timeout, warm)
            try:
                for job in jobs:
                    finish(runner.run(job))
            finally:
                runner.shutdown()
        else:
            _run_pool(jobs, n_workers, course, db_url, timeout, warm, finish)
    _read_scores(subs, db_url)
    outputs = write_outputs(subs, banks, course, db_url, out)
    return GradingReport(subs, outputs, time.perf_counter() - started, n_workers if subs else 0)


def _usable_banks(progress) -> dict[str, Bank]:
    """Every bank that loads; a broken bank only blocks its own quiz (reported as unknown-quiz)."""
    from ..curriculum import load_syllabus

    banks: dict[str, Bank] = {}
    for qid in load_syllabus().quizzes:
        try:
            banks.update(load_banks(only=[qid]))
        except UserError as exc:
            if progress:
                progress(f"  bỏ qua / skipped {qid}: {exc.one_line()}")
    return banks


def _prune_empty(folder: Path, stop: Path) -> None:
    folder, stop = folder.resolve(), stop.resolve()
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _run_pool(jobs, n_workers, course, db_url, timeout, warm, finish) -> None:
    ctx = mp.get_context("fork")
    jq, rq = ctx.Queue(), ctx.Queue()
    for job in jobs:
        jq.put(job)
    for _ in range(n_workers):
        jq.put(None)
    procs = [ctx.Process(target=_worker_main, args=(str(course), db_url, timeout, warm, jq, rq), daemon=False)
             for _ in range(n_workers)]
    for p in procs:
        p.start()
    pending = {j["id"] for j in jobs}
    try:
        while pending:
            try:
                result = rq.get(timeout=5)
            except queue.Empty:
                if not any(p.is_alive() for p in procs):
                    for jid in sorted(pending):
                        finish({"id": jid, "error": "tiến trình chấm dừng bất thường / worker died"})
                    pending.clear()
                continue
            pending.discard(result["id"])
            finish(result)
    finally:
        for p in procs:
            p.join(timeout=30)
            if p.is_alive():
                p.terminate()
                p.join(timeout=5)


def _read_scores(subs: list[Submission], db_url: str) -> None:
    from nbgrader.api import MissingEntry

    with cached_gradebook(db_url, "hocvuso") as gb:
        for sub in subs:
            if not sub.graded or sub.path is None:
                continue
            try:
                nb = gb.find_submission_notebook(sub.quiz, sub.quiz, sub.student)
            except MissingEntry:
                continue
            auto = [g for g in nb.grades if g.auto_score is not None or g.cell_type == "code"]
            sub.score = float(sum(g.auto_score or 0 for g in auto if g.cell_type == "code"))
            sub.max_score = float(sum(g.max_score for g in auto if g.cell_type == "code"))


# ------------------------------------------------------------------ outputs
def item_rows(subs: list[Submission], banks: dict[str, Bank], db_url: str) -> list[dict]:
    """One row per volunteer × item: score from the gradebook, the answer as read, its form status."""
    from nbgrader.api import MissingEntry

    rows = []
    with cached_gradebook(db_url, "hocvuso") as gb:
        for sub in subs:
            if not sub.graded or sub.path is None or sub.quiz not in banks:
                continue
            bank = banks[sub.quiz]
            answers = read_answers(sub.path, bank)
            try:
                grades = {g.name: g.score for g in gb.find_submission_notebook(sub.quiz, sub.quiz, sub.student).grades}
            except MissingEntry:
                grades = {}
            for n, item in enumerate(bank.auto_items, start=1):
                score = grades.get(f"kt-{item.id}") or 0.0
                form, value = answers.get(item.id, ("unanswered", None))
                rows.append({"student": sub.student, "quiz": sub.quiz, "number": n, "item": item.id,
                             "type": item.type, "score": float(score), "max_score": item.points,
                             "answer": describe(item.type, value) if form == "ok" else "",
                             "answer_status": form, "submission_status": sub.status, "_value": value})
    return rows


def read_answers(path: Path, bank: Bank) -> dict[str, tuple[str, object]]:
    """item id → (form status, normalised answer) from a submitted notebook (literal answers only)."""
    out: dict[str, tuple[str, object]] = {}
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:  # noqa: BLE001
        return out
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if not gid.startswith("tl-") or cell.cell_type != "code":
            continue
        iid = gid.removeprefix("tl-")
        try:
            item = bank.item(iid)
        except KeyError:
            continue
        raw = None
        try:
            for node in ast.parse(cell.source).body:
                if (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
                        and node.targets[0].id == "tra_loi" and isinstance(node.value, ast.Constant)):
                    raw = node.value.value
        except SyntaxError:
            out.setdefault(iid, ("malformed", None))
            continue
        try:
            value = normalise(item.type, raw, item.letters)
            out.setdefault(iid, ("ok", value) if value is not None else ("unanswered", None))
        except MalformedAnswer:
            out.setdefault(iid, ("malformed", None))
    return out


def write_outputs(subs: list[Submission], banks: dict[str, Bank], course: Path, db_url: str, out: Path) -> dict[str, Path]:
    from .feedback import write_feedback

    out.mkdir(parents=True, exist_ok=True)
    outputs: dict[str, Path] = {}
    rows = item_rows(subs, banks, db_url)
    items_csv = out / "item-scores.csv"
    _write_csv(items_csv, rows, ["student", "quiz", "number", "item", "type", "score", "max_score", "answer",
                                 "answer_status", "submission_status"])
    outputs["điểm từng câu / per-item scores"] = items_csv
    report_rows = [{"student": s.student, "quiz": s.quiz, "status": s.status,
                    "score": "" if s.score is None else f"{s.score:g}",
                    "max_score": "" if s.max_score is None else f"{s.max_score:g}",
                    "seconds": f"{s.seconds:.2f}", "details": " | ".join(s.details),
                    "file": s.source_path.name} for s in subs]
    report_csv = out / "grading-report.csv"
    _write_csv(report_csv, report_rows, ["student", "quiz", "status", "score", "max_score", "seconds", "details", "file"])
    outputs["báo cáo chấm / grading report (CSV)"] = report_csv
    report_html = out / "grading-report.html"
    report_html.write_text(_report_html(report_rows), encoding="utf-8")
    outputs["báo cáo chấm / grading report"] = report_html
    ids = sorted({(s.student_raw, s.student) for s in subs})
    ids_csv = out / "student-ids.csv"
    _write_csv(ids_csv, [{"student_id_as_submitted": r, "student": s} for r, s in ids],
               ["student_id_as_submitted", "student"])
    outputs["mã tình nguyện viên / student id mapping"] = ids_csv
    fb = write_feedback(rows, subs, banks, out / "feedback")
    outputs["phản hồi / feedback"] = fb
    return outputs


def _write_csv(path: Path, rows: list[dict], fields: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)


def _report_html(rows: list[dict]) -> str:
    def esc(x):
        return html.escape(str(x))

    body = "".join(
        f'<tr class="hv-status-{esc(r["status"].split("+")[0])}"><td>{esc(r["student"])}</td><td>{esc(r["quiz"])}</td>'
        f'<td>{esc(r["status"])}</td><td>{esc(r["score"])}/{esc(r["max_score"])}</td>'
        f'<td>{esc("; ".join(STATUSES.get(s, s) for s in r["status"].split("+")))}</td><td>{esc(r["details"])}</td></tr>'
        for r in rows)
    return ("<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Báo cáo chấm bài</title>"
            "<style>body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:.3rem .6rem}.hv-status-ok td:nth-child(3){color:#060}</style></head>"
            "<body class=\"hv-grading\"><h1>Báo cáo chấm bài kiểm tra</h1>"
            "<table><thead><tr><th>Tình nguyện viên</th><th>Bài</th><th>Trạng thái</th><th>Điểm tự động</th>"
            f"<th>Giải thích</th><th>Chi tiết</th></tr></thead><tbody>{body}</tbody></table></body></html>\n")


def demo_step(build: Path) -> dict[str, Path]:
    """Demo: a synthetic cohort (≥ 40 volunteers) submits every quiz; grade them all in parallel."""
    from .cohort import NAME_LIKE_ID, student_ids, write_cohort

    course = course_dir()
    n = 40
    ids = student_ids(n)
    for sid in {*ids, slugify(NAME_LIKE_ID)}:
        for folder in ("submitted", "autograded"):
            shutil.rmtree(course / folder / sid, ignore_errors=True)
    paths = write_cohort(course, n=n)
    print(f"  {len(paths)} bài nộp tổng hợp / synthetic submissions ({n} TNV)", flush=True)
    report = grade(course=course, out=build / "quizzes",
                   progress=lambda m: print(m, flush=True))
    print("  " + report.summary().splitlines()[0], flush=True)
    return report.outputs
