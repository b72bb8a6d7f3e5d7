"""Every page runs a constant, small number of SQL statements (DESIGN.md §7: at most 10).

Each request runs in its own app context here, as in production, so nothing is
served from a previous request's session.
"""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.workflow.engine import fire
from tests.factories import PASSWORD, make_period
from tests.workflow_helpers import appraisal_in_state

BUDGET = 10
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class StatementCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __call__(self, *args):
        self.count += 1

    def __enter__(self):
        self.count = 0
        sa.event.listen(self.engine, "before_cursor_execute", self)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self)


def _statements(app, nip: str, path: str) -> tuple[int, int]:
    """(status, statements) of GET `path` as the given user.

    The requests run in another thread: it has no app context, so each request
    pushes its own, with a fresh session, exactly as under a real server.
    """
    db.session.commit()
    counter = StatementCounter(db.engine)

    def browse():
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        csrf = CSRF.search(page).group(1)
        client.post("/login", data={"csrf_token": csrf, "login": nip, "password": PASSWORD})
        client.get(path)  # warm what is cached per process, not per request
        with counter:
            return client.get(path, headers={"Accept": "text/html"}).status_code

    with ThreadPoolExecutor(1) as pool:
        status = pool.submit(browse).result()
    return status, counter.count


def test_appraisal_page_is_within_budget_and_constant_in_its_history(app, team):
    short = appraisal_in_state(team, make_period(2026), "plan_review")
    long = appraisal_in_state(team, make_period(2027), "plan_review")
    for _ in range(10):  # thirty events of history
        fire(long, "return_plan", team["kasi"], {"comment": "Perbaiki."})
        fire(long, "submit_plan", team["staf"], {})
    db.session.commit()
    nip = team["kasi"].employee.nip
    status_short, few = _statements(app, nip, f"/appraisals/{short.id}")
    status_long, many = _statements(app, nip, f"/appraisals/{long.id}")
    assert (status_short, status_long) == (200, 200)
    assert few == many
    assert many <= BUDGET


@pytest.mark.parametrize("path", ["/", "/inbox", "/account"])
def test_everyday_pages_are_within_budget(app, team, path):
    appraisal_in_state(team, make_period(), "plan_review")
    status, count = _statements(app, team["kasi"].employee.nip, path)
    assert status == 200
    assert count <= BUDGET


def test_admin_employee_list_is_within_budget(app, team):
    status, count = _statements(app, team["admin"].employee.nip, "/admin/employees")
    assert status == 200
    assert count <= BUDGET


def _anonymous_statements(app, path: str) -> tuple[int, int]:
    """(status, statements) of GET `path` without an account, in its own app context."""
    db.session.commit()
    counter = StatementCounter(db.engine)

    def browse():
        client = app.test_client()
        client.get(path)  # warm what is cached per process
        with counter:
            return client.get(path, headers={"Accept": "text/html"}).status_code

    with ThreadPoolExecutor(1) as pool:
        status = pool.submit(browse).result()
    return status, counter.count


def test_public_ikm_pages_are_within_budget_and_constant_in_the_data(app, team):
    from datetime import date

    from app.models import ServiceUnit
    from tests.test_skm_index import HAND, add_responses

    first = ServiceUnit(opd=team["opd"], code="PKM-1", name="Puskesmas 1", yearly_users=100)
    add_responses(first, date(2026, 2, 1), HAND[:1])
    db.session.commit()
    few = [_anonymous_statements(app, p) for p in ("/ikm?tahun=2026", "/ikm/PKM-1?tahun=2026")]
    for n in range(2, 12):  # ten more units, several quarters and years of answers
        unit = ServiceUnit(opd=team["opd"], code=f"PKM-{n}", name=f"Puskesmas {n}")
        for served_on in (date(2024, 5, 1), date(2025, 8, 1), date(2026, 2, 1), date(2026, 11, 1)):
            add_responses(unit, served_on, HAND)
    add_responses(first, date(2026, 8, 1), HAND)
    db.session.commit()
    many = [_anonymous_statements(app, p) for p in ("/ikm?tahun=2026", "/ikm/PKM-1?tahun=2026")]
    assert [status for status, _count in many] == [200, 200]
    assert few == many
    assert all(count <= BUDGET for _status, count in many)


@pytest.mark.parametrize("who", ["admin", "kadis", "kasi"])
def test_the_skm_report_listing_is_within_budget(app, team, who):
    from datetime import date

    from app.models import ServiceUnit
    from tests.test_skm_index import HAND, add_responses

    for n in range(5):
        unit = ServiceUnit(opd=team["opd"], code=f"PKM-{n}", name=f"Puskesmas {n}",
                           head_position=team["kasi"].employee.position)  # fmt: skip
        add_responses(unit, date(2026, 2, 1), HAND)
    status, count = _statements(app, team[who].employee.nip, "/skm/ikm?periode=2026-tw1")
    assert status == 200
    assert count <= BUDGET
