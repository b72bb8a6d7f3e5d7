"""Self-assessment: realisasi per IKI, its validation, who may record it, and submit's guard."""

from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.extensions import db
from app.models import Appraisal, Iki, Rhk
from app.workflow.engine import available, fire
from app.workflow.errors import GuardFailed
from tests.factories import make_period
from tests.workflow_helpers import appraisal_in_state


def _ikis(appraisal) -> list[Iki]:
    return list(
        db.session.scalars(
            sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id).order_by(Iki.id)
        )
    )


@pytest.fixture
def assessing(team):
    """An appraisal in self-assessment with a numeric and a qualitative IKI, no realisasi yet."""
    appraisal = appraisal_in_state(team, make_period(), "self_assessment")
    numeric = _ikis(appraisal)[0]
    numeric.realisasi_value = None
    numeric.rhk.ikis.append(
        Iki(
            position=1,
            text="Kualitas laporan",
            aspect="kualitas",
            target_kind="text",
            target_text="Tanpa revisi",
            # An IKI UTAMA: bukti dukung, or why there is none, is needed to submit.
            evidence_reason="Diperiksa langsung oleh atasan.",
        )
    )
    db.session.commit()
    return appraisal


def url(appraisal) -> str:
    return f"/appraisals/{appraisal.id}/realisasi"


def _form(appraisal, number="", text="") -> dict:
    numeric, qualitative = _ikis(appraisal)
    return {
        "version": appraisal.version,
        f"iki_{numeric.id}": number,
        f"iki_{qualitative.id}": text,
    }


def _realisasi(appraisal) -> list[tuple]:
    db.session.expire_all()
    return [(i.realisasi_value, i.realisasi_text) for i in _ikis(appraisal)]


def test_realisasi_is_saved_and_shown_again(team, assessing, browser):
    browser.login(team["staf"].employee.nip)
    page = browser.get(url(assessing))
    assert page.status_code == 200 and 'id="realisasi-form"' in page.get_data(as_text=True)
    response = browser.post(url(assessing), _form(assessing, "10,5", "Satu kali revisi"))
    assert response.status_code == 303
    assert _realisasi(assessing) == [(Decimal("10.5"), None), (None, "Satu kali revisi")]
    page = browser.get(url(assessing)).get_data(as_text=True)
    assert 'value="10,5"' in page and "Satu kali revisi" in page


def test_saving_part_of_it_is_allowed_and_blank_clears(team, assessing, browser):
    browser.login(team["staf"].employee.nip)
    assert browser.post(url(assessing), _form(assessing, "3")).status_code == 303
    assert _realisasi(assessing) == [(Decimal(3), None), (None, None)]
    # A field that is not sent at all is left as it is.
    qualitative = _ikis(assessing)[1]
    only_text = {"version": assessing.version, f"iki_{qualitative.id}": "Baik"}
    assert browser.post(url(assessing), only_text).status_code == 303
    assert _realisasi(assessing) == [(Decimal(3), None), (None, "Baik")]
    assert browser.post(url(assessing), _form(assessing, "", "")).status_code == 303
    assert _realisasi(assessing) == [(None, None), (None, None)]


BAD = [
    ("negative", "-2", ""),
    ("not a number", "sepuluh", ""),
    ("three decimals", "1,005", ""),
    ("ambiguous dot", "1.5", ""),  # 15 or 1,5? The dot groups thousands in Indonesian.
    ("too large", "9" * 13, ""),
    ("text too long", "4", "x" * 2001),
]


@pytest.mark.parametrize(("case", "number", "text"), BAD, ids=[b[0] for b in BAD])
def test_bad_realisasi_is_refused_on_the_field_and_nothing_written(
    team, assessing, browser, case, number, text
):
    browser.login(team["staf"].employee.nip)
    numeric, qualitative = _ikis(assessing)
    response = browser.post(url(assessing), _form(assessing, number, text))
    assert response.status_code == 422
    field = qualitative if text else numeric
    assert f'id="iki_{field.id}-error"' in response.get_data(as_text=True)
    assert _realisasi(assessing) == [(None, None), (None, None)]


