"""The features that plug into the lower layers: guards, effects and forms into the
workflow engine, tasks into the queue (app.jobs).

Called by the app factory (and `flask workflow`, before any definition is
loaded). Importing a feature's rules or tasks module registers what it provides.
"""


def register_workflow_plugins() -> None:
    """Import every module that registers workflow guards, effects or forms."""
    from app.complaints import workflow as complaint_workflow  # noqa: F401
    from app.pembinaan import workflow as pembinaan_workflow  # noqa: F401
    from app.skp import rules  # noqa: F401


def register_tasks() -> None:
    """Import every module that registers tasks on the queue, for deferring and for workers."""
    from app.complaints import tasks as complaint_tasks  # noqa: F401
    from app.dashboard import tasks as dashboard_tasks  # noqa: F401
    from app.notifications import tasks as notification_tasks  # noqa: F401
    from app.outbox import tasks as outbox_tasks  # noqa: F401
    from app.pembinaan import tasks as pembinaan_tasks  # noqa: F401
    from app.periods import jobs as period_jobs  # noqa: F401
