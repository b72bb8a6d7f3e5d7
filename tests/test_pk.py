"""Perjanjian Kinerja: the capaian kinerja organisasi, the pages, the head's RHK linked.

Achievement of a quarter = the mean of its indicators' capaian (each read by its
direction, as an IKI's); indicators without figures for it are left out.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, PerjanjianKinerja, PkIndikator, PkSasaran, Rhk
from app.pk.services import achievement, add_indikator, add_sasaran, ensure_pk, set_realisasi
from tests.factories import make_period

D = Decimal


def _pk(team):
    pk = ensure_pk(team["opd"].id, 2026)
    sasaran = add_sasaran(pk, "Meningkatnya derajat kesehatan masyarakat")
    cakupan = add_indikator(
        sasaran,
        text="Cakupan imunisasi dasar lengkap",
        unit="%",
        direction="higher",
        tolerance=None,
        target_year=D(95),
        quarters={1: D(20), 2: D(45), 3: D(70), 4: D(95)},
    )
    kematian = add_indikator(
        sasaran,
        text="Angka kematian ibu per 100.000 kelahiran hidup",
        unit="kasus",
        direction="lower",
        tolerance=None,
        target_year=D(60),
        quarters={1: D(10), 2: D(10), 3: D(10), 4: D(10)},
    )
    return pk, cakupan, kematian


@pytest.mark.parametrize(
    ("figures", "quarter", "expected"),
    [
        # TW I: cakupan 18 of 20 = 90 %; kematian 8 against at most 10 = 125 %; mean 107.5.
        ({"cakupan": {1: "18"}, "kematian": {1: "8"}}, 1, D("107.50")),
        # Only one indicator has a realisasi: the other is left out, not counted as 0.
        ({"cakupan": {2: "45"}}, 2, D("100.00")),
        # The year: 76 of 95 = 80 %; 75 against 60 = 80 %.
        ({"cakupan": {None: "76"}, "kematian": {None: "75"}}, None, D("80.00")),
        # No realisasi at all: no achievement, never 0 %.
        ({}, 3, None),
        # Zero deaths against a ceiling of 10 has no ratio; cakupan alone: 70 of 70.
        ({"cakupan": {3: "70"}, "kematian": {3: "0"}}, 3, D("100.00")),
    ],
)
def test_the_organisation_achievement_of_a_quarter(team, figures, quarter, expected):
    pk, cakupan, kematian = _pk(team)
    indicators = {"cakupan": cakupan, "kematian": kematian}
    for name, values in figures.items():
        for q, value in values.items():
            set_realisasi(indicators[name], q, D(value))
    assert achievement(pk, quarter) == expected


def _post(browser, url, data, token_from="/pk"):
    return browser.post(url, data, token_from=token_from)


def test_the_kepala_opd_writes_the_pk_and_records_realisasi(team, browser):
    browser.login(team["kadis"].employee.nip)
    opd = team["opd"].id
    assert (
        _post(browser, f"/pk/{opd}/2026/sasaran", {"text": "Meningkatnya mutu layanan"}).status_code
        == 302
    )
    sasaran = db.session.scalars(sa.select(PkSasaran)).one()
    data = {
        "sasaran_id": sasaran.id,
        "text": "Indeks kepuasan masyarakat puskesmas",
        "unit": "indeks",
        "direction": "higher",
        "target_year": "85",
        "target_q1": "80",
    }
    assert _post(browser, f"/pk/{opd}/2026/indikator", data).status_code == 302
    indikator = db.session.scalars(sa.select(PkIndikator)).one()
    assert (indikator.target_year, indikator.target_q1, indikator.target_q2) == (D(85), D(80), None)
    response = _post(
        browser, f"/pk/indikator/{indikator.id}/realisasi", {"quarter": "1", "value": "84"}
    )
    assert response.status_code == 302
    page = browser.get(f"/pk?opd={opd}&year=2026").get_data(as_text=True)
    assert f'data-capaian="{indikator.id}-1">105 %' in page
    assert 'data-quarter="1">105 %' in page


def test_bad_figures_are_refused_in_indonesian_and_nothing_is_written(team, browser):
    pk, cakupan, _ = _pk(team)
    sasaran_id = pk.sasaran[0].id
    db.session.commit()
    browser.login(team["kadis"].employee.nip)
    opd = team["opd"].id
    base = {"sasaran_id": sasaran_id, "text": "x", "unit": "%", "direction": "higher"}
    for data, message in [
        ({**base, "target_year": "-5"}, "Angka sedikitnya 0"),
        ({**base, "target_year": "sembilan"}, "Harus berupa angka."),
        ({**base, "target_year": "5", "unit": ""}, "Isi satuannya"),
    ]:
        response = _post(browser, f"/pk/{opd}/2026/indikator", data)
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data
    assert db.session.scalar(sa.select(sa.func.count(PkIndikator.id))) == 2
    response = _post(
        browser, f"/pk/indikator/{cakupan.id}/realisasi", {"quarter": "1", "value": "-1"}
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(PkIndikator, cakupan.id).realisasi_q1 is None


def test_the_heads_rhk_is_linked_to_a_sasaran(team, browser):
    pk, _, _ = _pk(team)
    period = make_period(2026)
    # The kadis is appraised by the wali kota, who is not in the test team: set it by hand.
    appraisal = Appraisal(
        employee_id=team["kadis"].employee_id,
        period_id=period.id,
        workflow="skp_annual",
        state="draft",
        opd_id=team["opd"].id,
        start_date=period.start_date,
        end_date=period.end_date,
    )
    db.session.add(appraisal)
    db.session.flush()
    rhk = Rhk(appraisal_id=appraisal.id, group_="utama", text="Layanan kesehatan dasar merata")
    db.session.add(rhk)
    db.session.commit()
    browser.login(team["kadis"].employee.nip)
    opd = team["opd"].id
    data = {"rhk_id": rhk.id, "sasaran_id": pk.sasaran[0].id}
    assert _post(browser, f"/pk/{opd}/2026/tautan", data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Rhk, rhk.id).pk_sasaran_id == pk.sasaran[0].id
    # Another OPD's kepala cannot touch it, and nobody links someone else's RHK.
    assert db.session.scalar(sa.select(sa.func.count(PerjanjianKinerja.id))) == 1


def test_the_demo_seeds_a_pk_once_and_its_first_quarter_reads(team):
    from app.seed.pk import seed_pk

    assert seed_pk(2026) is True
    assert seed_pk(2026) is False  # idempotent
    pk = db.session.scalars(sa.select(PerjanjianKinerja)).one()
    # TW I: 19 of 20 = 95 %; 15 against 12 cases = 125 %; 80 of 82 = 97,56 %; mean 105,85 %.
    assert achievement(pk, 1) == D("105.85")
    assert achievement(pk, 2) is None


def test_admin_applies_the_pks_figure_as_the_organisations_capaian(team, browser):
    from app.models import OrgAchievement
    from app.skp.orgkinerja.services import org_predikat

    _, cakupan, kematian = _pk(team)
    set_realisasi(cakupan, 1, D(18))  # 90 %
    set_realisasi(kematian, 1, D(8))  # 125 %
    tw1 = make_period(2026, kind="tw1", workflow="skp_periodic")
    tw2 = make_period(2026, kind="tw2", workflow="skp_periodic")
    db.session.commit()
    url = f"/pk/{team['opd'].id}/2026/terapkan"

    browser.login(team["kadis"].employee.nip)  # heads the OPD, is not above it
    assert _post(browser, url, {"period_id": tw1.id, "version": 0}).status_code == 403
    browser.logout()

    browser.login(team["admin"].employee.nip)
    assert _post(browser, url, {"period_id": tw1.id, "version": 0}).status_code == 302
    applied = db.session.scalars(sa.select(OrgAchievement)).one()
    assert (applied.capaian, applied.source) == (D("107.50"), "pk")
    assert "Perjanjian Kinerja 2026 (TW I)" in applied.reason
    assert org_predikat(team["opd"].id, tw1.id) is not None

    # The same form again (version 0 seen): someone set it meanwhile, nothing changes.
    page = browser.post(
        url, {"period_id": tw1.id, "version": 0}, token_from="/pk", follow_redirects=True
    ).get_data(as_text=True)
    assert "baru saja ditetapkan oleh orang lain" in page
    assert db.session.scalar(sa.select(sa.func.count(OrgAchievement.id))) == 1
    # No realisasi for TW II: said, nothing written.
    page = browser.post(
        url, {"period_id": tw2.id, "version": 0}, token_from="/pk", follow_redirects=True
    ).get_data(as_text=True)
    assert "belum memiliki realisasi untuk Triwulan 2 2026" in page
    assert db.session.scalar(sa.select(sa.func.count(OrgAchievement.id))) == 1
