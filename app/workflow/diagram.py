"""Draw a workflow definition as a self-contained inline SVG.

States are rounded boxes in one column, ordered breadth-first from the initial
state so the main path reads top to bottom. A transition to the next box is a
straight arrow down; a longer forward jump is an elbow on the left; a transition
back up (a return, or objection -> final) is an elbow on the right. Plain string
building: no JavaScript, no external service, same input -> same string.
"""

from __future__ import annotations

import math
from collections import deque

from markupsafe import escape

from app.workflow.spec import TransitionSpec, WorkflowSpec

PAD, BOX_H, GAP, MIN_BOX_W = 16, 44, 40, 200
LANE_GAP, LANE_STEP, RADIUS, PORT = 22, 18, 6, 7  # PORT: exit/entry offset from box middle
STATE_FONT, LABEL_FONT, LINE_H = 14, 11, 13
HIGHLIGHT, INK, MUTED, EDGE = "#198754", "#212529", "#495057", "#6c757d"
FONTS = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
CURRENT_STEP = {"id": "langkah saat ini", "en": "current step"}


def _t(label: dict[str, str], locale: str) -> str:
    return label.get(locale) or label["id"]


def _width(text: str, size: int) -> int:
    # No font metrics on the server: a generous average glyph width keeps text inside.
    return math.ceil(len(text) * size * 0.6)


def _order(spec: WorkflowSpec) -> list[str]:
    """States breadth-first from the initial one, then any left over in definition order."""
    seen, queue = [spec.initial], deque([spec.initial])
    while queue:
        for t in spec.transitions_from(queue.popleft()):
            if t.dest not in seen:
                seen.append(t.dest)
                queue.append(t.dest)
    return seen + [name for name in spec.states if name not in seen]


def _lanes(paths: list[tuple[TransitionSpec, int, int]]) -> list[int]:
    """Give each elbow (transition, y0, y1) the first lane its vertical span fits in.

    Spans that do not overlap share a lane, so the diagram stays narrow; overlapping
    ones are staggered outwards in definition order.
    """
    taken: list[list[tuple[int, int]]] = []
    result = []
    for _, y0, y1 in paths:
        lo, hi = min(y0, y1), max(y0, y1)
        lane = next(
            (i for i, spans in enumerate(taken) if all(hi < a or lo > b for a, b in spans)),
            len(taken),
        )
        if lane == len(taken):
            taken.append([])
        taken[lane].append((lo, hi))
        result.append(lane)
    return result


def _elbow(x0: int, y0: int, lx: int, y1: int) -> str:
    """Path out from a box edge to lane x, along it, and back in, with rounded corners."""
    hx = 1 if lx > x0 else -1
    dv = 1 if y1 > y0 else -1
    return (
        f"M{x0} {y0}H{lx - hx * RADIUS}Q{lx} {y0} {lx} {y0 + dv * RADIUS}"
        f"V{y1 - dv * RADIUS}Q{lx} {y1} {lx - hx * RADIUS} {y1}H{x0}"
    )


class _Labels:
    """Places edge labels, nudging each down until it clears those already placed."""

    def __init__(self) -> None:
        self.placed: list[tuple[int, int, int]] = []  # (left, right, baseline)
        self.svg: list[str] = []

    def add(self, text: str, x: int, y: int, anchor: str) -> None:
        w = _width(text, LABEL_FONT)
        left = x - w if anchor == "end" else x
        while any(left < r and left + w > lft and abs(y - b) < LINE_H for lft, r, b in self.placed):
            y += LINE_H
        self.placed.append((left, left + w, y))
        # The white halo keeps a label legible where it crosses another arrow.
        self.svg.append(
            f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="{LABEL_FONT}" '
            f'fill="{MUTED}" stroke="#fff" stroke-width="3" stroke-linejoin="round" '
            f'paint-order="stroke">{escape(text)}</text>'
        )


