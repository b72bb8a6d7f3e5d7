"""Supervisor review over HTTP: umpan balik, ratings, the predikat, the team's distribution."""

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, AuditEvent, Behaviour, Iki, Rhk
from app.models.skp import BERAKHLAK
from app.seed import content
from app.workflow.engine import available, fire
from app.workflow.errors import GuardFailed
from tests.factories import make_period
from tests.test_query_budget import BUDGET, _statements
from tests.workflow_helpers import appraisal_in_state


@pytest.fixture
def period(team):
    return make_period()


def in_review(team, period, employee_key="staf", rated=False) -> Appraisal:
    """An appraisal waiting for the kasi's review: no ratings, no umpan balik, unless `rated`."""
    appraisal = appraisal_in_state(team, period, "supervisor_review", employee_key)
    if not rated:
        appraisal.rating_hk = appraisal.rating_pk = appraisal.predikat = None
        appraisal.rating_hk_suggested = None
        db.session.execute(sa.delete(Behaviour).where(Behaviour.appraisal_id == appraisal.id))
        db.session.execute(
            sa.update(Rhk).where(Rhk.appraisal_id == appraisal.id).values(rating=None)
        )
        for iki in ikis_of(appraisal):  # no umpan balik yet either
            iki.feedback = None
    db.session.commit()
    return appraisal


def ikis_of(appraisal) -> list[Iki]:
    return list(
        db.session.scalars(
            sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id).order_by(Iki.id)
        )
    )


def review_data(appraisal, **fields) -> dict:
    data = {"version": appraisal.version, "rating_hk": "", "rating_pk": "", "rating_comment": ""}
    data.update({f"iki_{iki.id}": "Laporan lengkap dan tepat waktu." for iki in ikis_of(appraisal)})
    data.update({f"pk_{value}": f"Umpan balik {value}" for value in BERAKHLAK})
    data.update(fields)
    return data


def stored(appraisal_id: int) -> tuple:
    db.session.expire_all()
    row = db.session.get(Appraisal, appraisal_id)
    feedback = [iki.feedback for iki in ikis_of(row)]
    behaviours = db.session.scalar(
        sa.select(sa.func.count()).where(Behaviour.appraisal_id == appraisal_id)
    )
    return row.rating_hk, row.rating_pk, row.rating_comment, row.predikat, feedback, behaviours


def predikat_shown(page: str) -> str:
    return re.search(r'<output id="predikat"[^>]*data-predikat="([^"]*)"', page).group(1)


def test_ratings_give_the_predikat_computed_on_the_server(team, period, browser):
    appraisal = in_review(team, period)
    browser.login(team["kasi"].employee.nip)
    url = f"/appraisals/{appraisal.id}/review"
    assert predikat_shown(browser.get(url).get_data(as_text=True)) == ""

    response = browser.post(url, review_data(appraisal, rating_hk="di_atas", rating_pk="di_atas"))
    assert response.status_code == 302 and response.headers["Location"].endswith(url)

    hk, pk, comment, predikat, feedback, behaviours = stored(appraisal.id)
    assert (hk, pk, comment, predikat) == ("di_atas", "di_atas", None, "sangat_baik")
    assert feedback == ["Laporan lengkap dan tepat waktu."]
    assert behaviours == len(BERAKHLAK)  # the seven rows were created
    page = browser.get(url).get_data(as_text=True)
    assert predikat_shown(page) == "sangat_baik" and "Sangat Baik" in page


