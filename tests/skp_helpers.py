"""Fill an appraisal's content so that every step's content checks pass (test set-up only).

Shared by the workflow tests (which force appraisals into any state) and the SKP
tests. The atasan's own SKP for the same period is created when needed, without
a task, so that a non-JPT UTAMA RHK can link to one of its RHK.
"""

from decimal import Decimal

import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, Behaviour, Iki, Rhk
from app.models.skp import BERAKHLAK


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
    rhk = db.session.scalars(sa.select(Rhk).where(Rhk.appraisal_id == theirs.id)).first()
    if rhk is None:
        rhk = Rhk(
            appraisal_id=theirs.id,
            group_="utama",
            position=0,
            text="Meningkatnya kualitas pelayanan kesehatan primer",
        )
        db.session.add(rhk)
        db.session.flush()
    return rhk


def fill_plan(appraisal: Appraisal) -> Rhk:
    """One UTAMA RHK with one IKI and a numeric target (linked upward for non-JPT)."""
    jpt = appraisal.employee.position is not None and appraisal.employee.position.kind == "jpt"
    rhk = Rhk(
        appraisal_id=appraisal.id,
        group_="utama",
        position=0,
        text="Terlaksananya administrasi layanan kesehatan primer tepat waktu",
        atasan_rhk_id=None
        if jpt
        else (atasan_rhk(appraisal).id if atasan_rhk(appraisal) else None),
    )
    rhk.ikis = [
        Iki(
            position=0,
            text="Jumlah laporan layanan yang diselesaikan",
            aspect=None if jpt else "kuantitas",
            perspective="proses_bisnis" if jpt else None,
            target_kind="number",
            target_value=Decimal(12),
            target_unit="laporan",
        )
    ]
    db.session.add(rhk)
    db.session.flush()
    return rhk


def fill_realisasi(appraisal: Appraisal) -> None:
    """Every IKI gets a realisasi equal to its target."""
    for iki in db.session.scalars(sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id)):
        if iki.target_kind == "number":
            iki.realisasi_value = iki.target_value
        else:
            iki.realisasi_text = "Tercapai sesuai target"
    db.session.flush()


def fill_ratings(appraisal: Appraisal, hk: str = "sesuai", pk: str = "sesuai") -> None:
    """Both ratings and the seven perilaku rows with feedback; the predikat is left to the code."""
    appraisal.rating_hk, appraisal.rating_pk = hk, pk
    have = set(
        db.session.scalars(sa.select(Behaviour.value).where(Behaviour.appraisal_id == appraisal.id))
    )
    for value in BERAKHLAK:
        if value not in have:
            db.session.add(
                Behaviour(appraisal_id=appraisal.id, value=value, feedback="Sudah baik.")
            )
    db.session.flush()


def fill_complete_skp(appraisal: Appraisal) -> None:
    """Plan, realisasi and ratings: enough for every content check of every step."""
    fill_plan(appraisal)
    fill_realisasi(appraisal)
    fill_ratings(appraisal)
