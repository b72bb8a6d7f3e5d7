"""The Dokumen Evaluasi Kinerja, complete: aspek column, the regulation's labels, the OPD's curve.

The OPD's predikat distribution is recorded at finalisation, so a document
finalised earlier renders the same bytes (its recorded sha256) after colleagues
get their predikat later.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, Iki, Rhk
from app.skp.document import services as document
from app.workflow.engine import fire
from tests.factories import make_period
from tests.test_skp_document import pdf_text, rated
from tests.workflow_helpers import appraisal_in_state


def _text(appraisal: Appraisal) -> str:
    return re.sub(r"\s+", " ", pdf_text(document.render_pdf(appraisal)))


def test_the_matrix_cell_kurang_is_printed_as_kurang_misconduct(team):
    appraisal = rated(team, hk="sesuai", pk="di_bawah")
    appraisal.rating_comment = "Tiga kali mangkir tanpa keterangan."  # a di bawah needs it
    fire(appraisal, "finalise", team["verifikator"], {})
    db.session.commit()
    assert appraisal.predikat == "kurang"
    assert "Kurang/Misconduct" in _text(appraisal)


def test_each_iki_shows_its_aspect(team):
    appraisal = rated(team)
    text = _text(appraisal)
    assert "Aspek / perspektif" in text
    aspects = db.session.scalars(
        sa.select(Iki.aspect).join(Rhk).where(Rhk.appraisal_id == appraisal.id)
    ).all()
    assert aspects and all(aspects)
    for aspect in aspects:
        assert aspect.capitalize() in text


def test_the_distribution_of_the_opd_is_printed_and_kept_from_finalisation(team):
    period = make_period()
    colleague = appraisal_in_state(team, period, "verification", "staf2")
    colleague.rating_hk, colleague.rating_pk, colleague.predikat = "sesuai", "sesuai", "baik"
    mine = appraisal_in_state(team, period, "verification", "staf")
    mine.rating_hk, mine.rating_pk = "di_atas", "di_atas"
    db.session.execute(sa.update(Rhk).where(Rhk.appraisal_id == mine.id).values(rating="di_atas"))
    mine.rating_hk_suggested = "di_atas"
    db.session.commit()

    fire(mine, "finalise", team["verifikator"], {})
    db.session.commit()
    assert mine.document_facts["distribution"] == {
        "sangat_baik": 1, "baik": 1, "butuh_perbaikan": 0, "kurang": 0, "sangat_kurang": 0,
    }  # fmt: skip
    text = _text(mine)
    assert "Distribusi predikat kinerja pegawai Dinas Kesehatan" in text
    assert re.search(r"Sangat Baik 1 50", text) and re.search(r"Baik 1 50", text)

    # A colleague's predikat changes afterwards: the final document does not.
    colleague.rating_pk, colleague.predikat = "di_bawah", "kurang"
    db.session.commit()
    assert document.live_facts(mine)["distribution"]["kurang"] == 1
    assert document.sha256_hex(document.render_pdf(mine)) == mine.document_sha256


def test_the_organisations_capaian_and_predikat_are_printed_as_at_finalisation(team):
    from tests.orgkinerja_helpers import set_capaian

    appraisal = rated(team)
    set_capaian(team["opd"].id, appraisal.period_id, "baik")  # 90 in the default table
    db.session.commit()
    fire(appraisal, "finalise", team["verifikator"], {})
    db.session.commit()
    assert appraisal.document_facts["organisation"]["predikat"] == "baik"
    text = _text(appraisal)
    assert "Capaian kinerja organisasi: 90" in text
    assert "Predikat organisasi: Baik" in text
