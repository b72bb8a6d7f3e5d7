"""The demo's unit layanan, where the public of Medan Baru is served, and their survey.

Idempotent: a unit whose code exists is left as it is; a unit that has responses
gets no more.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Opd, Position, ServiceKind, ServiceUnit, SkmResponse, Unit
from app.models.skm import ANSWER_COLUMNS, SKM_EDUCATION, SKM_GENDERS, SKM_OCCUPATIONS

# code -> (OPD code, unit name in the org tree, unit layanan name, address, head position
# name, yearly users, services, names of the positions serving there)
DEMO_UNITS = {
    "PKM-PDB": (
        "DINKES", "UPT Puskesmas Padang Bulan", "UPT Puskesmas Padang Bulan",
        "Jl. Jamin Ginting No. 48, Padang Bulan, Medan Baru",
        "Kepala UPT Puskesmas Padang Bulan", 18000,
        ("Pemeriksaan umum", "Kesehatan ibu dan anak", "Imunisasi", "Pelayanan obat"),
        ("Dokter Ahli Pertama", "Perawat Ahli Pertama", "Perawat Terampil", "Bidan Terampil",
         "Pengadministrasi Umum"),
    ),
    "DUKCAPIL": (
        "DISDUKCAPIL", "Bidang Pelayanan Pendaftaran Penduduk", "Loket Pelayanan Disdukcapil",
        "Jl. Iskandar Muda No. 270, Medan Baru",
        "Kepala Bidang Pendaftaran Penduduk", 60000,
        ("Perekaman dan pencetakan KTP-el", "Kartu Keluarga", "Akta kelahiran",
         "Pindah datang penduduk"),
        ("Administrator Database Kependudukan", "Pengolah Data Kependudukan",
         "Pengadministrasi Kependudukan"),
    ),
    "KEC-MB": (
        "KEC-MEDANBARU", None, "Kantor Camat Medan Baru",
        "Jl. Sei Batang Hari No. 1, Medan Baru",
        "Camat Medan Baru", 4000,
        ("Surat keterangan", "Izin usaha mikro", "Rekomendasi"),
        ("Pengadministrasi Pemerintahan", "Pengadministrasi Perkantoran"),
    ),
    "KEL-PDB": (
        "KEC-MEDANBARU", "Kelurahan Padang Bulan", "Kantor Lurah Padang Bulan",
        "Jl. Harmonika Baru, Padang Bulan, Medan Baru",
        "Lurah Padang Bulan", 2500,
        ("Surat pengantar", "Surat keterangan domisili"),
        ("Pengadministrasi Umum",),
    ),
    "SDN-060794": (
        "DISDIK", "SD Negeri 060794 Medan", "SD Negeri 060794 Medan",
        "Jl. Pintu Air IV, Medan", "Kepala SD Negeri 060794 Medan", 450,
        ("Penerimaan peserta didik baru", "Layanan administrasi siswa"),
        ("Guru Ahli Muda", "Guru Ahli Pertama"),
    ),
}  # fmt: skip


def seed_service_units() -> int:
    """Add the demo units that are missing; returns how many were added. Flushes."""
    added = 0
    for code, row in DEMO_UNITS.items():
        opd_code, unit_name, name, address, head, users, services, serving = row
        if db.session.scalar(sa.select(ServiceUnit.id).where(ServiceUnit.code == code)):
            continue
        opd = db.session.scalar(sa.select(Opd).where(Opd.code == opd_code))
        if opd is None:
            continue
        unit = None
        if unit_name:
            unit = db.session.scalar(
                sa.select(Unit).where(Unit.opd_id == opd.id, Unit.name == unit_name)
            )
        positions = db.session.scalars(
            sa.select(Position).where(Position.opd_id == opd.id, Position.name.in_(serving))
        )
        if unit is not None:
            # The same position name can exist in several units of an OPD: keep the
            # unit's own and its sections'.
            positions = [p for p in positions if unit in (p.unit, p.unit and p.unit.parent)]
        service_unit = ServiceUnit(
            opd=opd,
            unit=unit,
            code=code,
            name=name,
            address=address,
            head_position=db.session.scalar(
                sa.select(Position).where(Position.opd_id == opd.id, Position.name == head)
            ),
            yearly_users=users,
            positions=list(positions),
            services=[ServiceKind(name=s) for s in services],
        )
        db.session.add(service_unit)
        added += 1
    db.session.flush()
    return added


# code -> (weights of the scores 1-4, the element (0-8) it does worst on, respondents per
# quarter): PKM-PDB good (A), KEC-MB and KEL-PDB fair (B), DUKCAPIL slow (C, waktu), the
# school weak (D) and surveying too few people for its population.
DEMO_QUALITY = {
    "PKM-PDB": ((1, 2, 27, 70), 7, 90),
    "DUKCAPIL": ((8, 22, 50, 20), 2, 380),
    "KEC-MB": ((2, 8, 52, 38), 8, 60),
    "KEL-PDB": ((2, 8, 50, 40), 1, 40),
    "SDN-060794": ((15, 30, 40, 15), 7, 25),
}
DEMO_COMMENTS = (
    "Pelayanan cepat dan petugas ramah.",
    "Antrian terlalu panjang, mohon ditambah loket.",
    "Ruang tunggu panas, kipas angin rusak.",
    "Persyaratan sudah jelas ditempel di papan informasi.",
    "Petugas menjelaskan dengan sabar. Terima kasih.",
    "Mohon jam pelayanan diperpanjang sampai sore.",
    "Toilet kurang bersih.",
    "Prosesnya lama, harus datang dua kali.",
)
RESPONSES_SEED = 1417  # PermenPANRB 14/2017


def _quarters_until(today: date, count: int) -> list[tuple[date, date]]:
    """The `count` quarters up to today's (its days up to today), oldest first."""
    quarters = []
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _ in range(count):
        start = date(year, 3 * quarter - 2, 1)
        end = (date(year + quarter // 4, 3 * quarter % 12 + 1, 1)) - timedelta(days=1)
        quarters.append((start, min(end, today)))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return quarters[::-1]


def demo_response_rows(code: str, unit_id: int, kinds: list[int], today: date) -> list[dict]:
    """A unit's demo responses over six quarters, drawn from its quality profile with a
    fixed seed (the same rows for the same day)."""
    weights, weak, per_quarter = DEMO_QUALITY[code]
    rng = random.Random(f"{RESPONSES_SEED}-{code}")
    # The weak element: one step worse more often.
    weak_weights = (weights[0] + weights[1], weights[2], weights[3] // 2 + 1, weights[3] // 4 + 1)
    rows = []
    for start, end in _quarters_until(today, 6):
        days = (end - start).days
        for _ in range(rng.randint(per_quarter * 8 // 10, per_quarter * 12 // 10)):
            served_on = start + timedelta(days=rng.randint(0, days))
            answers = [
                rng.choices((1, 2, 3, 4), weights=weak_weights if i == weak else weights)[0]
                for i in range(len(ANSWER_COLUMNS))
            ]
            n = len(rows)
            comment = rng.choice(DEMO_COMMENTS) if rng.random() < 0.15 else None
            rows.append(
                {
                    "service_unit_id": unit_id,
                    "service_kind_id": rng.choice(kinds) if kinds else None,
                    "served_on": served_on,
                    "submitted_at": datetime.combine(served_on, time(9), UTC)
                    + timedelta(minutes=rng.randint(0, 480)),
                    **dict(zip(ANSWER_COLUMNS, answers, strict=True)),
                    "gender": rng.choice(SKM_GENDERS),
                    "age": rng.randint(17, 70),
                    "education": rng.choices(SKM_EDUCATION, weights=(5, 10, 40, 15, 25, 5))[0],
                    "occupation": rng.choice(SKM_OCCUPATIONS),
                    "comment": comment,
                    "is_complaint": False,
                    "locale": "id",
                    "client_hash": hashlib.sha256(f"demo-client-{code}-{n}".encode()).hexdigest(),
                    "fingerprint": hashlib.sha256(f"demo-response-{code}-{n}".encode()).hexdigest(),
                }
            )
    return rows


def seed_skm_responses(today: date | None = None) -> int:
    """Give each demo unit without responses its spread of responses; how many. Flushes."""
    today = today or date.today()
    units = db.session.execute(
        sa.select(ServiceUnit.id, ServiceUnit.code).where(
            ServiceUnit.code.in_(list(DEMO_QUALITY)),
            ~sa.exists().where(SkmResponse.service_unit_id == ServiceUnit.id),
        )
    ).all()
    added = 0
    for unit_id, code in units:
        kinds = list(
            db.session.scalars(
                sa.select(ServiceKind.id).where(ServiceKind.service_unit_id == unit_id)
            )
        )
        rows = demo_response_rows(code, unit_id, kinds, today)
        db.session.execute(sa.insert(SkmResponse), rows)
        added += len(rows)
    db.session.flush()
    return added
