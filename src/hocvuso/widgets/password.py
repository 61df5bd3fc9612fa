"""Password-strength explainer that never stores or prints what the volunteer types.

Only *features* of the typed text are computed — its length and which kinds of characters it
has — and explained against the VNeID password rule: 8–20 characters with an upper-case
letter, a lower-case letter, a digit and a special character (VNeID user handbook). The text
itself is dropped as soon as the features are counted: :class:`PasswordFeatures` holds only
numbers and booleans, and the widget empties its password box after each check.

Public API
----------

``features(text) -> PasswordFeatures``
    Count the features; keeps nothing of the text.
``explain(feats) -> Explanation``
    Whether the VNeID rule is met, one line per requirement (Vietnamese) and advice.
``PasswordChecker``
    Pure-Python logic: ``check(text) -> Explanation``; remembers only the last explanation.
``PasswordWidget`` / ``show_password_checker()``
    The ipywidgets view: a ``Password`` box (characters shown as dots), a "Kiểm tra" button;
    after the check the box is emptied.

CSS classes (for browser tests): ``hv-password`` (the box), ``hv-password-input``, ``hv-check``,
``hv-feedback``.
"""

from __future__ import annotations

import math
import string
import unicodedata
from dataclasses import dataclass

from . import escape

__all__ = ["VNEID_MIN_LENGTH", "VNEID_MAX_LENGTH", "PasswordFeatures", "Explanation", "features", "explain",
           "PasswordChecker", "PasswordWidget", "show_password_checker"]

VNEID_MIN_LENGTH = 8
VNEID_MAX_LENGTH = 20
SOURCE = ("Nguồn: quy định mật khẩu VNeID — 8 đến 20 ký tự, có chữ hoa, chữ thường, chữ số và ký tự "
          "đặc biệt (sổ tay hướng dẫn sử dụng VNeID). Ô mật khẩu không lưu và không in những gì bạn gõ.")


@dataclass(frozen=True)
class PasswordFeatures:
    """What can be said about a password without keeping it: counts and yes/no flags only."""

    length: int
    upper: bool
    lower: bool
    digit: bool
    special: bool
    accented: bool
    space: bool

    @property
    def pool_size(self) -> int:
        """How many different characters an attacker must try per position, given the kinds used."""
        return ((26 if self.upper else 0) + (26 if self.lower else 0) + (10 if self.digit else 0)
                + (33 if self.special or self.space else 0) + (60 if self.accented else 0))

    @property
    def guesses_log10(self) -> int:
        """Rounded log10 of pool_size ** length: the order of magnitude of blind guesses needed."""
        if not self.length or not self.pool_size:
            return 0
        return int(self.length * math.log10(self.pool_size))


def features(text: str) -> PasswordFeatures:
    """Count the features of ``text``; the returned object contains nothing of the text itself."""
    text = unicodedata.normalize("NFC", text or "")
    return PasswordFeatures(
        length=len(text),
        upper=any(c in string.ascii_uppercase for c in text),
        lower=any(c in string.ascii_lowercase for c in text),
        digit=any(c in string.digits for c in text),
        special=any(c in string.punctuation for c in text),
        accented=any(not c.isascii() for c in text),
        space=any(c.isspace() for c in text),
    )


@dataclass(frozen=True)
class Explanation:
    features: PasswordFeatures
    meets_vneid_rule: bool
    checks: tuple[tuple[str, bool], ...]
    advice: tuple[str, ...]
    summary: str


