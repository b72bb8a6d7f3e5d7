"""Umpan balik berkelanjutan: a dated thread per IKI, by the atasan, answered by the pegawai.

The atasan leaves feedback on any IKI at any step from the approved plan until
the SKP is final (not only at review); the pegawai answers; nobody else posts;
each post reaches the other side by their mail settings; the thread is printed
in the Dokumen Evaluasi Kinerja.
"""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, Iki, IkiFeedback, Notice, OutboxMessage, Rhk
from app.notifications.digest import send_digests
from app.outbox.worker import send_batch
from app.workflow.engine import fire
from tests.factories import make_period
from tests.test_mail_delivery import smtp_fixture, text_of  # noqa: F401 (fixture `smtp`)
from tests.test_query_budget import BUDGET, _statements
from tests.workflow_helpers import appraisal_in_state

TODAY = date(2026, 3, 10)


def in_state(team, state: str, who: str = "staf", period=None):
    """An appraisal in `state` whose plan has two IKI."""
    appraisal = appraisal_in_state(team, period or make_period(), state, who)
    rhk = db.session.scalars(sa.select(Rhk).where(Rhk.appraisal_id == appraisal.id)).first()
    db.session.add(
        Iki(
            rhk_id=rhk.id,
            position=9,
            text="Persentase laporan yang diserahkan tepat waktu",
            aspect="waktu",
            target_kind="number",
            target_value=100,
            target_unit="%",
            # Complete like the rest of the plan, so that every step's checks pass.
            realisasi_value=96,
            evidence_reason="Rekap diperiksa langsung oleh atasan.",
            feedback="Sudah baik.",
        )
    )
    db.session.commit()
    db.session.expire_all()  # the RHK's list of IKI, loaded before, has one more
    return appraisal


def ikis(appraisal) -> list[Iki]:
    return list(
        db.session.scalars(
            sa.select(Iki).join(Rhk).where(Rhk.appraisal_id == appraisal.id).order_by(Iki.id)
        )
    )


def url(appraisal, iki) -> str:
    return f"/appraisals/{appraisal.id}/iki/{iki.id}/feedback"


def say(browser, appraisal, iki, body: str, back: str | None = "skp.realisasi"):
    data = {"body": body, "version": appraisal.version}
    if back:
        data["back"] = back
    return browser.post(url(appraisal, iki), data)


def posts(appraisal) -> list[tuple[int, int, str]]:
    db.session.expire_all()
    rows = db.session.execute(
        sa.select(IkiFeedback.iki_id, IkiFeedback.author_id, IkiFeedback.body)
        .where(IkiFeedback.appraisal_id == appraisal.id)
        .order_by(IkiFeedback.id)
    )
    return [tuple(row) for row in rows]


def feedback_mails() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.template == "iki_feedback")
            .order_by(OutboxMessage.id)
        )
    )


@pytest.mark.parametrize("state", ["self_assessment", "verification"])
def test_atasan_gives_feedback_outside_the_review_and_the_pegawai_answers(
    team, browser, new_browser, state
):
    appraisal = in_state(team, state)
    first, second = ikis(appraisal)[:2]
    staf, kasi = team["staf"], team["kasi"]
    boss = new_browser()
    boss.login(kasi.employee.nip)
    browser.login(staf.employee.nip)

    answer = say(boss, appraisal, second, "Capaian triwulan ini masih di bawah target.")
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(
        f"/appraisals/{appraisal.id}/realisasi#iki-{second.id}"
    )

    # The pegawai sees it beside the IKI, on the realisasi and the plan, and answers it.
    for page in ("realisasi", "plan"):
        html = browser.get(f"/appraisals/{appraisal.id}/{page}").get_data(as_text=True)
        assert "Capaian triwulan ini masih di bawah target." in html
        assert f'data-iki-thread="{second.id}"' in html
        assert kasi.employee.name in html
        assert f'action="/appraisals/{appraisal.id}/iki/{second.id}/feedback"' in html
        # No thread on the other IKI, so nothing for the pegawai to answer there.
        assert f'data-iki-thread="{first.id}"' not in html
    reply = say(browser, appraisal, second, "Baik, akan saya kejar bulan depan.", back="skp.plan")
    assert reply.status_code == 303
    assert reply.headers["Location"].endswith(f"/appraisals/{appraisal.id}/plan#iki-{second.id}")
    assert say(boss, appraisal, second, "Terima kasih, saya pantau.", back=None).status_code == 303

    assert posts(appraisal) == [
        (second.id, kasi.employee_id, "Capaian triwulan ini masih di bawah target."),
        (second.id, staf.employee_id, "Baik, akan saya kejar bulan depan."),
        (second.id, kasi.employee_id, "Terima kasih, saya pantau."),
    ]
    if state == "verification":  # the atasan reads the thread beside the IKI of the review
        review = boss.get(f"/appraisals/{appraisal.id}/review").get_data(as_text=True)
        assert "Terima kasih, saya pantau." in review
    thread = boss.get(url(appraisal, second)).get_data(as_text=True)
    assert (
        thread.index("di bawah target")
        < thread.index("kejar bulan depan")
        < thread.index("saya pantau")
    )  # oldest first, dated
    assert thread.count("<time datetime=") == 3


