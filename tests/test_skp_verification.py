"""BKD verification: completeness, the OPD's pola distribusi, batch finalisation, OPD predikat."""

import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, AuditEvent, Behaviour, Evidence, Iki, Rhk
from app.skp import rules
from app.skp.review.services import behaviours_by_value, evidence_counts, rhks_with_ikis
from app.skp.verification import services as verification
from app.workflow.engine import fire
from app.workflow.errors import GuardFailed
from tests.factories import make_account, make_employee, make_opd, make_period, make_team
from tests.orgkinerja_helpers import set_capaian
from tests.test_query_budget import BUDGET, _statements
from tests.workflow_helpers import appraisal_in_state


@pytest.fixture
def team(app):
    team = make_team()
    team["staf3"] = make_account(make_employee("Sari Lubis", team["staf"].employee.position))
    return team


@pytest.fixture
def period(team):
    return make_period()


def ikis_of(appraisal) -> list[Iki]:
    return list(
        db.session.scalars(sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id))
    )


def waiting(team, period, key="staf", predikat="baik") -> Appraisal:
    """An appraisal at verification with complete content, umpan balik included."""
    appraisal = appraisal_in_state(team, period, "verification", key)
    appraisal.predikat = predikat
    for iki in ikis_of(appraisal):
        iki.feedback = "Sesuai target."
    db.session.commit()
    return appraisal


def set_org_predikat(team, period, predikat):
    set_capaian(team["opd"].id, period.id, predikat)
    db.session.commit()


def state_of(appraisal_id: int) -> str:
    return db.session.scalar(sa.select(Appraisal.state).where(Appraisal.id == appraisal_id))


def test_the_checklist_shows_a_complete_appraisal(team, period, browser):
    appraisal = waiting(team, period)
    iki = ikis_of(appraisal)[0]
    db.session.add(
        Evidence(iki_id=iki.id, kind="link", url="https://example.test/laporan", uploaded_by_id=1)
    )
    db.session.commit()
    browser.login(team["verifikator"].employee.nip)
    page = browser.get(f"/appraisals/{appraisal.id}/verification").get_data(as_text=True)
    assert 'data-complete="yes"' in page
    assert f'data-evidence="{iki.id}">1<' in page
    assert 'data-rating="hk">Sesuai Ekspektasi<' in page
    assert 'data-predikat="baik"' in page
    assert f"/appraisals/{appraisal.id}/act/finalise" in page


def test_the_checklist_names_what_is_missing(team, period, browser):
    appraisal = waiting(team, period)
    iki = ikis_of(appraisal)[0]
    iki.realisasi_value = None
    appraisal.rating_pk = "di_bawah"  # and no comment
    db.session.commit()
    browser.login(team["verifikator"].employee.nip)
    page = browser.get(f"/appraisals/{appraisal.id}/verification").get_data(as_text=True)
    assert 'data-complete="no"' in page
    assert set(re.findall(r'data-problem="(\w+)"', page)) == {"realisasi", "comment"}
    assert 'data-missing="realisasi"' in page
    assert f'data-evidence="{iki.id}">0<' in page


@pytest.mark.parametrize(("who", "status"), [("kasi", 403), ("staf", 403), ("staf2", 404)])
def test_the_checklist_is_for_verifiers(team, period, browser, who, status):
    appraisal = waiting(team, period)
    browser.login(team[who].employee.nip)
    assert browser.get(f"/appraisals/{appraisal.id}/verification").status_code == status


def test_a_breaking_distribution_is_warned_about(team, period, browser):
    # Istimewa allows at most 70% Sangat Baik; two of two is 100%.
    set_org_predikat(team, period, "istimewa")
    first = waiting(team, period, "staf", "sangat_baik")
    waiting(team, period, "staf2", "sangat_baik")
    browser.login(team["verifikator"].employee.nip)
    page = browser.get(f"/verification/{period.id}/opd/{team['opd'].id}").get_data(as_text=True)
    assert 'data-distribution="breaks"' in page
    assert 'data-count="sangat_baik">2<' in page
    assert re.findall(r'data-rule-holds="(\w+)"', page) == ["no"]
    page = browser.get(f"/appraisals/{first.id}/verification").get_data(as_text=True)
    assert f'/verification/{period.id}/opd/{team["opd"].id}"' in page  # led to the OPD page


