"""Keberatan: the superior's decision may change the ratings; the predikat follows, all audited."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, AuditEvent
from app.workflow.engine import fire
from tests.factories import make_period
from tests.test_query_budget import BUDGET, _statements
from tests.workflow_helpers import appraisal_in_state

REASONS = "Realisasi saya melebihi target dan bukti dukung sudah lengkap."


@pytest.fixture
def objected(team):
    """An appraisal finalised as Baik (Sesuai/Sesuai), then objected to by the appraisee."""
    appraisal = appraisal_in_state(team, make_period(), "final")
    appraisal.predikat = "baik"
    fire(appraisal, "file_objection", team["staf"], {"comment": REASONS})
    db.session.commit()
    return appraisal


def events(appraisal_id: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            sa.select(AuditEvent)
            .where(AuditEvent.appraisal_id == appraisal_id)
            .order_by(AuditEvent.seq)
        )
    )


def row(appraisal_id: int) -> Appraisal:
    db.session.expire_all()
    return db.session.get(Appraisal, appraisal_id)


def test_a_decision_that_changes_the_ratings_recomputes_the_predikat(team, objected, browser):
    browser.login(team["kabid"].employee.nip)
    url = f"/appraisals/{objected.id}/objection"
    page = browser.get(url).get_data(as_text=True)
    assert REASONS in page
    response = browser.post(
        url,
        {
            "version": objected.version,
            "rating_hk": "di_atas",
            "rating_pk": "di_atas",
            "comment": "Bukti dukung menunjukkan realisasi di atas target.",
        },
    )
    assert response.status_code == 302
    appraisal = row(objected.id)
    assert appraisal.state == "final"
    assert (appraisal.rating_hk, appraisal.rating_pk, appraisal.predikat) == (
        "di_atas",
        "di_atas",
        "sangat_baik",
    )
    assert len(appraisal.document_sha256) == 64
    trail = events(objected.id)
    decision, change = trail[-2], trail[-1]
    assert (decision.trigger, decision.role, decision.actor_id) == (
        "decide_objection",
        "appraiser_superior",
        team["kabid"].employee_id,
    )
    assert decision.comment == "Bukti dukung menunjukkan realisasi di atas target."
    assert (change.trigger, change.from_state, change.to_state) == (
        "change_ratings",
        "final",
        "final",
    )
    assert change.comment == (
        "Rating hasil kerja: Sesuai Ekspektasi → Di Atas Ekspektasi; "
        "Rating perilaku kerja: Sesuai Ekspektasi → Di Atas Ekspektasi; "
        "Predikat: Baik → Sangat Baik"
    )
    assert change.prev_hash == decision.hash  # in the same hash chain


def test_a_decision_keeping_the_ratings_changes_nothing_but_the_state(team, objected, browser):
    browser.login(team["kabid"].employee.nip)
    response = browser.post(
        f"/appraisals/{objected.id}/objection",
        {"version": objected.version, "rating_hk": "", "rating_pk": "", "comment": "Ditolak."},
    )
    assert response.status_code == 302
    appraisal = row(objected.id)
    assert (appraisal.state, appraisal.rating_hk, appraisal.rating_pk, appraisal.predikat) == (
        "final",
        "sesuai",
        "sesuai",
        "baik",
    )
    assert [e.trigger for e in events(objected.id)] == ["file_objection", "decide_objection"]
    assert appraisal.document_sha256


def test_changing_one_rating_keeps_the_other(team, objected, browser):
    browser.login(team["kabid"].employee.nip)
    browser.post(
        f"/appraisals/{objected.id}/objection",
        {"version": objected.version, "rating_hk": "di_bawah", "comment": "Target tidak tercapai."},
    )
    appraisal = row(objected.id)
    assert (appraisal.rating_hk, appraisal.rating_pk, appraisal.predikat) == (
        "di_bawah",
        "sesuai",
        "butuh_perbaikan",
    )
    assert events(objected.id)[-1].comment == (
        "Rating hasil kerja: Sesuai Ekspektasi → Di Bawah Ekspektasi; "
        "Rating perilaku kerja: Sesuai Ekspektasi; Predikat: Baik → Butuh Perbaikan"
    )


def test_the_generic_action_form_goes_through_the_same_effect(team, objected, browser):
    browser.login(team["kabid"].employee.nip)
    response = browser.post(
        f"/appraisals/{objected.id}/act/decide_objection",
        {"version": objected.version, "rating_pk": "di_atas", "comment": "Diterima sebagian."},
    )
    assert response.status_code == 302
    appraisal = row(objected.id)
    assert (appraisal.state, appraisal.predikat) == ("final", "baik")  # Sesuai/Di Atas: Baik
    assert events(objected.id)[-1].trigger == "change_ratings"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"comment": ""}, "comment"),
        ({"comment": "Alasan.", "rating_hk": "luar_biasa"}, "rating_hk"),
        ({"comment": "x" * 5001}, "comment"),
    ],
)
def test_a_bad_decision_is_refused_on_its_field(team, objected, browser, data, field):
    browser.login(team["kabid"].employee.nip)
    response = browser.post(
        f"/appraisals/{objected.id}/objection", {"version": objected.version, **data}
    )
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    appraisal = row(objected.id)
    assert (appraisal.state, appraisal.rating_hk, appraisal.predikat) == (
        "objection",
        "sesuai",
        "baik",
    )
    assert len(events(objected.id)) == 1


@pytest.mark.parametrize(("who", "status"), [("kasi", 403), ("staf", 403), ("staf2", 404)])
def test_only_the_appraisers_superior_decides(team, objected, browser, who, status):
    browser.login(team[who].employee.nip)
    url = f"/appraisals/{objected.id}/objection"
    assert browser.get(url).status_code == status
    data = {"version": objected.version, "rating_hk": "di_atas", "comment": "Diterima."}
    assert browser.post(url, data).status_code == status
    assert row(objected.id).state == "objection"


def test_a_stale_decision_writes_nothing(team, objected, browser):
    browser.login(team["kabid"].employee.nip)
    response = browser.post(
        f"/appraisals/{objected.id}/objection",
        {"version": objected.version - 1, "rating_hk": "di_atas", "comment": "Diterima."},
    )
    assert response.status_code == 303
    appraisal = row(objected.id)
    assert (appraisal.state, appraisal.rating_hk) == ("objection", "sesuai")


def test_the_superior_is_led_to_the_decision_page(team, objected, browser):
    browser.login(team["kabid"].employee.nip)
    page = browser.get(f"/appraisals/{objected.id}").get_data(as_text=True)
    assert f"/appraisals/{objected.id}/objection" in page


def test_the_decision_page_is_within_the_query_budget(app, team, objected):
    status, count = _statements(
        app, team["kabid"].employee.nip, f"/appraisals/{objected.id}/objection"
    )
    assert status == 200
    assert count <= BUDGET
