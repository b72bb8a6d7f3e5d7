"""SKP content written directly: plans, realisasi, perilaku and ratings.

The one builder for both the demo (whose defaults read like a real OPD's) and the
tests (which pass a minimal plan and leave out what they do not need). Rows are
written directly (this is data, not a step); every state change is still made by
the engine's fire(), in app/seed/appraisals.py and in the tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_FLOOR, Decimal

import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, Behaviour, Iki, IkiPart, Rhk
from app.models.skp import BERAKHLAK
from app.skp.scoring import predikat

# (IKI text, aspect or perspective, numeric target, unit); {opd} and {unit} are filled in.
PlannedIki = tuple[str, str, int, str]
# (group, RHK text, its IKI)
PlannedRhk = tuple[str, str, Sequence[PlannedIki]]

# The demo's plans by position kind (an employee without a position plans as a pelaksana).
PLANS: dict[str, list[PlannedRhk]] = {
    "jpt": [
        (
            "utama",
            "Meningkatnya kualitas layanan {opd}",
            [
                ("Indeks kepuasan masyarakat atas layanan {opd}", "penerima_layanan", 85, "indeks"),
                ("Persentase program prioritas yang tercapai", "proses_bisnis", 90, "persen"),
            ],
        ),
        (
            "utama",
            "Meningkatnya akuntabilitas kinerja {opd}",
            [("Nilai SAKIP {opd}", "penguatan_internal", 75, "nilai")],
        ),
        (
            "tambahan",
            "Terlaksananya reformasi birokrasi di {opd}",
            [("Persentase realisasi anggaran", "anggaran", 95, "persen")],
        ),
    ],
    "administrator": [
        (
            "utama",
            "Terselenggaranya program {unit} sesuai rencana",
            [
                ("Persentase kegiatan yang terlaksana tepat waktu", "waktu", 95, "persen"),
                ("Jumlah laporan evaluasi program", "kuantitas", 4, "laporan"),
            ],
        ),
        (
            "tambahan",
            "Terlaksananya pembinaan pegawai di {unit}",
            [("Jumlah pertemuan pembinaan", "kuantitas", 12, "kali")],
        ),
    ],
    "pengawas": [
        (
            "utama",
            "Terlaksananya kegiatan {unit} sesuai standar",
            [
                ("Jumlah kegiatan yang dilaksanakan", "kuantitas", 12, "kegiatan"),
                ("Persentase kegiatan sesuai SOP", "kualitas", 100, "persen"),
            ],
        ),
    ],
    "pelaksana": [
        (
            "utama",
            "Tersusunnya administrasi layanan {unit} yang tertib",
            [
                ("Jumlah dokumen layanan yang diproses", "kuantitas", 240, "dokumen"),
                ("Persentase dokumen yang selesai tepat waktu", "waktu", 95, "persen"),
            ],
        ),
        (
            "tambahan",
            "Terdukungnya kegiatan kehumasan {opd}",
            [("Jumlah publikasi kegiatan", "kuantitas", 6, "publikasi")],
        ),
    ],
    "fungsional": [
        (
            "utama",
            "Terlaksananya layanan fungsional {unit} yang bermutu",
            [
                ("Jumlah layanan yang diberikan", "kuantitas", 300, "layanan"),
                ("Persentase layanan tanpa keluhan", "kualitas", 98, "persen"),
            ],
        ),
    ],
}

EXPECTATION = "Menunjukkan nilai {value} dalam setiap pelaksanaan tugas."
FEEDBACK = "Sudah menunjukkan perilaku yang diharapkan; pertahankan."
IKI_FEEDBACK = "Capaian sesuai target; dokumentasikan bukti dukung dengan rapi."
LOW_RATING_COMMENT = "Beberapa target belum tercapai; perlu pendampingan."
REALISASI_TEXT = "Tercapai sesuai target"
EVIDENCE_REASON = "Dokumen asli diperiksa langsung oleh atasan pada dialog kinerja."


def _names(appraisal: Appraisal) -> dict[str, str]:
    position = appraisal.employee.position
    return {
        "opd": position.opd.name if position else "perangkat daerah",
        "unit": position.unit.name if position and position.unit else "unit kerja",
    }


def fill_plan(
    appraisal: Appraisal,
    plans: Mapping[str, Sequence[PlannedRhk]] = PLANS,
    *,
    link: Callable[[Appraisal], Rhk | None] | None = None,
) -> list[Rhk]:
    """Give the appraisal the plan `plans` holds for its position kind, unless it has one.

    `link` finds the atasan's RHK that a non-JPT appraisal's UTAMA RHK contribute to.
    Returns the RHK written (none when there was a plan already).
    """
    if db.session.scalar(sa.select(Rhk.id).where(Rhk.appraisal_id == appraisal.id).limit(1)):
        return []
    position = appraisal.employee.position
    kind = position.kind if position else "pelaksana"
    jpt = kind == "jpt"
    atasan_rhk = link(appraisal) if link and not jpt else None
    names = _names(appraisal)
    rhks = []
    for index, (group, text, ikis) in enumerate(plans[kind]):
        rhk = Rhk(
            appraisal_id=appraisal.id,
            group_=group,
            position=index,
            text=text.format(**names),
            atasan_rhk_id=atasan_rhk.id if atasan_rhk and group == "utama" else None,
        )
        rhk.ikis = [
            Iki(
                position=i,
                text=iki_text.format(**names),
                perspective=axis if jpt else None,
                aspect=None if jpt else axis,
                target_kind="number",
                target_value=Decimal(target),
                target_unit=unit,
            )
            for i, (iki_text, axis, target, unit) in enumerate(ikis)
        ]
        db.session.add(rhk)
        rhks.append(rhk)
    db.session.flush()
    return rhks


# Rencana aksi of the demo plans, one per quarter.
QUARTER_ACTIONS = (
    "Menyusun jadwal dan menyiapkan format kerja",
    "Melaksanakan kegiatan sesuai jadwal dan merekap hasilnya",
    "Melaksanakan kegiatan dan mengevaluasi kendala semester I",
    "Menuntaskan sisa target dan menyusun laporan tahunan",
)


def fill_quarters(appraisals: Sequence[Appraisal]) -> None:
    """Periodic targets and rencana aksi for the annual plans' numeric IKI without them.

    A count is spread over the four quarters (the remainder in the last) and summed; a
    percentage is the same every quarter and averaged.
    """
    ikis = db.session.scalars(
        sa.select(Iki)
        .join(Rhk)
        .where(Rhk.appraisal_id.in_([a.id for a in appraisals]), Iki.target_kind == "number")
        .where(~sa.select(IkiPart.id).where(IkiPart.iki_id == Iki.id).exists())
    )
    for iki in ikis:
        if iki.target_unit == "persen":
            # A rate: the same target every quarter, the year its average.
            targets, iki.accumulation = [iki.target_value] * 4, "average"
        else:
            share = (iki.target_value / 4).quantize(Decimal("1"), rounding=ROUND_FLOOR)
            targets, iki.accumulation = [share, share, share, iki.target_value - 3 * share], "sum"
        iki.parts = [
            IkiPart(part=n, target_value=target, rencana_aksi=action)
            for n, (target, action) in enumerate(zip(targets, QUARTER_ACTIONS, strict=True), 1)
        ]
    db.session.flush()


def link_to_atasan(appraisals: list[Appraisal]) -> None:
    """Link every non-JPT RHK to the first UTAMA RHK of the appraiser's SKP, where there is one."""
    by_employee = {a.employee_id: a.id for a in appraisals}
    first_utama = dict(
        db.session.execute(
            sa.select(Rhk.appraisal_id, sa.func.min(Rhk.id))
            .where(Rhk.group_ == "utama", Rhk.appraisal_id.in_(by_employee.values()))
            .group_by(Rhk.appraisal_id)
        ).all()
    )
    for appraisal in appraisals:
        position = appraisal.employee.position
        if position is None or position.kind == "jpt":
            continue
        target = first_utama.get(by_employee.get(appraisal.appraiser_id))
        if target is None:
            continue
        db.session.execute(
            sa.update(Rhk)
            .where(Rhk.appraisal_id == appraisal.id, Rhk.atasan_rhk_id.is_(None))
            .values(atasan_rhk_id=target)
        )
    db.session.flush()


