"""Capaian kinerja organisasi (issue 14): the published table, setting a unit's capaian,
a unit head's default hasil kerja rating, and BKD told when a keberatan breaks the pola."""

from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.models import (
    Appraisal,
    Notice,
    OrgAchievement,
    OrgAchievementChange,
    OrgPredikatBandChange,
    OutboxMessage,
    Unit,
)
from app.outbox.worker import send_batch
from app.skp import scoring
from app.skp.orgkinerja import bands as band_table
from app.skp.orgkinerja import services as orgkinerja
from app.workflow.engine import fire
from config import TestingConfig
from tests.factories import make_account, make_employee, make_period
from tests.orgkinerja_helpers import set_capaian
from tests.test_mail_delivery import smtp_fixture, text_of  # noqa: F401 (the smtp fixture)
from tests.workflow_helpers import appraisal_in_state

D = Decimal


@pytest.fixture
def bidang(team):
    """Bidang Pelayanan Kesehatan: the kabid heads it (under the kadis); kasi and staf in it."""
    unit = Unit(opd_id=team["opd"].id, name="Bidang Pelayanan Kesehatan")
    db.session.add(unit)
    db.session.flush()
    for key in ("kabid", "kasi", "staf"):
        team[key].employee.position.unit_id = unit.id
    db.session.commit()
    return unit


@pytest.fixture
def period(team):
    period = make_period()
    db.session.commit()
    return period


# --- The table: capaian -> organisation predikat ------------------------------------------


def table_version() -> int:
    """The version of the table in the database now (the migration seeds version 1)."""
    db.session.expire_all()
    return band_table.current_bands().version


DEFAULT_CASES = [
    ("0", "sangat_kurang"),
    ("49.99", "sangat_kurang"),
    ("50", "kurang"),
    ("69.99", "kurang"),
    ("70", "butuh_perbaikan"),
    ("89.99", "butuh_perbaikan"),
    ("90", "baik"),
    ("109.99", "baik"),
    ("110", "istimewa"),
    ("250", "istimewa"),
]


@pytest.mark.parametrize(("capaian", "predikat"), DEFAULT_CASES)
def test_the_default_table_gives_each_capaian_its_predikat(team, period, capaian, predikat):
    set_capaian(team["opd"].id, period.id, "baik").capaian = D(capaian)
    db.session.commit()
    assert orgkinerja.org_predikat(team["opd"].id, period.id) == predikat


# After admin BKD changes the table: Istimewa from 105, Baik 85, Butuh Perbaikan 60, Kurang 40.
CONFIGURED_CASES = [
    ("39.99", "sangat_kurang"),
    ("40", "kurang"),
    ("59.99", "kurang"),
    ("60", "butuh_perbaikan"),
    ("84.99", "butuh_perbaikan"),
    ("85", "baik"),
    ("104.99", "baik"),
    ("105", "istimewa"),
]


def test_the_configured_table_decides_the_predikat(team, period, browser):
    browser.login(team["admin"].employee.nip)
    response = browser.post(
        "/admin/org-predikat-table",
        {
            "istimewa": "105",
            "baik": "85",
            "butuh_perbaikan": "60",
            "kurang": "40",
            "reason": "Penyesuaian dengan SE MenPANRB 3/2023 dan RPJMD.",
            "version": 0,
        },
        token_from="/admin/org-predikat-table",
    )
    assert response.status_code == 302
    achievement = set_capaian(team["opd"].id, period.id, "baik")
    for capaian, predikat in CONFIGURED_CASES:
        achievement.capaian = D(capaian)
        db.session.commit()
        assert orgkinerja.org_predikat(team["opd"].id, period.id) == predikat, capaian
    # Published to all staff, with its history.
    browser.login(team["staf"].employee.nip)
    page = browser.get("/org-predikat-table").get_data(as_text=True)
    assert "Penyesuaian dengan SE MenPANRB 3/2023 dan RPJMD." in page
    assert f'data-table-version="{table_version()}"' in page


