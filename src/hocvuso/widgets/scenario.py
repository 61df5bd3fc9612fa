"""Branching role-play: a (fictional) older learner says something, the volunteer picks a reply.

Each reply has its own feedback explaining why it helps or hurts, earns 0–2 points and leads to
the next scene, so the story branches: a dismissive reply makes the persona more anxious, a
patient one lets the lesson go on. At an ending the player reports the score and a summary.

Public API
----------
``Scenario.from_yaml(path)`` / ``Scenario.load(name_or_path)``
    Read and validate ``curriculum/scenarios/<name>.yml``; a broken file raises
    :class:`~hocvuso.errors.UserError` naming the file, the node (and option) and the fix.
    Validation guarantees every node is reachable from ``start`` and every path ends (no loops).
``ScenarioPlayer(scenario)``
    The state machine: ``node`` (current :class:`Node`), ``choose(option_id) -> Feedback``,
    ``finished``, ``score``, ``max_score`` (best possible total), ``history`` and
    ``summary() -> str``; ``restart()``.
``ScenarioWidget(scenario)``
    The ipywidgets view (``.box``); ``show_scenario(name_or_path)`` displays it.

Content file::

    id: 01-bac-hoa-so-hong-may
    title: "Bác Hoà sợ làm hỏng máy"
    persona: {name: "Bác Hoà", description: "71 tuổi, nhân vật hư cấu ..."}
    intro: "Bối cảnh ..."
    start: mo-dau                # the first node
    nodes:
      mo-dau:
        says: "Thôi cháu bấm giùm bác đi, bác sợ bấm bậy hư máy."
        options:
          - id: a                # unique within the node
            text: "Dạ để cháu bấm cho nhanh ạ."
            points: 0            # 0 = not advisable ("Chưa nên"), 1 = acceptable or a recovery
                                 # after a weaker reply ("Tạm được"), 2 = best ("Tốt")
            feedback: "Vì sao ... (shown after this choice)"
            next: bac-im-lang    # another node
      ket-thuc-tot:
        says: "..."              # a node without options is an ending
        ending: "What the ending means for the learner."
    sources: ["Nguồn: ..."]

Validation rules (each broken rule is a UserError naming the file, the node/option and the fix):
every ``next`` names a node; every node is reachable from ``start``; no loops, so every path
ends; an ending has ``ending`` text; and a weaker reply can never still reach the full score
(recovery replies after a mistake earn 1 point, not 2) — so the score tells the volunteer
something.

CSS classes (for browser tests): the whole box ``hv-scenario``; what the persona says
``hv-persona``; every reply button ``hv-choice``; the feedback of the last choice
``hv-feedback`` (an HTML widget, visible text); the running/final score ``hv-score``;
the summary at the end ``hv-summary``; the restart button ``hv-restart``. Other widgets in the
same notebook also use ``hv-feedback`` / ``hv-check``, so scope selectors under ``.hv-scenario``
(e.g. ``.hv-scenario .hv-choice``). A browser test of notebook 02: click the reply
"(Cầm máy, bấm thật nhanh) Dạ xong rồi chú, gửi rồi đó." (0 points) and read its explanation in
``.hv-scenario .hv-feedback``; play on to an ending and read ``.hv-scenario .hv-score``
("Điểm: N/6 — kết thúc").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ASCII_SLUG, UserError
from . import content_file, escape, nfc, read_content_yaml, style_widget

__all__ = ["Option", "Node", "Scenario", "Feedback", "ScenarioPlayer", "ScenarioWidget", "show_scenario"]

SLUG = ASCII_SLUG
VERDICTS = {2: "Tốt", 1: "Tạm được", 0: "Chưa nên"}


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    points: int
    feedback: str
    next: str

    @property
    def verdict(self) -> str:
        return VERDICTS[self.points]


@dataclass(frozen=True)
class Node:
    id: str
    says: str
    options: tuple[Option, ...] = ()
    ending: str = ""

    @property
    def is_ending(self) -> bool:
        return not self.options

    def option(self, option_id: str) -> Option:
        for o in self.options:
            if o.id == option_id:
                return o
        raise KeyError(option_id)


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    persona_name: str
    persona_description: str
    intro: str
    start: str
    nodes: dict[str, Node]
    sources: tuple[str, ...] = ()
    path: Path | None = None

    @classmethod
    def load(cls, name_or_path: str | Path) -> Scenario:
        return cls.from_yaml(content_file("scenarios", name_or_path))

    @classmethod
    def from_yaml(cls, path: str | Path) -> Scenario:
        path = Path(path)
        if not path.exists():
            raise UserError("không tìm thấy kịch bản / scenario not found", where=str(path),
                            fix="kiểm tra tên tệp trong curriculum/scenarios/")
        return cls.from_dict(read_content_yaml(path), path=path)

    @classmethod
    def from_dict(cls, data: dict, *, path: Path | None = None) -> Scenario:
        where = str(path) if path else "<scenario>"

        def err(item: str, message: str, fix: str) -> UserError:
            return UserError(message, where=f"{where} [{item}]", fix=fix)

        for key in ("title", "intro"):
            if not isinstance(data.get(key), str) or not data[key].strip():
                raise err(key, f"thiếu '{key}' / missing '{key}'", f"thêm '{key}: \"...\"' (tiếng Việt)")
        persona = data.get("persona")
        if not isinstance(persona, dict) or not persona.get("name"):
            raise err("persona", "thiếu 'persona.name' / missing persona",
                      "thêm 'persona: {name: \"Bác ...\", description: \"... (nhân vật hư cấu)\"}'")
        raw_nodes = data.get("nodes")
        if not isinstance(raw_nodes, dict) or not raw_nodes:
            raise err("nodes", "thiếu 'nodes' / missing 'nodes'", "thêm 'nodes:' là bảng id → cảnh")
        nodes: dict[str, Node] = {}
        for nid, raw in raw_nodes.items():
            nid = str(nid)
            item = f"node {nid}"
            if not SLUG.match(nid):
                raise err(item, "id của cảnh phải là chữ ASCII không dấu / node id must be an ASCII slug",
                          "ví dụ 'bac-lo-lang'")
            if not isinstance(raw, dict) or not isinstance(raw.get("says"), str) or not raw["says"].strip():
                raise err(item, "cảnh thiếu 'says' / node has no 'says'",
                          "thêm 'says: \"...\"' — điều nhân vật nói ở cảnh này")
            unknown = set(raw) - {"says", "options", "ending"}
            if unknown:
                raise err(item, f"khóa lạ {sorted(unknown)} / unknown keys", "các khóa hợp lệ: says, options, ending")
            options: list[Option] = []
            seen: set[str] = set()
            for index, opt in enumerate(raw.get("options") or [], start=1):
                oitem = f"{item}, option {index}"
                if not isinstance(opt, dict):
                    raise err(oitem, "lựa chọn phải là bảng khóa / option must be a mapping",
                              "mỗi lựa chọn có id, text, points, feedback, next")
                oid = str(opt.get("id", ""))
                if not oid or oid in seen:
                    raise err(oitem, f"lựa chọn thiếu 'id' hoặc bị trùng ({oid!r}) / missing or duplicated option id",
                              "đặt 'id: a', 'id: b', ... khác nhau trong cùng một cảnh")
                seen.add(oid)
                oitem = f"{item}, option {oid}"
                missing = [k for k in ("text", "feedback") if not isinstance(opt.get(k), str) or not opt[k].strip()]
                if missing:
                    raise err(oitem, f"lựa chọn thiếu {missing} / option is missing {missing}",
                              "'text' là câu tình nguyện viên nói, 'feedback' giải thích vì sao nên/không nên")
                points = opt.get("points")
                if isinstance(points, bool) or points not in (0, 1, 2):
                    raise err(oitem, f"'points' phải là 0, 1 hoặc 2, không phải {points!r} / points must be 0, 1 or 2",
                              "0 = không nên, 1 = tạm được, 2 = tốt nhất")
                nxt = opt.get("next")
                if not isinstance(nxt, str) or nxt not in raw_nodes:
                    raise err(oitem, f"'next: {nxt}' không phải một cảnh có trong 'nodes' / unknown next node",
                              "dùng một trong: " + ", ".join(map(str, raw_nodes)))
                unknown = set(opt) - {"id", "text", "points", "feedback", "next"}
                if unknown:
                    raise err(oitem, f"khóa lạ {sorted(unknown)} / unknown keys",
                              "các khóa hợp lệ: id, text, points, feedback, next")
                options.append(Option(oid, nfc(opt["text"]), int(points), nfc(opt["feedback"]), nxt))
            if not options and not str(raw.get("ending") or "").strip():
                raise err(item, "cảnh kết thúc thiếu 'ending' / an ending node needs 'ending'",
                          "thêm 'ending: \"...\"' tóm tắt kết cục, hoặc thêm 'options:'")
            nodes[nid] = Node(nid, nfc(raw["says"]), tuple(options), nfc(raw.get("ending") or ""))
        start = str(data.get("start", ""))
        if start not in nodes:
            raise err("start", f"'start: {start}' không phải một cảnh / unknown start node",
                      "dùng một trong: " + ", ".join(nodes))
        _check_graph(nodes, start, err)
        _check_detours(nodes, err)
        sources = data.get("sources") or []
        if not isinstance(sources, list) or not sources:
            raise err("sources", "thiếu 'sources' / missing sources",
                      "thêm 'sources: [\"Nguồn: ...\"]' — mọi nguyên tắc cần có nguồn")
        return cls(
            id=str(data.get("id") or (path.stem if path else "scenario")),
            title=nfc(data["title"]),
            persona_name=nfc(persona["name"]),
            persona_description=nfc(persona.get("description") or ""),
            intro=nfc(data["intro"]),
            start=start,
            nodes=nodes,
            sources=tuple(nfc(s) for s in sources),
            path=path,
        )

    def max_score(self, node_id: str | None = None) -> int:
        """The best total a volunteer can reach from ``node_id`` (default: the start)."""
        return _best_totals(self.nodes)[node_id or self.start]

    def paths(self) -> list[list[tuple[str, str]]]:
        """Every path from the start to an ending, as (node id, option id) pairs."""
        found: list[list[tuple[str, str]]] = []

        def walk(nid: str, trail: list[tuple[str, str]]) -> None:
            node = self.nodes[nid]
            if node.is_ending:
                found.append(trail)
            for o in node.options:
                walk(o.next, [*trail, (nid, o.id)])

        walk(self.start, [])
        return found


def _check_graph(nodes: dict[str, Node], start: str, err) -> None:
    """Every node reachable from start; no loops (so every path ends at an ending node)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(nid: str, trail: list[str]) -> None:
        state[nid] = 1
        for o in nodes[nid].options:
            if state.get(o.next) == 1:
                loop = " → ".join([*trail[trail.index(o.next):], nid, o.next])
                raise err(f"node {nid}, option {o.id}",
                          f"kịch bản quay vòng ({loop}) nên có thể không bao giờ kết thúc / the scene loops",
                          "cho 'next' trỏ tới một cảnh mới hoặc một cảnh kết thúc")
            if o.next not in state:
                visit(o.next, [*trail, nid])
        state[nid] = 2

    visit(start, [])
    unreachable = [nid for nid in nodes if nid not in state]
    if unreachable:
        raise err(f"node {unreachable[0]}", f"không lựa chọn nào dẫn tới cảnh {unreachable} / unreachable node",
                  "thêm một lựa chọn có 'next' trỏ tới cảnh này, hoặc xóa cảnh")


