"""Write emails to the outbox, rendered in the recipient's language."""

from flask import render_template
from flask_babel import force_locale
from flask_babel.speaklater import LazyString

from app.extensions import db
from app.models.outbox import OutboxMessage


def enqueue_mail(
    recipient: str, subject: LazyString, template: str, locale: str = "id", **context
) -> OutboxMessage:
    """Render templates/email/<template>.txt and .html in `locale` and queue the mail.

    `subject` is a lazy string, so that it is translated into the recipient's
    language. The row is only flushed: it is sent after the caller commits.
    """
    with force_locale(locale):
        message = OutboxMessage(
            recipient=recipient,
            subject=str(subject),
            body_text=render_template(f"email/{template}.txt", **context),
            body_html=render_template(f"email/{template}.html", **context),
            template=template,
            locale=locale,
        )
    db.session.add(message)
    db.session.flush()
    return message