def test_a_conforming_distribution_is_not_warned_about(team, period, browser):
    # Baik: at most 70% Baik and at least one Butuh Perbaikan or Kurang.
    set_org_predikat(team, period, "baik")
    waiting(team, period, "staf", "baik")
    waiting(team, period, "staf2", "butuh_perbaikan")
    browser.login(team["verifikator"].employee.nip)
    page = browser.get(f"/verification/{period.id}/opd/{team['opd'].id}").get_data(as_text=True)
    assert 'data-distribution="conforms"' in page
    assert 'data-distribution="breaks"' not in page
    assert re.findall(r'data-rule-holds="(\w+)"', page) == ["yes", "yes"]


def test_without_an_organisation_predikat_the_rule_is_not_checked(team, period, browser):
    waiting(team, period, "staf", "sangat_baik")
    browser.login(team["verifikator"].employee.nip)
    page = browser.get(f"/verification/{period.id}/opd/{team['opd'].id}").get_data(as_text=True)
    assert 'data-distribution="unset"' in page


def test_the_index_lists_opds_with_work(team, period, browser):
    waiting(team, period, "staf")
    waiting(team, period, "staf2")
    browser.login(team["verifikator"].employee.nip)
    page = browser.get(f"/verification?period={period.id}").get_data(as_text=True)
    assert f'data-waiting="{team["opd"].id}">2<' in page
    assert "/verification" in browser.get("/").get_data(as_text=True)  # the navigation


def _tick(page: str) -> list[str]:
    return re.findall(r'name="selected" value="(\d+:\d+)"', page)


def test_a_batch_is_finalised_and_an_item_moved_meanwhile_is_reported(team, period, browser):
    batch = [waiting(team, period, key) for key in ("staf", "staf2", "staf3")]
    browser.login(team["verifikator"].employee.nip)
    opd_page = f"/verification/{period.id}/opd/{team['opd'].id}"
    ticked = _tick(browser.get(opd_page).get_data(as_text=True))
    assert len(ticked) == 3
    # Another verifier returns one of them while the page is open.
    moved = batch[1]
    fire(moved, "return_verification", team["verifikator2"], {"comment": "Bukti kurang."})
    db.session.commit()

    response = browser.post(f"{opd_page}/finalise", {"selected": ticked})
    assert response.status_code == 302 and response.headers["Location"].endswith(opd_page)
    db.session.expire_all()
    assert [state_of(a.id) for a in batch] == ["final", "supervisor_review", "final"]
    for appraisal in (batch[0], batch[2]):
        assert len(db.session.get(Appraisal, appraisal.id).document_sha256) == 64
    finalised = db.session.scalars(
        sa.select(AuditEvent.appraisal_id).where(AuditEvent.trigger == "finalise")
    ).all()
    assert sorted(finalised) == sorted([batch[0].id, batch[2].id])
    page = browser.get(opd_page).get_data(as_text=True)
    assert "Rizky Pratama" in page and "alert-warning" in page  # the one refused, by name
    assert _tick(page) == []  # nothing is left waiting


def test_a_failure_inside_one_finalisation_keeps_the_others(team, period, browser, monkeypatch):
    batch = [waiting(team, period, key) for key in ("staf", "staf2")]
    failing = batch[0].id
    original = rules.document.record_document

    def record_or_fail(appraisal):
        # Fails after the state has changed, so only the SAVEPOINT can undo it.
        if appraisal.id == failing:
            raise GuardFailed("rendering failed")
        return original(appraisal)

    monkeypatch.setattr(rules.document, "record_document", record_or_fail)
    browser.login(team["verifikator"].employee.nip)
    opd_page = f"/verification/{period.id}/opd/{team['opd'].id}"
    ticked = _tick(browser.get(opd_page).get_data(as_text=True))
    browser.post(f"{opd_page}/finalise", {"selected": ticked})
    db.session.expire_all()
    assert [state_of(a.id) for a in batch] == ["verification", "final"]
    events = db.session.scalars(sa.select(AuditEvent.appraisal_id)).all()
    assert events == [batch[1].id]


