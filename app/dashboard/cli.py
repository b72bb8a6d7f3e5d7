"""`flask dashboard counts`: check the dashboard's summary rows against a recount, and repair."""

import click
from flask.cli import AppGroup

from app.extensions import db

dashboard_cli = AppGroup("dashboard", help="Maintain the progress dashboard's summary rows.")


@dashboard_cli.command("counts")
@click.option("--period", "period_id", type=int, help="Only this period (default: all).")
@click.option("--repair", is_flag=True, help="Insert the deltas that correct any drift.")
@click.option("--compact", is_flag=True, help="Then fold the delta rows, one per group.")
def counts_command(period_id: int | None, repair: bool, compact: bool) -> None:
    """Print every (period, OPD, state, predikat) whose summary differs from a recount."""
    from app.dashboard import summary

    found = summary.repair(period_id) if repair else summary.drift(period_id)
    for d in found:
        click.echo(
            f"period {d.period_id} opd {d.opd_id} {d.state} {d.predikat or '-'}: "
            f"summary {d.summary}, actual {d.actual}" + (" (repaired)" if repair else "")
        )
    if compact:
        before, after = summary.compact()
        click.echo(f"compacted {before} rows into {after}")
    db.session.commit()
    verb = "repaired" if repair else "found"
    click.echo(f"{len(found)} group(s) drifted, {verb}" if found else "summary rows are exact")
    if found and not repair:
        raise SystemExit(1)
