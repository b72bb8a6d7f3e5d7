"""`flask periods open`: open a period from the command line, the same way the admin page does."""

import time

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.extensions import db
from app.models import Opd, Period

periods_cli = AppGroup("periods", help="Manage appraisal periods.")


@periods_cli.command("open")
@click.option("--period", "period_id", type=int, required=True, help="The period's id.")
@click.option(
    "--opd", "opd_codes", multiple=True, help="An OPD code; repeat for more (default: all)."
)
def open_command(period_id: int, opd_codes: tuple[str, ...]) -> None:
    """Open the period for every (or the chosen) OPD; print the counts and the seconds taken."""
    from app.periods.jobs import JobRefused, run_job, start_open_job

    period = db.session.get(Period, period_id)
    if period is None:
        raise click.BadParameter(f"no period with id {period_id}", param_hint="--period")
    opd_ids = None
    if opd_codes:
        found = dict(
            db.session.execute(sa.select(Opd.code, Opd.id).where(Opd.code.in_(opd_codes))).all()
        )
        unknown = sorted(set(opd_codes) - set(found))
        if unknown:
            raise click.BadParameter(f"unknown OPD: {', '.join(unknown)}", param_hint="--opd")
        opd_ids = list(found.values())
    started = time.perf_counter()
    try:
        job = start_open_job(period, opd_ids, actor=None, queued=False)
    except JobRefused as error:
        raise click.ClickException(f"cannot open the period: {error}") from None
    db.session.commit()
    job = run_job(job.id)
    seconds = time.perf_counter() - started
    for name, value in job.counts_dict.items():
        click.echo(f"{name:<14} {value}")
    click.echo(f"{job.status} in {seconds:.2f} s")
    if job.status != "done":
        raise click.ClickException(job.error or "the job failed")


@periods_cli.command("holders")
@click.option("--period", "period_id", type=int, required=True, help="The period's id.")
def holders_command(period_id: int) -> None:
    """List the period's appraisals whose keberatan nobody in SIKAP could decide."""
    from app.periods.holders import appraisals_without_decider

    period = db.session.get(Period, period_id)
    if period is None:
        raise click.BadParameter(f"no period with id {period_id}", param_hint="--period")
    found = appraisals_without_decider(period)
    for row in found:
        click.echo(f"{row.nip}  {row.name}  (appraiser: {row.appraiser})")
    click.echo(f"{len(found)} appraisal(s) without a keberatan decider in SIKAP")