def test_the_pegawai_answers_but_does_not_open_a_thread(team, browser):
    appraisal = in_state(team, "self_assessment")
    iki = ikis(appraisal)[0]
    browser.login(team["staf"].employee.nip)
    response = say(browser, appraisal, iki, "Saya mulai sendiri.")
    assert response.status_code == 422
    assert "Belum ada umpan balik dari atasan Anda pada IKI ini." in response.get_data(as_text=True)
    assert posts(appraisal) == []
    assert feedback_mails() == []


@pytest.mark.parametrize("who", ["staf2", "kabid", "verifikator", "admin", "kadis"])
def test_nobody_else_may_post_and_nothing_is_written(team, browser, new_browser, who):
    appraisal = in_state(team, "self_assessment")
    iki = ikis(appraisal)[0]
    boss = new_browser()
    boss.login(team["kasi"].employee.nip)
    assert say(boss, appraisal, iki, "Umpan balik atasan.").status_code == 303
    before = posts(appraisal)
    mails_before = len(feedback_mails())

    browser.login(team[who].employee.nip)
    response = say(browser, appraisal, iki, "Saya ikut berkomentar.")
    # A peer may not even see the SKP (404, its existence not revealed); those who may
    # read it (the atasan's superior, the BKD verifier and admin, the kepala OPD) are refused.
    assert response.status_code == (404 if who == "staf2" else 403)
    assert posts(appraisal) == before
    assert len(feedback_mails()) == mails_before
    if who == "verifikator":
        page = browser.get(f"/appraisals/{appraisal.id}/realisasi").get_data(as_text=True)
        assert "Umpan balik atasan." in page  # the verifikator BKD reads the thread
        assert f'action="/appraisals/{appraisal.id}/iki/{iki.id}/feedback"' not in page


@pytest.mark.parametrize("state", ["draft", "plan_review", "final"])
def test_no_feedback_before_the_plan_is_approved_or_once_final(team, browser, state):
    appraisal = in_state(team, state)
    browser.login(team["kasi"].employee.nip)
    assert say(browser, appraisal, ikis(appraisal)[0], "Terlalu awal.").status_code == 403
    assert posts(appraisal) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Tuliskan umpan baliknya terlebih dahulu."),
        ("   \n  ", "Tuliskan umpan baliknya terlebih dahulu."),
        ("x" * 2001, "Umpan balik terlalu panjang: paling banyak 2000 karakter."),
    ],
)
def test_empty_or_too_long_feedback_is_refused_in_indonesian(team, browser, body, message):
    appraisal = in_state(team, "self_assessment")
    browser.login(team["kasi"].employee.nip)
    response = say(browser, appraisal, ikis(appraisal)[0], body)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert 'aria-invalid="true"' in page
    assert posts(appraisal) == []
    assert feedback_mails() == []


def test_an_immediate_reader_gets_the_mail_from_a_real_smtp_server(app, team, browser, smtp):
    appraisal = in_state(team, "self_assessment")
    iki = ikis(appraisal)[0]
    browser.login(team["kasi"].employee.nip)
    assert say(browser, appraisal, iki, "Lampirkan daftar hadir rapat.").status_code == 303
    send_batch()

    (mail,) = smtp.messages
    assert mail["To"] == team["staf"].employee.email
    assert "Umpan balik pada IKI" in mail["Subject"]
    body = text_of(mail)
    assert "Lampirkan daftar hadir rapat." in body
    assert iki.text in body
    assert team["kasi"].employee.name in body
    assert f"/appraisals/{appraisal.id}/from-mail/" in body  # a signed link to the SKP
    assert db.session.scalar(sa.select(sa.func.count(Notice.id))) == 0  # nothing for a digest


