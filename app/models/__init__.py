"""All models, imported here so that metadata and migrations see every table."""

from app.models.accounts import Account, RoleGrant
from app.models.org import ActingAssignment, Employee, Opd, Position, Unit
from app.models.outbox import OutboxMessage

__all__ = [
    "Account",
    "ActingAssignment",
    "Employee",
    "Opd",
    "OutboxMessage",
    "Position",
    "RoleGrant",
    "Unit",
]