@pytest.mark.parametrize(
    ("bands", "problem"),
    [
        ({"istimewa": "90", "baik": "90", "butuh_perbaikan": "70", "kurang": "50"}, "equal"),
        ({"istimewa": "110", "baik": "120", "butuh_perbaikan": "70", "kurang": "50"}, "order"),
        ({"istimewa": "110", "baik": "", "butuh_perbaikan": "70", "kurang": "50"}, "blank"),
        ({"istimewa": "abc", "baik": "90", "butuh_perbaikan": "70", "kurang": "50"}, "text"),
        ({"istimewa": "1000", "baik": "90", "butuh_perbaikan": "70", "kurang": "50"}, "big"),
    ],
)
def test_an_unusable_table_is_refused_and_nothing_is_written(team, browser, bands, problem):
    before = band_table.current_bands()
    browser.login(team["admin"].employee.nip)
    response = browser.post(
        "/admin/org-predikat-table",
        bands | {"reason": "Uji.", "version": before.version},
        token_from="/admin/org-predikat-table",
    )
    assert response.status_code == 422
    assert "invalid-feedback" in response.get_data(as_text=True)
    db.session.expire_all()
    assert band_table.current_bands() == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OrgPredikatBandChange)) == 0


def test_two_admins_editing_the_table_at_once_one_wins_the_other_is_told(team, browser):
    second = make_account(
        make_employee("Admin Kedua", team["admin"].employee.position), roles=("admin_bkd",)
    )
    db.session.commit()
    form = {"istimewa": "105", "baik": "85", "butuh_perbaikan": "60", "kurang": "40"}
    seen = table_version()  # both opened the page at this version
    browser.login(team["admin"].employee.nip)
    first = browser.post(
        "/admin/org-predikat-table",
        form | {"reason": "Pertama.", "version": seen},
        token_from="/admin/org-predikat-table",
    )
    assert first.headers["Location"] == "/org-predikat-table"
    browser.login(second.employee.nip)
    late = browser.post(
        "/admin/org-predikat-table",
        form | {"istimewa": "120", "reason": "Kedua, dari halaman lama.", "version": seen},
        token_from="/admin/org-predikat-table",
    )
    assert late.headers["Location"] == "/admin/org-predikat-table"
    page = browser.get(late.headers["Location"]).get_data(as_text=True)
    assert "Nothing was saved" in page or "Tidak ada yang disimpan" in page
    db.session.expire_all()
    assert band_table.current_bands().thresholds["istimewa"] == D("105")
    reasons = db.session.scalars(sa.select(OrgPredikatBandChange.reason)).all()
    assert reasons == ["Pertama."]


def test_the_table_check_is_exact():
    assert scoring.check_bands(scoring.DEFAULT_ORG_BANDS) is None
    assert scoring.check_bands({**scoring.DEFAULT_ORG_BANDS, "sangat_kurang": D(1)})
    with pytest.raises(ValueError):
        scoring.org_predikat_for(D("-0.01"), scoring.DEFAULT_ORG_BANDS)


# --- Setting the capaian of a unit ---------------------------------------------------------


def test_the_pimpinan_above_sets_the_units_capaian_with_a_reason(team, period, bidang, browser):
    url = f"/org-achievement/{period.id}/{team['opd'].id}/{bidang.id}"
    browser.login(team["kadis"].employee.nip)  # holds the parent of the kabid's position
    page = browser.get(f"/org-achievement?period={period.id}").get_data(as_text=True)
    assert f'href="{url}"' in page
    response = browser.post(
        url, {"capaian": "112,5", "reason": "Realisasi PK triwulan IV.", "version": 0}
    )
    assert response.status_code == 302
    row = db.session.scalars(sa.select(OrgAchievement)).one()
    assert (row.unit_id, row.capaian, row.version) == (bidang.id, D("112.50"), 1)
    assert orgkinerja.org_predikat(team["opd"].id, period.id, bidang.id) == "istimewa"
    change = db.session.scalars(sa.select(OrgAchievementChange)).one()
    assert (change.old_capaian, change.new_capaian, change.changed_by_id) == (
        None,
        D("112.50"),
        team["kadis"].id,
    )
    # Without a reason: refused, nothing changes.
    refused = browser.post(url, {"capaian": "80", "reason": "", "version": 1})
    assert refused.status_code == 422
    db.session.expire_all()
    assert db.session.scalar(sa.select(OrgAchievement.capaian)) == D("112.50")