def _best_totals(nodes: dict[str, Node]) -> dict[str, int]:
    memo: dict[str, int] = {}

    def best(nid: str) -> int:
        if nid not in memo:
            memo[nid] = max((o.points + best(o.next) for o in nodes[nid].options), default=0)
        return memo[nid]

    for nid in nodes:
        best(nid)
    return memo


def _check_detours(nodes: dict[str, Node], err) -> None:
    """A weaker reply must never still lead to the full score (else the score would not tell)."""
    best = _best_totals(nodes)
    for nid, node in nodes.items():
        top = max((o.points for o in node.options), default=0)
        for o in node.options:
            if o.points < top and o.points + best[o.next] >= best[nid]:
                raise err(f"node {nid}, option {o.id}",
                          f"chọn '{o.id}' ({o.points} điểm) vẫn có thể đạt điểm tối đa {best[nid]} qua cảnh "
                          f"'{o.next}' / a weaker reply can still reach the full score",
                          f"giảm 'points' của các lựa chọn 'cứu vãn' sau cảnh '{o.next}' (ví dụ 2 → 1)")


@dataclass(frozen=True)
class Feedback:
    """What the volunteer sees after a choice."""

    option_id: str
    choice: str
    points: int
    verdict: str
    explanation: str
    best: bool
    next_node: str


