"""``hocvuso quizzes build``: question banks → nbgrader source notebooks → nbgrader release.

Every bank becomes ``course/source/<quiz-id>/<quiz-id>.ipynb`` with nbgrader metadata written
by construction (schema 3, ASCII ``grade_id`` = ``de-``/``tl-``/``kt-`` + item id, points on the
test cells, prompt cells locked). Then nbgrader's own ``generate_assignment`` (through its
Python API, ``--force``) writes ``course/release/<quiz-id>/`` and records the assignment and its
cells in the gradebook. The only change to nbgrader's pipeline: :class:`ClearSolutionsPerCell`
gives each answer cell its own one-line Vietnamese stub (nbgrader's ``code_stub`` is one per
language); if the formgrader's "Generate" button is used instead, answer cells get the course's
generic stub from ``course/nbgrader_config.py``, which works the same way.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
from nbgrader.preprocessors import ClearSolutions

from ..errors import UserError
from ..paths import course_dir
from .bank import Bank, Item, instruction, load_banks

SCHEMA_VERSION = 3
REFLECTION_STUB = "_Viết câu trả lời của bạn ở đây (3–5 câu)._"
SELF_CHECK_SOURCE = "# Tự kiểm tra trước khi nộp bài: chạy ô này (không cho biết đúng hay sai)\ntu_kiem_tra()"
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"


class ClearSolutionsPerCell(ClearSolutions):
    """nbgrader's ClearSolutions, but the stub of a code cell comes from ``metadata.hocvuso.stub``."""

    def _replace_solution_region(self, cell, language):
        stub = cell.metadata.get("hocvuso", {}).get("stub")
        if cell.cell_type != "code" or not stub:
            return super()._replace_solution_region(cell, language)
        saved = self.code_stub
        self.code_stub = {**saved, language: stub}
        try:
            return super()._replace_solution_region(cell, language)
        finally:
            self.code_stub = saved


def _meta(grade_id: str, *, grade=False, solution=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": SCHEMA_VERSION,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def _md(source: str, meta: dict) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_markdown_cell(source, metadata=meta)
    cell.id = meta["nbgrader"]["grade_id"]
    return cell


def _code(source: str, meta: dict) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source, metadata=meta)
    cell.id = meta["nbgrader"]["grade_id"]
    return cell


