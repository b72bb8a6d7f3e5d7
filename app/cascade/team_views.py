"""Tim kerja pages: the OPD's teams in a period, forming one, and one team (edited by those
who manage the OPD's teams, read by its lead and members)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from app.cascade import bp
from app.cascade.forms import TeamForm
from app.cascade.teams import (
    StaleTeam,
    TeamError,
    TeamInput,
    create_team,
    opd_employees,
    teams_of,
    update_team,
)
from app.extensions import db
from app.models import Employee, Opd, Period, Rhk, TeamAssignment, TimKerja, TimKerjaMember
from app.periods.services import all_periods, working_period
from app.policy import can_manage_teams, can_view_team, team_opds


def _label(employee: Employee) -> str:
    position = employee.position
    where = ""
    if position is not None:
        where = position.unit.name if position.unit else position.name
    return f"{employee.name} — {where}" if where else employee.name


def _configure(form: TeamForm, opd_id: int) -> TeamForm:
    people = opd_employees(opd_id)
    form.lead_id.choices = [SelectChoice(0, _("— choose —"))] + [
        SelectChoice(e.id, _label(e)) for e in people
    ]
    form.member_ids.choices = [SelectChoice(e.id, _label(e)) for e in people]
    return form


def _input(form: TeamForm) -> TeamInput:
    return TeamInput(
        name=form.name.data or "",
        purpose=form.purpose.data or "",
        lead_id=form.lead_id.data or None,
        member_ids=list(form.member_ids.data or []),
    )


def _field_error(form: TeamForm, error: TeamError) -> None:
    field = getattr(form, error.field)
    field.errors = [*field.errors, str(error)]


@bp.route("/tim-kerja")
@login_required
def teams():
    """The tim kerja of an OPD in a period, for those who form them."""
    allowed = team_opds(current_user)
    if allowed == []:
        abort(403)
    query = sa.select(Opd).order_by(Opd.name)
    opds = db.session.scalars(query.where(Opd.id.in_(allowed)) if allowed is not None else query)
    opds = list(opds)
    periods = all_periods()
    opd = next((o for o in opds if o.id == request.args.get("opd", type=int)), None)
    opd = opd or (opds[0] if opds else None)
    period = next((p for p in periods if p.id == request.args.get("period", type=int)), None)
    period = period or working_period(periods)
    found = teams_of(opd.id, period.id) if opd and period else []
    return render_template(
        "cascade/teams.html", opds=opds, opd=opd, periods=periods, period=period, teams=found
    )


@bp.route("/tim-kerja/baru", methods=["GET", "POST"])
@login_required
def new_team():
    """Form a tim kerja of the OPD for the period (both from the address)."""
    opd = db.session.get(Opd, request.args.get("opd", type=int) or 0) or abort(404)
    period = db.session.get(Period, request.args.get("period", type=int) or 0) or abort(404)
    if not can_manage_teams(current_user, opd.id):
        abort(403)
    form = _configure(TeamForm(), opd.id)
    if form.validate_on_submit():
        try:
            formed = create_team(opd.id, period, _input(form), current_user)
            db.session.commit()
        except TeamError as error:
            db.session.rollback()
            _field_error(form, error)
        except IntegrityError:
            # The same name was taken by another tab a moment ago.
            db.session.rollback()
            form.name.errors = [_("The OPD already has a team of that name in this period.")]
        else:
            flash(_("The tim kerja has been formed."), "success")
            return redirect(url_for("cascade.team", team_id=formed.id))
    return render_template(
        "cascade/team_form.html", form=form, opd=opd, period=period, team=None
    ), (422 if form.errors else 200)


@bp.route("/tim-kerja/<int:team_id>", methods=["GET", "POST"])
@login_required
def team(team_id: int):
    """One team: its purpose, lead, members and the RHK given to it; managers edit it."""
    found = db.session.scalar(
        sa.select(TimKerja)
        .where(TimKerja.id == team_id)
        .options(joinedload(TimKerja.opd), joinedload(TimKerja.period), joinedload(TimKerja.lead))
    )
    if found is None:
        abort(404)
    if not can_view_team(current_user, found):
        abort(403)
    editable = can_manage_teams(current_user, found.opd_id)
    if request.method == "POST" and not editable:
        abort(403)
    form = None
    if editable:
        data = {
            "name": found.name,
            "purpose": found.purpose,
            "lead_id": found.lead_id,
            "member_ids": [m.employee_id for m in found.members],
            "version": found.version,
        }
        form = _configure(TeamForm(data=data), found.opd_id)
        if form.validate_on_submit():
            try:
                added = update_team(
                    found, _input(form), current_user, seen_version=form.version.data
                )
                db.session.commit()
            except TeamError as error:
                db.session.rollback()
                _field_error(form, error)
            except StaleTeam:
                db.session.rollback()
                flash(
                    _(
                        "The team was changed by someone else meanwhile; here it is now. "
                        "Nothing was saved."
                    ),
                    "warning",
                )
                return redirect(url_for("cascade.team", team_id=team_id))
            else:
                flash(
                    _("Saved. %(n)d RHK added to new members' draft plans.", n=added)
                    if added
                    else _("Saved."),
                    "success",
                )
                return redirect(url_for("cascade.team", team_id=team_id))
    members = db.session.scalars(
        sa.select(Employee)
        .join(TimKerjaMember, TimKerjaMember.employee_id == Employee.id)
        .where(TimKerjaMember.tim_kerja_id == found.id)
        .options(joinedload(Employee.position))
        .order_by(Employee.name)
    ).all()
    given = db.session.execute(
        sa.select(TeamAssignment, Rhk.text, Employee.name)
        .join(Rhk, Rhk.id == TeamAssignment.atasan_rhk_id)
        .join(Employee, Employee.id == TeamAssignment.created_by_id)
        .where(TeamAssignment.tim_kerja_id == found.id)
        .order_by(TeamAssignment.id)
    ).all()
    return render_template(
        "cascade/team.html",
        team=found,
        members=members,
        given=given,
        form=form,
        label=_label,
        opd=found.opd,
        period=found.period,
    ), (422 if form is not None and form.errors else 200)
