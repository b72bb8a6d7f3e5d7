"""The demo's assessment scores for the talent map (seed-demo --history-years)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.extensions import db
from app.models import TalentAssessment
from app.seed.followup import seed_talent_scores
from tests import factories
from tests.workflow_helpers import appraisal_in_state


def test_last_years_rated_employees_get_one_score_each_once(team):
    last_year = date.today().year - 1
    rated = appraisal_in_state(team, factories.make_period(last_year), "final")
    rated.predikat = "baik"
    appraisal_in_state(team, factories.make_period(last_year + 1), "draft", "staf2")
    db.session.commit()
    assert seed_talent_scores(team["admin"].employee.nip) == 1
    assert seed_talent_scores(team["admin"].employee.nip) == 0  # idempotent
    (score,) = db.session.scalars(sa.select(TalentAssessment)).all()
    assert (score.employee_id, score.year) == (rated.employee_id, last_year)
    assert 55 <= score.score <= 98
    assert seed_talent_scores("000000000000000000") == 0  # no such importer
