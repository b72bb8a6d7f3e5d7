"""Calibration: the kepala OPD asks appraisers to revisit SKP through a workflow step.

The kadis of the test team heads its OPD (the top position). Each request goes
back to the appraiser as `request_calibration` with the kepala OPD's comment:
the state moves, the task and a mail go to the appraiser, and the rating is
never touched by anyone but them.
"""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from app.calibration.services import unit_counts
from app.extensions import db
from app.models import Appraisal, AuditEvent, OutboxMessage, Task, Unit
from app.workflow.engine import fire
from app.workflow.errors import NotAllowed
from tests.factories import make_period
from tests.workflow_helpers import appraisal_in_state


def _waiting(team, keys=("staf", "staf2")):
    period = make_period()
    found = {}
    for key in keys:
        appraisal = appraisal_in_state(team, period, "verification", key)
        appraisal.rating_hk = appraisal.rating_pk = "di_atas"
        appraisal.predikat = "sangat_baik"
        found[key] = appraisal
    db.session.commit()
    return period, found


def _ask(browser, team, period, selected, comment="Dua SKP sangat baik melampaui pola OPD."):
    url = f"/kalibrasi/{period.id}/{team['opd'].id}"
    return browser.post(
        url,
        {"selected": [f"{a.id}:{a.version}" for a in selected], "comment": comment},
        token_from=f"/kalibrasi?opd={team['opd'].id}&period={period.id}",
    )


def test_the_kepala_opd_sends_skp_back_to_the_appraiser_with_the_comment(team, browser):
    period, skp = _waiting(team)
    browser.login(team["kadis"].employee.nip)
    page = browser.get(f"/kalibrasi?opd={team['opd'].id}&period={period.id}")
    assert page.status_code == 200
    assert f'data-appraisal="{skp["staf"].id}"' in page.get_data(as_text=True)

    response = _ask(browser, team, period, [skp["staf"]])
    assert response.status_code == 302
    db.session.expire_all()
    staf, staf2 = (
        db.session.get(Appraisal, skp["staf"].id),
        db.session.get(Appraisal, skp["staf2"].id),
    )
    assert staf.state == "supervisor_review" and staf2.state == "verification"
    assert staf.rating_hk == "di_atas"  # the rating is the appraiser's to change
    event = db.session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.appraisal_id == staf.id)
        .order_by(AuditEvent.seq.desc())
    ).first()
    assert (event.trigger, event.comment) == (
        "request_calibration",
        "Dua SKP sangat baik melampaui pola OPD.",
    )
    task = db.session.scalars(
        sa.select(Task).where(Task.appraisal_id == staf.id, Task.closed_at.is_(None))
    ).one()
    assert task.assignee_id == team["kasi"].employee_id
    mail = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.audit_event_id == event.id)
    ).all()
    assert [m.recipient for m in mail] == [team["kasi"].employee.email]

    # The appraiser sees why it came back on the SKP page.
    browser.logout()
    browser.login(team["kasi"].employee.nip)
    page = browser.get(f"/appraisals/{staf.id}").get_data(as_text=True)
    assert "Dua SKP sangat baik melampaui pola OPD." in page


def test_without_a_comment_nothing_moves(team, browser):
    period, skp = _waiting(team)
    browser.login(team["kadis"].employee.nip)
    response = _ask(browser, team, period, [skp["staf"]], comment="  ")
    assert response.status_code == 422
    assert "Tuliskan apa yang perlu ditinjau kembali" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Appraisal, skp["staf"].id).state == "verification"


