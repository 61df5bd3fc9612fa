"""User-facing errors.

Anything a volunteer, coordinator or researcher can cause (a missing file, a broken YAML
entry, an unusable export) is raised as :class:`UserError`. The command line prints it on
one line and exits with code 2; no traceback reaches the user.
"""

from __future__ import annotations


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