def _py(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _pts(p: float) -> str:
    return f"{p:g} điểm"


def _prompt_markdown(n: int, item: Item) -> str:
    lines = [f"### Câu {n} ({_pts(item.points)})", ""]
    if item.scenario:
        lines += [f"**Tình huống:** {item.scenario}", ""]
    lines += [item.prompt, ""]
    if item.type in ("single", "scenario", "multiple"):
        lines += [f"- **{o.letter}.** {o.text}" for o in item.options]
    elif item.type == "ordering":
        lines += [f"- **{k}.** {text}" for k, text in item.steps]
    lines += ["", f"_Cách trả lời: {instruction(item.type, item.letters)}._"]
    return "\n".join(lines).rstrip()


def solution_value(item: Item) -> str:
    key = item.key()
    if item.type == "multiple":
        return ", ".join(sorted(key))
    if item.type == "ordering":
        return " ".join(key)
    if item.type == "short":
        return key[0]
    return key


def _hidden_key(item: Item) -> str:
    key = item.key()
    if item.type == "multiple":
        return _py("".join(sorted(key)))
    if item.type == "short":
        return _py(list(key))
    return _py(key)


def answer_stub(item: Item) -> str:
    return f'tra_loi = ""  # {instruction(item.type, item.letters)}'


def source_notebook(bank: Bank) -> nbformat.NotebookNode:
    """The nbgrader SOURCE notebook of one bank (solutions and hidden tests included)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
        "hocvuso": {"quiz": bank.quiz, "module": bank.module, "generated_by": "hocvuso quizzes build"},
    }
    auto = bank.auto_items
    total = bank.auto_points
    intro = [
        f"# {bank.title_vi}",
        "",
        f"Bài gồm {len(auto)} câu chấm tự động ({total:g} điểm) và 1 câu suy ngẫm do điều phối viên chấm.",
        "",
        "**Cách làm bài**",
        "",
        "1. Chạy ô đầu tiên (bấm vào ô rồi Shift + Enter).",
        '2. Với mỗi câu: gõ câu trả lời **giữa hai dấu nháy** trong ô `tra_loi = ""`, rồi chạy ô đó '
        "và ô kiểm tra ngay bên dưới.",
        "3. Viết câu suy ngẫm vào ô chữ ở cuối bài.",
        "4. Trước khi nộp: Run → Run All Cells, rồi xem kết quả **tự kiểm tra** ở ô cuối cùng.",
        "5. Lưu bài (Ctrl + S) và nộp trong thẻ Assignments (Submit).",
        "",
        "_Không sửa các ô bị khóa; chỉ gõ vào ô trả lời._",
    ]
    nb.cells.append(_md("\n".join(intro), _meta("gioi-thieu", locked=True)))
    items_literal = ",\n".join(f"    ({_py(i.id)}, {_py(i.type)}, {_py(''.join(i.letters))})" for i in auto)
    setup = ("# Ô khởi động (chạy ô này trước)\n"
             "from hocvuso.quizzes.grading import bat_dau, cham, kiem_tra\n"
             "from hocvuso.quizzes.selfcheck import tu_kiem_tra\n\n"
             f"bat_dau({_py(bank.quiz)}, [\n{items_literal},\n])")
    nb.cells.append(_code(setup, _meta("khoi-dong", locked=True)))
    for n, item in enumerate(auto, start=1):
        nb.cells.append(_md(_prompt_markdown(n, item), _meta(f"de-{item.id}", locked=True)))
        answer = _code(f"### BEGIN SOLUTION\ntra_loi = {_py(solution_value(item))}\n### END SOLUTION",
                       _meta(f"tl-{item.id}", solution=True))
        answer.metadata["hocvuso"] = {"item": item.id, "type": item.type, "stub": answer_stub(item)}
        nb.cells.append(answer)
        test = (f"# Ô kiểm tra câu {n} (khóa): chạy sau ô trả lời\n"
                f"kiem_tra({_py(item.id)})\n"
                f"{HIDDEN_BEGIN}\ncham({_py(item.id)}, {_hidden_key(item)})\n{HIDDEN_END}")
        nb.cells.append(_code(test, _meta(f"kt-{item.id}", grade=True, locked=True, points=item.points)))
    refl = bank.reflection
    rubric = "\n".join(f"- ({_pts(p)}) {c}" for p, c in refl.rubric)
    nb.cells.append(_md(f"### Câu suy ngẫm ({_pts(refl.points)}, điều phối viên chấm)\n\n{refl.prompt}\n\n"
                        f"**Tiêu chí chấm:**\n\n{rubric}", _meta(f"de-{refl.id}", locked=True)))
    nb.cells.append(_md(REFLECTION_STUB, _meta(refl.id, grade=True, solution=True, points=refl.points)))
    nb.cells.append(_code(SELF_CHECK_SOURCE, _meta("tu-kiem-tra", locked=True)))
    return nb


def write_source(bank: Bank, course: Path) -> Path:
    target = course / "source" / bank.quiz / f"{bank.quiz}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(source_notebook(bank), target)
    return target


def nbgrader_config(course: Path, **overrides):
    """The course's ``nbgrader_config.py`` plus hocvuso's overrides, as a traitlets Config."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    cfg_file = course / "nbgrader_config.py"
    if not cfg_file.exists():
        raise UserError("không thấy cấu hình nbgrader / nbgrader_config.py not found", where=str(cfg_file),
                        fix="sao chép course/nbgrader_config.py của kho mã vào thư mục khóa học")
    cfg = PyFileConfigLoader(cfg_file.name, path=str(course)).load_config()
    cfg.CourseDirectory.root = str(course)
    extra = Config(overrides)
    cfg.merge(extra)
    return cfg


def generate_config(course: Path):
    from nbgrader.converters import GenerateAssignment

    cfg = nbgrader_config(course)
    pre = [ClearSolutionsPerCell if p is ClearSolutions else p for p in GenerateAssignment.preprocessors.default()]
    cfg.GenerateAssignment.preprocessors = pre
    cfg.ClearSolutions.text_stub = REFLECTION_STUB
    return cfg


def ensure_tools_on_path() -> None:
    """nbgrader runs the ``alembic`` command when it creates a gradebook: put the venv's bin/ on PATH."""
    import os
    import sys

    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def generate(course: Path, quiz_id: str) -> Path:
    """Run nbgrader's generate_assignment (API, force) for one quiz; return its release folder."""
    from nbgrader.apps import NbGraderAPI

    ensure_tools_on_path()
    api = NbGraderAPI(config=generate_config(course))
    api.log.setLevel("ERROR")
    result = api.generate_assignment(quiz_id, force=True, create=True)
    if not result.get("success"):
        raise UserError(f"nbgrader generate_assignment thất bại / failed: {result.get('error') or result.get('log')}",
                        where=quiz_id, fix="kiểm tra ngân hàng câu hỏi và course/nbgrader_config.py")
    return course / "release" / quiz_id


def release_to_exchange(course: Path, exchange: Path, quizzes: list[str]) -> None:
    """nbgrader's ``release_assignment`` into an exchange folder (what JupyterLab's Assignments tab lists)."""
    from nbgrader.apps import NbGraderAPI

    exchange = Path(exchange)
    exchange.mkdir(parents=True, exist_ok=True)
    cfg = generate_config(course)
    cfg.Exchange.root = str(exchange.resolve())
    cfg.ExchangeReleaseAssignment.force = True
    api = NbGraderAPI(config=cfg)
    for qid in quizzes:
        result = api.release_assignment(qid)
        if not result.get("success"):
            raise UserError(f"nbgrader release_assignment thất bại / failed: {result.get('error') or result.get('log')}",
                            where=qid, fix=f"kiểm tra quyền ghi thư mục trao đổi / check the exchange folder {exchange}")


def build(course: Path | None = None, *, only: list[str] | None = None, progress=print,
          exchange: Path | None = None) -> dict[str, Path]:
    """Build every bank present (or ``only`` these quiz ids); return {quiz id: release folder}."""
    course = Path(course) if course else course_dir()
    from ..curriculum import load_syllabus

    if only:
        known = load_syllabus().quizzes
        unknown = set(only) - set(known)
        if unknown:
            raise UserError(f"không có bài kiểm tra {sorted(unknown)} / unknown quiz", where="--quiz",
                            fix="dùng một trong: " + ", ".join(known))
    banks = load_banks(only=only)
    if not banks:
        raise UserError("chưa có ngân hàng câu hỏi nào / no question bank yet", where="curriculum/quizzes/",
                        fix="thêm tệp theo docs/QUIZ-BANKS.md")
    out: dict[str, Path] = {}
    for n, (qid, bank) in enumerate(banks.items(), start=1):
        release = course / "release" / qid
        if release.exists():
            shutil.rmtree(release)
        write_source(bank, course)
        out[qid] = generate(course, qid)
        if progress:
            progress(f"  [{n}/{len(banks)}] {qid}: {len(bank.auto_items)} câu + suy ngẫm → {out[qid]}")
    if exchange:
        release_to_exchange(course, exchange, list(out))
        if progress:
            progress(f"  phát vào thư mục trao đổi / released to the exchange: {exchange}")
    return out


def demo_step(build_folder: Path) -> dict[str, Path]:
    """Demo: build every quiz into the course (course/source, course/release, gradebook) and release
    it into ``build/lab/exchange``, the exchange ``hocvuso lab`` gives JupyterLab's Assignments tab."""
    course = course_dir()
    exchange = build_folder / "lab" / "exchange"
    out = build(course, progress=print, exchange=exchange)
    return {"bài kiểm tra gốc / source notebooks": course / "source",
            f"{len(out)} bài phát cho TNV / released quizzes": course / "release",
            "thư mục trao đổi nbgrader / nbgrader exchange": exchange}
