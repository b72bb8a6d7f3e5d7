"""Who appraises whom, end to end: the kepala OPD's keberatan, opening, the rule page."""

import sqlalchemy as sa

from app.extensions import db
from app.models import AppraiserRule, AppraiserRuleChange, Task
from app.workflow.engine import fire
from tests.factories import make_account, make_employee, make_opd, make_period, make_position
from tests.test_periods import _run
from tests.workflow_helpers import appraisal_in_state

REASONS = "Realisasi saya melebihi target dan bukti dukung sudah lengkap."


def _wali_kota(team):
    setda = make_opd("SETDA", "Sekretariat Daerah", "sekretariat")
    position = make_position(setda, "Wali Kota Medan", "kepala_daerah")
    team["walikota"] = make_account(make_employee("Wali Kota Medan", position))
    db.session.flush()
    return team["walikota"]


def test_the_keberatan_of_a_kepala_opd_goes_to_the_wali_kota(team, browser):
    walikota = _wali_kota(team)
    # The kadis (JPT) is appraised by the wali kota, who has no superior: the JPT rule
    # names the wali kota as atasan pejabat penilai too.
    appraisal = appraisal_in_state(team, make_period(), "final", employee_key="kadis")
    assert appraisal.appraiser_id == walikota.employee_id
    appraisal.predikat = "baik"
    fire(appraisal, "file_objection", team["kadis"], {"comment": REASONS})
    db.session.commit()
    task = db.session.scalar(
        sa.select(Task).where(Task.appraisal_id == appraisal.id, Task.closed_at.is_(None))
    )
    assert (task.role, task.assignee_id) == ("appraiser_superior", walikota.employee_id)
    browser.login(walikota.employee.nip)
    response = browser.post(
        f"/appraisals/{appraisal.id}/objection",
        {"version": appraisal.version, "rating_hk": "", "rating_pk": "", "comment": "Ditolak."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert appraisal.state == "final"


def test_without_a_wali_kota_in_sikap_the_kepala_opd_has_no_appraiser_and_bkd_sees_it(
    app, team, browser
):
    period = make_period(status="draft")
    db.session.commit()
    browser.login(team["admin"].employee.nip)
    page = browser.get(f"/admin/periods/{period.id}/open").get_data(as_text=True)
    assert 'id="unresolved"' in page
    section = page.split('id="unresolved"')[1].split("</section>")[0]
    assert team["kadis"].employee.nip in section
    assert "kepala daerah" in section
    assert team["kabid"].employee.nip not in section
    response = browser.post(f"/admin/periods/{period.id}/open", {}, token_from="/reset")
    job = _run(app, int(response.headers["Location"].rstrip("/").split("/")[-1]))
    assert job.status == "done", job.error
    counts = job.counts_dict
    # The kadis for want of a wali kota; the BKD staff, whose positions have no parent.
    assert counts["no_atasan_kepala_daerah"] == 1
    assert counts["no_atasan_tree"] == 3
    assert counts["no_atasan"] == 4
    page = browser.get(f"/admin/periods/jobs/{job.id}").get_data(as_text=True)
    assert 'data-count="no_atasan_kepala_daerah"' in page


def test_with_the_wali_kota_nobody_is_left_out_and_the_wali_kota_gets_no_skp(app, team, browser):
    _wali_kota(team)
    period = make_period(status="draft")
    db.session.commit()
    browser.login(team["admin"].employee.nip)
    page = browser.get(f"/admin/periods/{period.id}/open").get_data(as_text=True)
    section = page.split('id="unresolved"')[1].split("</section>")[0]
    assert team["kadis"].employee.nip not in section
    assert "Wali Kota Medan" not in section
    response = browser.post(f"/admin/periods/{period.id}/open", {}, token_from="/reset")
    job = _run(app, int(response.headers["Location"].rstrip("/").split("/")[-1]))
    counts = job.counts_dict
    assert counts["no_atasan_kepala_daerah"] == 0 and counts["kepala_daerah"] == 1


def test_bkd_changes_a_rule_on_its_page_and_the_change_is_logged(team, browser):
    staf = team["staf"].employee
    browser.login(team["admin"].employee.nip)
    page = browser.get("/admin/appraiser-rules").get_data(as_text=True)
    assert 'data-rule="pelaksana:"' in page
    response = browser.post(
        "/admin/appraiser-rules",
        {
            "rule": "pelaksana:",
            "penilai": "min_administrator",
            "atasan_penilai": "atasan_of_penilai",
            "reason": "Keputusan Wali Kota tentang pejabat penilai",
        },
    )
    assert response.status_code == 302
    rule = db.session.scalar(
        sa.select(AppraiserRule).where(AppraiserRule.position_kind == "pelaksana")
    )
    assert rule.penilai == "min_administrator"
    change = db.session.scalar(sa.select(AppraiserRuleChange))
    assert (change.old_penilai, change.new_penilai) == ("min_pengawas", "min_administrator")
    assert change.changed_by_id == team["admin"].id
    from app.org.reporting import atasan_of

    assert atasan_of(staf).employee.id == team["kabid"].employee_id


def test_the_change_form_starts_from_the_chosen_rule_in_force(team, browser):
    import re

    browser.login(team["admin"].employee.nip)

    def selected(page: str, name: str) -> str:
        select = page.split(f'name="{name}"')[1].split("</select>")[0]
        return re.search(r'<option selected value="([^"]*)"', select).group(1)

    page = browser.get("/admin/appraiser-rules?rule=pengawas:").get_data(as_text=True)
    assert selected(page, "rule") == "pengawas:"
    assert selected(page, "penilai") == "min_pengawas"
    assert selected(page, "atasan_penilai") == "atasan_of_penilai"
    assert 'href="/admin/appraiser-rules?rule=pelaksana:#change"' in page


def test_bad_input_on_the_rule_page_is_told_and_writes_nothing(team, browser):
    browser.login(team["admin"].employee.nip)
    for data, message in [
        (
            {"rule": "nope:", "penilai": "direct", "atasan_penilai": "atasan_of_penilai"},
            "Pilih aturan dari daftar",
        ),
        (
            {"rule": "pelaksana:", "penilai": "bogus", "atasan_penilai": "atasan_of_penilai"},
            "Pilih cara menentukan pejabat penilai",
        ),
        (
            {"rule": "pelaksana:", "penilai": "direct", "atasan_penilai": "same_as_penilai"},
            "Hanya sekda atau kepala daerah",
        ),
        (
            {
                "rule": "pelaksana:",
                "penilai": "direct",
                "atasan_penilai": "atasan_of_penilai",
                "reason": " ",
            },
            "alasan",
        ),
    ]:
        response = browser.post("/admin/appraiser-rules", {"reason": "Uji", **data})
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AppraiserRule)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AppraiserRuleChange)) == 0