def test_bkd_finalising_first_wins_and_the_kepala_opd_is_told(team, browser):
    period, skp = _waiting(team)
    seen = {key: a.version for key, a in skp.items()}
    # BKD finalises staf's SKP while the kepala OPD's page still shows it.
    fire(skp["staf"], "finalise", team["verifikator"], {})
    db.session.commit()
    browser.login(team["kadis"].employee.nip)
    url = f"/kalibrasi/{period.id}/{team['opd'].id}"
    response = browser.post(
        url,
        {
            "selected": [f"{skp['staf'].id}:{seen['staf']}", f"{skp['staf2'].id}:{seen['staf2']}"],
            "comment": "Mohon ditinjau.",
        },
        token_from=f"/kalibrasi?opd={team['opd'].id}&period={period.id}",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "1 SKP dikembalikan kepada pejabat penilainya untuk kalibrasi." in page
    assert "Dian Anggraini:" in page  # the refused one, named, with the reason
    db.session.expire_all()
    assert db.session.get(Appraisal, skp["staf"].id).state == "final"
    assert db.session.get(Appraisal, skp["staf2"].id).state == "supervisor_review"


def test_only_the_head_of_the_opd_holds_the_step(team):
    _, skp = _waiting(team, keys=("staf",))
    for who in ("kabid", "verifikator", "staf2"):
        with pytest.raises(NotAllowed):
            fire(skp["staf"], "request_calibration", team[who], {"comment": "x"})
        db.session.rollback()
    fire(skp["staf"], "request_calibration", team["kadis"], {"comment": "Mohon ditinjau."})
    assert skp["staf"].state == "supervisor_review"


def test_unit_counts_match_a_hand_count(team):
    period, skp = _waiting(team, keys=("kasi", "staf", "staf2"))
    unit = Unit(opd_id=team["opd"].id, name="Seksi Pelayanan Primer")
    db.session.add(unit)
    db.session.flush()
    team["staf"].employee.position.unit_id = unit.id  # staf and staf2 share the position
    skp["staf2"].predikat = "baik"
    db.session.commit()
    rows = {row.name: row for row in unit_counts(team["opd"].id, period.id)}
    assert set(rows) == {"Seksi Pelayanan Primer", None}
    assert rows["Seksi Pelayanan Primer"].counts["sangat_baik"] == 1
    assert rows["Seksi Pelayanan Primer"].counts["baik"] == 1
    assert rows[None].counts["sangat_baik"] == 1 and rows[None].total == 1  # the kasi


def _heads_queries(app, nip: str) -> int:
    """How many statements of a home page ask which OPD the user heads."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.test_query_budget import CSRF, PASSWORD

    db.session.commit()
    engine = db.engine
    seen: list[str] = []

    def listen(conn, cursor, statement, *args):
        seen.append(statement)

    def browse():
        client = app.test_client()
        csrf = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
        client.post("/login", data={"csrf_token": csrf, "login": nip, "password": PASSWORD})
        sa.event.listen(engine, "before_cursor_execute", listen)
        try:
            assert client.get("/").status_code == 200
        finally:
            sa.event.remove(engine, "before_cursor_execute", listen)

    with ThreadPoolExecutor(1) as pool:
        pool.submit(browse).result()
    # The precise question selects OPDs through positions; the loader's flag does not.
    return sum("FROM opd JOIN position" in s.replace("\n", " ") for s in seen)


def test_only_who_may_head_an_opd_is_asked_which_one(app, team):
    """The user loader's flag spares everyone else the kepala OPD query on every page."""
    assert _heads_queries(app, team["staf"].employee.nip) == 0
    assert _heads_queries(app, team["kadis"].employee.nip) == 1


def test_someone_elses_plt_of_a_head_position_does_not_flag_everyone(app, team):
    """The flag reads the employee's own acting assignments, not every employee's."""
    from datetime import date

    from tests.factories import make_acting

    kadis_position = team["kadis"].employee.position
    make_acting(kadis_position, team["staf2"].employee, date(2026, 1, 1), date(2026, 12, 31))
    db.session.commit()
    assert _heads_queries(app, team["staf"].employee.nip) == 0
    assert _heads_queries(app, team["staf2"].employee.nip) == 1


def _sign(browser, team, period, confirm=True):
    data = {"confirm": "y"} if confirm else {}
    return browser.post(
        f"/kalibrasi/{period.id}/{team['opd'].id}/penetapan",
        data,
        token_from=f"/kalibrasi?opd={team['opd'].id}&period={period.id}",
        follow_redirects=True,
    )


def test_the_kepala_opd_signs_the_penetapan_and_its_pdf_verifies(app, team, browser):
    from flask import current_app

    from app.calibration.penetapan import render_penetapan
    from app.models import PenetapanPredikat
    from app.skp.document import signing
    from tests.test_skp_document import pdf_text

    period, skp = _waiting(team)
    skp["staf2"].predikat = "baik"
    db.session.commit()
    browser.login(team["kadis"].employee.nip)
    assert _sign(browser, team, period, confirm=False).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(PenetapanPredikat.id))) == 0

    page = _sign(browser, team, period).get_data(as_text=True)
    penetapan = db.session.scalars(sa.select(PenetapanPredikat)).one()
    assert f"sha256 {penetapan.sha256}" in page
    assert [(r["name"], r["predikat"]) for r in penetapan.rows] == [
        ("Dian Anggraini", "sangat_baik"),
        ("Rizky Pratama", "baik"),
    ]
    # The record renders the same bytes again, whatever changes afterwards.
    skp["staf2"].predikat = "kurang"
    db.session.commit()
    assert hashlib.sha256(render_penetapan(penetapan)).hexdigest() == penetapan.sha256

    pdf = browser.get(f"/kalibrasi/penetapan/{penetapan.id}.pdf").data
    result = signing.verify_pdf(pdf, [signing.certificate_pem(current_app)])
    assert result.valid and result.original_sha256 == penetapan.sha256
    text = pdf_text(pdf)
    assert "PENETAPAN PREDIKAT KINERJA PEGAWAI" in text and "Rizky Pratama" in text

    # BKD may download it; a pegawai may not know it exists.
    browser.logout()
    browser.login(team["staf"].employee.nip)
    assert browser.get(f"/kalibrasi/penetapan/{penetapan.id}.pdf").status_code == 404


def test_nothing_to_sign_is_said_and_nothing_is_written(team, browser):
    from app.models import PenetapanPredikat

    period = make_period()
    db.session.commit()
    browser.login(team["kadis"].employee.nip)
    page = _sign(browser, team, period).get_data(as_text=True)
    assert "belum ada yang dapat ditandatangani" in page
    assert db.session.scalar(sa.select(sa.func.count(PenetapanPredikat.id))) == 0
