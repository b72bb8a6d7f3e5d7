"""The SKP: one blueprint, one sub-package per workflow step.

Each step package holds its services (flush, never commit), its forms and its
views side by side: plan, expectations (ekspektasi), assessment (realisasi and
bukti dukung), dialog, feedback (umpan balik berkelanjutan per IKI), review,
verification, objection (keberatan), document, peers (the closed peer survey on
BerAKHLAK), and orgkinerja (the capaian kinerja organisasi and its predikat).
What every page shares (header, refusals, labels) is in pages.py.
"""

from flask import Blueprint

bp = Blueprint("skp", __name__)

# The views register their routes on `bp` when imported.
from app.skp import pages  # noqa: E402, F401
from app.skp.assessment import views as assessment_views  # noqa: E402, F401
from app.skp.dialog import views as dialog_views  # noqa: E402, F401
from app.skp.document import views as document_views  # noqa: E402, F401
from app.skp.expectations import views as expectations_views  # noqa: E402, F401
from app.skp.feedback import views as feedback_views  # noqa: E402, F401
from app.skp.objection import views as objection_views  # noqa: E402, F401
from app.skp.orgkinerja import views as orgkinerja_views  # noqa: E402, F401
from app.skp.peers import views as peers_views  # noqa: E402, F401
from app.skp.plan import views as plan_views  # noqa: E402, F401
from app.skp.review import views as review_views  # noqa: E402, F401
from app.skp.verification import views as verification_views  # noqa: E402, F401
