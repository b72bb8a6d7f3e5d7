"""After a keberatan decision changes a predikat: re-check the OPD's pola distribusi and,
when it is now broken, tell BKD (a notice and a mail to each verifier, after the commit).

BKD's verifiers work for every OPD of the city (verification tasks are group tasks
of the whole agency), so all of them are told; they are mailed at once whatever
their mail mode, as a broken distribution after finalisation needs action.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from app.models import Appraisal, AuditEvent
from app.outbox.links import external_url
from app.outbox.notices import record, verifiers
from app.outbox.queue import enqueue_mail
from app.skp import scoring
from app.skp.orgkinerja.distribution import rule_text
from app.skp.verification import services as verification

TEMPLATE = "distribution_broken"


def recheck_after_objection(
    appraisal: Appraisal, old_predikat: str | None, event: AuditEvent | None, now: datetime
) -> int:
    """Tell BKD when the decision's new predikat leaves the OPD outside its pola distribusi.

    Nothing when the predikat did not change, the OPD has no organisation predikat,
    or the distribution holds. Returns how many verifiers were told. Flushes only.
    """
    if appraisal.predikat == old_predikat or appraisal.opd_id is None:
        return 0
    org, _counts, check = verification.opd_distribution(appraisal.opd_id, appraisal.period_id)
    if check is None or not check.breaks:
        return 0
    broken = [item for item in check.rules if not item.holds]
    told = verifiers()
    url = external_url(
        "skp.verification_opd", period_id=appraisal.period_id, opd_id=appraisal.opd_id
    )
    for reader in told:
        message = enqueue_mail(
            reader.employee.email,
            _l(
                "[SIKAP] %(opd)s: the pola distribusi is broken after a keberatan",
                opd=appraisal.opd.name,
            ),
            TEMPLATE,
            reader.locale,
            audit_event_id=event.id if event is not None else None,
            person=reader.employee,
            appraisal=appraisal,
            opd=appraisal.opd,
            org_label=scoring.ORG_PREDIKAT_LABELS[org],
            old_label=scoring.PREDIKAT_LABELS.get(old_predikat or "", "—"),
            new_label=scoring.PREDIKAT_LABELS.get(appraisal.predikat or "", "—"),
            broken=broken,
            rule_text=rule_text,
            url=url,
        )
        record(
            "distribution",
            reader,
            appraisal.id,
            event_id=event.id if event is not None else None,
            message=message,
            now=now,
        )
    return len(told)
