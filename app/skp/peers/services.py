"""The closed peer survey: ask colleagues, take anonymous answers, show the aggregate.

PermenPANRB 6/2022 (Lampiran, penilaian perilaku kerja) lets the pejabat penilai
take in feedback on an employee's perilaku kerja from peers and subordinates
(survei tertutup). Here the appraiser of an SKP asks at least three colleagues of
the same OPD (never the appraisee). Anonymity, by construction:
- an answer is stored with no respondent and no time (app.models.peers);
- an invite only flips `answered`, in a conditional UPDATE (one answer each, even
  with two tabs racing);
- the appraiser sees counts, never who answered, and the aggregate only once at
  least MIN_RESPONDENTS answered *and* the survey is over (everyone answered or
  the due date passed): watching the average move after each answer would
  otherwise tell who gave which.
Services flush, never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models import Account, Appraisal, Employee, Position
from app.models.peers import PeerSurvey, PeerSurveyAnswer, PeerSurveyInvite
from app.models.skp import BERAKHLAK
from app.outbox.links import external_url
from app.outbox.queue import enqueue_mail

MIN_RESPONDENTS = 3
ANSWER_DAYS = 14


class SurveyError(ValueError):
    """A refused request or answer; `message` is fit for the user."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Result:
    """What the appraiser may see of a survey."""

    invited: int
    answered: int
    over: bool
    # Per BerAKHLAK value, the mean rating; None until enough answers are in and it is over.
    means: dict[str, float] | None
    comments: list[str] | None

    @property
    def shown(self) -> bool:
        return self.means is not None


def survey_of(appraisal: Appraisal) -> PeerSurvey | None:
    return db.session.scalars(
        sa.select(PeerSurvey).where(PeerSurvey.appraisal_id == appraisal.id)
    ).first()


def colleagues(appraisal: Appraisal) -> list[Employee]:
    """Who may be asked: active employees of the appraisal's OPD, not the appraisee nor the
    appraiser (whose own view is the appraisal itself)."""
    return list(
        db.session.scalars(
            sa.select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .where(
                Position.opd_id == appraisal.opd_id,
                Employee.active.is_(True),
                Employee.id.not_in([appraisal.employee_id, appraisal.appraiser_id or 0]),
            )
            .order_by(Employee.name, Employee.id)
        )
    )


def start_survey(
    appraisal: Appraisal, asked_by: Employee, employee_ids: list[int], now: datetime
) -> PeerSurvey:
    """Ask the chosen colleagues (at least MIN_RESPONDENTS) and mail each their link."""
    if survey_of(appraisal) is not None:
        raise SurveyError(str(_l("A peer survey was already asked for this SKP.")))
    chosen = set(employee_ids)
    allowed = {e.id: e for e in colleagues(appraisal)}
    if chosen - set(allowed):
        raise SurveyError(
            str(_l("Only colleagues of the same OPD, not the employee, can be asked."))
        )
    if len(chosen) < MIN_RESPONDENTS:
        raise SurveyError(
            str(
                _l(
                    "Choose at least %(n)d colleagues, so that answers stay anonymous.",
                    n=MIN_RESPONDENTS,
                )
            )
        )
    survey = PeerSurvey(
        appraisal_id=appraisal.id,
        requested_by_id=asked_by.id,
        due_date=now.date() + timedelta(days=ANSWER_DAYS),
        created_at=now,
    )
    db.session.add(survey)
    db.session.flush()
    invites = [PeerSurveyInvite(survey_id=survey.id, employee_id=i) for i in sorted(chosen)]
    db.session.add_all(invites)
    db.session.flush()
    locales = dict(
        db.session.execute(
            sa.select(Account.employee_id, Account.locale).where(Account.employee_id.in_(chosen))
        ).all()
    )
    for invite in invites:
        person = allowed[invite.employee_id]
        if not person.email:
            continue
        locale = locales.get(person.id, "id")
        enqueue_mail(
            person.email,
            _l("[SIKAP] Anonymous feedback asked on %(name)s", name=appraisal.employee.name),
            "peer_survey_invite",
            locale=locale,
            person=person,
            appraisal=appraisal,
            due=survey.due_date,
            # A plain link to the answer page, behind sign-in: the invitee may not see the SKP.
            url=external_url("skp.peer_answer", survey_id=survey.id),
        )
    return survey


