"""The demo's pengaduan: a few complaints of the public at each step of pengaduan.yaml.

Moved through the engine by the people whose step it is (the unit head answers,
the kepala OPD closes), so the demo's history, tasks and mails are real ones.
Idempotent: once any complaint exists, nothing is added.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from app.complaints.services import open_complaint
from app.extensions import db
from app.models import Account, Complaint, ServiceUnit, SkmContact, SkmResponse
from app.workflow.complaints import kepala_opd, unit_head
from app.workflow.engine import fire

# (unit code, days ago, comment, contact, the steps taken: (trigger, by whom, form))
ANSWER = (
    "Terima kasih atas masukan Bapak/Ibu. Mulai minggu ini loket obat dibuka dua "
    "dan antrean diumumkan dengan nomor."
)
DEMO_COMPLAINTS = (
    ("PKM-PDB", 1, "Antrean obat lebih dari dua jam dan tidak ada nomor antrean.",
     ("Rina Sitorus", "rina.sitorus@example.id"), ()),
    ("PKM-PDB", 3, "Petugas pendaftaran tidak menjelaskan syarat rujukan BPJS.", None,
     (("start_handling", "unit_head", {"comment": "Sedang dicek dengan petugas pendaftaran."}),)),
    ("DUKCAPIL", 12, "KTP-el saya sudah sebulan belum dicetak, katanya blanko habis.",
     ("Andi Nasution", "andi.nasution@example.id"), ()),
    ("DUKCAPIL", 9, "Loket akta kelahiran tutup sebelum jam pelayanan berakhir.",
     ("Maya Lubis", "maya.lubis@example.id"),
     (("answer_complaint", "unit_head", {"answer": "Jam layanan loket akta kini sampai "
       "pukul 15.00 sesuai maklumat pelayanan; petugas yang menutup lebih awal telah ditegur."}),)),
    ("PKM-PDB", 20, "Antrean obat sangat lama pada hari Senin.", None,
     (("answer_complaint", "unit_head", {"answer": ANSWER}),
      ("close_complaint", "kepala_opd", {"comment": "Jawaban sudah memadai."}))),
)  # fmt: skip


def _account(holder) -> Account | None:
    if holder is None:
        return None
    return db.session.scalar(sa.select(Account).where(Account.employee_id == holder.employee.id))


def seed_demo_complaints(now: datetime | None = None) -> int:
    """Open the demo complaints and take their steps; how many were opened. Flushes."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Complaint)):
        return 0
    now = now or datetime.now(UTC)
    units = {
        unit.code: unit
        for unit in db.session.scalars(
            sa.select(ServiceUnit).where(ServiceUnit.code.in_({c[0] for c in DEMO_COMPLAINTS}))
        )
    }
    opened = 0
    for number, (code, days_ago, comment, contact, steps) in enumerate(DEMO_COMPLAINTS, 1):
        unit = units.get(code)
        if unit is None:
            continue
        when = datetime.combine((now - timedelta(days=days_ago)).date(), time(2, 30), UTC)
        response = SkmResponse(
            service_unit_id=unit.id,
            served_on=when.date(),
            submitted_at=when,
            **{f"u{i}": 2 for i in range(1, 10)},
            gender="P" if number % 2 else "L",
            age=30 + number * 4,
            education="sma",
            occupation="swasta",
            comment=comment,
            is_complaint=True,
            client_hash=f"{number:064x}",
            fingerprint=f"demo-complaint-{number:049d}",
        )
        db.session.add(response)
        db.session.flush()
        if contact:
            name, email = contact
            db.session.add(SkmContact(response_id=response.id, name=name, email=email))
        complaint = open_complaint(response, when)
        for step, (trigger, role, form) in enumerate(steps, 1):
            holder = unit_head(complaint) if role == "unit_head" else kepala_opd(complaint)
            actor = _account(holder)
            if actor is None:
                break
            fire(complaint, trigger, actor, form, now=when + timedelta(days=step))
        opened += 1
    db.session.flush()
    return opened
