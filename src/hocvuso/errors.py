"""User-facing errors.

Anything a volunteer, coordinator or researcher can cause (a missing file, a broken YAML
entry, an unusable export) is raised as :class:`UserError`. The command line prints it on
one line and exits with code 2; no traceback reaches the user.
"""

from __future__ import annotations

import re

#: The one id rule of every text source (module slugs, quiz and item ids, scenario nodes …):
#: lower-case ASCII words joined by hyphens, because nbgrader rejects diacritics in its ids.
ASCII_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class UserError(Exception):
    """An error the user can fix: says what is wrong, where, and how to fix it.

    ``message`` says what is wrong (Vietnamese first is fine, English for developer-facing
    parts); ``where`` names the file, row, item or field; ``fix`` says what to do.
    """

    exit_code = 2

    def __init__(self, message: str, *, where: str | None = None, fix: str | None = None):
        self.message = message
        self.where = where
        self.fix = fix
        super().__init__(self.one_line())

    def one_line(self) -> str:
        parts = []
        if self.where:
            parts.append(f"{self.where}: ")
        parts.append(self.message)
        if self.fix:
            parts.append(f" — cách sửa / fix: {self.fix}")
        return "".join(parts)


def require_file(path, *, what: str = "tệp / file", fix: str | None = None):
    """Return ``path`` as a Path if it is an existing file, else raise a UserError."""
    from pathlib import Path

    p = Path(path)
    if not p.exists():
        raise UserError(
            f"không tìm thấy {what} / not found",
            where=str(p),
            fix=fix or "kiểm tra lại đường dẫn / check the path",
        )
    return p


def read_yaml_mapping(path, *, what: str = "tệp / file", fix: str | None = None) -> dict:
    """Read a YAML file that must hold a mapping; every failure is a UserError naming the file.

    A missing file says what was expected (``what``, ``fix``); a syntax error names the line;
    a file whose top level is not ``key: value`` pairs says so. Used by every text source
    (syllabus, question banks, rubrics, handouts, lesson content, survey instruments).
    """
    from pathlib import Path

    import yaml

    p = require_file(path, what=what, fix=fix)
    try:
        data = yaml.safe_load(Path(p).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" [line {mark.line + 1}]" if mark else ""
        raise UserError("YAML không đọc được / invalid YAML", where=f"{p}{line}",
                        fix="kiểm tra thụt lề, dấu hai chấm và dấu ngoặc kép / check indentation, colons, quotes") from None
    except UnicodeDecodeError:
        raise UserError("tệp không phải UTF-8 / not UTF-8 text", where=str(p),
                        fix="lưu lại tệp với mã hóa UTF-8 / save the file as UTF-8") from None
    if not isinstance(data, dict):
        raise UserError("tệp phải là một bảng khóa: giá trị / the file must be a YAML mapping (key: value)",
                        where=str(p), fix=fix or "xem ví dụ trong tài liệu / see the documented example")
    return data
