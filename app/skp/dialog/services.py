"""Dialog kinerja: a dated thread of notes between appraisee and appraiser.

Each note is mailed to the other side through the outbox, in the same
transaction as the note, so nothing is sent unless the note is saved.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Account, Appraisal, DialogNote, Employee
from app.outbox.links import task_url
from app.outbox.queue import enqueue_mail

MAX_NOTE = 5000


def thread(appraisal: Appraisal) -> list[DialogNote]:
    """The notes, oldest first, with their authors."""
    return list(
        db.session.scalars(
            sa.select(DialogNote)
            .where(DialogNote.appraisal_id == appraisal.id)
            .options(joinedload(DialogNote.author))
            .order_by(DialogNote.created_at, DialogNote.id)
        )
    )


def other_side(appraisal: Appraisal, author: Account) -> Employee | None:
    """Who is told of a note: the appraiser when the appraisee writes, else the appraisee."""
    if author.employee_id == appraisal.employee_id:
        return appraisal.appraiser
    return appraisal.employee


def add_note(appraisal: Appraisal, author: Account, body: str) -> DialogNote:
    """Append a note to the thread and queue a mail to the other side."""
    note = DialogNote(appraisal_id=appraisal.id, author_id=author.employee_id, body=body.strip())
    db.session.add(note)
    db.session.flush()
    recipient = other_side(appraisal, author)
    if recipient is not None and recipient.email and recipient.id != author.employee_id:
        locale = db.session.scalar(
            sa.select(Account.locale).where(Account.employee_id == recipient.id)
        )
        enqueue_mail(
            recipient.email,
            _l(
                "[SIKAP] New note in the dialog kinerja: SKP of %(name)s, %(period)s",
                name=appraisal.employee.name,
                period=appraisal.period.name,
            ),
            "dialog_note",
            locale=locale or "id",
            person=recipient,
            author=author.employee,
            appraisal=appraisal,
            note=note,
            url=task_url(recipient.id, appraisal.id),
        )
    return note
