"""The SKP plan: the editor without JavaScript, its validation, submit_plan's guard, copying,
and the appraiser's ekspektasi."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.appraisals.services import open_appraisal
from app.extensions import db
from app.models import Appraisal, Behaviour, Iki, Rhk
from app.workflow.engine import fire
from app.workflow.errors import GuardFailed
from tests.factories import make_account, make_employee, make_period, make_position
from tests.skp_helpers import atasan_rhk, fill_plan
from tests.workflow_helpers import appraisal_in_state


class FormFields(HTMLParser):
    """The values a browser would send for one form: inputs, textareas, selected options."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, {}
        self._textarea = self._select = None
        self._first_option = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "checkbox"):
            self.fields[name] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.fields[name] = ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select:
            self._first_option.setdefault(self._select, a.get("value", ""))
            if "selected" in a:
                self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            self.fields.setdefault(self._select, self._first_option.get(self._select, ""))
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            value = self.fields[self._textarea] + data
            # A newline right after <textarea> is not part of the value.
            self.fields[self._textarea] = value.removeprefix("\r").removeprefix("\n")


def form_fields(response, form_id: str = "plan-form") -> dict:
    parser = FormFields(form_id)
    parser.feed(response.get_data(as_text=True))
    return parser.fields


def plan_url(appraisal) -> str:
    return f"/appraisals/{appraisal.id}/plan"


def rhk_count(appraisal_id: int) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(Rhk).where(Rhk.appraisal_id == appraisal_id)
    )


@pytest.fixture
def period(app):
    return make_period(2026)


@pytest.fixture
def draft(team, period):
    """The staff member's empty draft, and one RHK in their atasan's SKP to link to."""
    appraisal = open_appraisal(team["staf"].employee, period)
    atasan_rhk(appraisal)
    db.session.commit()
    return appraisal


@pytest.fixture
def jpt_team(team, period):
    """A JPT appraisee (the kepala dinas) with an appraiser (the wali kota) in SIKAP.

    A JPT's pejabat penilai is the kepala daerah (app.org.appraisers).
    """
    walikota = make_position(team["opd"], "Wali Kota Medan", "kepala_daerah")
    team["walikota"] = make_account(make_employee("Wali Kota Ginting", walikota))
    db.session.flush()
    return team


def valid_plan(appraisal, link: str) -> dict:
    """Form data for a plan with one UTAMA RHK and one numeric IKI."""
    return {
        "version": str(appraisal.version),
        "approach": "kuantitatif",
        "rhks-0-id": "",
        "rhks-0-group": "utama",
        "rhks-0-text": "Terlaksananya administrasi layanan",
        "rhks-0-atasan_rhk_id": link,
        "rhks-0-ikis-0-id": "",
        "rhks-0-ikis-0-text": "Jumlah laporan layanan",
        "rhks-0-ikis-0-aspect": "kuantitas",
        "rhks-0-ikis-0-perspective": "",
        "rhks-0-ikis-0-target_kind": "number",
        "rhks-0-ikis-0-target_value": "12",
        "rhks-0-ikis-0-target_unit": "laporan",
        "rhks-0-ikis-0-target_text": "",
    }


def link_of(appraisal) -> str:
    return str(atasan_rhk(appraisal).id)


# --- the editor, without JavaScript -----------------------------------------------------


