"""The SKM into performance: an IKI reads its realisasi from a unit layanan's IKM; the IKM
is evidence on the review, the dashboard and the organisation achievement pages."""

from datetime import date
from decimal import Decimal
from itertools import count

import pytest
import sqlalchemy as sa

from app.appraisals.services import open_appraisal
from app.extensions import db
from app.models import Appraisal, Iki, Rhk, Unit
from app.models.skm import ServiceUnit, SkmResponse
from app.periods.opening import PeriodOpener
from app.skp.assessment.services import realisasi_missing
from app.skp.capaian import iki_capaian
from app.workflow.engine import fire
from app.workflow.errors import GuardFailed
from tests.factories import make_opd, make_period
from tests.skp_helpers import atasan_rhk
from tests.test_skp_plan import valid_plan
from tests.workflow_helpers import appraisal_in_state

_serial = count(1)

# Two respondents: every element 4, and every element 3. Each element's NRR is 3.5,
# the IKM 3.5 x 25 = 87.50 (mutu B: 76.61-88.30).
GOOD = [(4,) * 9, (3,) * 9]
# kompetensi (u6) and perilaku pelaksana (u7) answered lower than the rest: sums
# 7,7,7,7,7,5,3,7,7 over 2 respondents; NRR u6 = 2.5, u7 = 1.5; the IKM is
# (57 / 2) / 9 x 25 = 79.1666... -> 79.17 (mutu B).
STAFF_LOW = [(4, 4, 4, 4, 4, 3, 2, 4, 4), (3, 3, 3, 3, 3, 2, 1, 3, 3)]


def service_unit(opd, code: str, name: str, *, unit_id=None, head=None, positions=()):
    unit = ServiceUnit(opd_id=opd.id, code=code, name=name, unit_id=unit_id, head_position_id=head)
    unit.positions = list(positions)
    db.session.add(unit)
    db.session.flush()
    return unit


def respond(unit, answers, served_on: date) -> None:
    """Responses to the unit, one per answer tuple, served on that day."""
    for scores in answers:
        n = next(_serial)
        db.session.add(
            SkmResponse(
                service_unit_id=unit.id,
                served_on=served_on,
                **{f"u{i}": s for i, s in enumerate(scores, start=1)},
                gender="P",
                age=30,
                education="s1",
                occupation="swasta",
                client_hash=f"{n:064x}",
                fingerprint=f"{n:064x}",
            )
        )
    db.session.flush()


@pytest.fixture
def period(team):
    period = make_period(2026)
    db.session.commit()
    return period


@pytest.fixture
def puskesmas(team):
    return service_unit(
        team["opd"],
        "PKM-PDB",
        "UPT Puskesmas Padang Bulan",
        positions=[team["staf"].employee.position],
    )


def _bound(appraisal, unit, *, target="80") -> Iki:
    """The appraisal's first IKI made a satisfaction index bound to `unit`, no realisasi yet."""
    iki = db.session.scalars(
        sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id).order_by(Iki.id)
    ).first()
    iki.text = "Indeks kepuasan masyarakat Puskesmas Padang Bulan"
    iki.target_kind, iki.target_value, iki.target_unit = "number", Decimal(target), "indeks"
    iki.direction = "higher"
    iki.realisasi_value = None
    iki.service_unit_id = unit.id
    db.session.commit()
    return iki


def realisasi_url(appraisal) -> str:
    return f"/appraisals/{appraisal.id}/realisasi"


def _stored(iki_id: int) -> Iki:
    db.session.expire_all()
    return db.session.get(Iki, iki_id)


# --- the realisasi of a bound IKI ---------------------------------------------------------


def test_a_bound_iki_shows_its_units_ikm_as_realisasi_and_records_it(
    team, period, puskesmas, browser
):
    appraisal = appraisal_in_state(team, period, "self_assessment")
    iki = _bound(appraisal, puskesmas)
    respond(puskesmas, GOOD, date(2026, 3, 2))
    # Outside the appraisal's period: not counted.
    respond(puskesmas, [(1,) * 9], date(2025, 12, 31))
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    page = browser.get(realisasi_url(appraisal)).get_data(as_text=True)
    block = page.split(f'data-bound-iki="{iki.id}"')[1].split("</div>\n  </div>")[0]
    assert "<strong data-bound-value>87,5</strong>" in block
    assert 'data-bound-respondents="2"' in block and "mutu pelayanan B" in block
    # 87.50 against a target of 80: 109.375 -> 109.38 %.
    assert f'<span data-capaian="{iki.id}">109,38 %' in block
    assert 'href="/ikm/PKM-PDB"' in block
    # Read-only: no field to type it in.
    assert f'name="iki_{iki.id}"' not in page

    version = appraisal.version
    # A typed value for the bound IKI is not taken.
    response = browser.post(realisasi_url(appraisal), {"version": version, f"iki_{iki.id}": "100"})
    assert response.status_code == 303
    stored = _stored(iki.id)
    assert stored.realisasi_value == Decimal("87.50")
    assert iki_capaian(stored).percent == Decimal("109.38")
    # Its bukti dukung is the unit's IKM page: no file or reason needed to submit.
    assert realisasi_missing(appraisal) is None


