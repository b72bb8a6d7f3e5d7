"""Who sets an OPD's or a unit's capaian kinerja organisasi (SE MenPANRB 3/2023, issue 14).

The pimpinan above: the wali kota for every OPD, the sekda for every OPD but the
Sekretariat Daerah they head, a kepala OPD for the units their position heads;
admin BKD as the operator. The OPDs' heads here report to nobody in the tree
(as a roster import leaves them), so the wali kota's and the sekda's right does
not rest on the position tree.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import ActingAssignment, OrgAchievement, OrgAchievementChange, Unit
from tests.factories import make_account, make_employee, make_opd, make_period, make_position


@pytest.fixture
def city(team):
    """DINKES (the team's, with Bidang Yankes under the kadis), DISDIK, SETDA, the wali kota."""
    bidang = Unit(opd_id=team["opd"].id, name="Bidang Pelayanan Kesehatan")
    db.session.add(bidang)
    db.session.flush()
    team["kabid"].employee.position.unit_id = bidang.id
    setda = make_opd("SETDA", "Sekretariat Daerah Kota Medan", "sekretariat")
    sekda = make_position(setda, "Sekretaris Daerah", "jpt")
    walikota = make_position(setda, "Wali Kota Medan", "kepala_daerah")
    disdik = make_opd("DISDIK", "Dinas Pendidikan")
    asisten = make_position(setda, "Asisten Pemerintahan", "jpt", sekda)
    people = {
        "walikota": make_account(make_employee("H. Wali Sitompul", walikota)),
        "sekda": make_account(make_employee("Sekda Harahap", sekda)),
        "plt_sekda": make_account(make_employee("Asisten Ginting", asisten)),
        "kadis_b": make_account(
            make_employee("Kadis Pendidikan", make_position(disdik, "Kepala Dinas", "jpt"))
        ),
    }
    db.session.add(
        ActingAssignment(
            position_id=sekda.id,
            employee_id=people["plt_sekda"].employee_id,
            kind="plt",
            start_date=date(2020, 1, 1),
            end_date=date(2099, 12, 31),
        )
    )
    period = make_period()
    db.session.commit()
    return {
        **{k: team[k] for k in ("kadis", "kabid", "admin", "verifikator")},
        **people,
        "period": period,
        "opd": {"DINKES": team["opd"].id, "SETDA": setda.id, "DISDIK": disdik.id},
        "bidang": bidang.id,
    }


ALLOWED, REFUSED = True, False
# (who, OPD, the unit or None for the OPD itself) -> allowed
CASES = [
    ("walikota", "DINKES", None, ALLOWED),
    ("walikota", "SETDA", None, ALLOWED),
    ("walikota", "DINKES", "bidang", REFUSED),  # a unit's is its kepala OPD's
    ("sekda", "DINKES", None, ALLOWED),
    ("sekda", "DISDIK", None, ALLOWED),
    ("sekda", "SETDA", None, REFUSED),  # their own organisation: the wali kota's
    ("sekda", "DINKES", "bidang", REFUSED),
    ("plt_sekda", "DINKES", None, ALLOWED),  # the Plt acts for the sekda
    ("kadis", "DINKES", "bidang", ALLOWED),  # holds the parent of the kabid's position
    ("kadis", "DINKES", None, REFUSED),  # not their own OPD's
    ("kadis", "DISDIK", None, REFUSED),
    ("kadis_b", "DINKES", None, REFUSED),
    ("kadis_b", "DINKES", "bidang", REFUSED),
    ("kabid", "DINKES", "bidang", REFUSED),
    ("admin", "SETDA", None, ALLOWED),  # the operator, for every OPD
    ("admin", "DINKES", "bidang", ALLOWED),
    ("verifikator", "DINKES", None, REFUSED),
]


@pytest.mark.parametrize(("who", "opd", "unit", "allowed"), CASES)
def test_who_sets_an_organisations_capaian(city, browser, who, opd, unit, allowed):
    opd_id, unit_id = city["opd"][opd], city[unit] if unit else None
    url = f"/org-achievement/{city['period'].id}/{opd_id}/{unit_id or 0}"
    browser.login(city[who].employee.nip)
    assert browser.get(url).status_code == (200 if allowed else 403)
    response = browser.post(url, {"capaian": "101,5", "reason": "Realisasi PK 2026.", "version": 0})
    db.session.expire_all()
    if not allowed:
        assert response.status_code == 403
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OrgAchievement)) == 0
        return
    assert response.status_code == 302
    row = db.session.scalars(sa.select(OrgAchievement)).one()
    assert (row.opd_id, row.unit_id, row.set_by_id) == (opd_id, unit_id, city[who].id)
    change = db.session.scalars(sa.select(OrgAchievementChange)).one()
    assert change.changed_by_id == city[who].id


def test_the_change_log_says_who_set_it_and_as_what(city, browser):
    """The wali kota finds the OPDs' capaian from home, sets one; the log names both setters."""
    url = f"/org-achievement/{city['period'].id}/{city['opd']['DINKES']}/0"
    browser.login(city["walikota"].employee.nip)
    assert "data-opd-capaian" in browser.get("/").get_data(as_text=True)  # from the home page
    # The wali kota picks any OPD on the capaian page and finds the link to set it.
    page = browser.get(f"/org-achievement?period={city['period'].id}&opd={city['opd']['DINKES']}")
    assert page.status_code == 200 and f'href="{url}"' in page.get_data(as_text=True)
    done = browser.post(url, {"capaian": "95", "reason": "Evaluasi wali kota.", "version": 0})
    assert done.status_code == 302
    browser.logout()
    browser.login(city["admin"].employee.nip)
    done = browser.post(url, {"capaian": "96", "reason": "Koreksi entri.", "version": 1})
    assert done.status_code == 302
    history = browser.get(url).get_data(as_text=True)
    assert "H. Wali Sitompul (Wali Kota Medan)" in history
    assert history.index("Admin Sitepu") < history.index("H. Wali Sitompul")  # newest first