@pytest.mark.parametrize("selected", [[], ["abc"], ["1:"], ["99999999999999:1"]])
def test_a_bad_batch_is_refused_on_the_field(team, period, browser, selected):
    appraisal = waiting(team, period)
    browser.login(team["verifikator"].employee.nip)
    opd_page = f"/verification/{period.id}/opd/{team['opd'].id}"
    response = browser.post(f"{opd_page}/finalise", {"selected": selected})
    assert response.status_code == 422
    assert 'id="selected-error"' in response.get_data(as_text=True)
    assert state_of(appraisal.id) == "verification"


def test_an_appraisal_of_another_opd_is_not_finalised_from_this_one(team, period, browser):
    appraisal = waiting(team, period)
    other = make_opd("DISDIK", "Dinas Pendidikan", "dinas")
    db.session.commit()
    browser.login(team["verifikator"].employee.nip)
    response = browser.post(
        f"/verification/{period.id}/opd/{other.id}/finalise",
        {"selected": [f"{appraisal.id}:{appraisal.version}"]},
    )
    assert response.status_code == 302
    assert state_of(appraisal.id) == "verification"


@pytest.mark.parametrize(("who", "index", "batch"), [("staf", 403, 403), ("admin", 200, 403)])
def test_verification_pages_are_for_bkd(team, period, browser, who, index, batch):
    appraisal = waiting(team, period)
    browser.login(team[who].employee.nip)
    assert browser.get("/verification").status_code == index
    response = browser.post(
        f"/verification/{period.id}/opd/{team['opd'].id}/finalise",
        {"selected": [f"{appraisal.id}:{appraisal.version}"]},
    )
    assert response.status_code == batch
    assert state_of(appraisal.id) == "verification"


def test_the_opd_list_and_the_checklist_count_alike(team, period):
    complete = waiting(team, period, "staf")
    lacking = waiting(team, period, "staf2")
    iki = ikis_of(lacking)[0]
    iki.realisasi_value, iki.feedback = None, "  "
    db.session.add(Evidence(iki_id=iki.id, kind="link", url="https://x.test", uploaded_by_id=1))
    db.session.execute(
        sa.update(Behaviour).where(Behaviour.appraisal_id == lacking.id).values(feedback=None)
    )
    lacking.rating_hk = None
    db.session.commit()
    in_sql = verification.completeness([complete, lacking])
    for appraisal in (complete, lacking):
        rhks = rhks_with_ikis(appraisal)
        one = verification.completeness_of(
            appraisal, rhks, evidence_counts(appraisal), behaviours_by_value(appraisal)
        )
        assert one == in_sql[appraisal.id]
    assert in_sql[complete.id].complete
    assert in_sql[lacking.id].problems == ["realisasi", "ratings", "feedback"]
    assert (in_sql[lacking.id].evidence, in_sql[lacking.id].behaviours_without_feedback) == (1, 7)


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("verifikator", "/appraisals/{id}/verification"),
        ("verifikator", "/verification"),
        ("verifikator", "/verification/{period}/opd/{opd}"),
        ("admin", "/org-achievement?period={period}&opd={opd}"),
        ("staf", "/org-predikat-table"),
        ("kasi", "/appraisals/{id}/document"),
    ],
)
def test_the_pages_are_within_the_query_budget(app, team, period, who, path):
    set_org_predikat(team, period, "baik")
    appraisal = waiting(team, period)
    waiting(team, period, "staf2")
    url = path.format(id=appraisal.id, period=period.id, opd=team["opd"].id)
    status, count = _statements(app, team[who].employee.nip, url)
    assert status == 200
    assert count <= BUDGET