def test_a_quarters_bound_iki_reads_that_quarters_ikm(team, puskesmas, browser):
    quarter = make_period(2026, kind="tw2", workflow="skp_periodic")
    quarter.start_date, quarter.end_date = date(2026, 4, 1), date(2026, 6, 30)
    appraisal = appraisal_in_state(team, quarter, "self_assessment")
    iki = _bound(appraisal, puskesmas)
    respond(puskesmas, [(1,) * 9], date(2026, 3, 31))  # Triwulan I
    respond(puskesmas, GOOD, date(2026, 4, 1))
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    browser.post(realisasi_url(appraisal), {"version": appraisal.version})
    assert _stored(iki.id).realisasi_value == Decimal("87.50")


def test_opening_a_quarter_keeps_the_annual_ikis_unit_layanan(team, period, puskesmas):
    annual = appraisal_in_state(team, period, "self_assessment")
    _bound(annual, puskesmas)
    quarter = make_period(kind="tw1", workflow="skp_periodic", status="draft")
    PeriodOpener(quarter).run()
    db.session.commit()
    copied = db.session.scalars(
        sa.select(Iki.service_unit_id)
        .join(Rhk)
        .join(Appraisal)
        .where(Appraisal.period_id == quarter.id, Iki.source_iki_id.is_not(None))
    ).all()
    assert copied and set(copied) == {puskesmas.id}


def test_without_responses_the_bound_realisasi_is_missing_not_zero(
    team, period, puskesmas, browser
):
    appraisal = appraisal_in_state(team, period, "self_assessment")
    iki = _bound(appraisal, puskesmas)
    # A figure recorded earlier does not survive once there is none to read.
    iki.realisasi_value = Decimal(50)
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    page = browser.get(realisasi_url(appraisal)).get_data(as_text=True)
    assert "data-bound-missing" in page
    assert browser.post(realisasi_url(appraisal), {"version": appraisal.version}).status_code == 303
    assert _stored(iki.id).realisasi_value is None
    assert iki_capaian(_stored(iki.id)).missing == "no_realisasi"
    assert "1 dari 1 IKI" in (realisasi_missing(appraisal) or "")
    db.session.expire_all()
    with pytest.raises(GuardFailed):
        fire(appraisal, "submit_assessment", team["staf"], {})


# --- binding in the plan editor -------------------------------------------------------------


@pytest.fixture
def draft(team, period):
    appraisal = open_appraisal(team["staf"].employee, period)
    atasan_rhk(appraisal)
    db.session.commit()
    return appraisal


def _plan_with_unit(draft, unit_id) -> dict:
    return valid_plan(draft, str(atasan_rhk(draft).id)) | {
        "rhks-0-ikis-0-text": "Indeks kepuasan masyarakat Puskesmas Padang Bulan",
        "rhks-0-ikis-0-target_value": "80",
        "rhks-0-ikis-0-target_unit": "indeks",
        "rhks-0-ikis-0-direction": "higher",
        "rhks-0-ikis-0-accumulation": "average",
        "rhks-0-ikis-0-service_unit_id": str(unit_id),
    }


def _plan_ikis(appraisal) -> list[Iki]:
    db.session.expire_all()
    query = sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id)
    return list(db.session.scalars(query))


def test_the_plan_binds_an_iki_to_a_unit_of_the_opd(team, draft, puskesmas, browser):
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    response = browser.post(f"/appraisals/{draft.id}/plan", _plan_with_unit(draft, puskesmas.id))
    assert response.status_code == 303
    assert [iki.service_unit_id for iki in _plan_ikis(draft)] == [puskesmas.id]
    page = browser.get(f"/appraisals/{draft.id}/plan").get_data(as_text=True)
    assert f'<option selected value="{puskesmas.id}">UPT Puskesmas Padang Bulan (PKM-PDB)' in page


def test_binding_to_a_unit_of_another_opd_is_refused_and_nothing_is_written(team, draft, browser):
    other = service_unit(make_opd("DISDUKCAPIL", "Dinas Kependudukan"), "DUK-01", "Loket KTP")
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    response = browser.post(f"/appraisals/{draft.id}/plan", _plan_with_unit(draft, other.id))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Pilih unit layanan OPD Anda sendiri" in page
    # The other OPD's unit is not even offered.
    assert "Loket KTP" not in page
    assert _plan_ikis(draft) == []


