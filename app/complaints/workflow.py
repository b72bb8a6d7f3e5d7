"""What the pengaduan definition names: the answer form and the effect recording the answer.

Imported by app.plugins before any definition is loaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.extensions import db
from app.models import Account, Complaint, SkmContact
from app.outbox.queue import enqueue_mail
from app.workflow.effects import effect
from app.workflow.errors import InvalidInput
from app.workflow.forms import TransitionForm, register_form

MAX_ANSWER = 5000


class ComplaintAnswerForm(TransitionForm):
    """The unit's answer to the complainant (mailed to them when they left an address)."""

    answer = TextAreaField(
        _l("Answer to the complainant"),
        validators=[DataRequired(_l("Please write the answer.")), Length(max=MAX_ANSWER)],
        render_kw={"rows": 6},
    )


register_form("complaint_answer", ComplaintAnswerForm)


@effect("record_complaint_answer")
def record_answer(complaint: Complaint, actor: Account, form: Mapping, now: datetime) -> None:
    """Keep the answer (the first answer's time counts for the SLA) and mail it to the
    complainant when they left an email address (through the outbox, after the commit)."""
    text = (form.get("answer") or "").strip()
    if not text:
        raise InvalidInput({"answer": [str(_l("Please write the answer."))]})
    if len(text) > MAX_ANSWER:
        raise InvalidInput({"answer": [str(_l("The answer is too long."))]})
    complaint.answer = text
    if complaint.answered_at is None:
        complaint.answered_at = now
    contact = db.session.scalar(
        sa.select(SkmContact).where(SkmContact.response_id == complaint.response_id)
    )
    if contact is None or not contact.email:
        return
    locale = complaint.response.locale if complaint.response.locale in ("id", "en") else "id"
    with force_locale(locale):
        subject = _("Answer to your complaint about %(unit)s", unit=complaint.service_unit.name)
    enqueue_mail(
        contact.email,
        subject,
        "complaint_answer",
        locale=locale,
        name=contact.name,
        complaint=complaint,
        answer=text,
    )
