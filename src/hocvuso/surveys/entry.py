"""Data entry of paper forms: one respondent per screen, live validation in Vietnamese, a local
store that survives a kernel crash.

* :class:`EntryStore` — JSON lines, one saved form per line. :meth:`EntryStore.append` writes the
  line, flushes and ``fsync``\\ s before returning, so a crash loses at most the form being typed;
  a half-written last line (power cut mid-write) is moved aside to ``*.partial`` on reopening,
  never silently dropped. Reopening the store resumes: it counts what was saved.
* :func:`validate_field` / :func:`validate_record` — the same parsing rules as the ingest, with
  messages in Vietnamese for the volunteer.
* :class:`EntryForm` — the ipywidgets screen (``surveys/entry.ipynb``). Its logic is plain Python
  (``set_value``, ``errors``, ``save``) so it is tested without a browser.

``hocvuso survey ingest build/surveys/entry/phieu-giay.jsonl`` reads the store (source "entry").
"""

from __future__ import annotations

import json
import os
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from ..paths import build_dir
from .ingest import _parser
from .instrument import Instrument, Item, load_instrument

DEFAULT_STORE = Path("surveys") / "entry" / "phieu-giay.jsonl"


def default_store_path() -> Path:
    return build_dir() / DEFAULT_STORE


# ── the store ──────────────────────────────────────────────────────────────────────────────


class EntryStore:
    """An append-only JSON-lines store of entered forms."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_store_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.recovered: Path | None = None
        self._repair_tail()

    def _repair_tail(self) -> None:
        """Move a half-written last line (crash mid-write) to ``<store>.partial-<time>``."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        data = self.path.read_bytes()
        if data.endswith(b"\n"):
            return
        cut = data.rfind(b"\n") + 1
        self.recovered = self.path.with_name(f"{self.path.name}.partial-{int(time.time())}")
        self.recovered.write_bytes(data[cut:])
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "wb") as fh:
            fh.write(data[:cut])
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.path)

    def append(self, answers: dict, *, instrument: Instrument | None = None) -> dict:
        """Append one form (answers by item id) durably; return the stored record."""
        inst = instrument
        record = {
            "entry_id": uuid.uuid4().hex,
            "saved_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "form": inst.id if inst else None,
            "version": inst.version if inst else None,
            "answers": answers,
        }
        line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        return record

    def records(self) -> list[dict]:
        if not self.path.exists():
            return []
        out = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                try:
                    out.append(json.loads(line))
                except ValueError:
                    continue
        return out

    def __len__(self) -> int:
        return len(self.records())

    def summary(self) -> str:
        recs = self.records()
        if not recs:
            return f"Chưa có phiếu nào trong {self.path} / no form saved yet"
        waves = {}
        for r in recs:
            w = (r.get("answers") or {}).get("wave", "?")
            waves[w] = waves.get(w, 0) + 1
        parts = ", ".join(f"{w}: {n}" for w, n in sorted(waves.items()))
        return f"Đã lưu {len(recs)} phiếu ({parts}) trong {self.path}; phiếu cuối lúc {recs[-1]['saved_at']}"


# ── validation (Vietnamese messages) ───────────────────────────────────────────────────────

REQUIRED_MSG = "Bắt buộc: xin điền câu này."


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, list | tuple) and not value)


def validate_field(item: Item, value) -> str | None:
    """None if ``value`` is acceptable for ``item``, else a short message in Vietnamese."""
    if _blank(value):
        return REQUIRED_MSG if item.required else None
    if item.type == "multi":
        codes = {str(c.code) for c in item.choices}
        values = value if isinstance(value, list | tuple) else str(value).split()
        bad = [v for v in values if str(v) not in codes]
        if bad:
            return f"Lựa chọn không có trong câu hỏi: {', '.join(map(str, bad))}"
        if "khong_co" in values and len(values) > 1:
            return "Đã chọn 'Chưa dùng ứng dụng nào' thì không chọn thêm ứng dụng khác."
        return None
    text = str(value).strip()
    if item.type == "text":
        return "Câu trả lời quá dài (tối đa 500 ký tự)." if len(text) > 500 else None
    parsed, reason = _parser(item)(text)
    if item.type == "code":
        if reason:
            return "Mã gồm 2 chữ cái rồi 4 chữ số (chữ đầu tên mẹ, tên cha, ngày sinh, tháng sinh), ví dụ HT0512."
        return None
    if item.type == "admin":
        import re

        if not re.fullmatch(item.pattern or ".+", str(parsed)):
            example = {"site_code": "CF01", "khu_pho": "KP07", "session_code": "S012",
                       "volunteer_code": "TNV004"}.get(item.id, "")
            return f"Sai mẫu, ví dụ đúng: {example}" if example else "Sai mẫu."
        return None
    if reason:
        if item.id == "age_band":
            return "Tuổi phải từ 60 trở lên, ví dụ 65 hoặc chọn nhóm tuổi."
        return f"Chọn một câu trả lời trong danh sách ({item.min}–{item.max})." if item.is_numeric else \
            "Chọn một câu trả lời trong danh sách."
    if item.is_numeric and item.type != "knowledge" and not (item.min <= int(parsed) <= item.max):
        return f"Phải từ {item.min} đến {item.max}."
    return None


def validate_record(answers: dict, instrument: Instrument | None = None) -> dict[str, str]:
    """Item id → message for every problem in one form (only the items of its wave)."""
    inst = instrument or load_instrument()
    wave = str(answers.get("wave") or "").strip()
    errors: dict[str, str] = {}
    wave_item = inst.item("wave")
    msg = validate_field(wave_item, wave)
    if msg:
        errors["wave"] = msg
        return errors
    consent = str(answers.get("consent", "")).strip()
    for it in inst.items_for(wave):
        if it.id == "wave":
            continue
        if consent == "0" and it.section not in ("admin", "consent"):
            continue  # refused: nothing else is asked
        msg = validate_field(it, answers.get(it.id))
        if msg:
            errors[it.id] = msg
    return errors


