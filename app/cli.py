"""Command-line interface: `flask worker`, `flask seed-demo`, `flask workflow check`, ...

`workflow` is also registered as a Flask plugin command (pyproject entry point),
so it runs without building the app: the app refuses to start on a broken
definition, and this is the command that says which line is wrong.
"""

import logging
import sys
import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from app.extensions import db
from app.jobs import QUEUES
from app.plugins import register_workflow_plugins
from app.workflow.registry import check_names, load_definition, load_definitions
from app.workflow.spec import WorkflowError


def register_cli(app: Flask) -> None:
    from app.dashboard.cli import dashboard_cli
    from app.periods.cli import periods_cli
    from app.skp.document.cli import documents_cli

    app.cli.add_command(worker_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(tasks_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(periods_cli)
    app.cli.add_command(dashboard_cli)
    app.cli.add_command(documents_cli)


@click.command("worker")
@click.option(
    "--queue",
    "queues",
    multiple=True,
    type=click.Choice(QUEUES),
    help="A queue to work on; repeat for more (default: all of them).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 32),
    default=1,
    show_default=True,
    help="Jobs run at once by this process (run more processes to scale).",
)
@click.option("--once", is_flag=True, help="Run what is queued now, then stop.")
@with_appcontext
def worker_command(queues: tuple[str, ...], concurrency: int, once: bool) -> None:
    """Run the task queue's worker: period openings, mail, reminders and digests."""
    from flask import current_app

    from app.jobs import worker

    if not logging.getLogger().handlers:
        # The worker's log (jobs started, ended, retried) goes to stderr, for the service manager.
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    app = current_app._get_current_object()
    click.echo(f"Worker on {', '.join(queues or QUEUES)} (Ctrl-C stops it after the current job)")
    worker.run(app, queues=queues or QUEUES, concurrency=concurrency, wait=not once)


@click.command("seed-demo")
@click.option(
    "--password",
    default="sikap-demo-2026",
    show_default=True,
    help="Password of the demo accounts this run creates (existing ones keep theirs).",
)
@click.option(
    "--employees",
    type=click.IntRange(min=1),
    default=None,
    help="Also generate a city of about this many employees in some 45 OPD (e.g. 25000).",
)
@click.option(
    "--skm-responses",
    type=click.IntRange(min=0),
    default=1_000_000,
    show_default=True,
    help="With --employees: survey responses (SKM) over the city's ~400 unit layanan.",
)
@click.option(
    "--history-years",
    type=click.IntRange(min=0, max=20),
    default=0,
    show_default=True,
    help="Also add this many past years of finished SKP (annual and four quarters, closed).",
)
@with_appcontext
def seed_demo_command(
    password: str, employees: int | None, skm_responses: int, history_years: int
) -> None:
    """Load the demo organisation and this year's appraisals (idempotent); print the logins."""
    from app.seed.appraisals import seed_demo_appraisals
    from app.seed.complaints import seed_demo_complaints
    from app.seed.demo import seed_demo
    from app.seed.pk import seed_pk
    from app.seed.pustaka import seed_pustaka
    from app.seed.skm import seed_service_units, seed_skm_responses

    logins = seed_demo(password)
    opened = seed_demo_appraisals(logins["atasan"][0], logins["verifikator"][0])
    added = seed_pustaka()
    seed_pk()
    seed_service_units()
    responses = seed_skm_responses()
    complaints = seed_demo_complaints()
    db.session.commit()
    if responses:
        click.echo(f"Added {responses} survey responses (SKM) to the demo's unit layanan.")
    if complaints:
        click.echo(f"Opened {complaints} demo complaints (pengaduan) at their steps.")
    if added:
        click.echo(f"Added {added} entries to the Pustaka IKI.")
    if opened:
        click.echo(f"Opened {opened} appraisals for this year's annual period.")
    if employees:
        from app.seed.city import seed_city_and_open
        from app.seed.skm_city import seed_city_survey

        click.echo(seed_city_and_open(employees, password))
        click.echo(seed_city_survey(responses=skm_responses))
    if history_years:
        from app.seed.followup import seed_talent_scores
        from app.seed.history import seed_history

        click.echo(seed_history(history_years))
        scores = seed_talent_scores(logins["admin"][0])
        db.session.commit()
        if scores:
            click.echo(f"Added {scores} assessment scores for the talent map (9-box).")
    click.echo(f"Demo logins (password of newly created accounts: {password}):")
    for role, (nip, name) in logins.items():
        click.echo(f"  {role:<12} NIP {nip}  {name}")


outbox_cli = AppGroup(
    "outbox", help="Deliver queued email by hand (the worker delivers it as it is queued)."
)


def _report_batch(result) -> None:
    click.echo(
        f"sent {result.sent}, retrying {result.retried}, dead {result.dead}, "
        f"waiting for the server {result.deferred}"
    )


@outbox_cli.command("run")
@click.option("--once", is_flag=True, help="Send what is due now, then stop.")
@click.option("--batch", type=click.IntRange(1, 10_000), help="Rows per batch (one connection).")
@click.option("--interval", default=2.0, show_default=True, help="Seconds to sleep when idle.")
def outbox_run(once: bool, batch: int | None, interval: float) -> None:
    """Send due outbox rows over SMTP; loop until interrupted unless --once."""
    from flask import current_app

    from app.outbox.worker import drain, run_forever

    config = current_app.config
    if config.get("DEV_MAILBOX") and not config.get("MAIL_SERVER"):
        click.echo(f"No MAIL_SERVER: mail is delivered to {config['BASE_URL']}/dev/mail")
    if once:
        _report_batch(drain(batch))
        return
    run_forever(
        batch or config["OUTBOX_BATCH_SIZE"], interval, _report_batch, sleep=_beat_and_sleep
    )


def _beat_and_sleep(seconds: float) -> None:
    """Between batches: tell /readyz and /metrics this worker is alive, then wait."""
    from app.ops.heartbeat import beat

    try:
        beat("outbox")
        db.session.commit()
    except sa.exc.OperationalError:
        # The database is down: the loop backs off; the heartbeat waits with it.
        db.session.rollback()
    time.sleep(seconds)


tasks_cli = AppGroup(
    "tasks",
    help="Reminders, escalation and daily digests by hand (the worker runs them daily at 06:00).",
)


@tasks_cli.command("remind")
@click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), help="The day to act for (default: today)."
)
def tasks_remind(today) -> None:
    """Remind task holders before the due date and when overdue; escalate to their atasan
    (a complaint's to the kepala OPD; a pembinaan task is reminded, not escalated)."""
    from app.complaints.reminders import send_complaint_reminders
    from app.notifications.reminders import local_today, send_reminders
    from app.pembinaan.reminders import send_pembinaan_reminders

    day = today.date() if today else None
    result = send_reminders(day)
    complaints = send_complaint_reminders(day or local_today())
    pembinaan = send_pembinaan_reminders(day or local_today())
    db.session.commit()
    click.echo(
        f"due soon {result.due_soon}, overdue {result.overdue}, escalated {result.escalation} "
        f"(mailed {result.mailed}, for digests {result.digested}); complaints {complaints}; "
        f"pembinaan {pembinaan}"
    )