@pytest.mark.parametrize("who", ["kasi", "kabid", "verifikator", "admin"])
def test_only_the_appraisee_records_realisasi(team, assessing, browser, who):
    browser.login(team[who].employee.nip)
    assert browser.post(url(assessing), _form(assessing, "5", "Baik")).status_code == 403
    assert _realisasi(assessing) == [(None, None), (None, None)]
    assert 'id="realisasi-form"' not in browser.get(url(assessing)).get_data(as_text=True)


def test_outsider_cannot_see_or_record_realisasi(team, assessing, browser, new_browser):
    owner = new_browser()
    owner.login(team["staf"].employee.nip)
    assert owner.get(url(assessing)).status_code == 200  # the page is there, for its owner
    browser.login(team["staf2"].employee.nip)
    assert browser.get(url(assessing)).status_code == 404
    assert browser.post(url(assessing), _form(assessing, "5")).status_code == 404


def test_realisasi_is_read_only_after_submit_and_a_stale_form_is_refused(team, assessing, browser):
    team["staf"].locale = "en"
    browser.login(team["staf"].employee.nip)
    stale = _form(assessing, "7", "Tanpa revisi")
    browser.post(url(assessing), stale)
    fire(db.session.get(Appraisal, assessing.id), "submit_assessment", team["staf"], {})
    db.session.commit()
    response = browser.post(url(assessing), _form(assessing, "1", "Diubah") | {"version": 1})
    assert response.status_code == 303
    page = browser.get(url(assessing)).get_data(as_text=True)
    assert "Nothing was saved" in page and 'id="realisasi-form"' not in page
    assert _realisasi(assessing) == [(Decimal(7), None), (None, "Tanpa revisi")]
    # With the current version but in the wrong step: refused outright.
    current = db.session.get(Appraisal, assessing.id).version
    refused = browser.post(url(assessing), _form(assessing, "1") | {"version": current})
    assert refused.status_code == 403


def test_submit_assessment_is_refused_while_an_iki_lacks_realisasi(team, assessing):
    numeric, qualitative = _ikis(assessing)
    numeric.realisasi_value = Decimal(12)
    with force_locale("en"), pytest.raises(GuardFailed) as refused:
        fire(assessing, "submit_assessment", team["staf"], {})
    assert "missing for 1 of 2 IKI" in refused.value.message
    db.session.rollback()
    assert db.session.get(Appraisal, assessing.id).state == "self_assessment"
    actions = [t.trigger for t in available(assessing, team["staf"])]
    assert "submit_assessment" not in actions
    qualitative = db.session.get(Iki, qualitative.id)
    qualitative.realisasi_text = "   "  # blank text is no realisasi
    db.session.get(Iki, numeric.id).realisasi_value = Decimal(12)
    with pytest.raises(GuardFailed):
        fire(assessing, "submit_assessment", team["staf"], {})
    db.session.rollback()
    db.session.get(Iki, numeric.id).realisasi_value = Decimal(0)  # zero is a realisasi
    db.session.get(Iki, qualitative.id).realisasi_text = "Tanpa revisi"
    fire(assessing, "submit_assessment", team["staf"], {})
    assert assessing.state == "supervisor_review"


def test_submit_assessment_is_refused_in_the_periodic_workflow_too(team):
    appraisal = appraisal_in_state(
        team, make_period(2026, "tw1", "skp_periodic"), "self_assessment"
    )
    _ikis(appraisal)[0].realisasi_value = None
    with pytest.raises(GuardFailed):
        fire(appraisal, "submit_assessment", team["staf"], {})


def test_a_plan_without_iki_cannot_be_submitted_for_review(team):
    appraisal = appraisal_in_state(team, make_period(), "self_assessment")
    for rhk in db.session.scalars(sa.select(Rhk).where(Rhk.appraisal_id == appraisal.id)):
        db.session.delete(rhk)
    db.session.flush()
    with force_locale("en"), pytest.raises(GuardFailed) as refused:
        fire(appraisal, "submit_assessment", team["staf"], {})
    assert "no IKI" in refused.value.message


def test_appraisal_page_summarises_the_content_and_links_the_pages(team, assessing, browser):
    browser.login(team["staf"].employee.nip)
    page = browser.get(f"/appraisals/{assessing.id}").get_data(as_text=True)
    for path in ("plan", "expectations", "realisasi", "dialog"):
        assert f'href="/appraisals/{assessing.id}/{path}"' in page
    assert 'id="skp-content"' in page
    # The submit action is hidden while realisasi is missing.
    assert "/act/submit_assessment" not in page
