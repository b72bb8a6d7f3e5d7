"""Matriks peran hasil: pre-filling a subordinate's plan, coverage and orphans by hand count.

The organisation is the test team (kasi appraises staf and staf2; kabid appraises
kasi) with plans written out row by row below, so every count can be checked by
reading the set-up.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.appraisals.services import open_appraisal
from app.cascade.services import matrix, opd_coverage
from app.extensions import db
from app.models import Appraisal, Rhk, RhkAssignment
from tests.factories import make_period


def _rhk(appraisal: Appraisal, text: str, group: str = "utama", link: Rhk | None = None) -> Rhk:
    rhk = Rhk(
        appraisal_id=appraisal.id,
        group_=group,
        text=text,
        atasan_rhk_id=link.id if link else None,
    )
    db.session.add(rhk)
    db.session.flush()
    return rhk


def _org(team) -> dict:
    """Plans of one period, written so that the counts below are countable by eye.

    kabid: 2 RHK. kasi: 3 RHK UTAMA (K1, K2, K3), K1 supports kabid's B1.
    staf:  S1 -> K1, S2 -> nothing (orphan), S3 TAMBAHAN -> nothing (no orphan).
    staf2: T1 -> K1, T2 -> kabid's B2 (an RHK of another atasan: orphan).
    So for kasi: K1 supported, K2 and K3 not (1 of 3); 2 orphans.
    For kabid: B1 supported by K1, B2 by T2's link (2 of 2; a link is support,
    whoever makes it); kasi's K2 and K3 are UTAMA linked to nothing (2 orphans).
    """
    period = make_period()
    skp = {
        key: open_appraisal(team[key].employee, period)
        for key in ("kabid", "kasi", "staf", "staf2")
    }
    b1 = _rhk(skp["kabid"], "B1 Cakupan pelayanan kesehatan dasar meningkat")
    b2 = _rhk(skp["kabid"], "B2 Mutu layanan rujukan meningkat")
    k1 = _rhk(skp["kasi"], "K1 Layanan primer sesuai standar", link=b1)
    k2 = _rhk(skp["kasi"], "K2 Data kunjungan puskesmas tersaji")
    k3 = _rhk(skp["kasi"], "K3 Keluhan pasien tertangani")
    _rhk(skp["staf"], "S1 Berkas layanan tertata", link=k1)
    _rhk(skp["staf"], "S2 Surat masuk teragenda")
    _rhk(skp["staf"], "S3 Panitia HUT kota", group="tambahan")
    _rhk(skp["staf2"], "T1 Jadwal layanan tersusun", link=k1)
    _rhk(skp["staf2"], "T2 Rujukan tercatat", link=b2)
    db.session.commit()
    return {"period": period, "skp": skp, "k1": k1, "k2": k2, "k3": k3, "b1": b1, "b2": b2}


def test_coverage_and_orphans_match_a_hand_count(team):
    org = _org(team)
    kasi = matrix(org["skp"]["kasi"])
    assert [m.employee.name for m in kasi.members] == ["Dian Anggraini", "Rizky Pratama"]
    assert kasi.covered == {org["k1"].id}
    assert [r.text[:2] for r in kasi.uncovered] == ["K2", "K3"]
    assert sorted(r.text[:2] for _, r in kasi.orphans) == ["S2", "T2"]

    rows = {r.name: r for r in opd_coverage(org["period"].id, team["opd"].id)}
    assert set(rows) == {"Kabid Lubis, S.KM.", "Kasi Nasution, S.Kep."}
    kasi_row, kabid_row = rows["Kasi Nasution, S.Kep."], rows["Kabid Lubis, S.KM."]
    assert (kasi_row.rhks, kasi_row.covered, kasi_row.orphans) == (3, 1, 2)
    assert (kabid_row.rhks, kabid_row.covered, kabid_row.orphans) == (2, 2, 2)


def test_the_matrix_prefills_a_draft_plan_with_the_linked_rhk(team, browser):
    org = _org(team)
    kasi_skp, staf_skp = org["skp"]["kasi"], org["skp"]["staf"]
    browser.login(team["kasi"].employee.nip)
    url = f"/appraisals/{kasi_skp.id}/matriks"
    response = browser.post(
        url,
        {
            "atasan_rhk_id": org["k2"].id,
            "member_id": staf_skp.id,
            "role": "Menghimpun data kunjungan harian",
            "result": "Rekap kunjungan harian puskesmas tersedia",
        },
        token_from=url,
    )
    assert response.status_code == 302
    prefilled = db.session.scalars(
        sa.select(Rhk).where(
            Rhk.appraisal_id == staf_skp.id, Rhk.text == "Rekap kunjungan harian puskesmas tersedia"
        )
    ).one()
    assert (prefilled.group_, prefilled.atasan_rhk_id) == ("utama", org["k2"].id)
    cell = db.session.scalars(sa.select(RhkAssignment)).one()
    assert cell.rhk_id == prefilled.id and cell.role == "Menghimpun data kunjungan harian"

    # The matrix now counts K2 as supported, and shows the role in its cell.
    assert matrix(kasi_skp).covered == {org["k1"].id, org["k2"].id}
    page = browser.get(url).get_data(as_text=True)
    assert "Menghimpun data kunjungan harian" in page
    assert 'data-covered="2"' in page and 'data-orphans="2"' in page

    # The pegawai finds it in their plan, linked already.
    browser.logout()
    browser.login(team["staf"].employee.nip)
    plan = browser.get(f"/appraisals/{staf_skp.id}/plan").get_data(as_text=True)
    assert "Rekap kunjungan harian puskesmas tersedia" in plan


def test_a_plan_no_longer_in_draft_is_not_changed(team, browser):
    org = _org(team)
    staf_skp = org["skp"]["staf"]
    staf_skp.state = "plan_review"
    db.session.commit()
    before = db.session.scalar(
        sa.select(sa.func.count(Rhk.id)).where(Rhk.appraisal_id == staf_skp.id)
    )
    browser.login(team["kasi"].employee.nip)
    url = f"/appraisals/{org['skp']['kasi'].id}/matriks"
    data = {
        "atasan_rhk_id": org["k3"].id,
        "member_id": staf_skp.id,
        "role": "Peran",
        "result": "Hasil",
    }
    response = browser.post(url, data, token_from=url, follow_redirects=True)
    assert "sudah bukan draf: beri tahu dia" in response.get_data(as_text=True)
    after = db.session.scalar(
        sa.select(sa.func.count(Rhk.id)).where(Rhk.appraisal_id == staf_skp.id)
    )
    assert after == before
    assert db.session.scalars(sa.select(RhkAssignment)).one().rhk_id is None


def test_bad_input_is_refused_in_indonesian_and_nothing_is_written(team, browser):
    org = _org(team)
    browser.login(team["kasi"].employee.nip)
    url = f"/appraisals/{org['skp']['kasi'].id}/matriks"
    # Empty role; an RHK of another SKP; someone the kasi does not appraise.
    staf, kabid = org["skp"]["staf"].id, org["skp"]["kabid"].id
    cases = [
        ({"atasan_rhk_id": org["k1"].id, "member_id": staf, "role": " ", "result": "x"},
         "Uraikan perannya."),
        ({"atasan_rhk_id": org["b1"].id, "member_id": staf, "role": "r", "result": "x"},
         "Pilih salah satu RHK dari SKP Anda."),
        ({"atasan_rhk_id": org["k1"].id, "member_id": kabid, "role": "r", "result": "x"},
         "Pilih salah satu pegawai yang SKP-nya Anda nilai."),
        ({"atasan_rhk_id": org["k1"].id, "member_id": staf, "role": "r", "result": "x" * 2001},
         "tidak boleh lebih dari 2000 karakter"),
    ]  # fmt: skip
    for data, message in cases:
        response = browser.post(url, data, token_from=url)
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True), data
    assert db.session.scalar(sa.select(sa.func.count(RhkAssignment.id))) == 0


def test_only_the_atasan_edits_their_matrix(team, browser):
    org = _org(team)
    url = f"/appraisals/{org['skp']['kasi'].id}/matriks"
    browser.login(team["kabid"].employee.nip)  # sees the kasi's SKP, does not own it
    assert browser.get(url).status_code == 200
    data = {
        "atasan_rhk_id": org["k1"].id,
        "member_id": org["skp"]["staf"].id,
        "role": "r",
        "result": "x",
    }
    assert browser.post(url, data, token_from="/reset").status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(RhkAssignment.id))) == 0


def test_clearing_a_cell_keeps_the_subordinates_rhk(team, browser):
    org = _org(team)
    kasi_skp, staf_skp = org["skp"]["kasi"], org["skp"]["staf"]
    browser.login(team["kasi"].employee.nip)
    url = f"/appraisals/{kasi_skp.id}/matriks"
    data = {
        "atasan_rhk_id": org["k3"].id,
        "member_id": staf_skp.id,
        "role": "Peran",
        "result": "Hasil K3",
    }
    assert browser.post(url, data, token_from=url).status_code == 302
    cell = db.session.scalars(sa.select(RhkAssignment)).one()
    response = browser.post(f"{url}/{cell.id}/hapus", token_from=url)
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(RhkAssignment.id))) == 0
    assert (
        db.session.scalars(sa.select(Rhk).where(Rhk.text == "Hasil K3")).one().appraisal_id
        == staf_skp.id
    )