def test_editor_round_trip_keeps_what_was_typed_and_saves_positions(team, draft, browser):
    browser.login(team["staf"].employee.nip)
    page = browser.get(plan_url(draft))
    assert page.status_code == 200
    data = form_fields(page)
    assert data["version"] == str(draft.version)

    page = browser.post(plan_url(draft), data | {"op": "add_rhk:utama"})
    data = form_fields(page)
    assert "rhks-0-text" in data and "rhks-0-ikis-0-text" in data  # a new row with an IKI
    data |= {
        "rhks-0-text": "RHK pertama",
        "rhks-0-atasan_rhk_id": link_of(draft),
        "rhks-0-ikis-0-text": "IKI satu",
        "rhks-0-ikis-0-aspect": "kuantitas",
        "rhks-0-ikis-0-target_value": "12,5",
        "rhks-0-ikis-0-target_unit": "laporan",
    }
    data = form_fields(browser.post(plan_url(draft), data | {"op": "add_iki:0"}))
    assert data["rhks-0-text"] == "RHK pertama"
    assert data["rhks-0-ikis-0-target_value"] == "12,5"  # a half-checked value survives
    assert data["rhks-0-atasan_rhk_id"] == link_of(draft)
    data |= {
        "rhks-0-ikis-1-text": "IKI dua",
        "rhks-0-ikis-1-aspect": "waktu",
        "rhks-0-ikis-1-target_kind": "text",
        "rhks-0-ikis-1-target_text": "Tepat waktu setiap bulan",
    }
    data = form_fields(browser.post(plan_url(draft), data | {"op": "iki_up:0:1"}))
    assert [data["rhks-0-ikis-0-text"], data["rhks-0-ikis-1-text"]] == ["IKI dua", "IKI satu"]

    data = form_fields(browser.post(plan_url(draft), data | {"op": "add_rhk:tambahan"}))
    data |= {"rhks-1-text": "RHK tambahan", "rhks-1-ikis-0-text": "IKI tambahan"}
    data |= {"rhks-1-ikis-0-aspect": "kualitas", "rhks-1-ikis-0-target_value": "1"}
    data |= {"rhks-1-ikis-0-target_unit": "dokumen"}
    data = form_fields(browser.post(plan_url(draft), data | {"op": "add_rhk:utama"}))
    # UTAMA stays first: the new UTAMA row comes before the TAMBAHAN one.
    assert data["rhks-1-group"] == "utama" and data["rhks-1-text"] == ""
    assert data["rhks-2-text"] == "RHK tambahan"
    data |= {"rhks-1-text": "RHK kedua", "rhks-1-atasan_rhk_id": link_of(draft)}
    data |= {"rhks-1-ikis-0-text": "IKI kedua", "rhks-1-ikis-0-aspect": "biaya"}
    data |= {"rhks-1-ikis-0-target_value": "0", "rhks-1-ikis-0-target_unit": "rupiah"}
    data = form_fields(browser.post(plan_url(draft), data | {"op": "up:1"}))
    assert [data["rhks-0-text"], data["rhks-1-text"]] == ["RHK kedua", "RHK pertama"]
    # Moving the first TAMBAHAN up does not jump into the UTAMA group.
    data = form_fields(browser.post(plan_url(draft), data | {"op": "up:2"}))
    assert (data["rhks-2-group"], data["rhks-2-text"]) == ("tambahan", "RHK tambahan")
    data = form_fields(browser.post(plan_url(draft), data | {"op": "add_iki:1"}))
    data = form_fields(browser.post(plan_url(draft), data | {"op": "remove_iki:1:2"}))
    assert "rhks-1-ikis-2-text" not in data and data["rhks-1-ikis-1-text"] == "IKI satu"
    assert rhk_count(draft.id) == 0  # rearranging wrote nothing
    saved = browser.post(plan_url(draft), data | {"op": "save"})
    assert saved.status_code == 303

    db.session.expire_all()
    rows = db.session.scalars(
        sa.select(Rhk).where(Rhk.appraisal_id == draft.id).order_by(Rhk.group_, Rhk.position)
    ).all()
    assert [(r.group_, r.position, r.text) for r in rows] == [
        ("tambahan", 0, "RHK tambahan"),
        ("utama", 0, "RHK kedua"),
        ("utama", 1, "RHK pertama"),
    ]
    first = rows[2]
    assert [(i.position, i.text, i.target_kind) for i in first.ikis] == [
        (0, "IKI dua", "text"),
        (1, "IKI satu", "number"),
    ]
    assert first.ikis[1].target_value == Decimal("12.5") and first.ikis[1].target_unit == "laporan"
    assert first.ikis[0].target_text == "Tepat waktu setiap bulan"
    assert first.ikis[0].target_value is None
    assert first.atasan_rhk_id == atasan_rhk(draft).id

    # Shown again from the database, then a row removed: the others keep their ids.
    data = form_fields(browser.get(plan_url(draft)))
    assert data["rhks-0-text"] == "RHK kedua" and data["rhks-0-ikis-0-target_value"] == "0"
    kept_id = data["rhks-1-id"]
    data = form_fields(browser.post(plan_url(draft), data | {"op": "remove_rhk:0"}))
    assert browser.post(plan_url(draft), data | {"op": "save"}).status_code == 303
    db.session.expire_all()
    ids = db.session.scalars(sa.select(Rhk.id).where(Rhk.appraisal_id == draft.id)).all()
    assert len(ids) == 2 and int(kept_id) in ids


