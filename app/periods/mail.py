"""The "a task is waiting for you" mail of a newly opened period, as outbox rows.

Opening a period mails up to 25,000 people the same message with a few fields
changed. Rendering a template per person would dominate the run, so each
language's text is rendered once with markers in place of the personal fields,
and the markers are filled per recipient (HTML-escaped in the HTML part).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app, render_template
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from markupsafe import escape

from app.outbox.links import MailLink, external_url

TEMPLATE = "period_opened"
FIELDS = ("name", "nip", "url")


def _marker(field: str) -> str:
    # Characters that neither Jinja's autoescape nor a translation changes.
    return f"@@{field.upper()}@@"


@dataclass(frozen=True)
class Recipient:
    appraisal_id: int
    employee_id: int
    name: str
    nip: str
    email: str
    locale: str


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


def render_once(
    period_name: str, step_labels: dict[str, str], due: date, *, locks: bool
) -> dict[str, RenderedMail]:
    """The mail in every language, with markers for the personal fields.

    `due` is the task's due date (app.workflow.deadlines' one rule); `locks` says
    that it is also the step's deadline, after which entries are locked.
    """
    rendered = {}
    for locale in current_app.config["LANGUAGES"]:
        with force_locale(locale):
            context = {
                "period_name": period_name,
                "step": step_labels[locale],
                "due": format_date(due, "long"),
                "locks": locks,
                **{field: _marker(field) for field in FIELDS},
            }
            rendered[locale] = RenderedMail(
                subject=_(
                    "[SIKAP] %(period)s is open: a task is waiting for you", period=period_name
                ),
                text=render_template(f"periods/mail/{TEMPLATE}.txt", **context),
                html=render_template(f"periods/mail/{TEMPLATE}.html", **context),
            )
    return rendered


_ID, _TOKEN = 987654321, "TOKEN"


def appraisal_url_prefix() -> str:
    """The signed-link URL with placeholders for the appraisal id and the token.

    Built once (it costs a request context); each recipient's link fills it in.
    """
    return external_url("notifications.follow", appraisal_id=_ID, token=_TOKEN)


def _signed_url(pattern: str, person: Recipient) -> str:
    # Signed and bound to the recipient, like every other emailed link.
    token = MailLink(person.employee_id, person.appraisal_id).dumps()
    return pattern.replace(str(_ID), str(person.appraisal_id)).replace(_TOKEN, token)


def outbox_rows(
    recipients: list[Recipient], rendered: dict[str, RenderedMail], url_prefix: str, now: datetime
) -> list[dict]:
    """One pending outbox row per recipient, in their language, ready for a bulk insert."""
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    rows = []
    for person in recipients:
        locale = person.locale if person.locale in rendered else default
        mail = rendered[locale]
        url = _signed_url(url_prefix, person)
        values = {"name": person.name, "nip": person.nip, "url": url}
        text, html = mail.text, mail.html
        for field, value in values.items():
            text = text.replace(_marker(field), value)
            html = html.replace(_marker(field), str(escape(value)))
        rows.append(
            {
                "recipient": person.email,
                "subject": mail.subject,
                "body_text": text,
                "body_html": html,
                "template": TEMPLATE,
                "locale": locale,
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
        )
    return rows
