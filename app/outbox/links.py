"""Links for emails: absolute, and for tasks signed, expiring and bound to their recipient.

A task link carries a token naming the recipient (employee id), the appraisal,
and optionally the task it was sent for and a workflow step to confirm. The
landing route (`notifications.follow`) accepts it only from that recipient,
signed in; it then opens the appraisal, or the confirmation page of the step.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

LINK_SALT = "sikap-mail-link"


def external_url(endpoint: str, **values) -> str:
    """An absolute URL to `endpoint` under BASE_URL, never under the request's Host header."""
    # A request's Host header is chosen by the client: a link built from it could send
    # the recipient (and the token in the link) to any site.
    base = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


class LinkRefused(ValueError):
    """The token is forged or damaged (`expired` False), or too old (`expired` True)."""

    def __init__(self, expired: bool):
        self.expired = expired
        super().__init__("expired" if expired else "invalid")


@dataclass(frozen=True)
class MailLink:
    """What a signed link says: for whom, which appraisal, and optionally which task and step."""

    employee_id: int
    appraisal_id: int
    task_id: int | None = None
    trigger: str | None = None

    def dumps(self) -> str:
        data = {"e": self.employee_id, "a": self.appraisal_id}
        if self.task_id is not None:
            data["t"] = self.task_id
        if self.trigger is not None:
            data["x"] = self.trigger
        return _serializer().dumps(data)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=LINK_SALT)


def task_url(
    employee_id: int,
    appraisal_id: int,
    task_id: int | None = None,
    trigger: str | None = None,
) -> str:
    """The signed, absolute link for one recipient to an appraisal (and task, and step)."""
    token = MailLink(employee_id, appraisal_id, task_id, trigger).dumps()
    return external_url("notifications.follow", appraisal_id=appraisal_id, token=token)


def read_link(token: str, appraisal_id: int) -> MailLink:
    """The link a token stands for; LinkRefused when forged, damaged, expired or misplaced."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["MAIL_LINK_MAX_AGE"])
    except SignatureExpired as error:
        raise LinkRefused(expired=True) from error
    except BadSignature as error:
        raise LinkRefused(expired=False) from error
    if not isinstance(data, dict) or data.get("a") != appraisal_id:
        raise LinkRefused(expired=False)
    employee_id, task_id, trigger = data.get("e"), data.get("t"), data.get("x")
    if not isinstance(employee_id, int) or not isinstance(task_id, int | None):
        raise LinkRefused(expired=False)
    if not isinstance(trigger, str | None):
        raise LinkRefused(expired=False)
    return MailLink(employee_id, appraisal_id, task_id, trigger)
