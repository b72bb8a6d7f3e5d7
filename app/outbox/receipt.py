"""When the appraisee received the final result: set once, by whichever comes first.

PP 30/2019 Pasal 59 ayat (2): a keberatan is filed within 14 days of the
appraisee *receiving* the result of the appraisal, not of its finalisation.
Receipt is the earlier of the delivery of the final-result mail (the outbox
worker, when the server accepted it) and the appraisee's first view of the final
SKP (its page or document). Both call `mark_result_received`; the conditional
UPDATE keeps the first time and makes a second caller, even a concurrent one, a
no-op.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from app.extensions import db
from app.models import Account, Appraisal


def mark_result_received(appraisal_id: int, at: datetime) -> bool:
    """Record that the appraisal's final result was received at `at`, unless it already was.

    True when this call set it. Flushes nothing else; the caller commits.
    """
    result = db.session.execute(
        sa.update(Appraisal)
        .where(
            Appraisal.id == appraisal_id,
            Appraisal.finalised_at.is_not(None),
            Appraisal.result_received_at.is_(None),
        )
        .values(result_received_at=at)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def note_view(appraisal: Appraisal, account: Account | None, at: datetime) -> bool:
    """The appraisee looks at their final SKP: the first such look counts as receipt.

    True when this view set the receipt (the caller commits then); nobody
    else's view counts, and a view before finalisation is not receipt.
    """
    if (
        account is None
        or not getattr(account, "is_authenticated", False)
        or account.employee_id != appraisal.employee_id
        or appraisal.finalised_at is None
        or appraisal.result_received_at is not None
    ):
        return False
    if not mark_result_received(appraisal.id, at):
        # Someone (the mail worker) was first: read the time it recorded.
        db.session.refresh(appraisal, ["result_received_at"])
        return False
    set_committed_value(appraisal, "result_received_at", at)
    return True