def test_garbled_button_is_a_bad_request_and_writes_nothing(team, draft, browser):
    browser.login(team["staf"].employee.nip)
    data = valid_plan(draft, link_of(draft))
    for op in ("explode", "remove_rhk:x", "add_rhk:lainnya", "up:1:2:3"):
        assert browser.post(plan_url(draft), data | {"op": op}).status_code == 400
    # A row that is not there: the form comes back as typed.
    again = browser.post(plan_url(draft), data | {"op": "remove_rhk:7"})
    assert again.status_code == 200
    assert form_fields(again)["rhks-0-text"] == data["rhks-0-text"]
    assert rhk_count(draft.id) == 0


BAD_INPUTS = [
    ("empty RHK", {"rhks-0-text": "  "}, "rhks-0-text"),
    ("RHK too long", {"rhks-0-text": "x" * 1001}, "rhks-0-text"),
    ("empty IKI", {"rhks-0-ikis-0-text": ""}, "rhks-0-ikis-0-text"),
    ("IKI too long", {"rhks-0-ikis-0-text": "x" * 1001}, "rhks-0-ikis-0-text"),
    ("negative target", {"rhks-0-ikis-0-target_value": "-1"}, "rhks-0-ikis-0-target_value"),
    ("non-numeric", {"rhks-0-ikis-0-target_value": "dua belas"}, "rhks-0-ikis-0-target_value"),
    ("three decimals", {"rhks-0-ikis-0-target_value": "1,255"}, "rhks-0-ikis-0-target_value"),
    ("ambiguous dot", {"rhks-0-ikis-0-target_value": "1.5"}, "rhks-0-ikis-0-target_value"),
    ("no target", {"rhks-0-ikis-0-target_value": ""}, "rhks-0-ikis-0-target_value"),
    ("missing unit", {"rhks-0-ikis-0-target_unit": ""}, "rhks-0-ikis-0-target_unit"),
    ("unit too long", {"rhks-0-ikis-0-target_unit": "u" * 51}, "rhks-0-ikis-0-target_unit"),
    (
        "empty text target",
        {"rhks-0-ikis-0-target_kind": "text", "rhks-0-ikis-0-target_text": ""},
        "rhks-0-ikis-0-target_text",
    ),
    ("aspect missing", {"rhks-0-ikis-0-aspect": ""}, "rhks-0-ikis-0-aspect"),
    ("unknown aspect", {"rhks-0-ikis-0-aspect": "gaya"}, "rhks-0-ikis-0-aspect"),
    ("foreign link", {"rhks-0-atasan_rhk_id": "999999"}, "rhks-0-atasan_rhk_id"),
    ("unknown group", {"rhks-0-group": "lainnya"}, "rhks-0-group"),
    ("unknown approach", {"approach": "campuran"}, "approach"),
    ("unknown direction", {"rhks-0-ikis-0-direction": "miring"}, "rhks-0-ikis-0-direction"),
    (
        "tolerance above 100",
        {"rhks-0-ikis-0-direction": "exact", "rhks-0-ikis-0-tolerance": "150"},
        "rhks-0-ikis-0-tolerance",
    ),
    (
        "tolerance not a number",
        {"rhks-0-ikis-0-direction": "exact", "rhks-0-ikis-0-tolerance": "lima"},
        "rhks-0-ikis-0-tolerance",
    ),
]


@pytest.mark.parametrize(("case", "change", "field"), BAD_INPUTS, ids=[c[0] for c in BAD_INPUTS])
def test_bad_plan_input_is_refused_on_the_field_and_nothing_is_written(
    team, draft, browser, case, change, field
):
    browser.login(team["staf"].employee.nip)
    response = browser.post(plan_url(draft), valid_plan(draft, link_of(draft)) | change)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    assert rhk_count(draft.id) == 0


def test_the_valid_plan_of_the_bad_input_table_is_accepted(team, draft, browser):
    browser.login(team["staf"].employee.nip)
    response = browser.post(plan_url(draft), valid_plan(draft, link_of(draft)))
    assert response.status_code == 303
    assert rhk_count(draft.id) == 1


