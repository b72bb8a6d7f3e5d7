"""The rencana pengembangan: recorded at review by the appraiser, answered once, progress and JP."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.extensions import db
from app.followup.development.hours import jp_goal, needs_by_opd, opd_coverage, yearly_hours
from app.followup.development.services import (
    PlanStale,
    add_action,
    add_need,
    answer_plan,
    plan_of,
)
from app.models.development import (
    DevelopmentAction,
    DevelopmentPlan,
    FollowupSetting,
    TrainingAttendance,
    TrainingEvent,
)
from tests import factories
from tests.test_query_budget import _statements
from tests.workflow_helpers import appraisal_in_state

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def certificates(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", tmp_path / "evidence")
    return tmp_path / "evidence" / "certificates"


@pytest.fixture
def reviewing(team, certificates):
    """The staff's SKP at the supervisor review (appraiser: kasi)."""
    appraisal = appraisal_in_state(team, factories.make_period(), "supervisor_review")
    db.session.commit()
    return appraisal


def _signed_in(new_browser, account):
    """A browser signed in as the account, reading English (the messages asserted below)."""
    account.locale = "en"
    db.session.commit()
    browser = new_browser()
    assert browser.login(account.employee.nip).status_code == 302
    return browser


def _plan_with_action(appraisal, team, title="Pelatihan analisis data") -> DevelopmentAction:
    add_need(
        appraisal,
        team["kasi"],
        competency="teknis",
        description="Analisis data layanan masih lemah",
        behaviour=None,
        iki_id=None,
    )
    action = add_action(
        appraisal,
        team["kasi"],
        kind="pelatihan_teknis",
        title=title,
        target_year=date.today().year,
        target_quarter=2,
        need_id=None,
    )
    db.session.commit()
    return action


def test_the_appraiser_records_needs_and_actions_while_reviewing(team, reviewing, new_browser):
    kasi = _signed_in(new_browser, team["kasi"])
    base = f"/skp/{reviewing.id}/pengembangan"
    page = kasi.get(base)
    assert page.status_code == 200 and "need-description" in page.get_data(as_text=True)
    answer = kasi.post(
        f"{base}/kebutuhan",
        {
            "need-competency": "manajerial",
            "need-description": "Belum mendelegasikan tugas",
            "need-shows_in": "b:kompeten",
        },
        token_from=base,
    )
    assert answer.status_code == 303
    answer = kasi.post(
        f"{base}/aksi",
        {
            "action-kind": "coaching",
            "action-title": "Coaching oleh kabid",
            "action-target_year": "2027",
            "action-target_quarter": "1",
        },
        token_from=base,
    )
    assert answer.status_code == 303
    plan = plan_of(reviewing)
    assert [(n.competency, n.behaviour) for n in plan.needs] == [("manajerial", "kompeten")]
    assert [(a.kind, a.target_year, a.target_quarter) for a in plan.actions] == [
        ("coaching", 2027, 1)
    ]
    # An empty need is refused on its field, nothing written.
    refused = kasi.post(f"{base}/kebutuhan", {"need-competency": "teknis"}, token_from=base)
    assert refused.status_code == 422 and "Describe the gap." in refused.get_data(as_text=True)
    assert len(plan_of(reviewing).needs) == 1


def test_only_the_appraiser_edits_and_only_at_review(team, reviewing, new_browser):
    data = {"need-competency": "teknis", "need-description": "x"}
    base = f"/skp/{reviewing.id}/pengembangan"
    for key in ("staf", "kabid", "kadis"):
        browser = _signed_in(new_browser, team[key])
        assert browser.post(f"{base}/kebutuhan", data, token_from=base).status_code == 403, key
        page = browser.get(base).get_data(as_text=True)
        assert "data-development-readonly" in page and "Record the gap" not in page
    # The review approved, the plan is read-only for the appraiser too.
    reviewing.state = "verification"
    db.session.commit()
    kasi = _signed_in(new_browser, team["kasi"])
    assert kasi.post(f"{base}/kebutuhan", data, token_from=base).status_code == 403
    assert plan_of(reviewing) is None


