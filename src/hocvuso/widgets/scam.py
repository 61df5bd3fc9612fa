"""Scam spotter: read a mock SMS, Zalo message or call transcript and classify it.

Every message is fictional, written after the patterns the press and the police reported
(see the content file's ``source``). After each answer the volunteer sees the red flags
("dấu hiệu") and why, so the practice teaches what to look for, not only the label.

Public API
----------

``ScamSpotter.load(name_or_path)`` / ``ScamSpotter.from_yaml(path)``
    Read and validate ``curriculum/scams/<name>.yml``; a broken file raises
    :class:`~hocvuso.errors.UserError` naming the file, the message id, the field and the fix.
``spotter.check(message_id, verdict) -> Feedback``
    ``verdict`` is one of :data:`VERDICTS` (``lua-dao``, ``can-kiem-tra``, ``an-toan``).
``spotter.score(answers) -> (correct, total)``
    ``answers`` maps message ids to verdicts.
``ScamSpotterWidget(spotter)`` / ``show_scam_spotter(name_or_path)``
    The ipywidgets view (one message at a time, three answer buttons, then the red flags).

Content file (``curriculum/scams/<NN-slug>.yml``)::

    id: 07-lua-dao-nguoi-cao-tuoi
    title: "Tin nhắn và cuộc gọi: lừa đảo hay không?"
    instructions: "Đọc từng tin rồi chọn ..."
    source: "Nguồn: ..."           # shown under the exercise
    messages:
      - id: gia-cong-an-vneid      # ASCII slug, unique in the file
        channel: call              # sms | zalo | call
        sender: "Số lạ"            # what the phone shows (never a real number)
        text: |                    # for calls one line per turn, "Người gọi: ..."
          Người gọi: ...
        verdict: lua-dao           # lua-dao | can-kiem-tra | an-toan
        red_flags:                 # at least one unless the verdict is an-toan
          - "Gọi điện đòi cập nhật VNeID"
        explanation: "..."         # what to do instead

CSS classes (for browser tests): ``hv-scam`` (the box), ``hv-message``, ``hv-choice``,
``hv-feedback``, ``hv-next``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from . import content_file, escape, nfc, read_content_yaml
from .verdicts import Feedback, flags_of, judge, read_items

__all__ = ["VERDICTS", "CHANNELS", "Message", "Feedback", "ScamSpotter", "ScamSpotterWidget",
           "show_scam_spotter"]

#: verdict id -> the label on the answer button.
VERDICTS: dict[str, str] = {
    "lua-dao": "Lừa đảo",
    "can-kiem-tra": "Cần kiểm tra",
    "an-toan": "An toàn",
}

#: channel id -> how the message is introduced.
CHANNELS: dict[str, str] = {
    "sms": "Tin nhắn SMS",
    "zalo": "Tin nhắn Zalo",
    "call": "Cuộc gọi (lời thoại)",
}

MESSAGE_KEYS = {"id", "channel", "sender", "text", "verdict", "red_flags", "explanation"}


@dataclass(frozen=True)
class Message:
    id: str
    channel: str
    sender: str
    text: str
    verdict: str
    red_flags: tuple[str, ...]
    explanation: str

    @property
    def lines(self) -> list[tuple[str, str]]:
        """The text as (speaker, words) pairs; speaker is "" for lines without "Ai: ..."."""
        out = []
        for line in self.text.splitlines():
            if not line.strip():
                continue
            speaker, sep, words = line.partition(":")
            if sep and 0 < len(speaker) <= 20 and self.channel == "call":
                out.append((speaker.strip(), words.strip()))
            else:
                out.append(("", line.strip()))
        return out


@dataclass(frozen=True)
class ScamSpotter:
    id: str
    title: str
    instructions: str
    messages: tuple[Message, ...]
    source: str = ""
    path: Path | None = None

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, name_or_path: str | Path) -> ScamSpotter:
        return cls.from_yaml(content_file("scams", name_or_path))

    @classmethod
    def from_yaml(cls, path: str | Path) -> ScamSpotter:
        path = Path(path)
        if not path.exists():
            raise UserError("không tìm thấy bài nhận diện lừa đảo / scam exercise not found", where=str(path),
                            fix="kiểm tra tên tệp trong curriculum/scams/")
        return cls.from_dict(read_content_yaml(path), path=path)

    @classmethod
    def from_dict(cls, data: Mapping, *, path: Path | None = None) -> ScamSpotter:
        where = str(path) if path else "<scams>"

        def err(item: str, message: str, fix: str) -> UserError:
            return UserError(message, where=f"{where} [{item}]", fix=fix)

        for key in ("title", "instructions", "source"):
            if not isinstance(data.get(key), str) or not data[key].strip():
                raise err(key, f"thiếu '{key}' / missing '{key}'", f"thêm '{key}: \"...\"' (tiếng Việt)")
        messages: list[Message] = []
        for mid, item, entry in read_items(
            data.get("messages"), err=err, list_key="messages", noun="tin", keys=MESSAGE_KEYS,
            texts=("sender", "text", "explanation"), verdicts=VERDICTS, safe_verdict="an-toan",
            example='- {id: tin-1, channel: sms, sender: "...", text: "...", verdict: lua-dao, ...}',
            id_example="gia-cong-an-vneid", flag_example="Đòi mã OTP",
            flags_needed="tin lừa đảo hoặc cần kiểm tra phải có ít nhất một dấu hiệu / "
                         "a scam or doubtful message needs at least one red flag",
        ):
            channel = entry.get("channel")
            if channel not in CHANNELS:
                raise err(f"{item}.channel", f"'channel' không hợp lệ: {channel!r} / unknown channel",
                          "dùng một trong: " + ", ".join(CHANNELS))
            messages.append(Message(
                id=mid, channel=channel, sender=nfc(entry["sender"]), text=nfc(entry["text"]),
                verdict=entry["verdict"], red_flags=flags_of(entry), explanation=nfc(entry["explanation"]),
            ))
        return cls(
            id=str(data.get("id") or (path.stem if path else "scams")),
            title=nfc(data["title"]), instructions=nfc(data["instructions"]),
            messages=tuple(messages), source=nfc(data["source"]), path=path,
        )

    # ------------------------------------------------------------------ logic
    def message(self, message_id: str) -> Message:
        for m in self.messages:
            if m.id == message_id:
                return m
        raise UserError(f"không có tin '{message_id}' / no such message", where=str(self.path or self.id),
                        fix="các tin: " + ", ".join(m.id for m in self.messages))

    def check(self, message_id: str, verdict: str) -> Feedback:
        """Compare the volunteer's verdict with the expected one and explain the red flags."""
        m = self.message(message_id) if verdict in VERDICTS else None
        return judge(VERDICTS, verdict, m.verdict if m else "", m.red_flags if m else (), m.explanation if m else "",
                     where=str(self.path or self.id), right="Đúng: đây là tin «{expected}».",
                     wrong="Chưa đúng: bạn chọn «{chosen}», nhưng đây là tin «{expected}».")

    def score(self, answers: Mapping[str, str]) -> tuple[int, int]:
        """(number of correct answers, number of messages answered)."""
        results = [self.check(mid, v) for mid, v in answers.items()]
        return sum(r.correct for r in results), len(results)