def open_invite(survey_id: int, employee_id: int) -> PeerSurveyInvite | None:
    """The employee's unanswered invite to the survey, if any."""
    return db.session.scalars(
        sa.select(PeerSurveyInvite).where(
            PeerSurveyInvite.survey_id == survey_id,
            PeerSurveyInvite.employee_id == employee_id,
            PeerSurveyInvite.answered.is_(False),
        )
    ).first()


def pending_invites(employee_id: int) -> list[PeerSurveyInvite]:
    """The employee's unanswered invites whose survey is still running (their inbox items)."""
    return list(
        db.session.scalars(
            _pending_query(), {"employee_id": employee_id, "today": date.today()}
        ).unique()
    )


@cache
def _pending_query() -> sa.Select:
    """`pending_invites`' statement, built once: the inbox asks on every view."""
    return (
        sa.select(PeerSurveyInvite)
        .join(PeerSurvey, PeerSurvey.id == PeerSurveyInvite.survey_id)
        .where(
            PeerSurveyInvite.employee_id == sa.bindparam("employee_id"),
            PeerSurveyInvite.answered.is_(False),
            PeerSurvey.due_date >= sa.bindparam("today", type_=sa.Date),
        )
        .options(
            sa.orm.contains_eager(PeerSurveyInvite.survey)
            .joinedload(PeerSurvey.appraisal)
            .joinedload(Appraisal.employee)
        )
        .order_by(PeerSurvey.due_date, PeerSurveyInvite.id)
    )


def submit_answer(invite: PeerSurveyInvite, ratings: dict[str, int], comment: str | None) -> None:
    """Record one anonymous answer and mark the invite answered; exactly once per invite."""
    if any(ratings.get(value) not in range(1, 6) for value in BERAKHLAK):
        raise SurveyError(str(_l("Rate every value from 1 to 5.")))
    marked = db.session.execute(
        sa.update(PeerSurveyInvite)
        .where(PeerSurveyInvite.id == invite.id, PeerSurveyInvite.answered.is_(False))
        .values(answered=True)
        .execution_options(synchronize_session=False)
    )
    if marked.rowcount != 1:
        raise SurveyError(str(_l("You have already answered this survey.")))
    db.session.add(
        PeerSurveyAnswer(
            survey_id=invite.survey_id,
            comment=(comment or "").strip() or None,
            **{value: ratings[value] for value in BERAKHLAK},
        )
    )
    db.session.flush()


def result(survey: PeerSurvey, today: date | None = None) -> Result:
    """Counts, and the aggregate once enough answers are in and the survey is over."""
    today = today or date.today()
    invited, answered = db.session.execute(
        sa.select(
            sa.func.count(PeerSurveyInvite.id),
            sa.func.count(PeerSurveyInvite.id).filter(PeerSurveyInvite.answered.is_(True)),
        ).where(PeerSurveyInvite.survey_id == survey.id)
    ).one()
    over = answered == invited or today > survey.due_date
    if answered < MIN_RESPONDENTS or not over:
        return Result(invited, answered, over, None, None)
    row = db.session.execute(
        sa.select(
            *(sa.func.avg(getattr(PeerSurveyAnswer, value)) for value in BERAKHLAK),
            sa.func.count(PeerSurveyAnswer.id),
        ).where(PeerSurveyAnswer.survey_id == survey.id)
    ).one()
    comments = db.session.scalars(
        sa.select(PeerSurveyAnswer.comment).where(
            PeerSurveyAnswer.survey_id == survey.id, PeerSurveyAnswer.comment.is_not(None)
        )
    ).all()
    means = {value: round(float(row[i]), 2) for i, value in enumerate(BERAKHLAK)}
    # Sorted, so that their order says nothing about who answered first.
    return Result(invited, answered, over, means, sorted(comments))
