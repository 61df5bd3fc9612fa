"""“What would you say?” — a checker for teach-back phrasing.

The volunteer reads a situation ("you have just shown bác how to …; check that it worked") and
types what they would say. The checker looks for the key elements of a good teach-back request
(each element is a group of keywords; one match is enough) and flags dismissive or unhelpful
phrases ("dễ mà", "sao chậm thế", a yes/no "hiểu chưa?"). After any attempt the model answers are
shown, so the volunteer can compare. It is a practice aid, not a grader: the keywords catch the
usual phrasings, and the feedback says so.

Keyword matching is on NFC, lower-cased text with spaces collapsed. If the volunteer typed
without diacritics (no Vietnamese letters at all) the text and the keywords are both compared
without diacritics, so "de ma" is still flagged; text with diacritics is matched exactly, so
"để mà" is not mistaken for "dễ mà".

Public API
----------
``TeachbackChecker.from_yaml(path)`` / ``TeachbackChecker.load(name_or_path)``
    Read ``curriculum/exercises/<name>.yml`` (``kind: teachback``); a broken file raises
    :class:`~hocvuso.errors.UserError` naming the file, the element and the fix.
``checker.check(text) -> TeachbackResult``
    ``attempted``, ``present`` / ``missing`` (element ids), ``flagged`` (list of
    (phrase found, why)), ``good`` (all elements present, nothing flagged) and ``message``.
``TeachbackWidget(checker)`` / ``show_teachback(name_or_path)``
    The ipywidgets view: a Textarea, a "Kiểm tra" button, feedback and the model answers.

Content file::

    kind: teachback
    id: 02-noi-lai-lam-lai
    title: "..."
    situation: "Bạn vừa hướng dẫn bác ... Bạn sẽ nói gì?"
    elements:                      # what a good answer contains
      - id: nhan-trach-nhiem       # ASCII slug
        label: "Nhận phần trách nhiệm về mình"
        keywords: ["cháu giải thích", "cháu chỉ", "rõ chưa"]
        tip: "shown when the element is missing"
    avoid:                         # phrases to flag
      - phrases: ["dễ mà", "dễ thôi"]
        why: "why this phrase hurts"
    model_answers: ["...", "..."]
    source: "Nguồn: ..."

CSS classes (for browser tests): box ``hv-teachback``, the text area ``hv-teachback-input``,
button ``hv-check``, feedback ``hv-feedback``, model answers ``hv-model-answers``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import ASCII_SLUG, UserError
from . import content_file, escape, nfc, read_content_yaml, style_widget

__all__ = ["Element", "TeachbackChecker", "TeachbackResult", "TeachbackWidget", "show_teachback", "normalise"]

SLUG = ASCII_SLUG


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def normalise(text: str, *, ascii_fold: bool = False) -> str:
    """NFC, lower case, punctuation to spaces, single spaces; optionally without diacritics."""
    text = unicodedata.normalize("NFC", text).lower()
    if ascii_fold:
        text = strip_diacritics(text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " " + re.sub(r"\s+", " ", text).strip() + " "


def _has_diacritics(text: str) -> bool:
    return strip_diacritics(unicodedata.normalize("NFC", text)) != unicodedata.normalize("NFC", text)


def _contains(haystack: str, phrase: str, ascii_fold: bool) -> bool:
    needle = normalise(phrase, ascii_fold=ascii_fold)
    return needle in haystack


@dataclass(frozen=True)
class Element:
    id: str
    label: str
    keywords: tuple[str, ...]
    tip: str


@dataclass(frozen=True)
class Avoid:
    phrases: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class TeachbackResult:
    attempted: bool
    present: tuple[str, ...]
    missing: tuple[str, ...]
    flagged: tuple[tuple[str, str], ...]
    message: str

    @property
    def good(self) -> bool:
        return self.attempted and not self.missing and not self.flagged


@dataclass(frozen=True)
class TeachbackChecker:
    id: str
    title: str
    situation: str
    elements: tuple[Element, ...]
    avoid: tuple[Avoid, ...]
    model_answers: tuple[str, ...]
    source: str = ""
    path: Path | None = None

    @classmethod
    def load(cls, name_or_path: str | Path) -> TeachbackChecker:
        return cls.from_yaml(content_file("exercises", name_or_path))

    @classmethod
    def from_yaml(cls, path: str | Path) -> TeachbackChecker:
        path = Path(path)
        if not path.exists():
            raise UserError("không tìm thấy bài luyện nói lại – làm lại / teach-back exercise not found",
                            where=str(path), fix="kiểm tra tên tệp trong curriculum/exercises/")
        return cls.from_dict(read_content_yaml(path), path=path)

    @classmethod
    def from_dict(cls, data: dict, *, path: Path | None = None) -> TeachbackChecker:
        where = str(path) if path else "<teachback>"

        def err(item: str, message: str, fix: str) -> UserError:
            return UserError(message, where=f"{where} [{item}]", fix=fix)

        if data.get("kind") != "teachback":
            raise err("kind", "bài này không có 'kind: teachback' / not a teach-back exercise",
                      "thêm 'kind: teachback' ở đầu tệp")
        for key in ("title", "situation", "source"):
            if not isinstance(data.get(key), str) or not data[key].strip():
                raise err(key, f"thiếu '{key}' / missing '{key}'", f"thêm '{key}: \"...\"' (tiếng Việt)")
        raw_elements = data.get("elements")
        if not isinstance(raw_elements, list) or not raw_elements:
            raise err("elements", "thiếu 'elements' / missing elements",
                      "liệt kê các ý cần có, mỗi ý có id, label, keywords, tip")
        elements = []
        seen: set[str] = set()
        for index, raw in enumerate(raw_elements, start=1):
            eid = raw.get("id") if isinstance(raw, dict) else None
            item = f"element {eid}" if isinstance(eid, str) else f"elements[{index}]"
            if not isinstance(eid, str) or not SLUG.match(eid) or eid in seen:
                raise err(item, f"'id' phải là chữ ASCII không dấu và không trùng, không phải {eid!r}",
                          "ví dụ 'id: moi-lam-lai'")
            seen.add(eid)
            keywords = raw.get("keywords")
            if not isinstance(keywords, list) or not keywords or not all(isinstance(k, str) and k.strip() for k in keywords):
                raise err(item, "'keywords' phải là danh sách cụm từ / keywords must be a list of phrases",
                          "ví dụ 'keywords: [\"làm lại\", \"chỉ cho cháu\"]'")
            for key in ("label", "tip"):
                if not isinstance(raw.get(key), str) or not raw[key].strip():
                    raise err(item, f"thiếu '{key}' / missing '{key}'", f"thêm '{key}: \"...\"'")
            elements.append(Element(eid, nfc(raw["label"]), tuple(nfc(k) for k in keywords), nfc(raw["tip"])))
        avoid = []
        for index, raw in enumerate(data.get("avoid") or [], start=1):
            phrases = raw.get("phrases") if isinstance(raw, dict) else None
            if not isinstance(phrases, list) or not phrases or not isinstance(raw.get("why"), str):
                raise err(f"avoid[{index}]", "mỗi mục 'avoid' cần 'phrases' (danh sách) và 'why'",
                          "ví dụ '- {phrases: [\"dễ mà\"], why: \"...\"}'")
            avoid.append(Avoid(tuple(nfc(p) for p in phrases), nfc(raw["why"])))
        answers = data.get("model_answers")
        if not isinstance(answers, list) or not answers:
            raise err("model_answers", "thiếu câu trả lời mẫu / missing model answers",
                      "thêm 'model_answers:' với ít nhất một câu mẫu")
        checker = cls(
            id=str(data.get("id") or (path.stem if path else "teachback")),
            title=nfc(data["title"]), situation=nfc(data["situation"]), elements=tuple(elements),
            avoid=tuple(avoid), model_answers=tuple(nfc(a) for a in answers), source=nfc(data["source"]), path=path,
        )
        for index, answer in enumerate(checker.model_answers, start=1):
            result = checker.check(answer)
            if not result.good:
                problem = result.missing[0] if result.missing else result.flagged[0][0]
                raise err(f"model_answers[{index}]",
                          f"câu mẫu không đạt chính bài kiểm tra (thiếu/bị gắn cờ: {problem}) / a model answer fails its own check",
                          "sửa câu mẫu hoặc thêm từ khóa cho ý đó")
        return checker

    def check(self, text: str) -> TeachbackResult:
        if not text or not text.strip():
            return TeachbackResult(False, (), tuple(e.id for e in self.elements), (),
                                   "Bạn chưa gõ gì. Hãy viết câu bạn sẽ nói với người học rồi bấm «Kiểm tra».")
        fold = not _has_diacritics(text)
        haystack = normalise(text, ascii_fold=fold)
        present, missing = [], []
        for element in self.elements:
            hit = any(_contains(haystack, k, fold) for k in element.keywords)
            (present if hit else missing).append(element)
        flagged = []
        for rule in self.avoid:
            for phrase in rule.phrases:
                if _contains(haystack, phrase, fold):
                    flagged.append((phrase, rule.why))
                    break
        lines = []
        for element in present:
            lines.append(f"✔ Có ý: {element.label}.")
        for element in missing:
            lines.append(f"✘ Chưa thấy ý: {element.label}. {element.tip}")
        for phrase, why in flagged:
            lines.append(f"⚠ Tránh nói «{phrase}»: {why}")
        if not missing and not flagged:
            lines.append("Câu của bạn có đủ các ý chính. So sánh với các câu mẫu bên dưới.")
        if fold:
            lines.append("(Bạn gõ không dấu nên máy so khớp không dấu; khi nói với người học, bạn vẫn nói đủ dấu nhé.)")
        lines.append("Máy chỉ dò từ khóa nên có thể bỏ sót cách nói khác; hãy tự so với câu mẫu.")
        return TeachbackResult(True, tuple(e.id for e in present), tuple(e.id for e in missing),
                               tuple(flagged), "\n".join(lines))


class TeachbackWidget:
    """ipywidgets view: Textarea, “Kiểm tra” button, feedback, model answers after an attempt."""

    def __init__(self, checker: TeachbackChecker):
        import ipywidgets as w

        self.checker = checker
        self.last_result: TeachbackResult | None = None
        self.input = w.Textarea(placeholder="Gõ câu bạn sẽ nói với người học…",
                                layout=w.Layout(width="100%", height="5em"))
        self.input.add_class("hv-teachback-input")
        self.button = w.Button(description="Kiểm tra", button_style="primary", icon="check")
        self.button.add_class("hv-check")
        self.button.on_click(lambda _b: self.check())
        self.feedback = w.HTML(value="")
        self.feedback.add_class("hv-feedback")
        self.answers = w.HTML(value="")
        self.answers.add_class("hv-model-answers")
        header = w.HTML(value=f"<h4>{escape(checker.title)}</h4><p>{escape(checker.situation)}</p>")
        source = w.HTML(value=f"<p style='font-size:90%;color:#555'>{escape(checker.source)}</p>")
        self.box = w.VBox([style_widget(), header, self.input, self.button, self.feedback, self.answers, source])
        self.box.add_class("hv-teachback")

    def check(self, text: str | None = None) -> TeachbackResult:
        if text is not None:
            self.input.value = text
        result = self.checker.check(self.input.value)
        self.last_result = result
        self.feedback.value = "<p>" + "<br>".join(escape(line) for line in result.message.split("\n")) + "</p>"
        if result.attempted:
            items = "".join(f"<li>{escape(a)}</li>" for a in self.checker.model_answers)
            self.answers.value = f"<div style='background:#e8f5e9;padding:6px'><b>Câu mẫu</b><ul>{items}</ul></div>"
        return result

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def show_teachback(name_or_path: str | Path) -> None:
    """Display the teach-back exercise ``curriculum/exercises/<name>.yml`` (or a path) in the notebook."""
    from IPython.display import display

    display(TeachbackWidget(TeachbackChecker.load(name_or_path)).box)
