"""The names a workflow definition may use: forms, guards and effects."""

from pathlib import Path

from app.workflow.effects import EFFECTS
from app.workflow.forms import FORMS
from app.workflow.guards import GUARDS
from app.workflow.spec import WorkflowSpec, load_all, load_spec


def _register_content() -> None:
    # Modules that register guards and effects by import.
    import app.skp.rules  # noqa: F401


def load_definitions(directory: Path) -> dict[str, WorkflowSpec]:
    """Every definition in `directory`, checked against the registries."""
    _register_content()
    return load_all(directory, set(FORMS), set(GUARDS), set(EFFECTS))


def load_definition(path: Path) -> WorkflowSpec:
    """One definition file, checked against the registries."""
    _register_content()
    return load_spec(path, set(FORMS), set(GUARDS), set(EFFECTS))
