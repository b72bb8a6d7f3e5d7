"""Command-line interface: `flask seed-demo`, `flask outbox run`, ..."""

import time

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from app.extensions import db


def register_cli(app: Flask) -> None:
    from app.periods.cli import periods_cli
    from app.workflow.cli import audit_cli

    app.cli.add_command(seed_demo_command)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(tasks_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(periods_cli)


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
@with_appcontext
def seed_demo_command(password: str, employees: int | None) -> None:
    """Load the demo organisation and this year's appraisals (idempotent); print the logins."""
    from app.seed.appraisals import seed_demo_appraisals
    from app.seed.demo import seed_demo

    logins = seed_demo(password)
    opened = seed_demo_appraisals(logins["atasan"][0], logins["verifikator"][0])
    db.session.commit()
    if opened:
        click.echo(f"Opened {opened} appraisals for this year's annual period.")
    if employees:
        from app.seed.city import seed_city_and_open

        click.echo(seed_city_and_open(employees, password))
    click.echo(f"Demo logins (password of newly created accounts: {password}):")
    for role, (nip, name) in logins.items():
        click.echo(f"  {role:<12} NIP {nip}  {name}")


outbox_cli = AppGroup("outbox", help="Deliver queued email.")


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

    from app.notifications.worker import drain, run_forever

    config = current_app.config
    if config.get("DEV_MAILBOX") and not config.get("MAIL_SERVER"):
        click.echo(f"No MAIL_SERVER: mail is delivered to {config['BASE_URL']}/dev/mail")
    if once:
        _report_batch(drain(batch))
        return
    run_forever(batch or config["OUTBOX_BATCH_SIZE"], interval, _report_batch, sleep=time.sleep)


tasks_cli = AppGroup("tasks", help="Reminders, escalation and daily digests (run daily by cron).")


@tasks_cli.command("remind")
@click.option(
    "--today", type=click.DateTime(["%Y-%m-%d"]), help="The day to act for (default: today)."
)
def tasks_remind(today) -> None:
    """Remind task holders before the due date and when overdue; escalate to their atasan."""
    from app.notifications.reminders import send_reminders

    result = send_reminders(today.date() if today else None)
    db.session.commit()
    click.echo(
        f"due soon {result.due_soon}, overdue {result.overdue}, escalated {result.escalation} "
        f"(mailed {result.mailed}, for digests {result.digested})"
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