def test_the_pegawai_answers_once_and_a_racing_answer_is_told(team, reviewing, new_browser):
    _plan_with_action(reviewing, team)
    plan = plan_of(reviewing)
    base = f"/skp/{reviewing.id}/pengembangan"
    first, second = _signed_in(new_browser, team["staf"]), _signed_in(new_browser, team["staf"])
    token = first.csrf_token(base), second.csrf_token(base)
    seen = plan.version
    agree = {"answer": "agree", "version": seen, "csrf_token": token[0]}
    comment = {"answer": "comment", "comment": "Saya minta jadwal TW III", "version": seen}
    assert first.post(f"{base}/jawaban", agree).status_code == 303
    told = second.post(f"{base}/jawaban", comment | {"csrf_token": token[1]})
    assert told.status_code == 303
    page = second.get(base).get_data(as_text=True)
    assert "answered or changed in the meantime" in page
    db.session.expire_all()
    stored = db.session.get(DevelopmentPlan, plan.id)
    assert stored.agreed_at is not None and stored.employee_comment is None
    assert stored.version == seen + 1
    # Two answers both past the page's check: the UPDATE on the version lets one through.
    stored.agreed_at = None
    db.session.commit()
    answer_plan(stored, agree=False, comment="Setuju dengan catatan", seen=seen + 1)
    with pytest.raises(PlanStale):
        answer_plan(stored, agree=True, comment=None, seen=seen + 1)
    db.session.rollback()
    # The appraiser cannot answer for the pegawai.
    kasi = _signed_in(new_browser, team["kasi"])
    assert (
        kasi.post(f"{base}/jawaban", {"answer": "agree", "version": 9}, token_from=base).status_code
        == 403
    )


def _done(browser, appraisal, action, *, jp="12", filename="sertifikat.pdf", data=PDF, day=None):
    base = f"/skp/{appraisal.id}/pengembangan"
    prefix = f"done{action.id}"
    from io import BytesIO

    return browser.post(
        f"{base}/aksi/{action.id}/selesai",
        {
            f"{prefix}-version": action.version,
            f"{prefix}-done_on": (day or date.today()).isoformat(),
            f"{prefix}-jp": jp,
            f"{prefix}-certificate": (BytesIO(data), filename),
        },
        token_from=base,
        content_type="multipart/form-data",
    )