# --- evidence on the review page ------------------------------------------------------------


def test_the_review_shows_the_units_ikm_for_an_employee_serving_there(
    team, period, puskesmas, browser
):
    appraisal = appraisal_in_state(team, period, "supervisor_review")
    respond(puskesmas, STAFF_LOW, date(2026, 5, 5))
    db.session.commit()
    browser.login(team["kasi"].employee.nip)
    page = browser.get(f"/appraisals/{appraisal.id}/review").get_data(as_text=True)
    evidence = page.split("data-service-evidence")[1].split("</ul>")[0]
    assert 'data-service-unit="PKM-PDB"' in evidence
    assert "<strong data-ikm>79,17</strong>" in evidence
    assert '<strong data-nrr="kompetensi_pelaksana">2,5</strong>' in evidence
    assert '<strong data-nrr="perilaku_pelaksana">1,5</strong>' in evidence
    # Beside "Berorientasi Pelayanan", before the next value.
    assert page.index("Berorientasi Pelayanan") < page.index("data-service-evidence")
    assert page.index("data-service-evidence") < page.index("Akuntabel")


def test_the_review_shows_a_unit_headed_by_the_appraisee(team, period, browser):
    unit = service_unit(
        team["opd"], "PKM-X", "UPT Puskesmas X", head=team["kasi"].employee.position_id
    )
    respond(unit, GOOD, date(2026, 5, 5))
    appraisal = appraisal_in_state(team, period, "supervisor_review", employee_key="kasi")
    db.session.commit()
    browser.login(team["kabid"].employee.nip)
    page = browser.get(f"/appraisals/{appraisal.id}/review").get_data(as_text=True)
    assert 'data-service-unit="PKM-X"' in page and "<strong data-ikm>87,5</strong>" in page


def test_the_review_shows_nothing_for_an_employee_who_serves_in_no_unit(
    team, period, puskesmas, browser
):
    respond(puskesmas, GOOD, date(2026, 5, 5))
    appraisal = appraisal_in_state(team, period, "supervisor_review", employee_key="kasi")
    db.session.commit()
    browser.login(team["kabid"].employee.nip)
    page = browser.get(f"/appraisals/{appraisal.id}/review").get_data(as_text=True)
    assert "data-service-evidence" not in page and "PKM-PDB" not in page


# --- the dashboard and the organisation achievement ------------------------------------------


def test_the_kepala_opds_dashboard_shows_the_units_ikm(team, period, puskesmas, browser):
    respond(puskesmas, GOOD, date.today())
    other = service_unit(make_opd("DISDUKCAPIL", "Dinas Kependudukan"), "DUK-01", "Loket KTP")
    respond(other, [(1,) * 9], date.today())
    db.session.commit()
    browser.login(team["kadis"].employee.nip)
    page = browser.get(f"/monitor/opd/{team['opd'].id}").get_data(as_text=True)
    table = page.split("data-dashboard-skm")[1]
    row = table.split('data-service-unit="PKM-PDB"')[1].split("</tr>")[0]
    assert '<td class="text-end" data-ikm>87,5</td><td data-grade>B</td>' in row
    assert '<td class="text-end">2</td>' in row
    assert "Loket KTP" not in page


def test_the_org_achievement_page_shows_the_ikm_of_each_units_service_units(team, period, browser):
    bidang = Unit(opd_id=team["opd"].id, name="UPT Puskesmas Padang Bulan")
    db.session.add(bidang)
    db.session.flush()
    own = service_unit(team["opd"], "PKM-PDB", "Puskesmas Padang Bulan", unit_id=bidang.id)
    loose = service_unit(team["opd"], "DINKES-1", "Loket Dinas Kesehatan")
    respond(own, GOOD, date(2026, 2, 1))
    respond(loose, [(1,) * 9, (1,) * 9], date(2026, 2, 1))
    db.session.commit()
    browser.login(team["kadis"].employee.nip)
    page = browser.get(f"/org-achievement?period={period.id}&opd={team['opd'].id}").get_data(
        as_text=True
    )
    unit_cell = page.split(f'data-skm="{bidang.id}"')[1].split("</td>")[0]
    assert "<span data-ikm>87,5</span>" in unit_cell and "/ikm/PKM-PDB" in unit_cell
    # The OPD as a whole: the four responses together, element sums 4+3+1+1 = 9 of 4
    # respondents, NRR 2.25, IKM 56.25 (mutu D).
    opd_cell = page.split('data-skm="0"')[1].split("</td>")[0]
    assert "<span data-ikm>56,25</span>" in opd_cell and "mutu D" in opd_cell
