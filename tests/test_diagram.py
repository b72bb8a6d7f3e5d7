"""The workflow diagram: a self-contained, accessible, deterministic SVG (no database)."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import workflow_cli
from app.workflow.diagram import HIGHLIGHT, render_svg
from app.workflow.registry import load_definition, load_definitions

SVG = "{http://www.w3.org/2000/svg}"
WORKFLOWS = Path(__file__).parent.parent / "workflows"


@pytest.fixture(scope="module")
def specs():
    return load_definitions(WORKFLOWS)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def state_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if "data-state" in g.attrib]


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def highlighted(group: ET.Element) -> bool:
    return any(r.get("fill") == HIGHLIGHT for r in group.iter(f"{SVG}rect"))


def test_svg_root_is_accessible_and_scales(specs):
    root = parse(render_svg(specs["skp_annual"], current="plan_review"))
    assert root.get("role") == "img"
    assert root.get("aria-label") == "SKP Tahunan — langkah saat ini: Persetujuan rencana SKP"
    # Natural size from the viewBox; the stylesheet shrinks it (no style attribute, for the CSP).
    viewbox = root.get("viewBox").split()
    assert len(viewbox) == 4
    assert (root.get("width"), root.get("height")) == (viewbox[2], viewbox[3])
    assert root.get("class") == "workflow-diagram" and root.get("style") is None
    assert "system-ui" in root.get("font-family")
    markers = list(root.iter(f"{SVG}marker"))
    assert len(markers) == 1
    assert root.find(f"{SVG}defs/{SVG}marker") is markers[0]


def test_one_group_per_state_in_breadth_first_order(specs):
    root = parse(render_svg(specs["skp_annual"]))
    order = [g.get("data-state") for g in state_groups(root)]
    assert order == [
        "draft", "plan_review", "self_assessment", "supervisor_review",
        "verification", "final", "objection", "objection_explanation",
    ]  # fmt: skip
    for group in state_groups(root):
        label = specs["skp_annual"].states[group.get("data-state")].label["id"]
        assert group.find(f"{SVG}title").text == label
    periodic = parse(render_svg(specs["skp_periodic"]))
    assert state_groups(periodic)[0].get("data-state") == "self_assessment"


def test_final_state_has_a_double_border(specs):
    root = parse(render_svg(specs["skp_annual"]))
    rects = {g.get("data-state"): len(list(g.iter(f"{SVG}rect"))) for g in state_groups(root)}
    assert rects["final"] == 2
    assert rects["draft"] == 1


@pytest.mark.parametrize("current", ["draft", "plan_review", "final", "objection"])
def test_exactly_the_current_state_is_highlighted(specs, current):
    root = parse(render_svg(specs["skp_annual"], current=current))
    for group in state_groups(root):
        is_current = group.get("data-state") == current
        assert (group.get("aria-current") == "step") is is_current
        assert highlighted(group) is is_current


def test_no_current_state_highlights_nothing(specs):
    root = parse(render_svg(specs["skp_annual"], current=None))
    assert not any(g.get("aria-current") for g in state_groups(root))
    assert not any(highlighted(g) for g in state_groups(root))
    assert root.get("aria-label") == "SKP Tahunan"


@pytest.mark.parametrize("locale", ["id", "en"])
def test_every_label_in_the_locale(specs, locale):
    for spec in specs.values():
        root = parse(render_svg(spec, locale=locale))
        shown = texts(root)
        for t in spec.transitions:
            assert t.label[locale] in shown
        for state in spec.states.values():
            assert state.label[locale] in shown
        assert root.get("aria-label") == spec.label[locale]
    english = texts(parse(render_svg(specs["skp_annual"], locale="en")))
    assert "Kembalikan rencana SKP" not in english
    assert "Return the plan" in english


def test_one_arrow_per_transition(specs):
    root = parse(render_svg(specs["skp_annual"]))
    drawn = {p.get("data-trigger") for p in root.iter(f"{SVG}path") if p.get("data-trigger")}
    assert drawn == {t.trigger for t in specs["skp_annual"].transitions}


def test_special_characters_are_escaped(tmp_path):
    (tmp_path / "tiny.yaml").write_text(
        """\
name: tiny
label: {id: "A & B <x>", en: "A & B <x>"}
initial: start
states:
  start: {label: {id: "Mulai \\"1\\" & <awal>", en: Start}, task: appraisee}
  done: {label: {id: Selesai, en: Done}, final: true}
transitions:
  - trigger: go
    source: start
    dest: done
    label: {id: "A & B <x>", en: Go}
    roles: [appraisee]
    form: transition
""",
        encoding="utf-8",
    )
    spec = load_definition(tmp_path / "tiny.yaml")
    svg = render_svg(spec, current="start")
    assert "A &amp; B &lt;x&gt;" in svg
    assert "<x>" not in svg
    root = parse(svg)  # would raise on a raw & or <
    assert "A & B <x>" in texts(root)
    assert 'Mulai "1" & <awal>' in texts(root)
    assert root.get("aria-label").startswith("A & B <x>")


def test_rendering_is_deterministic(specs):
    for spec in specs.values():
        assert render_svg(spec, current="final") == render_svg(spec, current="final")


def test_cli_draw_prints_the_svg():
    result = CliRunner().invoke(workflow_cli, ["draw", "skp_annual", "--state", "plan_review"])
    assert result.exit_code == 0, result.output
    root = parse(result.output)
    current = [g.get("data-state") for g in state_groups(root) if g.get("aria-current")]
    assert current == ["plan_review"]
