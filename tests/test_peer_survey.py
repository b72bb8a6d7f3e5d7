"""The closed peer survey on BerAKHLAK (PermenPANRB 6/2022): asked by the appraiser of
colleagues of the same OPD, answered anonymously, shown aggregated to the appraiser only and
only with at least three respondents."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import OutboxMessage
from app.models.peers import PeerSurvey, PeerSurveyAnswer, PeerSurveyInvite
from app.models.skp import BERAKHLAK
from app.skp.peers import services
from tests import factories
from tests.factories import make_period
from tests.workflow_helpers import appraisal_in_state


@pytest.fixture
def skp(team):
    """Dian's SKP (appraiser: the kasi), and a fourth colleague of the same OPD."""
    position = factories.make_position(team["opd"], "Analis Kesehatan", "fungsional")
    team["analis"] = factories.make_account(factories.make_employee("Sari Ginting", position))
    appraisal = appraisal_in_state(team, make_period(), "self_assessment")
    db.session.commit()
    return appraisal


def colleague_ids(team, *keys) -> list[str]:
    return [str(team[key].employee_id) for key in keys]


def ask(browser, team, appraisal, *keys):
    browser.login(team["kasi"].employee.nip)
    return browser.post(
        f"/appraisals/{appraisal.id}/peer-survey", {"colleagues": colleague_ids(team, *keys)}
    )


def answer(new_browser, team, key, survey_id, ratings: dict, comment: str = ""):
    person = new_browser()
    person.login(team[key].employee.nip)
    return person.post(f"/peer-surveys/{survey_id}/answer", {**ratings, "comment": comment})


def the_survey() -> PeerSurvey:
    db.session.expire_all()
    return db.session.scalars(sa.select(PeerSurvey)).one()


def test_the_appraiser_asks_colleagues_who_each_get_an_inbox_item_and_a_mail(
    team, skp, browser, new_browser
):
    browser.login(team["kasi"].employee.nip)
    page = browser.get(f"/appraisals/{skp.id}/peer-survey").get_data(as_text=True)

    def option(key):
        return f"{team[key].employee.name} ({team[key].employee.nip})"

    assert option("staf2") in page and option("analis") in page
    # One checkbox per colleague: a multiple <select> needs Ctrl-click to choose several.
    staf2 = team["staf2"].employee_id
    assert f'type="checkbox" value="{staf2}"' in page and "<select" not in page.split("<main")[1]
    assert option("staf") not in page and option("kasi") not in page  # never the two sides
    assert ask(browser, team, skp, "staf2", "kabid", "analis").status_code == 302
    survey = the_survey()
    invited = set(
        db.session.scalars(
            sa.select(PeerSurveyInvite.employee_id).where(PeerSurveyInvite.survey_id == survey.id)
        )
    )
    assert invited == {team[k].employee_id for k in ("staf2", "kabid", "analis")}
    mailed = set(
        db.session.scalars(
            sa.select(OutboxMessage.recipient).where(OutboxMessage.template == "peer_survey_invite")
        )
    )
    assert mailed == {team[k].employee.email for k in ("staf2", "kabid", "analis")}
    colleague = new_browser()
    colleague.login(team["staf2"].employee.nip)
    inbox = colleague.get("/inbox").get_data(as_text=True)
    assert "data-peer-invites" in inbox and f"/peer-surveys/{survey.id}/answer" in inbox


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        (("staf2", "kabid"), "at least 3"),
        (("staf2", "kabid", "staf"), "not the employee"),
    ],
)
def test_fewer_than_three_or_the_appraisee_is_refused(team, skp, browser, keys, message):
    team["kasi"].locale = "en"
    db.session.commit()
    response = ask(browser, team, skp, *keys)
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PeerSurvey)) == 0


RATINGS = [
    dict.fromkeys(BERAKHLAK, "5"),
    dict.fromkeys(BERAKHLAK, "3") | {"akuntabel": "4"},
    dict.fromkeys(BERAKHLAK, "2"),
    dict.fromkeys(BERAKHLAK, "4"),
]


def test_the_aggregate_waits_for_three_respondents_and_the_end_of_the_survey(
    team, skp, browser, new_browser
):
    team["kasi"].locale = "en"
    db.session.commit()
    ask(browser, team, skp, "staf2", "kabid", "analis", "kadis")
    survey = the_survey()
    url = f"/appraisals/{skp.id}/peer-survey"
    for key, ratings in zip(("staf2", "kabid"), RATINGS, strict=False):
        assert answer(new_browser, team, key, survey.id, ratings).status_code == 302
    page = browser.get(url).get_data(as_text=True)
    assert "Belum cukup responden" in page and "data-peer-result" not in page
    assert "2 of 4" in page
    answer(new_browser, team, "analis", survey.id, RATINGS[2], "Selalu membantu rekan.")
    page = browser.get(url).get_data(as_text=True)
    # Three answers, but one colleague may still answer: seeing the average move would
    # tell what that last one said.
    assert "data-peer-result" not in page and "Belum cukup responden" not in page
    after_due = services.result(the_survey(), survey.due_date + timedelta(days=1))
    expected = {v: round(sum(int(r[v]) for r in RATINGS[:3]) / 3, 2) for v in BERAKHLAK}
    assert after_due.means == expected
    answer(new_browser, team, "kadis", survey.id, RATINGS[3])
    page = browser.get(url).get_data(as_text=True)
    assert "data-peer-result" in page and "Selalu membantu rekan." in page
    everyone = {v: sum(int(r[v]) for r in RATINGS) / 4 for v in BERAKHLAK}
    assert f"{everyone['akuntabel']:.2f}" in page


def test_nobody_can_tell_who_answered_what(team, skp, browser, new_browser):
    ask(browser, team, skp, "staf2", "kabid", "analis")
    survey = the_survey()
    assert answer(new_browser, team, "staf2", survey.id, RATINGS[0], "komentar").status_code == 302
    # An answer carries the ratings and the comment, and nothing about its author or time.
    columns = set(PeerSurveyAnswer.__table__.columns.keys())
    assert columns == {"id", "survey_id", "comment", *BERAKHLAK}
    assert set(PeerSurveyInvite.__table__.columns.keys()) == {
        "id",
        "survey_id",
        "employee_id",
        "answered",
    }
    # Once answered, the invite is closed: a second answer is not possible.
    again = answer(new_browser, team, "staf2", survey.id, RATINGS[1])
    assert again.status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PeerSurveyAnswer)) == 1
    # Nor may anyone not asked answer.
    assert answer(new_browser, team, "staf", survey.id, RATINGS[1]).status_code == 404
    # The appraiser's page shows counts, never names of who answered.
    page = browser.get(f"/appraisals/{skp.id}/peer-survey").get_data(as_text=True)
    assert team["staf2"].employee.name not in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("staf", 403), ("kabid", 403), ("verifikator", 403), ("admin", 403), ("staf2", 404)],
)
def test_only_the_appraiser_sees_the_survey(team, skp, new_browser, who, status):
    db.session.add(
        PeerSurvey(
            appraisal_id=skp.id,
            requested_by_id=team["kasi"].employee_id,
            due_date=skp.period.end_date,
        )
    )
    db.session.commit()
    person = new_browser()
    person.login(team[who].employee.nip)
    assert person.get(f"/appraisals/{skp.id}/peer-survey").status_code == status
