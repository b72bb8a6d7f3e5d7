"""Test wrappers over the SKP content builder (app/seed/content.py): minimal content.

Shared by the workflow tests (which force appraisals into any state) and the SKP
tests. The atasan's own SKP for the same period is created when needed, without
a task, so that a non-JPT UTAMA RHK can link to one of its RHK.
"""

import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, Rhk
from app.models.org import POSITION_KINDS
from app.seed import content

# One UTAMA RHK with one IKI and a numeric target, whatever the position.
_RHK = "Terlaksananya administrasi layanan kesehatan primer tepat waktu"
_IKI = "Jumlah laporan layanan yang diselesaikan"
_AXIS = {"jpt": "proses_bisnis"}  # a JPT's IKI has a perspective, the others' an aspect
MINIMAL_PLANS = {
    kind: [("utama", _RHK, [(_IKI, _AXIS.get(kind, "kuantitas"), 12, "laporan")])]
    for kind in POSITION_KINDS
}
# The atasan's SKP needs only an RHK to be linked to.
ATASAN_PLANS = {
    kind: [("utama", "Meningkatnya kualitas pelayanan kesehatan primer", [])]
    for kind in POSITION_KINDS
}


def atasan_rhk(appraisal: Appraisal) -> Rhk | None:
    """An RHK of the appraiser's SKP in the same period, made if missing."""
    if appraisal.appraiser_id is None:
        return None
    theirs = db.session.scalars(
        sa.select(Appraisal).where(
            Appraisal.employee_id == appraisal.appraiser_id,
            Appraisal.period_id == appraisal.period_id,
        )
    ).first()
    if theirs is None:
        theirs = Appraisal(
            employee_id=appraisal.appraiser_id,
            period_id=appraisal.period_id,
            workflow=appraisal.workflow,
            state="self_assessment",
            opd_id=appraisal.opd_id,
        )
        db.session.add(theirs)
        db.session.flush()
    content.fill_plan(theirs, ATASAN_PLANS)
    return db.session.scalars(sa.select(Rhk).where(Rhk.appraisal_id == theirs.id)).first()


def fill_plan(appraisal: Appraisal) -> Rhk:
    """The minimal plan, its UTAMA RHK linked upward for non-JPT."""
    return content.fill_plan(appraisal, MINIMAL_PLANS, link=atasan_rhk)[0]


def fill_complete_skp(appraisal: Appraisal) -> None:
    """Plan, realisasi, umpan balik and ratings: enough for every content check of every step."""
    fill_plan(appraisal)
    content.fill_realisasi(appraisal)
    content.rate(
        appraisal,
        "sesuai",
        "sesuai",
        feedback="Sudah baik.",
        iki_feedback="Sudah baik.",
        expectation=None,
        with_predikat=False,
    )