def test_jpt_needs_a_perspektif_not_an_aspect(jpt_team, period, browser):
    appraisal = open_appraisal(jpt_team["kadis"].employee, period)
    db.session.commit()
    browser.login(jpt_team["kadis"].employee.nip)
    data = valid_plan(appraisal, "") | {"rhks-0-ikis-0-aspect": ""}
    missing = browser.post(plan_url(appraisal), data)
    assert missing.status_code == 422
    assert 'id="rhks-0-ikis-0-perspective-error"' in missing.get_data(as_text=True)
    assert rhk_count(appraisal.id) == 0
    data["rhks-0-ikis-0-perspective"] = "penerima_layanan"
    assert browser.post(plan_url(appraisal), data).status_code == 303
    db.session.expire_all()
    iki = db.session.scalars(sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id)).one()
    assert (iki.perspective, iki.aspect) == ("penerima_layanan", None)


# --- submit_plan's guard ------------------------------------------------------------------


def _rhk(appraisal, group="utama", link=None, ikis=1, position=0):
    rhk = Rhk(appraisal_id=appraisal.id, group_=group, position=position, text=f"RHK {group}")
    rhk.atasan_rhk_id = link
    rhk.ikis = [
        Iki(
            position=n,
            text=f"IKI {n}",
            aspect="kuantitas",
            target_kind="number",
            target_value=Decimal(5),
            target_unit="dokumen",
        )
        for n in range(ikis)
    ]
    db.session.add(rhk)
    db.session.flush()
    return rhk


def _refusal(appraisal, actor) -> str:
    with force_locale("en"), pytest.raises(GuardFailed) as refused:
        fire(appraisal, "submit_plan", actor, {})
    db.session.rollback()
    assert db.session.get(Appraisal, appraisal.id).state == "draft"
    return refused.value.message


def test_submit_plan_is_refused_without_an_utama_rhk(team, draft):
    _rhk(draft, "tambahan")
    assert "UTAMA" in _refusal(draft, team["staf"])


def test_submit_plan_is_refused_with_an_utama_rhk_without_iki(team, draft):
    _rhk(draft, link=atasan_rhk(draft).id, ikis=0)
    assert "has no IKI" in _refusal(draft, team["staf"])


def test_submit_plan_is_refused_with_an_utama_rhk_not_linked_upward(team, draft):
    _rhk(draft, link=None)
    assert "not linked" in _refusal(draft, team["staf"])


def test_a_link_into_another_period_does_not_count(team, draft):
    old = appraisal_in_state(team, make_period(2025), "final", employee_key="kasi")
    old_rhk = db.session.scalars(sa.select(Rhk).where(Rhk.appraisal_id == old.id)).first()
    _rhk(draft, link=old_rhk.id)
    assert "not linked" in _refusal(draft, team["staf"])


def test_complete_plan_is_submitted(team, draft):
    _rhk(draft, link=atasan_rhk(draft).id)
    _rhk(draft, "tambahan")  # TAMBAHAN need no link
    fire(draft, "submit_plan", team["staf"], {})
    assert draft.state == "plan_review"


def test_a_jpt_needs_no_link_to_submit(jpt_team, period):
    appraisal = open_appraisal(jpt_team["kadis"].employee, period)
    rhk = _rhk(appraisal)
    rhk.ikis[0].aspect, rhk.ikis[0].perspective = None, "proses_bisnis"
    fire(appraisal, "submit_plan", jpt_team["kadis"], {})
    assert appraisal.state == "plan_review"


def test_staff_may_draft_before_the_atasan_has_a_plan_and_link_later(team, period, browser):
    appraisal = open_appraisal(team["staf"].employee, period)  # the kasi has no SKP yet
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    assert browser.post(plan_url(appraisal), valid_plan(appraisal, "")).status_code == 303
    assert "no RHK for this period" in _refusal(appraisal, team["staf"])
    # The atasan drafts (not approved yet): now the link can be chosen and the plan submitted.
    link = atasan_rhk(appraisal)
    db.session.get(Appraisal, link.appraisal_id).state = "draft"
    db.session.commit()
    data = form_fields(browser.get(plan_url(appraisal)))
    data |= {"rhks-0-atasan_rhk_id": str(link.id), "op": "save"}
    assert browser.post(plan_url(appraisal), data).status_code == 303
    db.session.expire_all()
    appraisal = db.session.get(Appraisal, appraisal.id)
    fire(appraisal, "submit_plan", team["staf"], {})
    assert appraisal.state == "plan_review"


