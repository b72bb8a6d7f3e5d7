"""A view answers from what it committed: it never reads the database after its commit.

Go-live finding 8: views read attributes of objects expired by the commit; when
the connection broke right after a commit, that read failed and the user was
told nothing was saved although it was. Here every statement after the commit
in a request fails, as it would on a lost connection: each form still answers
with its success, and what it saved is there exactly once.
"""

import pytest
import sqlalchemy as sa
from flask import g, has_request_context

from app.extensions import db
from app.models import Appraisal, AuditEvent, Behaviour, DialogNote, Iki
from tests.factories import make_period
from tests.workflow_helpers import appraisal_in_state


@pytest.fixture
def connection_lost_after_commit(app):
    """Every SQL statement issued in a request after its commit raises OperationalError."""

    def committed(session):
        if has_request_context():
            g.sikap_committed = True

    def before_execute(conn, cursor, statement, parameters, context, executemany):
        if has_request_context() and g.get("sikap_committed"):
            raise sa.exc.OperationalError(statement, parameters, Exception("connection lost"))

    sa.event.listen(db.session, "after_commit", committed)
    sa.event.listen(db.engine, "before_cursor_execute", before_execute)
    yield
    sa.event.remove(db.engine, "before_cursor_execute", before_execute)
    sa.event.remove(db.session, "after_commit", committed)


def _count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _iki_ids(appraisal_id: int) -> list[int]:
    from app.models import Rhk

    return list(
        db.session.scalars(
            sa.select(Iki.id)
            .join(Rhk, Rhk.id == Iki.rhk_id)
            .where(Rhk.appraisal_id == appraisal_id)
        )
    )


CASES = {
    # name: (state, who, url, data(appraisal), saved(appraisal) -> bool)
    "transition": (
        "plan_review",
        "kasi",
        "/appraisals/{id}/act/approve_plan",
        lambda a: {"version": a.version},
        lambda a: _count(AuditEvent, AuditEvent.appraisal_id == a.id) == 1,
    ),
    "dialog note": (
        "self_assessment",
        "staf",
        "/appraisals/{id}/dialog",
        lambda a: {"body": "Progres triwulan ini sesuai rencana."},
        lambda a: _count(DialogNote, DialogNote.appraisal_id == a.id) == 1,
    ),
    "realisasi": (
        "self_assessment",
        "staf",
        "/appraisals/{id}/realisasi",
        lambda a: {"version": a.version} | {f"iki_{i}": "7" for i in _iki_ids(a.id)},
        lambda a: _count(Iki, Iki.id.in_(_iki_ids(a.id)), Iki.realisasi_value == 7) >= 1,
    ),
    "ekspektasi": (
        "plan_review",
        "kasi",
        "/appraisals/{id}/expectations",
        lambda a: {"version": a.version, "adaptif": "Cepat belajar sistem baru."},
        lambda a: (
            _count(Behaviour, Behaviour.appraisal_id == a.id, Behaviour.expectation.is_not(None))
            == 1
        ),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_answer_reflects_what_was_committed(team, browser, case, connection_lost_after_commit):
    state, who, url, data, saved = CASES[case]
    appraisal = appraisal_in_state(team, make_period(2026), state)
    db.session.execute(sa.delete(DialogNote))
    db.session.execute(sa.delete(Behaviour).where(Behaviour.appraisal_id == appraisal.id))
    if case == "realisasi":
        db.session.execute(sa.update(Iki).values(realisasi_value=None))
    db.session.commit()
    browser.login(team[who].employee.nip)
    response = browser.post(url.format(id=appraisal.id), data(appraisal))
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tidak ada yang disimpan" not in page and "Terjadi kesalahan" not in page
    db.session.expire_all()
    assert saved(db.session.get(Appraisal, appraisal.id))
