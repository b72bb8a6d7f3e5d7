"""Opening a period for the city: set-based, idempotent, the same atasan as the reporting line."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, Behaviour, Iki, Job, OutboxMessage, Period, Rhk, Task
from app.org.reporting import atasan_of
from app.periods import jobs
from app.periods.opening import PeriodOpener
from tests.factories import (
    make_acting,
    make_employee,
    make_opd,
    make_period,
    make_position,
    make_team,
)
from tests.queue_helpers import run_queue
from tests.workflow_helpers import appraisal_in_state


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _totals() -> dict:
    return {m.__name__: _count(m) for m in (Appraisal, Task, OutboxMessage, Rhk, Iki)}


def test_opening_twice_creates_no_duplicates(app):
    team = make_team()
    period = make_period(status="draft")
    first = PeriodOpener(period).run()
    # kadis (top of the tree) and the three BKD analysts (no parent position) have no atasan.
    assert (first.created, first.no_atasan, first.tasks, first.mails) == (4, 4, 4, 4)
    assert period.status == "open"
    after_first = _totals()
    assert after_first["Appraisal"] == after_first["Task"] == after_first["OutboxMessage"] == 4

    second = PeriodOpener(period).run()
    assert (second.created, second.existing, second.tasks, second.mails) == (0, 4, 0, 0)
    assert _totals() == after_first
    staf = db.session.scalars(
        sa.select(Appraisal).where(Appraisal.employee_id == team["staf"].employee_id)
    ).one()
    assert (staf.state, staf.workflow, staf.version) == ("draft", "skp_annual", 1)
    task = db.session.scalars(sa.select(Task).where(Task.appraisal_id == staf.id)).one()
    assert (task.role, task.assignee_id, task.state) == ("appraisee", staf.employee_id, "draft")
    # The drafting step has the period's plan deadline: the task is due on it.
    assert task.due_date == period.plan_deadline


def test_opening_leaves_existing_appraisals_as_they_are(app):
    team = make_team()
    period = make_period()
    # The staf's SKP is at plan review; the helper also made the kasi's SKP (no task).
    existing = appraisal_in_state(team, period, "plan_review")
    tasks_before = _count(Task, Task.appraisal_id == existing.id)
    counts = PeriodOpener(period).run()
    assert (counts.existing, counts.created, counts.tasks) == (2, 2, 2)
    assert _count(Task, Task.appraisal_id == existing.id) == tasks_before
    db.session.refresh(existing)
    assert (existing.state, existing.version) == ("plan_review", existing.version)


def test_the_appraiser_is_the_atasan_of_the_reporting_line(app):
    opd = make_opd()
    head = make_position(opd, "Kepala", "jpt")
    vacant = make_position(opd, "Kepala Bidang (kosong)", "administrator", head)
    acting_post = make_position(opd, "Kepala Seksi", "pengawas", vacant)
    staff = make_position(opd, "Staf", "pelaksana", acting_post)
    kepala = make_employee("Kepala", head)
    kasi = make_employee("Kasi", acting_post)
    plt = make_employee("Plt Kasi", staff)
    other = make_employee("Staf Lain", staff)
    gone = make_employee("Sudah Pensiun", staff, active=False)
    period = make_period()
    make_acting(acting_post, plt, period.start_date, date.today() + timedelta(days=30))

    counts = PeriodOpener(period).run()

    assert counts.no_atasan == 1 and counts.employees == 4
    appraisals = {a.employee_id: a for a in db.session.scalars(sa.select(Appraisal))}
    assert gone.id not in appraisals and kepala.id not in appraisals
    for employee in (kasi, plt, other):
        holder = atasan_of(employee, date.today())
        appraisal = appraisals[employee.id]
        assert (appraisal.appraiser_id, appraisal.appraiser_acting) == (
            holder.employee.id,
            holder.acting,
        )
    # The Plt appraises the staff (not himself: the definitive holder does);
    # the kasi is appraised past the vacant post.
    assert appraisals[other.id].appraiser_id == plt.id
    assert appraisals[other.id].appraiser_acting == "plt"
    assert appraisals[plt.id].appraiser_id == kasi.id
    assert appraisals[kasi.id].appraiser_id == kepala.id


def test_opening_for_chosen_opds_only(app):
    make_team()
    other_opd = make_opd("DISDIK", "Dinas Pendidikan")
    head = make_position(other_opd, "Kepala Dinas Pendidikan", "jpt")
    make_employee("Kadisdik", head)
    guru = make_employee("Guru", make_position(other_opd, "Guru", "fungsional", head))
    period = make_period()
    counts = PeriodOpener(period, [other_opd.id]).run()
    assert (counts.employees, counts.created, counts.no_atasan) == (2, 1, 1)
    assert db.session.scalars(sa.select(Appraisal.employee_id)).all() == [guru.id]
    assert db.session.scalars(sa.select(Appraisal.opd_id)).all() == [other_opd.id]


def test_a_quarter_starts_from_the_approved_annual_plan(app):
    team = make_team()
    annual = make_period()
    approved = appraisal_in_state(team, annual, "self_assessment")
    db.session.execute(
        sa.update(Behaviour)
        .where(Behaviour.appraisal_id == approved.id, Behaviour.value == "akuntabel")
        .values(expectation="Tepat waktu")
    )
    appraisal_in_state(team, annual, "draft", employee_key="staf2")  # not approved yet
    quarter = make_period(kind="tw1", workflow="skp_periodic", status="draft")

    counts = PeriodOpener(quarter).run()

    copy = db.session.scalars(
        sa.select(Appraisal).where(
            Appraisal.period_id == quarter.id, Appraisal.employee_id == approved.employee_id
        )
    ).one()
    assert (copy.state, copy.workflow) == ("self_assessment", "skp_periodic")
    source_rhks = db.session.scalars(sa.select(Rhk).where(Rhk.appraisal_id == approved.id)).all()
    copied_rhks = db.session.scalars(sa.select(Rhk).where(Rhk.appraisal_id == copy.id)).all()
    assert [(r.group_, r.text, r.source_rhk_id) for r in copied_rhks] == [
        (r.group_, r.text, r.id) for r in source_rhks
    ]
    # The link moved to the atasan's copy, in this quarter, of the annual RHK it supported.
    assert [r.atasan_rhk.source_rhk_id for r in copied_rhks] == [
        r.atasan_rhk_id for r in source_rhks
    ]
    assert all(r.atasan_rhk.appraisal.period_id == quarter.id for r in copied_rhks)
    source_iki = [i for r in source_rhks for i in r.ikis]
    copied_iki = [i for r in copied_rhks for i in r.ikis]
    assert [(i.text, i.aspect, i.target_value, i.target_unit) for i in copied_iki] == [
        (i.text, i.aspect, i.target_value, i.target_unit) for i in source_iki
    ]
    assert all(i.realisasi_value is None for i in copied_iki)
    assert any(i.realisasi_value is not None for i in source_iki)
    assert (
        db.session.scalars(
            sa.select(Behaviour.expectation).where(
                Behaviour.appraisal_id == copy.id, Behaviour.value == "akuntabel"
            )
        ).one()
        == "Tepat waktu"
    )
    assert _count(Behaviour, Behaviour.appraisal_id == copy.id) == 7
    # staf2's plan is still a draft, the kabid has no annual SKP: nothing to copy.
    staf2_copy = db.session.scalars(
        sa.select(Appraisal).where(
            Appraisal.period_id == quarter.id,
            Appraisal.employee_id == team["staf2"].employee_id,
        )
    ).one()
    assert _count(Rhk, Rhk.appraisal_id == staf2_copy.id) == 0
    # The kasi's annual SKP (made by the helper for the RHK link) is approved too.
    assert (counts.created, counts.plans_copied, counts.without_plan) == (4, 2, 2)

    # Opening the quarter again copies nothing twice.
    rows = _totals()
    PeriodOpener(quarter).run()
    assert _totals() == rows


def _run(app, job_id: int) -> Job:
    """Let a worker run what was queued (see tests.queue_helpers), then read the job."""
    run_queue(app, ["default"])
    return db.session.get(Job, job_id)


def test_admin_opens_a_period_in_the_background_and_polls_its_progress(app, browser):
    team = make_team()
    period = make_period(status="draft")
    browser.login(team["admin"].employee.nip)
    page = browser.get(f"/admin/periods/{period.id}/open")
    assert page.status_code == 200
    response = browser.post(f"/admin/periods/{period.id}/open", {}, token_from="/reset")
    assert response.status_code == 302
    job_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert browser.get(f"/admin/periods/jobs/{job_id}.json").get_json()["finished"] is False
    job = _run(app, job_id)
    assert job.status == "done", job.error
    status = browser.get(f"/admin/periods/jobs/{job_id}.json").get_json()
    assert status["finished"] and status["percent"] == 100
    assert status["counts"]["created"] == 4 and status["counts"]["no_atasan"] == 4
    page = browser.get(f"/admin/periods/jobs/{job_id}").get_data(as_text=True)
    assert 'data-count="created">4<' in page and "http-equiv" not in page
    overview = browser.get("/admin/periods/").get_data(as_text=True)
    assert f'data-period="{period.id}"' in overview and f"/admin/periods/jobs/{job_id}" in overview
    assert browser.get("/admin/periods/new").status_code == 200
    assert browser.get(f"/admin/periods/{period.id}/edit").status_code == 200

    # Again: a second job adds nothing.
    response = browser.post(f"/admin/periods/{period.id}/open", {}, token_from="/reset")
    job = _run(app, int(response.headers["Location"].split("/")[-1]))
    assert job.counts_dict["created"] == 0 and job.counts_dict["existing"] == 4
    assert _count(Appraisal) == 4 and _count(Task) == 4 and _count(OutboxMessage) == 4


def test_a_running_job_page_refreshes_without_javascript(app, browser):
    team = make_team()
    period = make_period()
    job = jobs.start_open_job(period, None, team["admin"])
    browser.login(team["admin"].employee.nip)
    page = browser.get(f"/admin/periods/jobs/{job.id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page
    assert browser.get(f"/admin/periods/jobs/{job.id}.json").get_json()["finished"] is False
    # A second job for the same period is refused while the first one runs.
    with pytest.raises(jobs.JobRefused):
        jobs.start_open_job(period, None, team["admin"])


def test_a_failing_job_is_recorded_and_can_be_rerun(app, monkeypatch):
    team = make_team()
    period = make_period()
    job = jobs.start_open_job(period, None, team["admin"])
    db.session.commit()

    def explode(self, chunk):
        raise RuntimeError("database went away")

    monkeypatch.setattr(PeriodOpener, "open_chunk", explode)
    job = jobs.run_job(job.id)
    assert job.status == "failed" and "database went away" in job.error
    monkeypatch.undo()
    assert jobs.run_job(jobs.start_open_job(period, None, team["admin"]).id).status == "done"
    assert _count(Appraisal) == 4


def test_periods_open_command_prints_counts_and_seconds(app):
    make_team()
    period = make_period()
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["periods", "open", "--period", str(period.id), "--opd", "DINKES"])
    assert result.exit_code == 0, result.output
    assert "created        4" in result.output and " s" in result.output
    assert _count(Appraisal) == 4
    unknown = runner.invoke(args=["periods", "open", "--period", str(period.id), "--opd", "NOPE"])
    assert unknown.exit_code != 0 and "NOPE" in unknown.output


def test_mail_of_an_opened_period_names_the_person_in_their_language(app):
    team = make_team()
    team["staf"].locale = "en"
    team["staf"].employee.name = "Dian <Anggraini> & Co"
    period = make_period()
    PeriodOpener(period).run()
    mails = {m.recipient: m for m in db.session.scalars(sa.select(OutboxMessage))}
    mine = mails[team["staf"].employee.email]
    appraisal_id = db.session.scalar(
        sa.select(Appraisal.id).where(Appraisal.employee_id == team["staf"].employee_id)
    )
    assert mine.locale == "en"
    assert "Dian <Anggraini> & Co" in mine.body_text
    assert "Dian &lt;Anggraini&gt; &amp; Co" in mine.body_html
    assert f"/appraisals/{appraisal_id}/from-mail/" in mine.body_text
    assert team["staf"].employee.nip in mine.body_text and "@@" not in mine.body_html
    # The link is signed for this recipient: it reads back as theirs, for this appraisal.
    from app.outbox.links import read_link

    token = mine.body_text.split("/from-mail/", 1)[1].split()[0]
    link = read_link(token, appraisal_id)
    assert link.employee_id == team["staf"].employee_id
    kasi_mail = mails[team["kasi"].employee.email]
    assert kasi_mail.locale == "id" and kasi_mail.body_text != mine.body_text


def test_an_employee_without_an_account_or_email_gets_no_mail(app):
    team = make_team()
    make_employee("Tanpa Email", team["staf"].employee.position, email="")
    db.session.execute(sa.text("UPDATE employee SET email = NULL WHERE name = 'Tanpa Email'"))
    counts = PeriodOpener(make_period()).run()
    assert counts.created == 5 and counts.mails == 4


@pytest.mark.parametrize("who", ["kasi", "verifikator"])
def test_only_admin_bkd_manages_periods(app, browser, who):
    team = make_team()
    period = make_period()
    browser.login(team[who].employee.nip)
    assert browser.get("/admin/periods/").status_code == 403
    assert browser.post(f"/admin/periods/{period.id}/open", {}).status_code == 403
    assert _count(Job) == 0


def test_admin_creates_and_edits_a_period(app, browser):
    team = make_team()
    team["admin"].locale = "en"
    browser.login(team["admin"].employee.nip)
    data = {
        "name": "Triwulan I 2027",
        "year": "2027",
        "kind": "tw1",
        "workflow": "skp_periodic",
        "start_date": "2027-01-01",
        "end_date": "2027-03-31",
        "plan_deadline": "2027-01-31",
        "assessment_deadline": "2027-04-10",
        "plan_approval_deadline": "2027-01-31",
        "review_deadline": "2027-04-30",
        "calendar_reason": "Jadwal Pemko Medan disesuaikan dengan agenda daerah.",
    }
    assert browser.post("/admin/periods/new", data).status_code == 302
    saved = db.session.scalars(sa.select(Period)).one()
    assert (saved.status, saved.workflow, saved.kind) == ("draft", "skp_periodic", "tw1")

    again = browser.post("/admin/periods/new", data)
    assert again.status_code == 200 and "already a period" in again.get_data(as_text=True)

    response = browser.post(f"/admin/periods/{saved.id}/edit", data | {"name": "TW I 2027"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Period, saved.id).name == "TW I 2027"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("end_date", "2026-12-31", "end date must not be before"),
        ("start_date", "2026-06-01", "start date must fall in the period"),
        ("plan_deadline", "2026-12-01", "deadline must not be before the start"),
        ("year", "abc", "Not a valid integer"),
        ("workflow", "nonexistent", "Not a valid choice"),
        ("start_date", "31-31-2027", "valid date"),
    ],
)
def test_a_bad_period_is_refused_with_a_message_and_nothing_saved(
    app, browser, field, value, message
):
    team = make_team()
    team["admin"].locale = "en"
    browser.login(team["admin"].employee.nip)
    data = {
        "name": "SKP 2027",
        "year": "2027",
        "kind": "annual",
        "workflow": "skp_annual",
        "start_date": "2027-01-01",
        "end_date": "2027-12-31",
        "plan_deadline": "2027-01-31",
        "assessment_deadline": "2028-01-15",
        "plan_approval_deadline": "2027-01-31",
        "review_deadline": "2028-01-31",
        "calendar_reason": "Jadwal Pemko Medan disesuaikan dengan agenda daerah.",
    }
    response = browser.post("/admin/periods/new", data | {field: value})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _count(Period) == 0


def test_year_kind_and_workflow_are_fixed_once_opened(app, browser):
    team = make_team()
    team["admin"].locale = "en"
    period = make_period()
    PeriodOpener(period).run()
    browser.login(team["admin"].employee.nip)
    response = browser.post(
        f"/admin/periods/{period.id}/edit",
        {
            "name": period.name,
            "year": "2026",
            "kind": "annual",
            "workflow": "skp_periodic",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "plan_deadline": "2026-01-31",
            "assessment_deadline": "2027-01-15",
            "plan_approval_deadline": "2026-01-31",
            "review_deadline": "2027-01-31",
            "calendar_reason": "Jadwal Pemko Medan disesuaikan dengan agenda daerah.",
        },
    )
    assert response.status_code == 200
    assert "cannot change once appraisals" in response.get_data(as_text=True)
    db.session.expire_all()
    assert period.workflow == "skp_annual"


def test_a_closed_period_cannot_be_opened(app, browser):
    team = make_team()
    period = make_period()
    browser.login(team["admin"].employee.nip)
    assert browser.post(f"/admin/periods/{period.id}/close", {}).status_code == 302
    db.session.expire_all()
    assert period.status == "closed"
    response = browser.post(f"/admin/periods/{period.id}/open", {})
    assert response.status_code == 200 and _count(Job) == 0 and _count(Appraisal) == 0