# ── the widget ─────────────────────────────────────────────────────────────────────────────


class EntryForm:
    """One paper form per screen: fields for the chosen wave, live messages, save → next form."""

    def __init__(self, store: EntryStore | str | Path | None = None, instrument: Instrument | None = None):
        import ipywidgets as w

        self.inst = instrument or load_instrument()
        self.store = store if isinstance(store, EntryStore) else EntryStore(store)
        self._w = w
        self.fields: dict[str, object] = {}
        self.messages: dict[str, object] = {}
        self.wave = w.ToggleButtons(options=[("", "")] + [(c.vi, c.code) for c in self.inst.item("wave").choices],
                                    description="Đợt", value="")
        self.wave.observe(self._on_wave, names="value")
        self.status = w.HTML()
        self.save_button = w.Button(description="Lưu phiếu, sang phiếu mới", button_style="success",
                                    icon="save", layout=w.Layout(width="auto"))
        self.clear_button = w.Button(description="Xóa phiếu đang nhập", icon="eraser", layout=w.Layout(width="auto"))
        self.save_button.on_click(lambda _: self.save())
        self.clear_button.on_click(lambda _: self.clear())
        self.body = w.VBox()
        self.box = w.VBox([w.HTML(f"<h3>{self.inst.title_vi}</h3>"), self.wave, self.body,
                           w.HBox([self.save_button, self.clear_button]), self.status])
        self._say_resume()

    # -- building the screen ------------------------------------------------------------------
    def _widget_for(self, item: Item):
        w = self._w
        style = {"description_width": "initial"}
        layout = w.Layout(width="95%")
        if item.type == "multi":
            return w.SelectMultiple(options=[(c.vi, str(c.code)) for c in item.choices], rows=len(item.choices),
                                    layout=layout)
        if item.choices:
            return w.Dropdown(options=[("—", "")] + [(c.vi, str(c.code)) for c in item.choices], value="",
                              layout=layout, style=style)
        if item.type == "text":
            return w.Textarea(placeholder="Không ghi tên, số điện thoại", layout=layout)
        return w.Text(placeholder=(item.pattern or "").strip("^$"), layout=layout)

    def _on_wave(self, change=None) -> None:
        w = self._w
        wave = self.wave.value
        self.fields, self.messages = {}, {}
        rows = []
        section = None
        for it in self.inst.items_for(wave) if wave else []:
            if it.id == "wave":
                continue
            if it.section != section:
                section = it.section
                rows.append(w.HTML(f"<h4>{self.inst.sections[section][0]}</h4>"))
            field = self._widget_for(it)
            msg = w.HTML()
            field.observe(lambda change, item=it: self._check(item), names="value")
            self.fields[it.id] = field
            self.messages[it.id] = msg
            rows.append(w.VBox([w.HTML(f"<b>{it.text_vi}</b>"), field, msg]))
        self.body.children = rows

    def _check(self, item: Item) -> str | None:
        msg = validate_field(item, self.value(item.id))
        self.messages[item.id].value = f"<span style='color:#b00020'>⚠ {msg}</span>" if msg else ""
        return msg

    def _say_resume(self) -> None:
        n = len(self.store)
        extra = ""
        if self.store.recovered:
            extra = f" Một phiếu ghi dở được giữ lại ở {self.store.recovered.name}."
        self.status.value = (f"Tiếp tục: đã có {n} phiếu trong kho." if n else "Kho còn trống.") + extra

    # -- plain-Python API (used by tests and by the buttons) ---------------------------------
    def set_value(self, item_id: str, value) -> None:
        if item_id == "wave":
            self.wave.value = value
            return
        field = self.fields[item_id]
        if isinstance(value, list | tuple):
            field.value = tuple(str(v) for v in value)
        else:
            field.value = "" if value is None else str(value)

    def value(self, item_id: str):
        if item_id == "wave":
            return self.wave.value
        v = self.fields[item_id].value
        return list(v) if isinstance(v, tuple) else v

    def answers(self) -> dict:
        out = {"wave": self.wave.value}
        for item_id in self.fields:
            v = self.value(item_id)
            if not _blank(v):
                out[item_id] = v
        return out

    @property
    def errors(self) -> dict[str, str]:
        return validate_record(self.answers(), self.inst)

    def save(self) -> bool:
        """Validate; if fine, append to the store and start a blank form. Returns True when saved."""
        errors = self.errors
        for item_id, msg in errors.items():
            if item_id in self.messages:
                self.messages[item_id].value = f"<span style='color:#b00020'>⚠ {msg}</span>"
        if errors:
            self.status.value = (f"<b style='color:#b00020'>Chưa lưu: còn {len(errors)} câu cần sửa "
                                 f"({', '.join(errors)}).</b>")
            return False
        answers = self.answers()
        if "participant_code" in answers:
            answers["participant_code"] = _parser(self.inst.item("participant_code"))(answers["participant_code"])[0]
        self.store.append(answers, instrument=self.inst)
        self.clear()
        self.status.value = f"<b>Đã lưu.</b> {self.store.summary()}"
        return True

    def clear(self) -> None:
        wave = self.wave.value
        self.wave.value = ""
        self.wave.value = wave  # rebuild blank fields for the same wave

    def _ipython_display_(self):  # pragma: no cover - display only
        from IPython.display import display

        display(self.box)
