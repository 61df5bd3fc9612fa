"""Load and check the syllabus (``curriculum/syllabus.yml``).

The syllabus is one ordered list of modules, each described like a Carpentries episode
(titles, minutes, objectives, key points, quiz, instructor notes). :func:`load_syllabus`
returns it as dataclasses or raises :class:`~hocvuso.errors.UserError` naming the file, the
module, the field and the fix.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ASCII_SLUG, UserError, read_yaml_mapping
from .paths import curriculum_dir, notebooks_dir

#: What every key of a module entry means (shown in error messages and docs).
FIELDS: dict[str, str] = {
    "id": "NN-slug in ASCII, the notebook name without .ipynb (e.g. 02-phuong-phap-huong-dan)",
    "title": "mapping with 'vi' and 'en' titles",
    "minutes": "mapping with 'teaching' and 'exercises', each a number of minutes",
    "objectives": "list of 3-5 measurable objectives in Vietnamese",
    "key_points": "list of at least one key point in Vietnamese",
    "quiz": "id of the quiz this module leads to (a key of 'quizzes:') or null",
    "instructor_notes": "list of notes for trainers, kept apart from learner text",
    "digcomp": "list of EU DigComp 2.2 competences (may be empty)",
}

ID_PATTERN = re.compile(r"^(\d{2})-[a-z0-9]+(-[a-z0-9]+)*$")
QUIZ_ID_PATTERN = ASCII_SLUG


@dataclass(frozen=True)
class Quiz:
    id: str
    bank: str
    pass_mark: float


@dataclass(frozen=True)
class Module:
    id: str
    number: int
    title_vi: str
    title_en: str
    teaching_minutes: float
    exercise_minutes: float
    objectives: tuple[str, ...]
    key_points: tuple[str, ...]
    quiz: str | None
    instructor_notes: tuple[str, ...]
    digcomp: tuple[str, ...] = ()

    @property
    def total_minutes(self) -> float:
        return self.teaching_minutes + self.exercise_minutes

    @property
    def notebook(self) -> Path:
        return notebooks_dir() / f"{self.id}.ipynb"


@dataclass(frozen=True)
class Syllabus:
    path: Path
    title_vi: str
    title_en: str
    modules: tuple[Module, ...]
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    teaching_demo_rubric: str | None = None
    redo_if_growth_marks_at_least: int = 3

    def module(self, module_id: str) -> Module:
        for m in self.modules:
            if m.id == module_id:
                return m
        raise KeyError(module_id)

    def module_for_quiz(self, quiz_id: str) -> Module:
        for m in self.modules:
            if m.quiz == quiz_id:
                return m
        raise KeyError(quiz_id)


def _err(path: Path, where: str, message: str, fix: str) -> UserError:
    return UserError(message, where=f"{path} [{where}]", fix=fix)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _text_list(path, where, entry, key, *, min_len, max_len=None):
    value = entry.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _err(path, where, f"'{key}' phải là danh sách các câu / must be a list of sentences",
                   f"viết '{key}:' là {FIELDS[key]}")
    if len(value) < min_len or (max_len is not None and len(value) > max_len):
        want = f"{min_len}-{max_len}" if max_len else f"at least {min_len}"
        raise _err(path, where, f"'{key}' có {len(value)} mục, cần {want} / has {len(value)} entries, needs {want}",
                   f"sửa '{key}': {FIELDS[key]}")
    return tuple(_nfc(v.strip()) for v in value)


def _minutes(path, where, entry, key):
    minutes = entry.get("minutes")
    if not isinstance(minutes, dict) or key not in minutes:
        raise _err(path, where, f"thiếu 'minutes.{key}' / missing 'minutes.{key}'", f"thêm {FIELDS['minutes']}")
    value = minutes[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise _err(path, where, f"'minutes.{key}' phải là một số phút, không phải {value!r} / must be a number",
                   "ví dụ 'minutes: {teaching: 20, exercises: 15}'")
    return float(value)


def load_syllabus(path: str | Path | None = None) -> Syllabus:
    """Read and validate the syllabus; raise UserError naming file, module and fix."""
    path = Path(path) if path else curriculum_dir() / "syllabus.yml"
    data = read_yaml_mapping(path, what="giáo trình / syllabus", fix="tạo curriculum/syllabus.yml")
    if not isinstance(data.get("modules"), list):
        raise _err(path, "modules", "thiếu danh sách 'modules' / no 'modules' list", "thêm 'modules:' với các bài học")

    quizzes: dict[str, Quiz] = {}
    for qid, spec in (data.get("quizzes") or {}).items():
        if not QUIZ_ID_PATTERN.match(str(qid)):
            raise _err(path, f"quizzes.{qid}", "mã bài kiểm tra phải là ASCII không dấu / quiz id must be an ASCII slug",
                       "ví dụ 'q05-vneid'")
        if not isinstance(spec, dict) or "bank" not in spec:
            raise _err(path, f"quizzes.{qid}", "thiếu 'bank' / missing 'bank'", "thêm 'bank: NN-slug.yml'")
        pm = spec.get("pass_mark", 0.75)
        if isinstance(pm, bool) or not isinstance(pm, int | float) or not 0 < pm <= 1:
            raise _err(path, f"quizzes.{qid}", f"'pass_mark' phải trong (0, 1], không phải {pm!r}",
                       "ví dụ 'pass_mark: 0.75'")
        quizzes[str(qid)] = Quiz(str(qid), str(spec["bank"]), float(pm))

    modules: list[Module] = []
    seen: set[str] = set()
    for index, entry in enumerate(data["modules"]):
        if not isinstance(entry, dict) or not entry.get("id"):
            raise _err(path, f"modules[{index}]", "bài học thiếu 'id' / module has no 'id'", f"thêm 'id': {FIELDS['id']}")
        mid = str(entry["id"])
        where = f"module {mid}"
        m = ID_PATTERN.match(mid)
        if not m:
            raise _err(path, where, "'id' không đúng dạng NN-slug / id is not NN-slug", FIELDS["id"])
        if mid in seen:
            raise _err(path, where, "'id' bị trùng / duplicated id", "mỗi bài học một id")
        seen.add(mid)
        unknown = set(entry) - set(FIELDS)
        if unknown:
            raise _err(path, where, f"khóa lạ {sorted(unknown)} / unknown keys",
                       "các khóa hợp lệ: " + ", ".join(FIELDS))
        title = entry.get("title")
        if not isinstance(title, dict) or not title.get("vi") or not title.get("en"):
            raise _err(path, where, "thiếu tiêu đề 'title.vi' hoặc 'title.en' / missing title", FIELDS["title"])
        quiz = entry.get("quiz")
        if quiz is not None and str(quiz) not in quizzes:
            raise _err(path, where, f"bài kiểm tra '{quiz}' không có trong 'quizzes:' / unknown quiz id",
                       "dùng một trong: " + ", ".join(quizzes) + " hoặc null")
        modules.append(Module(
            id=mid,
            number=int(m.group(1)),
            title_vi=_nfc(str(title["vi"])),
            title_en=str(title["en"]),
            teaching_minutes=_minutes(path, where, entry, "teaching"),
            exercise_minutes=_minutes(path, where, entry, "exercises"),
            objectives=_text_list(path, where, entry, "objectives", min_len=3, max_len=5),
            key_points=_text_list(path, where, entry, "key_points", min_len=1),
            quiz=str(quiz) if quiz is not None else None,
            instructor_notes=tuple(_nfc(n) for n in entry.get("instructor_notes") or ()),
            digcomp=tuple(entry.get("digcomp") or ()),
        ))
    numbers = [mod.number for mod in modules]
    if numbers != sorted(numbers):
        raise _err(path, "modules", "các bài học không theo thứ tự số / modules are not in numeric order",
                   "sắp xếp theo NN tăng dần")
    programme = data.get("programme") or {}
    ptitle = programme.get("title") or {}
    demo = programme.get("teaching_demo") or {}
    return Syllabus(
        path=path,
        title_vi=_nfc(ptitle.get("vi", "")),
        title_en=ptitle.get("en", ""),
        modules=tuple(modules),
        quizzes=quizzes,
        teaching_demo_rubric=demo.get("rubric"),
        redo_if_growth_marks_at_least=int(demo.get("redo_if_growth_marks_at_least", 3)),
    )


def minutes_table(syllabus: Syllabus, lang: str = "vi"):
    """The teaching/exercise minutes of every module as a DataFrame, with a total row."""
    import pandas as pd

    rows = [
        {
            "module": m.id,
            "title": m.title_vi if lang == "vi" else m.title_en,
            "teaching": m.teaching_minutes,
            "exercises": m.exercise_minutes,
            "total": m.total_minutes,
            "quiz": m.quiz or "",
        }
        for m in syllabus.modules
    ]
    table = pd.DataFrame(rows)
    total = {"module": "TỔNG" if lang == "vi" else "TOTAL", "title": "",
             "teaching": table["teaching"].sum(), "exercises": table["exercises"].sum(),
             "total": table["total"].sum(), "quiz": ""}
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    for col in ("teaching", "exercises", "total"):
        table[col] = table[col].astype(int)
    return table


def format_minutes_table(syllabus: Syllabus, lang: str = "vi") -> str:
    table = minutes_table(syllabus, lang)
    headers = {
        "vi": ["Bài", "Tiêu đề", "Giảng (phút)", "Bài tập (phút)", "Tổng (phút)", "Bài kiểm tra"],
        "en": ["Module", "Title", "Teaching (min)", "Exercises (min)", "Total (min)", "Quiz"],
    }[lang]
    table.columns = headers
    return table.to_string(index=False)


# ---------------------------------------------------------------- all content files
def _content_loaders():
    """Folder under curriculum/ -> function that loads and validates one file (raises UserError)."""
    from .handouts import load_handout
    from .quizzes.bank import load_bank
    from .rubric import load_rubric
    from .widgets import read_content_yaml
    from .widgets.ordering import OrderingExercise
    from .widgets.qrpractice import QRPractice
    from .widgets.scam import ScamSpotter
    from .widgets.scenario import Scenario
    from .widgets.teachback import TeachbackChecker

    def exercise(path: Path):
        kind = read_content_yaml(path).get("kind", "ordering")
        if kind == "teachback":
            return TeachbackChecker.from_yaml(path)
        if kind != "ordering":
            raise UserError(f"'kind: {kind}' không hợp lệ / unknown kind", where=str(path),
                            fix="dùng 'kind: ordering' hoặc 'kind: teachback'")
        return OrderingExercise.from_yaml(path)

    return {
        "quizzes": load_bank,
        "scenarios": Scenario.from_yaml,
        "exercises": exercise,
        "scams": ScamSpotter.from_yaml,
        "qr": QRPractice.from_yaml,
        "handouts": load_handout,
        "rubrics": load_rubric,
    }


def check_content(root: Path | None = None) -> list[tuple[Path, str | None]]:
    """Load every content file under curriculum/; return (file, error message or None) for each."""
    root = Path(root) if root else curriculum_dir()
    results: list[tuple[Path, str | None]] = []
    for folder, loader in _content_loaders().items():
        for path in sorted((root / folder).glob("*.yml")):
            try:
                loader(path)
            except UserError as exc:
                results.append((path, exc.one_line()))
            except Exception as exc:  # a loader bug must still be reported per file, not abort the check
                results.append((path, f"{type(exc).__name__}: {exc}"))
            else:
                results.append((path, None))
    return results


# ---------------------------------------------------------------- command line
def register(sub) -> None:
    p = sub.add_parser(
        "curriculum",
        help="kiểm tra giáo trình và in bảng thời lượng / check the syllabus, print the minutes table",
        description="Kiểm tra curriculum/syllabus.yml và in thời lượng giảng + bài tập của từng bài.\n"
        "Check curriculum/syllabus.yml and print teaching + exercise minutes per module.",
    )
    p.add_argument("--syllabus", type=Path, default=None, help="tệp giáo trình / syllabus file")
    p.add_argument("--lang", choices=["vi", "en"], default="vi", help="ngôn ngữ bảng / table language")
    p.add_argument("--check", action="store_true",
                   help="kiểm tra mọi tệp nội dung trong curriculum/ / validate every content file")
    p.set_defaults(func=_cmd_curriculum)


def _cmd_curriculum(args) -> int:
    syllabus = load_syllabus(args.syllabus)
    print(format_minutes_table(syllabus, args.lang))
    if not args.check:
        return 0
    results = check_content()
    bad = [(p, e) for p, e in results if e]
    for _, error in bad:
        print(f"  ✗ {error}")
    print(f"Nội dung / content: {len(results)} tệp đã đọc / files read, {len(results) - len(bad)} hợp lệ / valid, "
          f"{len(bad)} lỗi / with errors")
    return 2 if bad else 0


def demo_step(build: Path) -> dict[str, Path]:
    """Demo: check the syllabus and every content file, write the minutes table to build/curriculum/."""
    syllabus = load_syllabus()
    bad = [error for _, error in check_content() if error]
    if bad:
        raise UserError(f"{len(bad)} tệp nội dung lỗi / content files with errors: " + "; ".join(bad),
                        fix="chạy / run: hocvuso curriculum --check")
    out = build / "curriculum"
    out.mkdir(parents=True, exist_ok=True)
    target = out / "syllabus-minutes.csv"
    minutes_table(syllabus, "vi").to_csv(target, index=False, encoding="utf-8")
    return {"bảng thời lượng giáo trình / syllabus minutes": target}