def test_pages_hide_submit_and_the_plan_page_says_what_is_missing(team, draft, browser):
    team["staf"].locale = "en"
    _rhk(draft, link=None)
    browser.login(team["staf"].employee.nip)
    detail = browser.get(f"/appraisals/{draft.id}").get_data(as_text=True)
    assert "/act/submit_plan" not in detail
    assert "not linked to an RHK of your atasan" in detail
    page = browser.get(plan_url(draft)).get_data(as_text=True)
    assert 'id="plan-problems"' in page and "not linked to an RHK of your atasan" in page
    assert "/act/submit_plan" not in page and "data-submit-plan" not in page
    draft_rhk = db.session.scalars(sa.select(Rhk).where(Rhk.appraisal_id == draft.id)).one()
    draft_rhk.atasan_rhk_id = atasan_rhk(draft).id
    db.session.commit()
    page = browser.get(plan_url(draft)).get_data(as_text=True)
    # The submit button posts the plan form (saving what is on screen first).
    assert 'id="plan-problems"' not in page and 'value="submit" data-submit-plan' in page


# --- who may edit, and stale forms ------------------------------------------------------------


@pytest.mark.parametrize("who", ["kasi", "kabid", "verifikator", "admin"])
def test_only_the_appraisee_may_edit_the_plan(team, draft, browser, who):
    browser.login(team[who].employee.nip)
    response = browser.post(plan_url(draft), valid_plan(draft, link_of(draft)))
    assert response.status_code == 403
    assert rhk_count(draft.id) == 0
    page = browser.get(plan_url(draft)).get_data(as_text=True)
    assert 'id="plan-form"' not in page


def test_outsider_cannot_see_the_plan(team, draft, browser, new_browser):
    owner = new_browser()
    owner.login(team["staf"].employee.nip)
    assert owner.get(plan_url(draft)).status_code == 200  # the page is there, for its owner
    browser.login(team["staf2"].employee.nip)
    assert browser.get(plan_url(draft)).status_code == 404
    assert browser.post(plan_url(draft), valid_plan(draft, "")).status_code == 404


def test_plan_is_read_only_after_submit_and_a_stale_form_is_refused(team, draft, browser):
    team["staf"].locale = "en"
    browser.login(team["staf"].employee.nip)
    stale = form_fields(browser.get(plan_url(draft)))
    _rhk(draft, link=atasan_rhk(draft).id)
    fire(draft, "submit_plan", team["staf"], {})
    db.session.commit()
    page = browser.get(plan_url(draft)).get_data(as_text=True)
    assert 'id="plan-form"' not in page and "RHK utama" in page
    response = browser.post(plan_url(draft), stale | valid_plan(draft, "") | {"version": "1"})
    assert response.status_code == 303
    assert "Nothing was saved" in browser.get(plan_url(draft)).get_data(as_text=True)
    db.session.expire_all()
    assert [
        r.text for r in db.session.scalars(sa.select(Rhk).where(Rhk.appraisal_id == draft.id))
    ] == ["RHK utama"]


def test_a_form_from_before_a_return_is_refused_even_in_draft(team, draft, browser):
    team["staf"].locale = "en"
    _rhk(draft, link=atasan_rhk(draft).id)
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    old = form_fields(browser.get(plan_url(draft)))
    fire(draft, "submit_plan", team["staf"], {})
    fire(draft, "return_plan", team["kasi"], {"comment": "Perbaiki IKI."})
    db.session.commit()
    response = browser.post(
        plan_url(draft), old | {"rhks-0-text": "Ditulis di tab lama", "op": "save"}
    )
    assert response.status_code == 303
    assert "Nothing was saved" in browser.get(plan_url(draft)).get_data(as_text=True)
    db.session.expire_all()
    texts = db.session.scalars(sa.select(Rhk.text).where(Rhk.appraisal_id == draft.id)).all()
    assert texts == ["RHK utama"]


# --- copy last period's plan ---------------------------------------------------------------