def set_expectations(appraisal: Appraisal, expectation: str | None = EXPECTATION) -> None:
    """The seven BerAKHLAK rows, made where missing with the appraiser's ekspektasi (if any)."""
    have = set(
        db.session.scalars(sa.select(Behaviour.value).where(Behaviour.appraisal_id == appraisal.id))
    )
    for value in BERAKHLAK:
        if value not in have:
            label = value.replace("_", " ").title()
            db.session.add(
                Behaviour(
                    appraisal_id=appraisal.id,
                    value=value,
                    expectation=expectation.format(value=label) if expectation else None,
                )
            )
    db.session.flush()


def fill_realisasi(appraisal: Appraisal, share: Decimal = Decimal("1.0")) -> None:
    """Realisasi at `share` of each numeric target; a target in words is met in words.

    Each IKI UTAMA without bukti dukung gets the reason why there is none, so that
    the self-assessment can be submitted.
    """
    rows = db.session.execute(
        sa.select(Iki, Rhk.group_).join(Rhk).where(Rhk.appraisal_id == appraisal.id)
    )
    for iki, group in rows:
        if iki.target_kind == "number":
            iki.realisasi_value = (iki.target_value * share).quantize(Decimal("0.01"))
        else:
            iki.realisasi_text = REALISASI_TEXT
        if group == "utama" and not iki.evidence_reason:
            iki.evidence_reason = EVIDENCE_REASON
    db.session.flush()


def rate(
    appraisal: Appraisal,
    hk: str,
    pk: str,
    *,
    feedback: str = FEEDBACK,
    iki_feedback: str | None = IKI_FEEDBACK,
    expectation: str | None = EXPECTATION,
    with_predikat: bool = True,
) -> None:
    """The appraiser's review: umpan balik on the perilaku (and on each IKI), both ratings.

    Every RHK is rated as the hasil kerja (so the suggestion is the rating given),
    and every qualitative IKI is marked the same.

    The predikat is read from the matrix unless `with_predikat` is False (then it is
    left to the workflow's effect, as a real review does).
    """
    for rhk in db.session.scalars(sa.select(Rhk).where(Rhk.appraisal_id == appraisal.id)):
        rhk.rating = hk
    for iki in db.session.scalars(sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id)):
        if iki_feedback:
            iki.feedback = iki_feedback
        if iki.direction == "quality" or iki.target_kind != "number":
            iki.quality_mark = hk
    set_expectations(appraisal, expectation)
    for behaviour in db.session.scalars(
        sa.select(Behaviour).where(Behaviour.appraisal_id == appraisal.id)
    ):
        behaviour.feedback = feedback
    appraisal.rating_hk, appraisal.rating_pk = hk, pk
    appraisal.rating_hk_suggested = hk
    if "di_bawah" in (hk, pk):
        appraisal.rating_comment = LOW_RATING_COMMENT
    if with_predikat:
        appraisal.predikat = predikat(hk, pk)
    db.session.flush()
