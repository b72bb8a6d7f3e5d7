"""The demo's unit layanan: where the public of Medan Baru is served.

Idempotent: a unit whose code exists is left as it is.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.extensions import db
from app.models import Opd, Position, ServiceKind, ServiceUnit, Unit

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