def render_svg(spec: WorkflowSpec, current: str | None = None, locale: str = "id") -> str:
    """The workflow as an SVG string; `current` (if a state of `spec`) is highlighted."""
    order = _order(spec)
    row = {name: i for i, name in enumerate(order)}
    names = {name: _t(spec.states[name].label, locale) for name in order}
    box_w = max(MIN_BOX_W, *(_width(n, STATE_FONT) + 32 for n in names.values()))
    box_w += box_w % 2  # an even width keeps the centre line on whole pixels

    def top(name: str) -> int:
        return PAD + row[name] * (BOX_H + GAP)

    down: dict[int, list[TransitionSpec]] = {}  # transitions to the next box, by source row
    left: list[tuple[TransitionSpec, int, int]] = []
    right: list[tuple[TransitionSpec, int, int]] = []
    for t in spec.transitions:
        mid_s, mid_d = top(t.source) + BOX_H // 2, top(t.dest) + BOX_H // 2
        if row[t.dest] == row[t.source] + 1:
            down.setdefault(row[t.source], []).append(t)
        elif row[t.dest] > row[t.source]:
            # Leave low and arrive high, so elbows sharing a box do not cross.
            left.append((t, mid_s + PORT, mid_d - PORT))
        else:
            right.append((t, mid_s - PORT, mid_d + PORT))
    left_lanes, right_lanes = _lanes(left), _lanes(right)

    def lane_reach(t: TransitionSpec, lane: int) -> int:
        return LANE_GAP + lane * LANE_STEP + 5 + _width(_t(t.label, locale), LABEL_FONT)

    # Room on the left for long-jump elbows and the labels of the straight arrows.
    need = [lane_reach(t, lane) for (t, _, _), lane in zip(left, left_lanes, strict=True)]
    straight = [t for ts in down.values() for t in ts]
    need += [_width(_t(t.label, locale), LABEL_FONT) + 8 - box_w // 2 for t in straight]
    x_box = PAD + max([0, *need])
    cx, x_right = x_box + box_w // 2, x_box + box_w
    reach = [lane_reach(t, lane) for (t, _, _), lane in zip(right, right_lanes, strict=True)]
    width = x_right + max([0, *reach]) + PAD

    edges: list[str] = []
    labels = _Labels()
    for source_row, ts in sorted(down.items()):
        y0 = PAD + source_row * (BOX_H + GAP) + BOX_H
        edges.append(f'<path d="M{cx} {y0}V{y0 + GAP}" data-trigger="{escape(ts[0].trigger)}"/>')
        for t in ts:
            labels.add(_t(t.label, locale), cx - 8, y0 + GAP // 2 + 4, "end")
    for paths, lanes, sign in ((left, left_lanes, -1), (right, right_lanes, 1)):
        edge_x = x_box if sign < 0 else x_right
        for (t, y0, y1), lane in zip(paths, lanes, strict=True):
            lx = edge_x + sign * (LANE_GAP + lane * LANE_STEP)
            path = _elbow(edge_x, y0, lx, y1)
            edges.append(f'<path d="{path}" data-trigger="{escape(t.trigger)}"/>')
            anchor = "end" if sign < 0 else "start"
            labels.add(_t(t.label, locale), lx + sign * 5, (y0 + y1) // 2 + 4, anchor)

    boxes: list[str] = []
    for name in order:
        state, y, on = spec.states[name], top(name), name == current
        fill = HIGHLIGHT if on else ("#f8f9fa" if state.final else "#fff")
        stroke = HIGHLIGHT if on else (INK if state.final else EDGE)
        attrs = f' data-state="{escape(name)}"' + (' aria-current="step"' if on else "")
        parts = [
            f"<g{attrs}><title>{escape(names[name])}</title>",
            f'<rect x="{x_box}" y="{y}" width="{box_w}" height="{BOX_H}" rx="8" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>',
        ]
        if state.final:  # a double border marks the end of the flow
            inner = "#fff" if on else INK
            parts.append(
                f'<rect x="{x_box + 4}" y="{y + 4}" width="{box_w - 8}" height="{BOX_H - 8}" '
                f'rx="5" fill="none" stroke="{inner}"/>'
            )
        weight = ' font-weight="600"' if on else ""
        parts.append(
            f'<text x="{cx}" y="{y + BOX_H // 2 + 5}" text-anchor="middle" '
            f'font-size="{STATE_FONT}" fill="{"#fff" if on else INK}"{weight}>'
            f"{escape(names[name])}</text></g>"
        )
        boxes.append("".join(parts))

    height = max([PAD + len(order) * (BOX_H + GAP) - GAP, *(b + 4 for *_, b in labels.placed)])
    height += PAD
    aria = _t(spec.label, locale)
    if current in spec.states:
        aria += f" — {CURRENT_STEP.get(locale, CURRENT_STEP['id'])}: {names[current]}"
    marker = f"wf-arrow-{spec.name}"  # one per workflow, so several diagrams can share a page
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(aria)}" '
            # Natural size, shrunk to fit by the stylesheet (svg.workflow-diagram); no
            # style attribute, which the pages' Content-Security-Policy would refuse.
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'class="workflow-diagram" font-family="{FONTS}">',
            f'<defs><marker id="{marker}" viewBox="0 0 10 10" refX="9" refY="5" '
            f'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
            f'<path d="M0 0L10 5L0 10z" fill="{EDGE}"/></marker></defs>',
            f'<g fill="none" stroke="{EDGE}" stroke-width="1.5" marker-end="url(#{marker})">',
            *edges,
            "</g>",
            *boxes,
            *labels.svg,
            "</svg>",
        ]
    )