def test_a_digest_reader_finds_the_post_only_in_the_digest(app, team, browser, new_browser, smtp):
    team["staf"].mail_mode = "digest"
    appraisal = in_state(team, "self_assessment")
    iki = ikis(appraisal)[0]
    boss = new_browser()
    boss.login(team["kasi"].employee.nip)
    assert say(boss, appraisal, iki, "Target kuantitas perlu dijaga.").status_code == 303
    send_batch()
    assert smtp.messages == []  # not mailed at once
    assert feedback_mails() == []

    assert send_digests(TODAY).digests == 1
    db.session.commit()
    send_batch()
    (digest,) = smtp.messages
    assert digest["To"] == team["staf"].employee.email
    body = text_of(digest)
    assert "Umpan balik berkelanjutan pada IKI" in body
    assert "Target kuantitas perlu dijaga." in body
    assert team["kasi"].employee.name in body

    # The answer goes to the atasan, who reads mail at once: a mail, not a digest item.
    browser.login(team["staf"].employee.nip)
    assert say(browser, appraisal, iki, "Siap, Pak.").status_code == 303
    send_batch()
    assert [m["To"] for m in smtp.messages[1:]] == [team["kasi"].employee.email]
    assert "Siap, Pak." in text_of(smtp.messages[1])
    assert "menjawab umpan balik" in text_of(smtp.messages[1])


def test_the_thread_is_printed_in_the_document(team, browser, new_browser):
    appraisal = in_state(team, "supervisor_review")
    iki = ikis(appraisal)[1]
    boss = new_browser()
    boss.login(team["kasi"].employee.nip)
    browser.login(team["staf"].employee.nip)
    assert say(boss, appraisal, iki, "Laporan bulan Maret terlambat.").status_code == 303
    assert say(browser, appraisal, iki, "Server sempat mati seminggu.").status_code == 303

    page = browser.get(f"/appraisals/{appraisal.id}/document").get_data(as_text=True)
    appendix = page[page.index("Lampiran: umpan balik berkelanjutan per IKI") :]
    assert f'data-thread="{iki.id}"' in appendix
    assert appendix.index(iki.text) < appendix.index("Laporan bulan Maret terlambat.")
    assert appendix.index("Laporan bulan Maret") < appendix.index("Server sempat mati seminggu.")
    assert f"{team['kasi'].employee.name}</strong>\n              (atasan)" in appendix
    assert f"{team['staf'].employee.name}</strong>\n              (pegawai)" in appendix
    year = str(db.session.get(IkiFeedback, posts_ids(appraisal)[0]).created_at.year)
    assert year in appendix
    assert f'data-thread-ref="{iki.id}"' in page  # the IKI's row points at the appendix


def posts_ids(appraisal) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(IkiFeedback.id)
            .where(IkiFeedback.appraisal_id == appraisal.id)
            .order_by(IkiFeedback.id)
        )
    )


@pytest.mark.parametrize("page", ["realisasi", "plan", "review", "thread"])
def test_skp_pages_with_threads_stay_within_the_query_budget(app, team, page):
    state = "supervisor_review" if page == "review" else "self_assessment"
    quiet = in_state(team, state)
    busy = in_state(team, state, "staf2", period=quiet.period)
    for iki in ikis(busy):
        for author in ("kasi", "staf2", "kasi"):
            db.session.add(
                IkiFeedback(
                    iki_id=iki.id,
                    appraisal_id=busy.id,
                    author_id=team[author].employee_id,
                    body="Catatan.",
                )
            )
    db.session.commit()
    nip = team["kasi"].employee.nip

    def path(appraisal) -> str:
        if page == "thread":
            return url(appraisal, ikis(appraisal)[0])
        return f"/appraisals/{appraisal.id}/{page}"

    status_quiet, few = _statements(app, nip, path(quiet))
    status_busy, many = _statements(app, nip, path(busy))
    assert (status_quiet, status_busy) == (200, 200)
    assert few == many
    assert many <= BUDGET


def test_a_post_from_a_page_shown_before_the_skp_became_final_is_refused(team, browser):
    appraisal = in_state(team, "verification")
    iki = ikis(appraisal)[0]
    browser.login(team["kasi"].employee.nip)
    seen = appraisal.version  # the atasan's page is open with this version
    fire(appraisal, "finalise", team["verifikator"], {})
    db.session.commit()

    response = browser.post(url(appraisal, iki), {"body": "Terlambat.", "version": seen})
    assert response.status_code == 303  # told that the SKP moved on, not a bare 403
    assert response.headers["Location"].endswith(f"/appraisals/{appraisal.id}/realisasi")
    assert posts(appraisal) == []
    assert feedback_mails() == []


def test_the_demo_has_a_thread_the_atasan_opened_and_the_pegawai_answered(app):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo-sandi-1"])
    assert result.exit_code == 0, result.output
    rows = db.session.execute(
        sa.select(IkiFeedback.appraisal_id, IkiFeedback.author_id, Appraisal.employee_id)
        .join(Appraisal, Appraisal.id == IkiFeedback.appraisal_id)
        .order_by(IkiFeedback.id)
    ).all()
    assert rows, "no umpan balik berkelanjutan in the demo"
    first = [r for r in rows if r.appraisal_id == rows[0].appraisal_id]
    assert [r.author_id == r.employee_id for r in first] == [False, True]  # atasan, then pegawai
