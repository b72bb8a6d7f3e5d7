"""Periodic targets and rencana aksi: agreed with the annual plan, measured per quarter,
read back into the annual evaluation (issue 13)."""

import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, Iki, IkiPart, Period, Rhk
from app.periods.opening import PeriodOpener
from app.skp.periodic import accumulate
from app.skp.plan.services import atasan_rhk_options
from app.workflow.engine import fire
from tests.factories import make_period
from tests.test_skp_plan import form_fields, plan_url
from tests.workflow_helpers import appraisal_in_state

D = Decimal


def _iki(appraisal) -> Iki:
    return db.session.scalars(
        sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id).order_by(Iki.id)
    ).first()


def _appraisal(employee_id: int, period) -> Appraisal:
    return db.session.scalars(
        sa.select(Appraisal).where(
            Appraisal.employee_id == employee_id, Appraisal.period_id == period.id
        )
    ).one()


def _set_parts(iki: Iki, targets: list, accumulation: str = "sum") -> None:
    iki.accumulation = accumulation
    iki.parts = [
        IkiPart(part=n, target_value=None if t is None else D(t), rencana_aksi=f"Aksi {n}")
        for n, t in enumerate(targets, start=1)
    ]
    db.session.flush()


def _submit(appraisal, team) -> None:
    fire(appraisal, "submit_assessment", team["staf"], {})
    db.session.commit()


@pytest.fixture
def annual(team):
    """The staf's approved annual SKP: one IKI, annual target 12 laporan."""
    period = make_period()
    appraisal = appraisal_in_state(team, period, "self_assessment")
    assert _iki(appraisal).target_value == D(12)
    return appraisal


def _open_quarter(kind: str, chunk_size: int = 2500):
    quarter = make_period(kind=kind, workflow="skp_periodic", status="draft")
    PeriodOpener(quarter, chunk_size=chunk_size).run()
    db.session.commit()
    return quarter


# --- a quarter is measured against its own target ---------------------------------------


def test_a_quarters_capaian_is_computed_against_that_quarters_target(team, annual, browser):
    _set_parts(_iki(annual), ["2", "3", "3", "4"])
    quarter = _open_quarter("tw2")
    mine = _appraisal(team["staf"].employee_id, quarter)
    iki = _iki(mine)
    # Triwulan II's target is 3 laporan, not the annual 12.
    assert (iki.target_value, iki.source_iki_id) == (D(3), _iki(annual).id)
    iki.realisasi_value = D(3)
    db.session.commit()

    browser.login(team["staf"].employee.nip)
    page = browser.get(f"/appraisals/{mine.id}/realisasi").get_data(as_text=True)
    # 3 of 3 is 100 %; against the annual target it would have read 25 %.
    assert re.search(rf'data-capaian="{iki.id}">100 %', page)
    # Beside it, the rencana aksi agreed for Triwulan II.
    planned = re.search(rf'data-rencana-aksi="{iki.id}">.*?</div>', page, re.S).group(0)
    assert "Aksi 2" in planned and "Aksi 1" not in planned
    iki.evidence_reason = "Diperiksa langsung oleh atasan."
    _submit(mine, team)
    browser.logout()
    browser.login(team["kasi"].employee.nip)
    review = browser.get(f"/appraisals/{mine.id}/review").get_data(as_text=True)
    assert re.search(rf'data-capaian="{iki.id}">100 %', review)
    document = browser.get(f"/appraisals/{mine.id}/document").get_data(as_text=True)
    assert re.search(rf'data-capaian="{iki.id}">100 %', document)


@pytest.mark.parametrize(
    "accumulation, months, target",
    [
        # Monthly targets: the quarter's three months, by the IKI's kind.
        ("sum", ["1", "1", "2"], D(4)),
        ("average", ["1", "1", "2"], D("1.33")),
        ("last", ["1", "1", "2"], D(2)),
        ("last", ["1", "1", None], D(12)),  # no value for the quarter's last month: annual
    ],
)
def test_monthly_targets_make_the_quarters_target_by_kind(
    team, annual, accumulation, months, target
):
    annual.period.target_breakdown = "month"
    _set_parts(_iki(annual), months + ["9"] * 9, accumulation)
    quarter = _open_quarter("tw1")
    assert _iki(_appraisal(team["staf"].employee_id, quarter)).target_value == target


