"""A small organisation for the security suite: two OPDs, BKD, one appraisal per step.

OPD A (Dinas Kesehatan, from tests.factories.make_team): kadis (kepala OPD) >
kabid (atasan pejabat penilai of the staff) > kasi (their atasan, the appraiser) >
staf and staf2. OPD B (Dinas Pendidikan): kadis_b > kasi_b > staf_b. BKD: two
verifiers and an admin. Every step of the annual workflow has its own period, and
in each period staf ("own"), staf2 ("colleague", same OPD and appraiser) and staf_b
("other", another OPD) have an appraisal in that step.

Everything is returned as ids and strings (never ORM objects), so that requests
that change the data cannot leave the test holding stale objects.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from app.auth.sessions import hash_token, start_session
from app.extensions import db
from app.models import (
    Appraisal,
    Evidence,
    Iki,
    Job,
    OutboxMessage,
    PeerSurvey,
    PeerSurveyInvite,
    Rhk,
    Task,
)
from app.models.types import utcnow
from app.outbox.links import MailLink
from tests import factories
from tests.workflow_helpers import appraisal_in_state

STEPS = (
    "draft",
    "plan_review",
    "self_assessment",
    "supervisor_review",
    "verification",
    "final",
    "objection",
)
WHOSE = ("own", "colleague", "other")
EMPLOYEE_OF = {"own": "staf", "colleague": "staf2", "other": "staf_b"}

# subject -> the account (key in the team) signing in; None: anonymous
SUBJECTS = {
    "anonymous": None,
    "pegawai": "staf",
    "atasan": "kasi",
    "atasan_pp": "kabid",
    "verifikator": "verifikator",
    "admin": "admin",
    "kepala_opd": "kadis",
    "kepala_lain": "kadis_b",
}


def _first_iki(appraisal_id: int) -> int:
    return db.session.scalar(
        sa.select(Iki.id).join(Rhk).where(Rhk.appraisal_id == appraisal_id).order_by(Iki.id)
    )


def _open_task(appraisal_id: int) -> Task:
    return db.session.scalars(
        sa.select(Task).where(Task.appraisal_id == appraisal_id, Task.closed_at.is_(None))
    ).one()


def _evidence_file(iki_id: int, uploader: int, directory: Path, name: str) -> int:
    data = b"%PDF-1.4\n% bukti dukung " + name.encode() + b"\n%%EOF\n"
    stored = f"{hashlib.sha256(name.encode()).hexdigest()[:32]}.pdf"
    (directory / stored).write_bytes(data)
    evidence = Evidence(
        iki_id=iki_id,
        kind="file",
        filename=f"{name}.pdf",
        stored_name=stored,
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=uploader,
    )
    db.session.add(evidence)
    db.session.flush()
    return evidence.id


def build_org(evidence_dir: Path) -> dict:
    """Build the organisation, commit it, and return the ids and tokens the tests need."""
    team = factories.make_team()
    opd_b = factories.make_opd("DISDIK", "Dinas Pendidikan")
    head_b = factories.make_position(opd_b, "Kepala Dinas Pendidikan", "jpt")
    kasi_b = factories.make_position(opd_b, "Kepala Seksi Kurikulum", "pengawas", head_b)
    staf_b = factories.make_position(opd_b, "Pengadministrasi Sekolah", "pelaksana", kasi_b)
    team["kadis_b"] = factories.make_account(factories.make_employee("Kadis Ginting", head_b))
    team["kasi_b"] = factories.make_account(factories.make_employee("Kasi Purba", kasi_b))
    team["staf_b"] = factories.make_account(factories.make_employee("Sari Damanik", staf_b))
    # Objects only an admin acts on: an employee without an account, a spare account.
    analis = team["admin"].employee.position
    target = factories.make_employee("Calon Pegawai", analis, email="calon@pemkomedan.go.id")
    spare = factories.make_account(
        factories.make_employee("Akun Cadangan", analis), roles=("verifikator_bkd",)
    )

    o: dict = {
        "nip": {name: account.employee.nip for name, account in team.items() if name != "opd"},
        "opd_a": team["opd"].id,
        "opd_b": opd_b.id,
        "employee": target.id,
        "account": spare.id,
        "appraisal": {},
        "period": {},
    }
    for year, step in enumerate(STEPS, start=2020):
        period = factories.make_period(year=year)
        o["period"][step] = period.id
        for whose, key in EMPLOYEE_OF.items():
            o["appraisal"][step, whose] = appraisal_in_state(team, period, step, key).id
    # The action form's own appraisals, so that firing a step there changes no other row.
    period = factories.make_period(year=2029)
    for whose, key in EMPLOYEE_OF.items():
        o["appraisal"]["act", whose] = appraisal_in_state(team, period, "plan_review", key).id
    o["spare_period"] = factories.make_period(year=2030).id
    o["closed_period"] = factories.make_period(year=2031, status="closed").id
    job = Job(kind="open_period", period_id=o["spare_period"], params="{}", status="done")
    db.session.add(job)

    # Bukti dukung: a stored file on the own and the colleague's self-assessment.
    evidence_dir.mkdir(parents=True, exist_ok=True)
    o["iki"], o["evidence"] = {}, {}
    for whose in WHOSE:
        appraisal_id = o["appraisal"]["self_assessment", whose]
        o["iki"][whose] = _first_iki(appraisal_id)
        uploader = team[EMPLOYEE_OF[whose]].employee_id
        o["evidence"][whose] = _evidence_file(o["iki"][whose], uploader, evidence_dir, whose)

    # A Perjanjian Kinerja of OPD A with one indicator (its realisasi is a write).
    from decimal import Decimal

    from app.pk.services import add_indikator, add_sasaran, ensure_pk

    sasaran = add_sasaran(ensure_pk(team["opd"].id, 2026), "Meningkatnya mutu layanan")
    o["pk_indikator"] = add_indikator(
        sasaran,
        text="Indeks kepuasan",
        unit="indeks",
        direction="higher",
        tolerance=None,
        target_year=Decimal(85),
        quarters={},
    ).id

    # A tim kerja of OPD A in the self-assessment period: staf leads it, staf2 is in it.
    from app.models import TimKerja, TimKerjaMember

    tim = TimKerja(
        opd_id=team["opd"].id,
        period_id=o["period"]["self_assessment"],
        name="Tim Percepatan Layanan",
        purpose="Mempercepat layanan.",
        lead_id=team["staf"].employee_id,
        created_by_id=team["kadis"].id,
    )
    tim.members = [TimKerjaMember(employee_id=team[k].employee_id) for k in ("staf", "staf2")]
    db.session.add(tim)
    db.session.flush()
    o["tim_kerja"] = tim.id

    # BKD group tasks: one open, one claimed by the verifier, one by the other verifier.
    o["task_open"] = _open_task(o["appraisal"]["verification", "own"]).id
    mine = _open_task(o["appraisal"]["verification", "colleague"])
    mine.claimed_by_id = team["verifikator"].employee_id
    theirs = _open_task(o["appraisal"]["verification", "other"])
    theirs.claimed_by_id = team["verifikator2"].employee_id
    o["task_mine"], o["task_theirs"] = mine.id, theirs.id
    o["task_personal"] = _open_task(o["appraisal"]["draft", "own"]).id

    # A peer survey on the colleague's SKP, asking the pegawai (staf) among others.
    survey = PeerSurvey(
        appraisal_id=o["appraisal"]["self_assessment", "colleague"],
        requested_by_id=team["kasi"].employee_id,
        due_date=utcnow().date() + timedelta(days=14),
    )
    db.session.add(survey)
    db.session.flush()
    for key in ("staf", "kabid", "kadis"):
        db.session.add(PeerSurveyInvite(survey_id=survey.id, employee_id=team[key].employee_id))
    o["peer_survey"] = survey.id

    message = OutboxMessage(
        recipient="staf@example.test",
        subject="Tugas baru",
        body_text="isi",
        template="test",
        status="dead",
        attempts=8,
        last_error="550 refused",
    )
    db.session.add(message)

    # A second session of each signed-in subject (and of staf2), to end from the account page.
    now = utcnow()
    o["session"] = {
        key: hash_token(start_session(team[key], False, "spare", now))
        for key in {*filter(None, SUBJECTS.values()), "staf2"}
    }
    db.session.flush()
    o["message"], o["job"] = message.id, job.id

    # An announcement to the first OPD (DINKES) only.
    from app.models.announcements import Announcement

    notice = Announcement(title="Sosialisasi SKP", body="Hadir pukul 09.00.", audience="opds")
    notice.opds = [team["opd"]]
    db.session.add(notice)
    db.session.flush()
    o["announcement"] = notice.id

    # A Pustaka IKI entry, proposed by the kepala of DINKES (admin BKD reviews it).
    from app.models import LibraryEntry

    entry = LibraryEntry(
        code="USUL-0001", function="kesehatan", jabatan="Perawat", rhk_text="Asuhan keperawatan",
        iki_text="Jumlah pasien", aspect="kuantitas", unit="pasien", direction="higher",
        measurement="Register", evidence="Register pasien", target_min=100, status="proposed",
        proposed_by_id=team["kadis"].employee_id, proposed_opd_id=team["opd"].id,
    )  # fmt: skip
    db.session.add(entry)
    db.session.flush()
    o["library_entry"] = entry.id

    # An employee excluded from planning in the spare period (admin BKD may take it back).
    from app.models import PlanningExclusion

    exclusion = PlanningExclusion(
        employee_id=o["employee"],
        period_id=o["spare_period"],
        reason="tugas_belajar",
        start_date=date(2030, 1, 1),
        end_date=date(2030, 12, 31),
        created_by_id=team["admin"].id,
    )
    db.session.add(exclusion)
    db.session.flush()
    o["exclusion"] = exclusion.id

    # A unit layanan in each OPD: DINKES's headed by the kasi, DISDIK's by its kepala.
    from app.models import ServiceUnit

    unit_a = ServiceUnit(
        opd_id=team["opd"].id, code="PKM-A", name="Puskesmas A",
        head_position_id=team["kasi"].employee.position_id, yearly_users=1000,
    )  # fmt: skip
    unit_b = ServiceUnit(opd_id=opd_b.id, code="SD-B", name="SD Negeri B", head_position=head_b)
    db.session.add_all([unit_a, unit_b])
    db.session.flush()
    o["service_unit_a"], o["service_unit_b"] = unit_a.id, unit_b.id
    # A unit layanan of DINKES with a jenis layanan and a comment of the public.
    from app.models import ServiceKind, ServiceUnit, SkmResponse

    service_unit = ServiceUnit(opd=team["opd"], code="PKM7TX", name="UPT Puskesmas Contoh")
    service_unit.services = [ServiceKind(name="Pemeriksaan umum")]
    db.session.add(service_unit)
    db.session.flush()
    response = SkmResponse(
        service_unit_id=service_unit.id, served_on=date(2026, 11, 2),
        **{f"u{i}": 3 for i in range(1, 10)}, gender="L", age=40, education="sma",
        occupation="swasta", comment="Antrean lama.", client_hash="0" * 64, fingerprint="1" * 64,
    )  # fmt: skip
    db.session.add(response)
    db.session.flush()
    o["service_unit"], o["service_unit_code"] = service_unit.id, service_unit.code
    o["service_kind"], o["skm_response"] = service_unit.services[0].id, response.id
    # A complaint at a Puskesmas of DINKES headed by the kasi (the atasan): received.
    from app.complaints.services import open_complaint
    from tests.complaint_helpers import make_complaint_response, make_service_unit

    complaint = open_complaint(make_complaint_response(make_service_unit(team)))
    o["complaint"] = complaint.id

    # A pembinaan case on each final SKP (predikat Kurang): staf's and staf2's led by the
    # kasi in DINKES, staf_b's by kasi_b in DISDIK; each waits for its atasan's plan.
    from app.pembinaan.services import open_pembinaan

    o["pembinaan"] = {}
    for whose in WHOSE:
        final = db.session.get(Appraisal, o["appraisal"]["final", whose])
        final.predikat = "kurang"
        o["pembinaan"][whose] = open_pembinaan(final, utcnow()).id
    # A sosialisasi attended by staf (issue 16), its certificate not uploaded.
    from app.models.development import TrainingAttendance, TrainingEvent

    event = TrainingEvent(
        kind="sosialisasi",
        title="Sosialisasi SIKAP",
        organiser="BKPSDM",
        start_date=date(2026, 2, 3),
        end_date=date(2026, 2, 3),
        jp=4,
        created_by_id=team["admin"].id,
    )
    db.session.add(event)
    db.session.flush()
    attendance = TrainingAttendance(
        event_id=event.id, employee_id=team["staf"].employee_id, marked_by_id=team["admin"].id
    )
    db.session.add(attendance)
    db.session.flush()
    o["training_event"], o["training_attendance"] = event.id, attendance.id

    # An emailed link to staf's draft, for staf only.
    appraisal_id = o["appraisal"]["draft", "own"]
    o["link"] = MailLink(team["staf"].employee_id, appraisal_id).dumps()
    db.session.commit()
    return o


def snapshot() -> dict:
    """Every table's row count and the columns a refused request could have changed."""
    counts = {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    detail = {
        "appraisals": db.session.execute(
            sa.text("SELECT id, state, version FROM appraisal ORDER BY id")
        ).all(),
        "accounts": db.session.execute(
            sa.text(
                "SELECT id, is_enabled, locale, mail_mode, password_hash FROM account ORDER BY id"
            )
        ).all(),
        "tasks": db.session.execute(
            sa.text("SELECT id, claimed_by_id, closed_at FROM task ORDER BY id")
        ).all(),
        "periods": db.session.execute(
            sa.text("SELECT id, status, name FROM period ORDER BY id")
        ).all(),
        "outbox": db.session.execute(
            sa.text("SELECT id, status, attempts FROM outbox_message ORDER BY id")
        ).all(),
        "sessions": db.session.execute(
            sa.text("SELECT id, revoked_at FROM user_session ORDER BY id")
        ).all(),
    }
    return json.loads(json.dumps({"counts": counts, **detail}, default=str))
