"""Command-line interface: `flask seed-demo`, `flask outbox run`, ..."""

import time

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from app.extensions import db


def register_cli(app: Flask) -> None:
    from app.workflow.cli import audit_cli

    app.cli.add_command(seed_demo_command)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(audit_cli)


@click.command("seed-demo")
@click.option(
    "--password",
    default="sikap-demo-2026",
    show_default=True,
    help="Password of the demo accounts this run creates (existing ones keep theirs).",
)
@with_appcontext
def seed_demo_command(password: str) -> None:
    """Load the demo organisation and this year's appraisals (idempotent); print the logins."""
    from app.seed.appraisals import seed_demo_appraisals
    from app.seed.demo import seed_demo

    logins = seed_demo(password)
    opened = seed_demo_appraisals(logins["atasan"][0], logins["verifikator"][0])
    db.session.commit()
    if opened:
        click.echo(f"Opened {opened} appraisals for this year's annual period.")
    click.echo(f"Demo logins (password of newly created accounts: {password}):")
    for role, (nip, name) in logins.items():
        click.echo(f"  {role:<12} NIP {nip}  {name}")


outbox_cli = AppGroup("outbox", help="Deliver queued email.")


@outbox_cli.command("run")
@click.option("--once", is_flag=True, help="Send one batch and stop.")
@click.option("--batch", default=100, show_default=True)
@click.option("--interval", default=2.0, show_default=True, help="Seconds to sleep when idle.")
def outbox_run(once: bool, batch: int, interval: float) -> None:
    """Send due outbox rows; loop until interrupted unless --once."""
    from app.notifications.worker import send_batch

    while True:
        result = send_batch(batch)
        if result.claimed:
            click.echo(f"sent {result.sent}, retrying {result.retried}, dead {result.dead}")
        if once:
            return
        if result.claimed < batch:
            time.sleep(interval)
