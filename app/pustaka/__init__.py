"""Pustaka IKI: the library of RHK/IKI templates per jabatan and function.

Admin BKD curates it (list, create, edit, retire, XLSX import and export, the
usage report); a kepala OPD proposes additions that BKD approves or rejects;
the plan editor (app.skp.plan.library) offers its entries to the pegawai.
"""

from flask import Blueprint

bp = Blueprint("pustaka", __name__)

from app.pustaka import views  # noqa: E402, F401