@pytest.mark.parametrize("who", ["kasi", "staf", "verifikator", "kabid"])
def test_only_the_pimpinan_above_or_admin_sets_a_units_capaian(team, period, bidang, browser, who):
    url = f"/org-achievement/{period.id}/{team['opd'].id}/{bidang.id}"
    browser.login(team[who].employee.nip)
    assert browser.get(url).status_code == 403
    data = {"capaian": "95", "reason": "Coba.", "version": 0}
    assert browser.post(url, data).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OrgAchievement)) == 0


def test_two_settings_at_once_one_wins_the_other_is_told(team, period, bidang, browser):
    url = f"/org-achievement/{period.id}/{team['opd'].id}/{bidang.id}"
    browser.login(team["admin"].employee.nip)
    assert browser.post(url, {"capaian": "95", "reason": "BKD.", "version": 0}).status_code == 302
    browser.login(team["kadis"].employee.nip)
    late = browser.post(url, {"capaian": "60", "reason": "Halaman lama.", "version": 0})
    assert late.status_code == 302 and late.headers["Location"].endswith(url)
    db.session.expire_all()
    assert db.session.scalar(sa.select(OrgAchievement.capaian)) == D("95.00")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OrgAchievementChange)) == 1


def test_the_typed_opd_predikat_moves_over_as_a_capaian_of_that_predikat(tmp_path):
    fresh = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.sqlite'}")
    with fresh.app_context():
        upgrade(revision="e7c2b95d1f36")
        run = db.session.execute
        run(sa.text("INSERT INTO opd (id, code, name, kind) VALUES (1, 'A', 'A', 'dinas')"))
        run(sa.text("INSERT INTO opd (id, code, name, kind) VALUES (2, 'B', 'B', 'dinas')"))
        run(
            sa.text(
                "INSERT INTO period (id, name, year, kind, start_date, end_date, plan_deadline, "
                "assessment_deadline, status, workflow) VALUES (5, 'SKP 2026', 2026, 'annual', "
                "'2026-01-01', '2026-12-31', '2026-01-31', '2027-01-31', 'open', 'skp_annual')"
            )
        )
        run(
            sa.text(
                "INSERT INTO opd_predikat (opd_id, period_id, predikat) "
                "VALUES (1, 5, 'istimewa'), (2, 5, 'sangat_kurang')"
            )
        )
        db.session.commit()
        upgrade()
        assert orgkinerja.opd_predikats(5) == {1: "istimewa", 2: "sangat_kurang"}
        sources = run(sa.text("SELECT DISTINCT source FROM org_achievement")).scalars().all()
        assert sources == ["migrated"]
        db.session.remove()


# --- A unit head's default hasil kerja rating ----------------------------------------------


@pytest.mark.parametrize(
    ("unit_predikat", "rating"),
    [("istimewa", "di_atas"), ("baik", "sesuai"), ("kurang", "di_bawah")],
)
def test_a_unit_heads_default_rating_is_the_units_achievement(
    team, period, bidang, browser, unit_predikat, rating
):
    set_capaian(team["opd"].id, period.id, unit_predikat, unit_id=bidang.id)
    appraisal = appraisal_in_state(team, period, "supervisor_review", "kabid")
    appraisal.rating_hk = None
    db.session.commit()
    assert appraisal.appraiser_id == team["kadis"].employee_id
    browser.login(team["kadis"].employee.nip)
    page = browser.get(f"/appraisals/{appraisal.id}/review").get_data(as_text=True)
    assert f'data-suggested="{rating}" data-suggested-from="unit"' in page
    chosen = page.split('id="rating_hk"')[1].split("</select>")[0]
    assert f'selected value="{rating}"' in chosen or f'value="{rating}" selected' in chosen