def test_an_action_done_with_a_certificate_adds_its_jp_and_the_coverage_matches_a_hand_count(
    team, reviewing, new_browser, certificates
):
    year = date.today().year
    action = _plan_with_action(reviewing, team)
    staf = _signed_in(new_browser, team["staf"])
    assert _done(staf, reviewing, action, jp="12").status_code == 303
    db.session.expire_all()
    done = db.session.get(DevelopmentAction, action.id)
    assert (done.status, done.jp, done.certificate_name) == (
        "done",
        Decimal("12.0"),
        "sertifikat.pdf",
    )
    assert len(list(certificates.iterdir())) == 1
    # 12 JP from the action.
    assert yearly_hours(team["staf"].employee_id, year) == Decimal("12")
    # A sosialisasi of 10 JP attended this year: 12 + 10 = 22 JP.
    event = TrainingEvent(
        kind="sosialisasi",
        title="Sosialisasi SIKAP",
        organiser="BKPSDM",
        start_date=date(year, 1, 1),
        end_date=date(year, 1, 1),
        jp=Decimal(10),
        created_by_id=team["admin"].id,
    )
    db.session.add(event)
    db.session.flush()
    for key in ("staf", "staf2"):
        db.session.add(
            TrainingAttendance(
                event_id=event.id, employee_id=team[key].employee_id, marked_by_id=team["admin"].id
            )
        )
    # staf2 did an action at the same event: counted through the event (10 JP), not twice.
    staf2_appraisal = appraisal_in_state(team, reviewing.period, "supervisor_review", "staf2")
    twice = _plan_with_action(staf2_appraisal, team)
    twice.status, twice.done_on, twice.jp, twice.training_event_id = (
        "done",
        date(year, 1, 1),
        10,
        event.id,
    )
    # Last year's hours do not count this year.
    action_last_year = _plan_with_action(staf2_appraisal, team, "Kursus lama")
    action_last_year.status, action_last_year.done_on, action_last_year.jp = (
        "done",
        date(year - 1, 6, 1),
        40,
    )
    db.session.commit()
    assert yearly_hours(team["staf"].employee_id, year) == Decimal("22")
    assert yearly_hours(team["staf2"].employee_id, year) == Decimal("10")
    assert jp_goal() == Decimal(20)
    # Hand count. Dinas Kesehatan's active employees: kadis, kabid, kasi, staf, staf2 = 5;
    # at 20 JP or more: staf (22) = 1; 1 / 5 = 20.0 %. BKPSDM: 3 employees, none.
    coverage = {
        row.opd_name: (row.employees, row.reached, row.share)
        for row in opd_coverage(year, Decimal(20))
    }
    assert coverage == {
        "Dinas Kesehatan": (5, 1, Decimal("20.0")),
        "Badan Kepegawaian dan Pengembangan SDM": (3, 0, Decimal("0.0")),
    }
    # A goal of 10 JP (the city's setting): staf and staf2 reach it, 2 / 5 = 40.0 %.
    db.session.add(FollowupSetting(key="jp_goal", value={"jp": 10}))
    db.session.commit()
    assert jp_goal() == Decimal(10)
    assert opd_coverage(year, jp_goal(), [team["opd"].id])[0].share == Decimal("40.0")
    # An inactive employee leaves the count: 2 of 4 = 50.0 %.
    team["kadis"].employee.active = False
    db.session.commit()
    assert opd_coverage(year, jp_goal(), [team["opd"].id])[0].share == Decimal("50.0")
    # The pages show the same figures.
    page = staf.get(f"/pengembangan?year={year}").get_data(as_text=True)
    assert 'data-hours="22' in page
    admin = _signed_in(new_browser, team["admin"])
    page = admin.get(f"/pengembangan/opd?year={year}").get_data(as_text=True)
    assert ">50.0<" in page
    # The certificate: to who may see the plan, 404 to others.
    url = f"/skp/{reviewing.id}/pengembangan/aksi/{action.id}/sertifikat"
    download = staf.get(url)
    assert download.data == PDF
    download.close()
    assert _signed_in(new_browser, team["staf2"]).get(url).status_code == 404


@pytest.mark.parametrize(
    "filename, data, message",
    [
        ("sertifikat.exe", PDF, "Only PDF, JPEG and PNG certificates are accepted."),
        ("sertifikat.pdf", b"just text, not a PDF", "is not a PDF"),
        ("sertifikat.xlsx", PDF, "Only PDF, JPEG and PNG certificates are accepted."),
        ("besar.pdf", PDF + b"0" * 2048, "larger than"),
    ],
)
def test_a_bad_certificate_is_refused_with_a_message_and_nothing_stored(
    app, team, reviewing, new_browser, certificates, monkeypatch, filename, data, message
):
    monkeypatch.setitem(
        app.config, "CERTIFICATE_MAX_BYTES", 1024 * 1024 if "besar" not in filename else 1024
    )
    action = _plan_with_action(reviewing, team)
    staf = _signed_in(new_browser, team["staf"])
    answer = _done(staf, reviewing, action, filename=filename, data=data)
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(DevelopmentAction, action.id).status == "planned"
    assert not certificates.exists() or not any(certificates.iterdir())