@tasks_cli.command("digest")
@click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), help="The day to act for (default: today)."
)
def tasks_digest(today) -> None:
    """Send each person at most one digest today, listing what waited for it."""
    from app.notifications.digest import send_digests

    result = send_digests(today.date() if today else None)
    db.session.commit()
    click.echo(f"digests {result.digests}, items {result.items}")


@click.group("workflow", help="Check and draw the workflow definitions.")
def workflow_cli() -> None:
    pass


def _default_dir() -> Path:
    from config import Config

    return Path(Config.WORKFLOW_DIR)


@workflow_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=True, path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Validate definitions (default: every file in workflows/); exit 1 on any error.

    A directory is checked as the app loads it: each file, then the state and
    trigger names the code depends on across its definitions.
    """
    register_workflow_plugins()
    failed = False
    files: list[Path] = []
    for path in paths or (_default_dir(),):
        found = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
        files += found
        specs = {}
        for file in found:
            try:
                spec = load_definition(file)
            except WorkflowError as error:
                click.echo(f"error: {error}", err=True)
                failed = True
            else:
                specs[spec.name] = spec
                click.echo(
                    f"ok: {file} ({len(spec.states)} states, {len(spec.transitions)} transitions)"
                )
        if path.is_dir() and found and len(specs) == len(found):
            try:
                check_names(specs, path)
            except WorkflowError as error:
                click.echo(f"error: {error}", err=True)
                failed = True
    if not files:
        click.echo("error: no workflow definitions found", err=True)
        failed = True
    sys.exit(1 if failed else 0)


@workflow_cli.command("draw")
@click.argument("name")
@click.option("--state", default=None, help="Highlight this state.")
def draw(name: str, state: str | None) -> None:
    """Print the SVG diagram of a definition."""
    from app.workflow.diagram import render_svg

    register_workflow_plugins()
    specs = load_definitions(_default_dir())
    if name not in specs:
        raise click.BadParameter(f"unknown workflow {name!r}; known: {', '.join(specs)}")
    click.echo(render_svg(specs[name], current=state, locale="id"))


audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
def verify() -> None:
    """Check every appraisal's, complaint's and pembinaan case's hash chain; name the first
    broken event."""
    from app.workflow.audit import verify_chains

    checked, broken = verify_chains()
    if broken:
        if broken.complaint_id is not None:
            subject = f"complaint {broken.complaint_id}"
        elif broken.pembinaan_id is not None:
            subject = f"pembinaan {broken.pembinaan_id}"
        else:
            subject = f"appraisal {broken.appraisal_id}"
        click.echo(
            f"BROKEN: event {broken.event_id} ({subject}, "
            f"#{broken.seq}): {broken.reason}; {checked} events verified before it",
            err=True,
        )
        sys.exit(1)
    click.echo(f"ok: {checked} events verified")
