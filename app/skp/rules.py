"""Guards and effects over the SKP's content, registered by import (see workflow.registry)."""

from __future__ import annotations

from datetime import datetime

from app.models import Account, Appraisal
from app.skp.assessment import realisasi_missing
from app.skp.plan import plan_problems
from app.workflow.guards import guard


@guard("plan_complete")
def plan_complete(appraisal: Appraisal, actor: Account, now: datetime) -> str | None:
    """A plan may be submitted with a UTAMA RHK, IKI with targets, and (non-JPT) atasan links."""
    problems = plan_problems(appraisal)
    return " ".join(problems) if problems else None


@guard("realisasi_complete")
def realisasi_complete(appraisal: Appraisal, actor: Account, now: datetime) -> str | None:
    """A self-assessment may be submitted once every IKI has its realisasi."""
    return realisasi_missing(appraisal)


from app.skp import effects  # noqa: E402, F401