def explain(feats: PasswordFeatures) -> Explanation:
    """Explain ``feats`` against the VNeID rule, in Vietnamese, one line per requirement."""
    n = feats.length
    length_ok = VNEID_MIN_LENGTH <= n <= VNEID_MAX_LENGTH
    checks = (
        (f"Độ dài {VNEID_MIN_LENGTH}–{VNEID_MAX_LENGTH} ký tự (bạn gõ {n} ký tự)", length_ok),
        ("Có chữ hoa (A–Z)", feats.upper),
        ("Có chữ thường (a–z)", feats.lower),
        ("Có chữ số (0–9)", feats.digit),
        ("Có ký tự đặc biệt (ví dụ ! @ # ? .)", feats.special),
    )
    meets = all(ok for _label, ok in checks)
    advice: list[str] = []
    if n == 0:
        advice.append("Chưa gõ gì. Gõ thử một mật khẩu KHÔNG phải mật khẩu thật của ai.")
    elif n < VNEID_MIN_LENGTH:
        advice.append(f"Thêm {VNEID_MIN_LENGTH - n} ký tự nữa: mật khẩu càng dài càng khó đoán.")
    elif n > VNEID_MAX_LENGTH:
        advice.append(f"Dài quá {VNEID_MAX_LENGTH} ký tự: VNeID không nhận. Bớt {n - VNEID_MAX_LENGTH} ký tự.")
    missing = [label.split(" (")[0].removeprefix("Có ") for label, ok in checks[1:] if not ok]
    if missing:
        advice.append("Còn thiếu: " + ", ".join(missing) + ".")
    if feats.accented:
        advice.append("Có chữ có dấu hoặc ký tự ngoài bảng chữ cái không dấu: dễ gõ sai trên máy khác; "
                      "nên dùng chữ không dấu.")
    if feats.space:
        advice.append("Có khoảng trắng: khó nhìn thấy khi gõ và khi đọc lại sổ ghi; nên tránh.")
    if meets:
        advice.append("Đạt quy định của VNeID. Muốn dễ nhớ: ghép chữ cái đầu của một câu mình thuộc, "
                      "thêm số và dấu câu; ghi vào sổ cất kỹ ở nhà.")
    summary = (f"{'Đạt' if meets else 'Chưa đạt'} quy định mật khẩu VNeID. "
               f"Số cách đoán mò: cỡ 10^{feats.guesses_log10} (số 1 và {feats.guesses_log10} số 0 phía sau).")
    return Explanation(feats, meets, checks, tuple(advice), summary)


class PasswordChecker:
    """The explainer's logic without a browser. Keeps only the last :class:`Explanation`."""

    def __init__(self) -> None:
        self.last: Explanation | None = None
        self.checks_done = 0

    def check(self, text: str) -> Explanation:
        result = explain(features(text))
        self.last = result
        self.checks_done += 1
        return result

    def __repr__(self) -> str:
        return f"PasswordChecker(checks_done={self.checks_done})"


def render_explanation(result: Explanation) -> str:
    colour = "#1b5e20" if result.meets_vneid_rule else "#b71c1c"
    rows = "".join(
        f"<li style='color:{'#1b5e20' if ok else '#b71c1c'}'>{'✔' if ok else '✘'} {escape(label)}</li>"
        for label, ok in result.checks
    )
    advice = "".join(f"<li>{escape(a)}</li>" for a in result.advice)
    return (f"<p style='color:{colour};font-size:110%'><b>{escape(result.summary)}</b></p>"
            f"<ul style='list-style:none;padding-left:0'>{rows}</ul>"
            + (f"<p><b>Gợi ý:</b></p><ul>{advice}</ul>" if advice else ""))


class PasswordWidget:
    """ipywidgets view: a Password box and a "Kiểm tra" button; the box is emptied after each check."""

    def __init__(self, checker: PasswordChecker | None = None):
        import ipywidgets as w

        self.checker = checker or PasswordChecker()
        self.input = w.Password(description="Mật khẩu thử:", placeholder="gõ thử, không dùng mật khẩu thật",
                                continuous_update=False, style={"description_width": "initial"},
                                layout=w.Layout(width="28em"))
        self.input.add_class("hv-password-input")
        button = w.Button(description="Kiểm tra", button_style="primary", icon="check")
        button.add_class("hv-check")
        button.on_click(lambda _b: self.check())
        self.feedback = w.HTML()
        self.feedback.add_class("hv-feedback")
        intro = w.HTML("<h4>Mật khẩu này có đạt quy định của VNeID không?</h4>"
                       "<p>Gõ thử một mật khẩu <b>bịa ra</b> rồi bấm «Kiểm tra». Máy chỉ đếm độ dài và "
                       "loại ký tự; ô sẽ được xóa ngay sau khi kiểm tra.</p>")
        note = w.HTML(f"<p style='font-size:90%;color:#555'>{escape(SOURCE)}</p>")
        self.box = w.VBox([intro, w.HBox([self.input, button]), self.feedback, note])
        self.box.add_class("hv-password")

    def check(self) -> Explanation:
        result = self.checker.check(self.input.value)
        self.input.value = ""
        self.feedback.value = render_explanation(result)
        return result

    def __repr__(self) -> str:
        return f"PasswordWidget({self.checker!r})"

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def show_password_checker() -> None:
    """Display the password-strength explainer in the notebook."""
    from IPython.display import display

    display(PasswordWidget().box)