# ---------------------------------------------------------------------- view
_BUBBLE = {
    "sms": "background:#e8f0fe;border-radius:14px;",
    "zalo": "background:#e3f2fd;border-left:6px solid #0068ff;border-radius:10px;",
    "call": "background:#fff8e1;border-left:6px solid #ff8f00;border-radius:6px;",
}


def render_message(m: Message) -> str:
    """The message as HTML, looking roughly like the phone shows it."""
    lines = []
    for speaker, words in m.lines:
        if speaker:
            lines.append(f"<div><b>{escape(speaker)}:</b> {escape(words)}</div>")
        else:
            lines.append(f"<div>{escape(words)}</div>")
    return (f"<div class='hv-message-body' style='{_BUBBLE[m.channel]}padding:10px 14px;max-width:34em;"
            f"font-size:110%;line-height:1.5'>"
            f"<div style='color:#444;font-size:90%'>{escape(CHANNELS[m.channel])} — "
            f"<b>{escape(m.sender)}</b></div>{''.join(lines)}</div>")


def render_feedback(fb: Feedback) -> str:
    colour = "#1b5e20" if fb.correct else "#b71c1c"
    mark = "✔" if fb.correct else "✘"
    parts = [f"<p style='color:{colour};font-size:110%'>{mark} {escape(fb.message)}</p>"]
    if fb.red_flags:
        items = "".join(f"<li>{escape(f)}</li>" for f in fb.red_flags)
        parts.append(f"<p><b>Dấu hiệu cần chú ý:</b></p><ul>{items}</ul>")
    parts.append(f"<p>{escape(fb.explanation)}</p>")
    return "".join(parts)


