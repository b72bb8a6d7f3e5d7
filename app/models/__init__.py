"""All models, imported here so that metadata and migrations see every table."""

from app.models.accounts import Account, RoleGrant
from app.models.appraisal import Appraisal, Period
from app.models.audit import AuditEvent
from app.models.org import ActingAssignment, Employee, Opd, Position, Unit
from app.models.outbox import OutboxMessage
from app.models.task import Task

__all__ = [
    "Account",
    "ActingAssignment",
    "Appraisal",
    "AuditEvent",
    "Employee",
    "Opd",
    "OutboxMessage",
    "Period",
    "Position",
    "RoleGrant",
    "Task",
    "Unit",
]