def test_a_unit_heads_other_rating_needs_a_reason(team, period, bidang, browser):
    set_capaian(team["opd"].id, period.id, "istimewa", unit_id=bidang.id)
    appraisal = appraisal_in_state(team, period, "supervisor_review", "kabid")
    db.session.commit()
    browser.login(team["kadis"].employee.nip)
    url = f"/appraisals/{appraisal.id}/review"
    form = {"rating_hk": "sesuai", "rating_pk": "sesuai", "version": appraisal.version}
    refused = browser.post(url, form)
    assert refused.status_code == 422
    saved = browser.post(url, form | {"rating_hk_reason": "Dua RHK utama belum tercapai."})
    assert saved.status_code == 302
    db.session.expire_all()
    row = db.session.get(Appraisal, appraisal.id)
    assert (row.rating_hk, row.rating_hk_suggested) == ("sesuai", "di_atas")


def test_staff_who_head_no_unit_keep_the_suggestion_from_their_rhk(team, period, bidang):
    set_capaian(team["opd"].id, period.id, "istimewa", unit_id=bidang.id)
    appraisal = appraisal_in_state(team, period, "supervisor_review", "kasi")
    assert orgkinerja.unit_rating_suggestion(appraisal) is None


# --- A keberatan that breaks the OPD's pola distribusi tells BKD ---------------------------


def _final(team, period, key: str, hk: str, pk: str) -> Appraisal:
    appraisal = appraisal_in_state(team, period, "final", key)
    appraisal.rating_hk, appraisal.rating_pk = hk, pk
    appraisal.predikat = scoring.predikat(hk, pk)
    return appraisal


def test_a_keberatan_that_breaks_the_pattern_mails_the_verifiers(app, team, period, smtp):
    # OPD Baik: at most 70 % Baik and at least one Butuh Perbaikan or Kurang; it holds.
    team["staf3"] = make_account(make_employee("Sari Lubis", team["staf"].employee.position))
    set_capaian(team["opd"].id, period.id, "baik")
    objected = _final(team, period, "staf", "di_bawah", "sesuai")  # Butuh Perbaikan
    _final(team, period, "staf2", "sesuai", "sesuai")
    _final(team, period, "staf3", "di_atas", "di_atas")
    fire(objected, "file_objection", team["staf"], {"comment": "Realisasi melebihi target."})
    db.session.commit()
    before = set(db.session.scalars(sa.select(OutboxMessage.id)))

    # The decision makes the only Butuh Perbaikan a Baik: no Butuh Perbaikan or Kurang left.
    fire(
        objected,
        "decide_objection",
        team["kabid"],
        {"comment": "Bukti dukung lengkap.", "rating_hk": "sesuai", "rating_pk": "sesuai"},
    )
    db.session.commit()

    notices = db.session.scalars(sa.select(Notice).where(Notice.kind == "distribution")).all()
    told = {n.recipient_id for n in notices}
    assert told == {team["verifikator"].employee_id, team["verifikator2"].employee_id}
    assert all(n.appraisal_id == objected.id and n.outbox_message_id for n in notices)
    send_batch()  # one batch holds every mail of this test
    for key in ("verifikator", "verifikator2"):
        mails = [m for m in smtp.to(team[key].employee.email) if "pola distribusi" in m["Subject"]]
        assert len(mails) == 1, key
        body = text_of(mails[0])
        assert "Dinas Kesehatan" in body and team["staf"].employee.name in body
        assert f"/verification/{period.id}/opd/{team['opd'].id}" in body
    new = set(db.session.scalars(sa.select(OutboxMessage.id))) - before
    assert len(new) >= 2


def test_a_keberatan_that_keeps_the_pattern_tells_nobody(app, team, period):
    set_capaian(team["opd"].id, period.id, "baik")
    objected = _final(team, period, "staf", "sesuai", "sesuai")  # Baik
    _final(team, period, "staf2", "di_bawah", "sesuai")  # Butuh Perbaikan
    fire(objected, "file_objection", team["staf"], {"comment": "Mohon ditinjau."})
    db.session.commit()
    fire(
        objected,
        "decide_objection",
        team["kabid"],
        {"comment": "Naik.", "rating_hk": "di_atas", "rating_pk": "di_atas"},
    )
    db.session.commit()
    assert db.session.get(Appraisal, objected.id).predikat == "sangat_baik"
    count = sa.select(sa.func.count()).select_from(Notice).where(Notice.kind == "distribution")
    assert db.session.scalar(count) == 0