def test_the_predikat_shows_for_the_posted_ratings_even_when_the_form_is_refused(
    team, period, browser
):
    appraisal = in_review(team, period)
    browser.login(team["kasi"].employee.nip)
    response = browser.post(
        f"/appraisals/{appraisal.id}/review",
        review_data(appraisal, rating_hk="sesuai", rating_pk="di_bawah", rating_comment="  "),
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert predikat_shown(page) == "kurang"
    # The message sits on the comment field, and nothing was written.
    assert 'id="rating_comment-error"' in page
    assert stored(appraisal.id) == (None, None, None, None, [None], 0)


def test_a_di_bawah_rating_with_a_comment_is_saved(team, period, browser):
    appraisal = in_review(team, period)
    browser.login(team["kasi"].employee.nip)
    response = browser.post(
        f"/appraisals/{appraisal.id}/review",
        review_data(
            appraisal, rating_hk="di_bawah", rating_pk="di_bawah", rating_comment="Target jauh."
        ),
    )
    assert response.status_code == 302
    assert stored(appraisal.id)[:4] == ("di_bawah", "di_bawah", "Target jauh.", "sangat_kurang")


@pytest.mark.parametrize(
    ("field", "value"),
    [("rating_hk", "luar_biasa"), ("rating_pk", "1"), ("rating_comment", "x" * 5001)],
)
def test_bad_input_is_refused_on_its_field(team, period, browser, field, value):
    appraisal = in_review(team, period)
    browser.login(team["kasi"].employee.nip)
    data = review_data(appraisal, **{"rating_hk": "sesuai", "rating_pk": "sesuai", field: value})
    response = browser.post(f"/appraisals/{appraisal.id}/review", data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert stored(appraisal.id)[:4] == (None, None, None, None)


def test_too_long_feedback_is_refused(team, period, browser):
    appraisal = in_review(team, period)
    browser.login(team["kasi"].employee.nip)
    data = review_data(appraisal, **{f"pk_{BERAKHLAK[0]}": "y" * 5001})
    response = browser.post(f"/appraisals/{appraisal.id}/review", data)
    assert response.status_code == 422
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert stored(appraisal.id)[5] == 0


def test_a_stale_form_writes_nothing(team, period, browser):
    appraisal = in_review(team, period)
    browser.login(team["kasi"].employee.nip)
    data = review_data(appraisal, rating_hk="sesuai", rating_pk="sesuai", version=0)
    response = browser.post(f"/appraisals/{appraisal.id}/review", data)
    assert response.status_code == 303
    assert stored(appraisal.id)[:4] == (None, None, None, None)


def test_approve_review_is_refused_until_the_ratings_are_complete(team, period):
    appraisal = in_review(team, period)
    kasi = team["kasi"]
    assert "approve_review" not in [t.trigger for t in available(appraisal, kasi)]
    with pytest.raises(GuardFailed):
        fire(appraisal, "approve_review", kasi, {})
    db.session.rollback()

    appraisal.rating_hk, appraisal.rating_pk = "sesuai", "di_bawah"  # no comment yet
    db.session.commit()
    with pytest.raises(GuardFailed):
        fire(appraisal, "approve_review", kasi, {})
    db.session.rollback()

    appraisal.rating_comment = "Kurang kolaboratif."
    db.session.commit()
    with pytest.raises(GuardFailed):  # the umpan balik on the perilaku is still missing
        fire(appraisal, "approve_review", kasi, {})
    db.session.rollback()

    content.rate(appraisal, "sesuai", "di_bawah", feedback="Perlu ditingkatkan.")
    appraisal.rating_comment = "Kurang kolaboratif."
    db.session.commit()
    fire(appraisal, "approve_review", kasi, {})
    db.session.commit()
    assert appraisal.state == "verification"


def test_approve_review_over_http_says_why_it_is_refused(team, period, browser):
    appraisal = in_review(team, period)
    browser.login(team["kasi"].employee.nip)
    response = browser.post(
        f"/appraisals/{appraisal.id}/act/approve_review", {"version": appraisal.version}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Appraisal, appraisal.id).state == "supervisor_review"
    events = db.session.scalar(
        sa.select(sa.func.count()).where(AuditEvent.appraisal_id == appraisal.id)
    )
    assert events == 0


def test_the_appraiser_sees_their_teams_distribution_for_the_period(team, period, browser):
    appraisal = in_review(team, period)
    other = appraisal_in_state(team, period, "verification", "staf2")
    other.predikat = "baik"
    # The same people in another period do not count.
    earlier = appraisal_in_state(team, make_period(2025), "final", "staf2")
    earlier.predikat = "sangat_kurang"
    db.session.commit()
    browser.login(team["kasi"].employee.nip)
    page = browser.get(f"/appraisals/{appraisal.id}/review").get_data(as_text=True)
    shown = dict(re.findall(r'data-team="(\w+)">(\d+)<', page))
    assert shown == {
        "sangat_baik": "0",
        "baik": "1",
        "butuh_perbaikan": "0",
        "kurang": "0",
        "sangat_kurang": "0",
        "none": "1",
    }

    browser.post(
        f"/appraisals/{appraisal.id}/review",
        review_data(appraisal, rating_hk="di_atas", rating_pk="sesuai"),
    )
    page = browser.get(f"/appraisals/{appraisal.id}/review").get_data(as_text=True)
    shown = dict(re.findall(r'data-team="(\w+)">(\d+)<', page))
    assert (shown["baik"], shown["none"]) == ("2", "0")


@pytest.mark.parametrize(("who", "status"), [("staf", 403), ("kabid", 403), ("staf2", 404)])
def test_only_the_appraiser_opens_the_review(team, period, browser, who, status):
    appraisal = in_review(team, period)
    browser.login(team[who].employee.nip)
    assert browser.get(f"/appraisals/{appraisal.id}/review").status_code == status
    data = review_data(appraisal, rating_hk="sesuai", rating_pk="sesuai")
    assert browser.post(f"/appraisals/{appraisal.id}/review", data).status_code == status
    assert stored(appraisal.id)[:4] == (None, None, None, None)


@pytest.mark.parametrize("state", ["final", "verification", "objection"])
def test_after_the_review_the_ratings_are_read_only(team, period, browser, state):
    appraisal = appraisal_in_state(team, period, state)
    appraisal.predikat = "baik"
    db.session.commit()
    before = stored(appraisal.id)
    browser.login(team["kasi"].employee.nip)
    data = review_data(appraisal, rating_hk="di_atas", rating_pk="di_atas")
    assert browser.post(f"/appraisals/{appraisal.id}/review", data).status_code == 403
    assert stored(appraisal.id) == before
    assert before[:4] == ("sesuai", "sesuai", None, "baik")


def test_the_appraisal_page_links_the_review_for_the_appraiser_only(
    team, period, browser, new_browser
):
    appraisal = in_review(team, period)
    browser.login(team["kasi"].employee.nip)
    page = browser.get(f"/appraisals/{appraisal.id}").get_data(as_text=True)
    assert f"/appraisals/{appraisal.id}/review" in page
    appraisee = new_browser()
    appraisee.login(team["staf"].employee.nip)
    page = appraisee.get(f"/appraisals/{appraisal.id}").get_data(as_text=True)
    assert f"/appraisals/{appraisal.id}/review" not in page
    assert f"/appraisals/{appraisal.id}/document.pdf" in page


def test_the_review_page_is_within_the_query_budget(app, team, period):
    appraisal = in_review(team, period)
    in_review(team, period, "staf2", rated=True)
    status, count = _statements(
        app, team["kasi"].employee.nip, f"/appraisals/{appraisal.id}/review"
    )
    assert status == 200
    assert count <= BUDGET