@pytest.fixture
def last_year(team):
    """Last year's final SKP of the staff member: one linked UTAMA RHK, realisasi recorded."""
    old = appraisal_in_state(team, make_period(2025), "final")
    extra = _rhk(old, "tambahan", position=1)
    extra.ikis[0].target_kind, extra.ikis[0].target_text = "text", "Laporan lengkap"
    extra.ikis[0].target_value = extra.ikis[0].target_unit = None
    db.session.flush()
    return old


def test_copy_last_plan_into_an_empty_plan(team, period, last_year, browser):
    draft = open_appraisal(team["staf"].employee, period)
    old_link = db.session.get(Rhk, fill_plan_link(last_year))
    # The atasan copied their plan too: an RHK with the same text exists this year.
    this_year = atasan_rhk(draft)
    assert this_year.text == old_link.text
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    response = browser.post(f"{plan_url(draft)}/copy", {"version": draft.version})
    assert response.status_code == 303
    db.session.expire_all()
    rows = db.session.scalars(
        sa.select(Rhk).where(Rhk.appraisal_id == draft.id).order_by(Rhk.group_)
    ).all()
    old_rows = db.session.scalars(
        sa.select(Rhk).where(Rhk.appraisal_id == last_year.id).order_by(Rhk.group_)
    ).all()
    assert [(r.group_, r.text) for r in rows] == [(r.group_, r.text) for r in old_rows]
    utama = next(r for r in rows if r.group_ == "utama")
    assert utama.atasan_rhk_id == this_year.id  # followed to this year's RHK
    copied, original = utama.ikis[0], next(r for r in old_rows if r.group_ == "utama").ikis[0]
    assert (copied.text, copied.aspect, copied.target_value, copied.target_unit) == (
        original.text,
        original.aspect,
        original.target_value,
        original.target_unit,
    )
    assert original.realisasi_value is not None and copied.realisasi_value is None
    tambahan = next(r for r in rows if r.group_ == "tambahan")
    assert tambahan.ikis[0].target_text == "Laporan lengkap"


def fill_plan_link(appraisal) -> int:
    return db.session.scalars(
        sa.select(Rhk.atasan_rhk_id).where(Rhk.appraisal_id == appraisal.id, Rhk.group_ == "utama")
    ).first()


def test_copy_drops_a_link_that_is_not_valid_this_period(team, period, last_year):
    from app.skp.plan.services import copy_last_plan

    draft = open_appraisal(team["staf"].employee, period)
    other = atasan_rhk(draft)
    other.text = "Sesuatu yang lain tahun ini"
    copy_last_plan(draft, team["staf"], seen_version=draft.version)
    links = db.session.scalars(sa.select(Rhk.atasan_rhk_id).where(Rhk.appraisal_id == draft.id))
    assert set(links) == {None}


def test_copy_over_a_plan_needs_confirmation(team, period, last_year, browser):
    draft = open_appraisal(team["staf"].employee, period)
    fill_plan(draft)
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    unconfirmed = browser.post(f"{plan_url(draft)}/copy", {"version": draft.version})
    assert unconfirmed.status_code == 303
    db.session.expire_all()
    assert rhk_count(draft.id) == 1
    assert 'name="replace"' in browser.get(plan_url(draft)).get_data(as_text=True)
    confirmed = browser.post(f"{plan_url(draft)}/copy", {"version": draft.version, "replace": "y"})
    assert confirmed.status_code == 303
    db.session.expire_all()
    assert rhk_count(draft.id) == 2


def test_nothing_to_copy_and_no_copy_offer_without_an_earlier_plan(team, draft, browser):
    browser.login(team["staf"].employee.nip)
    assert "/plan/copy" not in browser.get(plan_url(draft)).get_data(as_text=True)
    assert browser.post(f"{plan_url(draft)}/copy", {"version": draft.version}).status_code == 303
    assert rhk_count(draft.id) == 0


def test_copy_is_only_for_the_appraisee_while_drafting(team, period, last_year, browser):
    draft = open_appraisal(team["staf"].employee, period)
    db.session.commit()
    browser.login(team["kasi"].employee.nip)
    assert browser.post(f"{plan_url(draft)}/copy", {"version": draft.version}).status_code == 403
    assert rhk_count(draft.id) == 0


# --- ekspektasi khusus pimpinan ---------------------------------------------------------------


@pytest.fixture
def in_review(team, period):
    appraisal = appraisal_in_state(team, period, "plan_review")
    db.session.commit()
    return appraisal