def test_a_plan_without_periodic_targets_lends_the_quarter_its_annual_target(team, annual):
    quarter = _open_quarter("tw3")
    assert _iki(_appraisal(team["staf"].employee_id, quarter)).target_value == D(12)


# --- the quarter's links point at the atasan's same quarter ------------------------------


@pytest.mark.parametrize("chunk_size", [2500, 1])
def test_quarter_plan_links_point_at_the_atasans_same_quarter_rhk(team, annual, chunk_size):
    annual_link = db.session.scalars(
        sa.select(Rhk.atasan_rhk_id).where(Rhk.appraisal_id == annual.id)
    ).one()
    # One chunk per employee: whichever of the two SKP opens first, the link follows.
    quarter = _open_quarter("tw1", chunk_size)
    atasan_quarter = _appraisal(team["kasi"].employee_id, quarter)
    theirs = db.session.scalars(sa.select(Rhk).where(Rhk.appraisal_id == atasan_quarter.id)).one()
    assert theirs.source_rhk_id == annual_link
    mine = _appraisal(team["staf"].employee_id, quarter)
    link = db.session.scalars(sa.select(Rhk.atasan_rhk_id).where(Rhk.appraisal_id == mine.id)).one()
    assert link == theirs.id != annual_link
    # The annual plans keep their annual links.
    db.session.expire_all()
    kept = db.session.scalars(sa.select(Rhk.atasan_rhk_id).where(Rhk.appraisal_id == annual.id))
    assert kept.one() == annual_link
    # The quarter's plan page shows the link as valid (the atasan's same-period RHK).
    assert link in {r.id for r in atasan_rhk_options(mine)}


# --- the annual realisasi pre-filled from the quarters -----------------------------------


@pytest.mark.parametrize(
    "accumulation, values, expected",
    [
        ("sum", ["2", "3", "4", "5"], D(14)),
        ("average", ["2", "3", "4", "5"], D("3.50")),
        ("last", ["2", "3", "4", "5"], D(5)),
        # A quarter without realisasi is left out.
        ("sum", ["2", None, "4", "5"], D(11)),
        ("average", ["2", None, "4", "5"], D("3.67")),
        ("last", ["2", "3", "4", None], D(4)),
        ("sum", [None, None, None, None], None),
    ],
)
def test_accumulate_by_kind(accumulation, values, expected):
    assert accumulate(accumulation, [None if v is None else D(v) for v in values]) == expected


def _four_quarters(team, annual, accumulation: str, values: list[str]) -> Iki:
    """Open the four quarters and record their realisasi; the annual realisasi is blank."""
    iki = _iki(annual)
    _set_parts(iki, ["3", "3", "3", "3"], accumulation)
    for kind, value in zip(("tw1", "tw2", "tw3", "tw4"), values, strict=True):
        quarter = _open_quarter(kind)
        _iki(_appraisal(team["staf"].employee_id, quarter)).realisasi_value = D(value)
    iki.realisasi_value = None
    db.session.commit()
    return iki


def _realisasi_url(appraisal) -> str:
    return f"/appraisals/{appraisal.id}/realisasi"


@pytest.mark.parametrize(
    "accumulation, shown",
    [("sum", "14"), ("average", "3,5"), ("last", "5")],
)
def test_the_annual_realisasi_is_prefilled_from_the_quarters_by_kind(
    team, annual, browser, accumulation, shown
):
    iki = _four_quarters(team, annual, accumulation, ["2", "3", "4", "5"])
    browser.login(team["staf"].employee.nip)
    page = browser.get(_realisasi_url(annual))
    fields = form_fields(page, "realisasi-form")
    html = page.get_data(as_text=True)
    # The inputs sit outside the form element (form="realisasi-form"): read the value.
    assert re.search(rf'name="iki_{iki.id}"[^>]*value="{shown}"', html)
    assert "version" in fields
    # The four quarters side by side: 2, 3, 4, 5 of 3 each.
    quarters = re.search(rf'data-quarters="{iki.id}".*?</table>', html, re.S).group(0)
    assert list(re.findall(r'data-quarter-capaian="\d">([^<]*)<', quarters)) == [
        "66,67 %",
        "100 %",
        "133,33 %",
        "166,67 %",
    ]