def test_other_opds_and_other_roles_are_refused(team, reviewing, new_browser):
    action = _plan_with_action(reviewing, team)
    opd_b = factories.make_opd("DISDIK", "Dinas Pendidikan")
    head_b = factories.make_position(opd_b, "Kepala Dinas Pendidikan", "jpt")
    kepala_b = factories.make_account(factories.make_employee("Kadis Ginting", head_b))
    db.session.commit()
    other = _signed_in(new_browser, kepala_b)
    base = f"/skp/{reviewing.id}/pengembangan"
    assert other.get(base).status_code == 404
    assert other.get(f"{base}/aksi/{action.id}/sertifikat").status_code == 404
    assert other.get("/pengembangan/kebutuhan").status_code == 403
    # Their coverage page lists only their own OPD.
    page = other.get("/pengembangan/opd").get_data(as_text=True)
    assert "Dinas Pendidikan" in page and "Dinas Kesehatan" not in page
    pegawai = _signed_in(new_browser, team["staf"])
    assert pegawai.get("/pengembangan/opd").status_code == 403


def test_bkd_sees_the_needs_per_opd_and_competency_and_exports_them(team, reviewing, new_browser):
    _plan_with_action(reviewing, team)
    year = reviewing.period.year
    assert needs_by_opd(year) == [
        ("Dinas Kesehatan", {"teknis": 1, "manajerial": 0, "sosial_kultural": 0})
    ]
    admin = _signed_in(new_browser, team["admin"])
    assert "Dinas Kesehatan" in admin.get(f"/pengembangan/kebutuhan?year={year}").get_data(
        as_text=True
    )
    csv = admin.get(f"/pengembangan/kebutuhan.csv?year={year}")
    assert csv.status_code == 200 and "Dinas Kesehatan,1,0,0,1" in csv.get_data(as_text=True)
    xlsx = admin.get(f"/pengembangan/kebutuhan.xlsx?year={year}")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_the_pages_stay_within_the_query_budget_as_the_plan_grows(app, team, reviewing):
    year = reviewing.period.year
    _plan_with_action(reviewing, team)
    paths = {
        "kasi": [f"/skp/{reviewing.id}/pengembangan"],
        "staf": [f"/skp/{reviewing.id}/pengembangan", "/pengembangan"],
        "admin": [f"/pengembangan/opd?year={year}", f"/pengembangan/kebutuhan?year={year}"],
    }
    before = {
        (key, path): _statements(app, team[key].employee.nip, path)
        for key, ps in paths.items()
        for path in ps
    }
    for n in range(4):
        _plan_with_action(reviewing, team, f"Aksi {n}")
    after = {
        (key, path): _statements(app, team[key].employee.nip, path)
        for key, ps in paths.items()
        for path in ps
    }
    for key, (status, count) in before.items():
        assert status == 200 and count <= 10, (key, count)
        assert after[key] == (status, count), key


def test_last_periods_plan_is_part_of_the_next_skp_page(app, team, reviewing, new_browser):
    """The actions still planned at last period's review show on this period's SKP page."""
    _plan_with_action(reviewing, team, title="Kursus statistik layanan")
    done = _plan_with_action(reviewing, team, title="Mentoring penyusunan laporan")
    done.status, done.done_on, done.jp = "done", date.today(), Decimal("4")
    following = appraisal_in_state(team, factories.make_period(2027), "draft")
    db.session.commit()
    for who in ("staf", "kasi"):
        page = _signed_in(new_browser, team[who]).get(f"/appraisals/{following.id}")
        carried = page.get_data(as_text=True).split("data-carried-development", 1)[1]
        carried = carried.split("</div>", 1)[0]
        assert "Kursus statistik layanan" in carried
        assert "Mentoring penyusunan laporan" not in carried  # done: no longer carried
        assert f"/skp/{reviewing.id}/pengembangan" in carried
    # The SKP the plan belongs to does not repeat it as carried.
    page = _signed_in(new_browser, team["staf"]).get(f"/appraisals/{reviewing.id}")
    assert "data-carried-development" not in page.get_data(as_text=True)
    status, count = _statements(app, team["staf"].employee.nip, f"/appraisals/{following.id}")
    assert status == 200 and count <= 10