def _expectations(appraisal) -> dict:
    return dict(
        db.session.execute(
            sa.select(Behaviour.value, Behaviour.expectation).where(
                Behaviour.appraisal_id == appraisal.id
            )
        ).all()
    )


def test_appraiser_sets_ekspektasi_then_approves(team, in_review, browser):
    browser.login(team["kasi"].employee.nip)
    url = f"/appraisals/{in_review.id}/expectations"
    data = {"version": in_review.version, "akuntabel": "Laporan tepat waktu", "loyal": ""}
    data["berorientasi_pelayanan"] = "Ramah kepada pasien"
    assert browser.post(url, data).status_code == 303
    db.session.expire_all()
    saved = _expectations(in_review)
    assert saved["akuntabel"] == "Laporan tepat waktu"
    assert saved["berorientasi_pelayanan"] == "Ramah kepada pasien"
    assert saved.get("loyal") is None
    page = browser.get(f"/appraisals/{in_review.id}/plan").get_data(as_text=True)
    assert f"/appraisals/{in_review.id}/act/approve_plan" in page
    assert f"/appraisals/{in_review.id}/act/return_plan" in page


def test_ekspektasi_too_long_is_refused_on_the_field(team, in_review, browser):
    browser.login(team["kasi"].employee.nip)
    url = f"/appraisals/{in_review.id}/expectations"
    response = browser.post(url, {"version": in_review.version, "adaptif": "x" * 2001})
    assert response.status_code == 422
    assert 'id="adaptif-error"' in response.get_data(as_text=True)
    assert all(v is None for v in _expectations(in_review).values())


@pytest.mark.parametrize("who", ["staf", "kabid", "verifikator"])
def test_ekspektasi_are_refused_to_others(team, in_review, browser, who):
    browser.login(team[who].employee.nip)
    url = f"/appraisals/{in_review.id}/expectations"
    response = browser.post(url, {"version": in_review.version, "adaptif": "Cepat belajar"})
    assert response.status_code == 403
    assert "Cepat belajar" not in _expectations(in_review).values()
    assert 'name="adaptif"' not in browser.get(url).get_data(as_text=True)


def test_ekspektasi_are_read_only_after_approval(team, in_review, browser):
    browser.login(team["kasi"].employee.nip)
    url = f"/appraisals/{in_review.id}/expectations"
    fire(in_review, "approve_plan", team["kasi"], {})
    db.session.commit()
    current = browser.post(url, {"version": in_review.version, "adaptif": "Terlambat"})
    assert current.status_code == 403
    stale = browser.post(url, {"version": in_review.version - 1, "adaptif": "Terlambat"})
    assert stale.status_code == 303
    assert "Terlambat" not in _expectations(in_review).values()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, ("higher", None)),  # not sent: higher is better
        ({"rhks-0-ikis-0-direction": "lower"}, ("lower", None)),
        (
            {"rhks-0-ikis-0-direction": "exact", "rhks-0-ikis-0-tolerance": "5"},
            ("exact", Decimal(5)),
        ),
        # a tolerance only means something for an exact target
        ({"rhks-0-ikis-0-direction": "higher", "rhks-0-ikis-0-tolerance": "5"}, ("higher", None)),
        ({"rhks-0-ikis-0-direction": "quality"}, ("quality", None)),
        # a target in words is qualitative, whatever was chosen
        (
            {
                "rhks-0-ikis-0-direction": "higher",
                "rhks-0-ikis-0-target_kind": "text",
                "rhks-0-ikis-0-target_text": "Tanpa revisi",
            },
            ("quality", None),
        ),
    ],
)
def test_the_pegawai_chooses_each_ikis_direction(team, draft, browser, change, expected):
    browser.login(team["staf"].employee.nip)
    response = browser.post(plan_url(draft), valid_plan(draft, link_of(draft)) | change)
    assert response.status_code == 303
    iki = db.session.scalars(sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == draft.id)).one()
    db.session.refresh(iki)
    assert (iki.direction, iki.tolerance) == expected
    page = browser.get(plan_url(draft)).get_data(as_text=True)
    assert form_fields(browser.get(plan_url(draft)))["rhks-0-ikis-0-direction"] == expected[0]
    assert "semakin tinggi semakin baik" in page and "tepat sasaran" in page
