"""Workflow definitions: the shipped ones load; broken ones are refused with file, line, entry."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from app.cli import workflow_cli
from app.workflow.registry import load_definition, load_definitions
from app.workflow.spec import WorkflowError

WORKFLOWS = Path(__file__).resolve().parent.parent / "workflows"
ANNUAL = (WORKFLOWS / "skp_annual.yaml").read_text()


def _load(path: Path):
    return load_definition(path)


def test_shipped_definitions_load():
    specs = load_definitions(WORKFLOWS)
    assert set(specs) == {"skp_annual", "skp_periodic", "pengaduan", "pembinaan"}
    annual = specs["skp_annual"]
    assert specs["pengaduan"].subject == "complaint" and annual.subject == "appraisal"
    assert annual.initial == "draft"
    assert annual.transition("plan_review", "return_plan").comment_required
    assert specs["skp_periodic"].initial == "self_assessment"


def _line_of(text: str, needle: str, occurrence: int = 1) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return lines[occurrence - 1]


# (case id, replace this, with that, expected message, line: needle whose line is reported)
BROKEN = [
    (
        "unknown dest state",
        "    dest: plan_review\n",
        "    dest: plan_reveiw\n",
        "transition 'submit_plan': unknown state 'plan_reveiw' as dest",
        "- trigger: submit_plan",
    ),
    (
        "unknown source state",
        "    source: verification\n    dest: final",
        "    source: verificaton\n    dest: final",
        "transition 'finalise': unknown state 'verificaton' as source",
        "- trigger: finalise",
    ),
    (
        "unknown role in roles",
        "    roles: [verifikator_bkd]\n    form: transition\n    comment: optional",
        "    roles: [verifikator]\n    form: transition\n    comment: optional",
        "transition 'finalise': unknown role 'verifikator'",
        "- trigger: finalise",
    ),
    (
        "unknown role in notify",
        "    notify: [appraiser]\n\n  - trigger: approve_plan",
        "    notify: [kepala_dinas]\n\n  - trigger: approve_plan",
        "transition 'submit_plan': unknown role 'kepala_dinas'",
        "- trigger: submit_plan",
    ),
    (
        "unknown task role",
        "    task: verifikator_bkd\n",
        "    task: bkd\n",
        "state 'verification': unknown role 'bkd' for task",
        "  verification:",
    ),
    (
        "unknown form",
        "    form: objection\n",
        "    form: keberatan\n",
        "transition 'file_objection': unknown form 'keberatan'",
        "- trigger: file_objection",
    ),
    (
        "unknown guard",
        "guards: [objection_window_open, first_objection]",
        "guards: [within_14_days, first_objection]",
        "transition 'file_objection': unknown guard 'within_14_days'",
        "- trigger: file_objection",
    ),
    (
        "unknown effect",
        "guards: [objection_window_open, first_objection]",
        "guards: [objection_window_open, first_objection]\n    effects: [send_sms]",
        "transition 'file_objection': unknown effect 'send_sms'",
        "- trigger: file_objection",
    ),
    (
        "unreachable state",
        None,
        lambda text: (
            text.replace(
                "  objection:\n",
                "  limbo:\n    label: {id: Limbo, en: Limbo}\n    task: appraisee\n  objection:\n",
            )
            + "\n  - trigger: leave_limbo\n    source: limbo\n    dest: draft\n"
            "    label: {id: Keluar, en: Leave}\n    roles: [appraisee]\n    form: transition\n"
        ),
        "state 'limbo': unreachable from 'draft'",
        "  limbo:",
    ),
    (
        "non-final state without an exit",
        "    dest: draft\n    label: {id: Kembalikan rencana SKP",
        "    dest: final\n    label: {id: Kembalikan rencana SKP",
        None,  # filled below: removing every exit of one state is easier on the text
        None,
    ),
    (
        "duplicate trigger from one source",
        "  - trigger: return_plan\n",
        "  - trigger: approve_plan\n",
        "transition 'approve_plan': second transition from 'plan_review'",
        ("  - trigger: approve_plan", 2),
    ),
    (
        "unknown key (a typo)",
        "    comment: required\n    notify: [appraisee]\n\n  - trigger: submit_assessment",
        "    coment: required\n    notify: [appraisee]\n\n  - trigger: submit_assessment",
        "transition 'return_plan': unknown key 'coment'",
        "- trigger: return_plan",
    ),
    (
        "missing English label",
        "label: {id: Final, en: Final}",
        "label: {id: Final}",
        "state 'final': label needs non-empty 'id' and 'en' texts",
        "  final:",
    ),
    (
        "bad comment mode",
        "    comment: required\n    guards:",
        "    comment: mandatory\n    guards:",
        "transition 'file_objection': comment must be one of required, optional, none",
        "- trigger: file_objection",
    ),
    (
        "negative due days",
        "    due_days: 21\n",
        "    due_days: -1\n",
        "state 'draft': due_days must be a whole number of days, 0 or more",
        "  draft:",
    ),
    (
        "unknown initial state",
        "initial: draft\n",
        "initial: drafting\n",
        "definition: unknown state 'drafting' as initial",
        "name: skp_annual",
    ),
    (
        "name differs from the file",
        "name: skp_annual\n",
        "name: skp_tahunan\n",
        "definition: name 'skp_tahunan' must match the file name",
        "name: skp_tahunan",
    ),
    (
        "duplicate state key",
        "  final:\n",
        "  draft:\n    label: {id: X, en: X}\n    final: true\n  final:\n",
        "duplicate key 'draft'",
        ("  draft:", 2),
    ),
    (
        "a final state with a task",
        "    final: true\n",
        "    final: true\n    task: appraisee\n",
        "state 'final': a final state has no task",
        "  final:",
    ),
    (
        "a done message in one language only",
        '      en: "The SKP plan of {employee} has been submitted to {holder}."\n',
        "",
        "transition 'submit_plan': done needs non-empty 'id' and 'en' texts",
        "  - trigger: submit_plan",
    ),
    (
        "a done message naming an unknown placeholder",
        "kepada {holder}.",
        "kepada {atasan}.",
        "transition 'submit_plan': done (id): unknown {atasan} (known: {employee}, {holder}, "
        "{predikat})",
        "  - trigger: submit_plan",
    ),
    (
        "a done message naming the holder of a final state",
        "final dengan predikat {predikat}.",
        "final oleh {holder}.",
        "transition 'finalise': done (id): {holder} but 'final' has no task",
        "  - trigger: finalise",
    ),
    (
        "a done message naming the predikat before the end",
        "diajukan kepada {holder}.",
        "diajukan, predikat {predikat}.",
        "transition 'submit_plan': done (id): {predikat} but 'plan_review' is not final",
        "  - trigger: submit_plan",
    ),
]


def _dead_end_text() -> str:
    # plan_review loses both of its exits; it must be refused as a dead end.
    text = ANNUAL
    for trigger in ("approve_plan", "return_plan"):
        text = text.replace(
            f"  - trigger: {trigger}\n    source: plan_review\n",
            f"  - trigger: {trigger}\n    source: supervisor_review\n",
        )
    return text.replace("  - trigger: return_review\n", "  - trigger: send_back\n").replace(
        "  - trigger: approve_review\n", "  - trigger: pass_on\n"
    )


@pytest.mark.parametrize(
    ("old", "new", "message", "needle"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_broken_definition_is_refused_with_its_line(tmp_path, old, new, message, needle):
    if message is None:
        text = _dead_end_text()
        message, needle = "state 'plan_review': not final and has no way out", "  plan_review:"
    elif old is None:
        text = new(ANNUAL)
    else:
        assert old in ANNUAL, "the test's anchor text is gone from the shipped file"
        text = ANNUAL.replace(old, new, 1)
    path = tmp_path / "skp_annual.yaml"
    path.write_text(text)
    with pytest.raises(WorkflowError) as raised:
        _load(path)
    error = raised.value
    assert error.message == message
    needle, occurrence = needle if isinstance(needle, tuple) else (needle, 1)
    needle_line = _line_of(text, needle, occurrence)
    assert error.line == needle_line
    assert str(error) == f"{path}:{needle_line}: {message}"


def test_unparseable_yaml_is_refused_with_its_line(tmp_path):
    path = tmp_path / "skp_annual.yaml"
    path.write_text(ANNUAL.replace("initial: draft\n", "initial: [draft\n"))
    with pytest.raises(WorkflowError) as raised:
        _load(path)
    assert raised.value.line is not None


def test_flask_workflow_check_names_the_file_and_line(tmp_path):
    bad = tmp_path / "skp_annual.yaml"
    bad.write_text(ANNUAL.replace("form: objection\n", "form: keberatan\n"))
    result = CliRunner().invoke(workflow_cli, ["check", str(bad)])
    assert result.exit_code == 1
    line = _line_of(ANNUAL, "- trigger: file_objection")
    assert f"{bad}:{line}: transition 'file_objection': unknown form 'keberatan'" in result.output


def test_flask_workflow_check_passes_the_shipped_definitions():
    result = CliRunner().invoke(workflow_cli, ["check", str(WORKFLOWS)])
    assert result.exit_code == 0, result.output
    assert "ok: " in result.output and "skp_periodic.yaml" in result.output


def test_app_refuses_to_start_with_a_broken_definition(tmp_path):
    from app import create_app
    from config import TestingConfig

    (tmp_path / "skp_annual.yaml").write_text(ANNUAL.replace("dest: plan_review", "dest: nowhere"))
    with pytest.raises(WorkflowError, match="unknown state 'nowhere' as dest"):
        create_app(TestingConfig, WORKFLOW_DIR=tmp_path)
