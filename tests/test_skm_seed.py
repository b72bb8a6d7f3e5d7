"""The demo's survey (some units good, some weak; idempotent, deterministic) and the
city's bulk survey (COPY on PostgreSQL)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.feedback.index import SkmPeriod, sums_by_unit
from app.models import ServiceUnit, SkmResponse
from app.seed.skm import DEMO_QUALITY, demo_response_rows, seed_skm_responses
from app.seed.skm_city import seed_city_responses, seed_city_units
from tests import factories

TODAY = date(2026, 12, 1)


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SkmResponse))


def test_the_demo_units_get_a_spread_of_responses_once(app):
    opd = factories.make_opd()
    units = {code: ServiceUnit(opd=opd, code=code, name=code) for code in DEMO_QUALITY}
    db.session.add_all(units.values())
    db.session.flush()
    added = seed_skm_responses(TODAY)
    assert added == _count() > 0
    assert seed_skm_responses(TODAY) == 0  # idempotent
    assert demo_response_rows("DUKCAPIL", 1, [], TODAY) == demo_response_rows(
        "DUKCAPIL", 1, [], TODAY
    )  # deterministic
    year = sums_by_unit(SkmPeriod(2026, "year"))
    grades = {code: year[unit.id].result.grade for code, unit in units.items()}
    assert grades["PKM-PDB"] == "A"
    assert grades["SDN-060794"] == "D"
    assert {"B", "C"} <= set(grades.values())
    # Six quarters: from TW III of last year to this one.
    first, last = db.session.execute(
        sa.select(sa.func.min(SkmResponse.served_on), sa.func.max(SkmResponse.served_on))
    ).one()
    assert first >= date(2025, 7, 1) and last <= TODAY


def test_the_city_survey_is_written_in_bulk_once(app):
    factories.make_opd()
    factories.make_opd("DISDIK", "Dinas Pendidikan")
    db.session.flush()
    ids = seed_city_units(12)
    assert len(ids) == 12 and seed_city_units(12) == ids
    assert seed_city_responses(ids, 3000, today=date(2026, 6, 30)) == 3000
    assert seed_city_responses(ids, 3000, today=date(2026, 6, 30)) == 0
    assert _count() == 3000
    by_unit = sums_by_unit(SkmPeriod(2026, "semester", 1))
    assert set(by_unit) == set(ids)
    assert sum(s.respondents for s in by_unit.values()) == 3000


def test_the_demo_complaints_stand_at_each_step_once(app):
    from app.models import Complaint
    from app.seed.complaints import seed_demo_complaints
    from tests.complaint_helpers import make_service_unit

    team = factories.make_team()
    make_service_unit(team, code="PKM-PDB")
    make_service_unit(team, code="DUKCAPIL")
    assert seed_demo_complaints() == 5
    assert seed_demo_complaints() == 0  # idempotent
    states = sorted(db.session.scalars(sa.select(Complaint.state)))
    assert states == ["answered", "closed", "in_progress", "received", "received"]
