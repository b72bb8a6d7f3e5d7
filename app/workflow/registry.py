"""The names a workflow definition may use: forms, guards and effects.

Features register theirs at import (app/plugins.py imports them before any
definition is loaded); the engine never imports a feature. Loading checks
each definition against what is registered and against the state and trigger
names the code depends on (app.workflow.names).
"""

from pathlib import Path

from app.workflow.effects import EFFECTS
from app.workflow.forms import FORMS
from app.workflow.guards import GUARDS
from app.workflow.names import REQUIRED_ROLES, missing_names
from app.workflow.spec import WorkflowError, WorkflowSpec, load_all, load_spec


def check_names(specs: dict[str, WorkflowSpec], directory: Path) -> None:
    """Refuse definitions that lack a state or trigger the code depends on."""
    states = {name: set(spec.states) for name, spec in specs.items()}
    triggers = {name: set(spec.triggers) for name, spec in specs.items()}
    for workflow, required in missing_names(states, triggers):
        if workflow not in specs:
            raise WorkflowError(
                directory, None, f"definition {workflow!r}, which the code depends on, is missing"
            )
        raise WorkflowError(
            specs[workflow].path,
            None,
            f"{required.kind} {required.name!r} is used by the code but not defined here",
        )
    for workflow, trigger, role in REQUIRED_ROLES:
        spec = specs.get(workflow)
        if spec is None:
            continue
        if not any(t.trigger == trigger and role in t.roles for t in spec.transitions):
            raise WorkflowError(
                spec.path, None, f"role {role!r} is used by the code on {trigger!r} but not given"
            )


def load_definitions(directory: Path) -> dict[str, WorkflowSpec]:
    """Every definition in `directory`, checked against the registries and the names in use."""
    specs = load_all(directory, set(FORMS), set(GUARDS), set(EFFECTS))
    check_names(specs, directory)
    return specs


def load_definition(path: Path) -> WorkflowSpec:
    """One definition file, checked against the registries."""
    return load_spec(path, set(FORMS), set(GUARDS), set(EFFECTS))