class ScamSpotterWidget:
    """ipywidgets view: one message at a time, three answer buttons, then red flags and "Tin tiếp theo".

    ``.index`` is the message shown; ``.answer(verdict)`` and ``.next()`` are what the buttons do;
    ``.answers`` maps message ids to the verdict chosen first.
    """

    def __init__(self, spotter: ScamSpotter):
        import ipywidgets as w

        self.spotter = spotter
        self.index = 0
        self.answers: dict[str, str] = {}
        self.progress = w.HTML()
        self.body = w.HTML()
        self.body.add_class("hv-message")
        self.feedback = w.HTML()
        self.feedback.add_class("hv-feedback")
        styles = {"lua-dao": "danger", "can-kiem-tra": "warning", "an-toan": "success"}
        self.buttons = []
        for verdict, label in VERDICTS.items():
            b = w.Button(description=label, button_style=styles[verdict], tooltip=label)
            b.add_class("hv-choice")
            b.on_click(lambda _b, v=verdict: self.answer(v))
            self.buttons.append(b)
        self.next_button = w.Button(description="Tin tiếp theo ▶", disabled=True)
        self.next_button.add_class("hv-next")
        self.next_button.on_click(lambda _b: self.next())
        header = w.HTML(f"<h4>{escape(spotter.title)}</h4><p>{escape(spotter.instructions)}</p>")
        parts = [header, self.progress, self.body, w.HBox(self.buttons), self.feedback, self.next_button]
        if spotter.source:
            parts.append(w.HTML(f"<p style='font-size:90%;color:#555'>{escape(spotter.source)}</p>"))
        self.box = w.VBox(parts)
        self.box.add_class("hv-scam")
        self._render()

    @property
    def current(self) -> Message:
        return self.spotter.messages[self.index]

    def _render(self) -> None:
        right, answered = self.spotter.score(self.answers)
        total = len(self.spotter.messages)
        done = (f" · <b>Đã làm hết {total} tin: đúng {right}/{total}.</b> Làm lại những tin chưa đúng để nhớ "
                "các dấu hiệu.") if answered == total else ""
        self.progress.value = f"<p>Tin {self.index + 1}/{total} · đã đúng {right}/{answered}{done}</p>"
        self.body.value = render_message(self.current)

    def answer(self, verdict: str) -> Feedback:
        fb = self.spotter.check(self.current.id, verdict)
        self.answers.setdefault(self.current.id, verdict)
        self.feedback.value = render_feedback(fb)
        self.next_button.disabled = False
        self._render()
        return fb

    def next(self) -> None:
        self.index = (self.index + 1) % len(self.spotter.messages)
        self.feedback.value = ""
        self.next_button.disabled = True
        self._render()

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def show_scam_spotter(name_or_path: str | Path) -> None:
    """Display the scam spotter for ``curriculum/scams/<name>.yml`` (or a path) in the notebook."""
    from IPython.display import display

    display(ScamSpotterWidget(ScamSpotter.load(name_or_path)).box)
