"""The features that plug guards, effects and forms into the workflow engine.

Called by the app factory and by `flask workflow` before any definition is
loaded. Importing a feature's rules module registers what it provides.
"""


def register_workflow_plugins() -> None:
    """Import every module that registers workflow guards, effects or forms."""
    from app.skp import rules  # noqa: F401
