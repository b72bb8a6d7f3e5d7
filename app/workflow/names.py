"""The state and trigger names the code depends on, checked against the definitions.

Workflows are data, but views, services and policy rules name some of their
states and triggers. Each such name is declared here once, with the
definitions that must have it; `check_names` runs when the definitions are
loaded, so a definition that lacks one stops the app from starting with the
file and the missing name, instead of failing on some later page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

ANNUAL = "skp_annual"
PERIODIC = "skp_periodic"
EVERY_SKP = (ANNUAL, PERIODIC)


@dataclass(frozen=True)
class Required:
    kind: str  # "state" or "trigger"
    name: str
    workflows: tuple[str, ...]


REQUIRED: list[Required] = []


def _state(name: str, *workflows: str) -> str:
    REQUIRED.append(Required("state", name, workflows))
    return name


def _trigger(name: str, *workflows: str) -> str:
    REQUIRED.append(Required("trigger", name, workflows))
    return name


# States: the content each side edits at one step, and the steps pages ask about.
DRAFT = _state("draft", ANNUAL)
PLAN_REVIEW = _state("plan_review", ANNUAL)
SELF_ASSESSMENT = _state("self_assessment", *EVERY_SKP)
SUPERVISOR_REVIEW = _state("supervisor_review", *EVERY_SKP)
VERIFICATION = _state("verification", ANNUAL)
FINAL = _state("final", *EVERY_SKP)
OBJECTION = _state("objection", ANNUAL)
# The atasan pejabat penilai asks both sides to explain (PP 30/2019 Pasal 59 ayat 3).
OBJECTION_EXPLANATION = _state("objection_explanation", ANNUAL)

# Triggers fired or looked up by name outside the generic action form.
SUBMIT_PLAN = _trigger("submit_plan", ANNUAL)
FINALISE = _trigger("finalise", ANNUAL)
FILE_OBJECTION = _trigger("file_objection", ANNUAL)
DECIDE_OBJECTION = _trigger("decide_objection", ANNUAL)
REQUEST_EXPLANATION = _trigger("request_explanation", ANNUAL)
EXPLAIN_OBJECTION = _trigger("explain_objection", ANNUAL)
END_EXPLANATION = _trigger("end_explanation", ANNUAL)
# The steps that send an SKP back with a reason: the reason stays in view until it moves on.
RETURN_PLAN = _trigger("return_plan", ANNUAL)
RETURN_REVIEW = _trigger("return_review", *EVERY_SKP)
RETURN_VERIFICATION = _trigger("return_verification", ANNUAL)
# The kepala OPD asks the appraiser to revisit an SKP before BKD verifies it (SE
# MenPANRB 3/2023: calibration of the predikat against the pola distribusi).
REQUEST_CALIBRATION = _trigger("request_calibration", ANNUAL)
RETURN_TRIGGERS = (RETURN_PLAN, RETURN_REVIEW, RETURN_VERIFICATION, REQUEST_CALIBRATION)

# Roles the code gives a transition's holder, with the trigger that must name them.
PENGELOLA_KINERJA = "pengelola_kinerja"
KEPALA_OPD = "kepala_opd"
# (workflow, trigger, role): the pengelola kinerja submits a plan they drafted for an
# employee (PermenPANRB 8/2021, Bab II A.4); app.skp.plan marks the plan as theirs.
REQUIRED_ROLES: list[tuple[str, str, str]] = [
    (ANNUAL, SUBMIT_PLAN, PENGELOLA_KINERJA),
    (ANNUAL, REQUEST_CALIBRATION, KEPALA_OPD),
]

# Annual appraisals still in these states have no approved plan to copy.
UNAPPROVED_PLAN_STATES = (DRAFT, PLAN_REVIEW)


def missing_names(
    states: Mapping[str, set[str]], triggers: Mapping[str, set[str]]
) -> list[tuple[str, Required]]:
    """(workflow, requirement) for each declared name a loaded definition lacks.

    `states` and `triggers` map each loaded definition's name to its names; a
    required definition that is not loaded at all is reported by its own name.
    """
    found = []
    for required in REQUIRED:
        for workflow in required.workflows:
            have = (states if required.kind == "state" else triggers).get(workflow)
            if have is None or required.name not in have:
                found.append((workflow, required))
    return found