@dataclass
class ScenarioPlayer:
    """State machine for one play-through of a :class:`Scenario`."""

    scenario: Scenario
    node_id: str = ""
    history: list[tuple[Node, Option]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.node_id = self.node_id or self.scenario.start

    @property
    def node(self) -> Node:
        return self.scenario.nodes[self.node_id]

    @property
    def finished(self) -> bool:
        return self.node.is_ending

    @property
    def score(self) -> int:
        return sum(o.points for _, o in self.history)

    @property
    def max_score(self) -> int:
        return self.scenario.max_score()

    def choose(self, option_id: str) -> Feedback:
        if self.finished:
            raise ValueError("the scenario has ended; call restart()")
        node = self.node
        option = node.option(option_id)
        best = option.points == max(o.points for o in node.options)
        self.history.append((node, option))
        self.node_id = option.next
        return Feedback(option.id, option.text, option.points, option.verdict, option.feedback, best, option.next)

    def restart(self) -> None:
        self.node_id = self.scenario.start
        self.history.clear()

    def summary(self) -> str:
        """Vietnamese summary: score out of the best possible, each choice with its verdict, the ending."""
        lines = [f"Điểm: {self.score}/{self.max_score}."]
        for index, (node, option) in enumerate(self.history, start=1):
            lines.append(f"{index}. {self.scenario.persona_name}: “{node.says}” — bạn chọn: “{option.text}” "
                         f"({option.verdict}, {option.points} điểm).")
        if self.finished:
            lines.append(f"Kết cục: {self.node.ending}")
            if self.score == self.max_score:
                lines.append("Bạn đã chọn cách đáp tốt nhất ở mọi bước.")
            else:
                lines.append("Thử chơi lại và chọn cách khác ở những bước chưa được 2 điểm.")
        return "\n".join(lines)


# ---------------------------------------------------------------------- view
class ScenarioWidget:
    """ipywidgets view of a scenario: the persona's line, one button per reply, feedback, score."""

    def __init__(self, scenario: Scenario):
        import ipywidgets as w

        self._w = w
        self.player = ScenarioPlayer(scenario)
        self.last_feedback: Feedback | None = None
        self.persona = w.HTML()
        self.persona.add_class("hv-persona")
        self.choices = w.VBox()
        self.feedback = w.HTML(value="")
        self.feedback.add_class("hv-feedback")
        self.score = w.HTML()
        self.score.add_class("hv-score")
        self.summary = w.HTML(value="")
        self.summary.add_class("hv-summary")
        self.restart_button = w.Button(description="Chơi lại", icon="refresh", tooltip="Bắt đầu lại từ đầu")
        self.restart_button.add_class("hv-restart")
        self.restart_button.on_click(lambda _b: self.restart())
        intro = w.HTML(value=(
            f"<h4>{escape(scenario.title)}</h4>"
            f"<p><b>{escape(scenario.persona_name)}</b> — <i>{escape(scenario.persona_description)}</i></p>"
            f"<p>{escape(scenario.intro)}</p>"))
        sources = w.HTML(value="<p style='font-size:90%;color:#555'>"
                         + "<br>".join(escape(s) for s in scenario.sources) + "</p>")
        self.box = w.VBox([style_widget(), intro, self.persona, self.choices, self.feedback, self.score, self.summary,
                           self.restart_button, sources])
        self.box.add_class("hv-scenario")
        self._render()

    def _render(self) -> None:
        w = self._w
        node = self.player.node
        name = escape(self.player.scenario.persona_name)
        self.persona.value = (f"<div style='background:#fff8e1;padding:8px;border-radius:6px;font-size:115%'>"
                              f"🗨 <b>{name}:</b> “{escape(node.says)}”</div>")
        buttons = []
        for option in node.options:
            button = w.Button(description=option.text, tooltip=option.text,
                              layout=w.Layout(width="auto", height="auto", min_height="2.5em"))
            button.style.text_align = "left"
            button.add_class("hv-choice")
            button.on_click(lambda _b, oid=option.id: self.choose(oid))
            buttons.append(button)
        self.choices.children = buttons
        done = self.player.finished
        self.score.value = (f"<p><b>Điểm: {self.player.score}/{self.player.max_score}</b>"
                            + (" — kết thúc" if done else "") + "</p>")
        if done:
            lines = self.player.summary().split("\n")
            self.summary.value = ("<div style='border-top:1px solid #ccc;padding-top:6px'><b>Tóm tắt</b><br>"
                                  + "<br>".join(escape(line) for line in lines[1:]) + "</div>")
        else:
            self.summary.value = ""

    def choose(self, option_id: str) -> Feedback:
        fb = self.player.choose(option_id)
        self.last_feedback = fb
        colour = {2: "#1b5e20", 1: "#e65100", 0: "#b71c1c"}[fb.points]
        self.feedback.value = (f"<div style='border-left:4px solid {colour};padding-left:8px'>"
                               f"<p>Bạn chọn: “{escape(fb.choice)}”</p>"
                               f"<p style='color:{colour}'><b>{fb.verdict} ({fb.points} điểm).</b> "
                               f"{escape(fb.explanation)}</p></div>")
        self._render()
        return fb

    def restart(self) -> None:
        self.player.restart()
        self.feedback.value = ""
        self._render()

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def show_scenario(name_or_path: str | Path) -> None:
    """Display the scenario ``curriculum/scenarios/<name>.yml`` (or a path) in the notebook."""
    from IPython.display import display

    display(ScenarioWidget(Scenario.load(name_or_path)).box)
