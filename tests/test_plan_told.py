"""Staff are told by mail when the atasan RHK their plan links to is reworded or removed.

Checked end to end: the kasi saves their plan through the editor, the outbox
worker delivers to a real SMTP server started in the test, and each supporter
gets one mail naming what changed; an RHK nobody supports changes silently.
"""

from __future__ import annotations

import sqlalchemy as sa

from app.appraisals.services import open_appraisal
from app.extensions import db
from app.models import Iki, Rhk
from app.outbox.worker import send_batch
from tests.factories import make_period
from tests.test_mail_delivery import smtp_fixture, text_of  # noqa: F401 (fixture `smtp`)
from tests.test_skp_plan import form_fields, plan_url


def _rhk(appraisal, text, link=None, position=0):
    rhk = Rhk(
        appraisal_id=appraisal.id,
        group_="utama",
        position=position,
        text=text,
        atasan_rhk_id=link.id if link else None,
    )
    rhk.ikis = [
        Iki(text=f"IKI {text}", aspect="kuantitas", target_kind="number", target_value=1,
            target_unit="dokumen")
    ]  # fmt: skip
    db.session.add(rhk)
    db.session.flush()
    return rhk


def test_supporters_are_told_when_the_atasan_rewords_or_removes_an_rhk(team, browser, smtp):
    period = make_period()
    kasi = open_appraisal(team["kasi"].employee, period)
    k1 = _rhk(kasi, "Layanan primer sesuai standar", position=0)
    k2 = _rhk(kasi, "Data kunjungan tersaji", position=1)
    _rhk(kasi, "Rapat koordinasi terlaksana", position=2)  # nobody supports it
    _rhk(open_appraisal(team["staf"].employee, period), "Berkas layanan tertata", link=k1)
    _rhk(open_appraisal(team["staf2"].employee, period), "Rekap kunjungan", link=k2)
    db.session.commit()

    browser.login(team["kasi"].employee.nip)
    data = form_fields(browser.get(plan_url(kasi)))
    rows = {key: value for key, value in data.items() if not key.startswith("rhks-1-")}
    rows["rhks-0-text"] = "Layanan primer sesuai standar pelayanan minimal"
    rows["rhks-2-text"] = "Rapat koordinasi bulanan terlaksana"
    response = browser.post(plan_url(kasi), rows | {"op": "save"})
    assert response.status_code in (200, 302, 303)
    db.session.expire_all()
    assert db.session.get(Rhk, k2.id) is None  # removed

    send_batch()
    mails = {mail["To"]: text_of(mail) for mail in smtp.messages}
    assert set(mails) == {team["staf"].employee.email, team["staf2"].employee.email}
    staf, staf2 = mails[team["staf"].employee.email], mails[team["staf2"].employee.email]
    assert "Layanan primer sesuai standar pelayanan minimal" in staf
    assert "Data kunjungan tersaji" not in staf
    assert "Data kunjungan tersaji" in staf2 and "dihapus" in staf2
    assert "Rapat koordinasi" not in staf + staf2


def test_saving_without_changing_an_rhk_tells_nobody(team, browser, smtp):
    period = make_period()
    kasi = open_appraisal(team["kasi"].employee, period)
    k1 = _rhk(kasi, "Layanan primer sesuai standar")
    _rhk(open_appraisal(team["staf"].employee, period), "Berkas layanan tertata", link=k1)
    db.session.commit()
    browser.login(team["kasi"].employee.nip)
    data = form_fields(browser.get(plan_url(kasi)))
    browser.post(plan_url(kasi), data | {"op": "save"})
    send_batch()
    assert smtp.messages == []
    assert db.session.scalar(sa.select(Rhk.text).where(Rhk.id == k1.id)) == (
        "Layanan primer sesuai standar"
    )
