"""The subject kinds the engine runs: the appraisal (SKP), the complaint (pengaduan) and the
pembinaan case.

Imported by the engine, so all are registered before any definition is used.
"""

from __future__ import annotations

from app.models import Appraisal, Complaint, PembinaanCase
from app.workflow import complaints, notify, pembinaan
from app.workflow.deadlines import closed_message, period_closed, task_due_date
from app.workflow.locking import move_state
from app.workflow.roles import ROLE_LABELS, acting_capacity, appraisal_roles, assignee_for
from app.workflow.subjects import SubjectKind, register_kind

APPRAISAL = register_kind(
    SubjectKind(
        name="appraisal",
        model=Appraisal,
        column="appraisal_id",
        roles_of=appraisal_roles,
        assignee_for=assignee_for,
        acting_capacity=acting_capacity,
        locked=period_closed,
        locked_message=closed_message,
        move_state=move_state,
        due_date=task_due_date,
        mails=notify.transition_mails,
        role_labels=ROLE_LABELS,
    )
)

COMPLAINT = register_kind(
    SubjectKind(
        name="complaint",
        model=Complaint,
        column="complaint_id",
        roles_of=complaints.complaint_roles,
        assignee_for=complaints.assignee_for,
        acting_capacity=complaints.acting_capacity,
        locked=lambda complaint: False,
        locked_message=lambda complaint: "",
        move_state=complaints.move_state,
        due_date=complaints.task_due_date,
        mails=complaints.transition_mails,
        role_labels=ROLE_LABELS,
    )
)

PEMBINAAN = register_kind(
    SubjectKind(
        name="pembinaan",
        model=PembinaanCase,
        column="pembinaan_id",
        roles_of=pembinaan.pembinaan_roles,
        assignee_for=pembinaan.assignee_for,
        acting_capacity=pembinaan.acting_capacity,
        locked=lambda case: False,
        locked_message=lambda case: "",
        move_state=pembinaan.move_state,
        due_date=pembinaan.task_due_date,
        mails=pembinaan.transition_mails,
        role_labels=ROLE_LABELS,
    )
)