def test_keeping_the_prefilled_value_needs_no_reason(team, annual, browser):
    iki = _four_quarters(team, annual, "sum", ["2", "3", "4", "5"])
    browser.login(team["staf"].employee.nip)
    response = browser.post(
        _realisasi_url(annual), {"version": annual.version, f"iki_{iki.id}": "14"}
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert (db.session.get(Iki, iki.id).realisasi_value, iki.realisasi_reason) == (D(14), None)


def test_changing_the_prefilled_value_needs_a_reason_shown_to_the_atasan(team, annual, browser):
    iki = _four_quarters(team, annual, "sum", ["2", "3", "4", "5"])
    browser.login(team["staf"].employee.nip)
    refused = browser.post(
        _realisasi_url(annual), {"version": annual.version, f"iki_{iki.id}": "15"}
    )
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert f'id="change_{iki.id}-error"' in page
    assert "Realisasi berbeda dari 14 yang diisi dari triwulan: tuliskan alasannya." in page
    db.session.expire_all()
    assert db.session.get(Iki, iki.id).realisasi_value is None  # nothing written

    reason = "Satu laporan Desember diselesaikan setelah evaluasi Triwulan IV."
    saved = browser.post(
        _realisasi_url(annual),
        {"version": annual.version, f"iki_{iki.id}": "15", f"change_{iki.id}": reason},
    )
    assert saved.status_code == 303
    db.session.expire_all()
    stored = db.session.get(Iki, iki.id)
    assert (stored.realisasi_value, stored.realisasi_reason) == (D(15), reason)

    # The atasan reads it at review, beside the four quarters.
    _submit(db.session.get(Appraisal, annual.id), team)
    browser.logout()
    browser.login(team["kasi"].employee.nip)
    review = browser.get(f"/appraisals/{annual.id}/review").get_data(as_text=True)
    assert f'data-change-reason="{iki.id}">{reason}<' in review
    assert f'data-quarters="{iki.id}"' in review


# --- agreed with the plan: edited while drafting, read-only afterwards -------------------


@pytest.fixture
def drafting(team):
    """The staf's annual SKP in draft, with the minimal plan saved."""
    return appraisal_in_state(team, make_period(), "draft")


def _parts_form(browser, appraisal, targets: list[str], actions: list[str]) -> dict:
    data = form_fields(browser.get(plan_url(appraisal)))
    for n, (target, action) in enumerate(zip(targets, actions, strict=True)):
        data[f"rhks-0-ikis-0-parts-{n}-target"] = target
        data[f"rhks-0-ikis-0-parts-{n}-rencana_aksi"] = action
    return data | {"rhks-0-ikis-0-accumulation": "average", "op": "save"}


def _parts(appraisal) -> list[tuple]:
    db.session.expire_all()
    return [
        (p.part, p.target_value, p.rencana_aksi)
        for p in db.session.scalars(
            sa.select(IkiPart).where(IkiPart.iki_id == _iki(appraisal).id).order_by(IkiPart.part)
        )
    ]


ACTIONS = ["Rekap Januari-Maret", "Rekap April-Juni", "", "Rekap Oktober-Desember"]


def test_quarterly_targets_and_rencana_aksi_are_saved_with_the_plan(team, drafting, browser):
    browser.login(team["staf"].employee.nip)
    data = _parts_form(browser, drafting, ["2", "3,5", "3", ""], ACTIONS)
    assert browser.post(plan_url(drafting), data).status_code == 303
    assert _parts(drafting) == [
        (1, D(2), "Rekap Januari-Maret"),
        (2, D("3.5"), "Rekap April-Juni"),
        (3, D(3), None),
        (4, None, "Rekap Oktober-Desember"),
    ]
    assert _iki(drafting).accumulation == "average"
    # Shown again in the editor as saved.
    again = form_fields(browser.get(plan_url(drafting)))
    assert again["rhks-0-ikis-0-parts-1-target"] == "3,5"
    assert again["rhks-0-ikis-0-accumulation"] == "average"


def test_quarterly_targets_cannot_be_edited_after_plan_approval(team, drafting, browser):
    browser.login(team["staf"].employee.nip)
    data = _parts_form(browser, drafting, ["2", "3", "3", "4"], ACTIONS)
    assert browser.post(plan_url(drafting), data).status_code == 303
    agreed = _parts(drafting)
    drafting = db.session.get(Appraisal, drafting.id)
    drafting.state = "self_assessment"  # approved by the atasan
    drafting.version += 1
    db.session.commit()

    changed = data | {"rhks-0-ikis-0-parts-0-target": "9", "version": str(drafting.version)}
    response = browser.post(plan_url(drafting), changed)
    assert response.status_code == 403
    assert _parts(drafting) == agreed
    page = browser.get(plan_url(drafting)).get_data(as_text=True)
    assert 'id="plan-form"' not in page and "parts-0-target" not in page
    # The atasan sees the agreed quarters on the plan page and in the document.
    browser.logout()
    browser.login(team["kasi"].employee.nip)
    seen = browser.get(plan_url(drafting)).get_data(as_text=True)
    assert f'data-iki-parts="{_iki(drafting).id}"' in seen and "Rekap April-Juni" in seen
    document = browser.get(f"/appraisals/{drafting.id}/document").get_data(as_text=True)
    assert "Rekap Oktober-Desember" in document


@pytest.mark.parametrize(
    "target, message",
    [
        ("-3", "Angka tidak boleh negatif."),
        ("tiga", "Isi angka 0 atau lebih"),
        ("1.5", "tidak jelas"),
    ],
)
def test_bad_quarterly_targets_are_refused_in_indonesian_and_nothing_is_written(
    team, drafting, browser, target, message
):
    browser.login(team["staf"].employee.nip)
    before = [(r.text, r.id) for r in db.session.scalars(sa.select(Rhk))]
    data = _parts_form(browser, drafting, ["2", target, "3", "4"], ACTIONS)
    data["rhks-0-text"] = "Teks RHK yang diubah"
    response = browser.post(plan_url(drafting), data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error = re.search(r'id="rhks-0-ikis-0-parts-1-target-error">([^<]*)<', page)
    assert error and message in error.group(1)
    assert _parts(drafting) == []
    assert [(r.text, r.id) for r in db.session.scalars(sa.select(Rhk))] == before


# --- the period's setting: quarters or months ----------------------------------------------


def test_an_annual_period_set_per_month_asks_twelve_targets_and_keeps_the_setting(team, browser):
    browser.login(team["admin"].employee.nip)
    data = {
        "name": "SKP Tahunan 2027",
        "year": "2027",
        "kind": "annual",
        "workflow": "skp_annual",
        "target_breakdown": "month",
        "start_date": "2027-01-01",
        "end_date": "2027-12-31",
        "plan_deadline": "2027-01-31",
        "plan_approval_deadline": "2027-01-31",
        "assessment_deadline": "2028-01-15",
        "review_deadline": "2028-01-31",
        "calendar_reason": "Jadwal Pemko Medan disesuaikan dengan agenda daerah.",
    }
    assert browser.post("/admin/periods/new", data).status_code == 302
    period = db.session.scalars(sa.select(Period).where(Period.year == 2027)).one()
    assert (period.target_breakdown, period.parts) == ("month", 12)

    drafting = appraisal_in_state(team, period, "draft")
    db.session.commit()
    browser.logout()
    browser.login(team["staf"].employee.nip)
    fields = form_fields(browser.get(plan_url(drafting)))
    assert "rhks-0-ikis-0-parts-11-target" in fields
    assert "rhks-0-ikis-0-parts-12-target" not in fields

    # Once SKP exist in the period, their plans' targets follow the months: fixed.
    browser.logout()
    browser.login(team["admin"].employee.nip)
    refused = browser.post(
        f"/admin/periods/{period.id}/edit", data | {"target_breakdown": "quarter"}
    )
    assert refused.status_code == 200
    assert "Ini tidak dapat diubah setelah penilaian dalam periode ini dibuka." in (
        refused.get_data(as_text=True)
    )
    db.session.expire_all()
    assert db.session.get(Period, period.id).target_breakdown == "month"
