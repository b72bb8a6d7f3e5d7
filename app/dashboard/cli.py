"""`flask dashboard counts`: check the dashboard's summary rows against a recount, and repair."""

import click
from flask.cli import AppGroup

from app.extensions import db

dashboard_cli = AppGroup(
    "dashboard", help="Maintain the summary rows of the progress dashboard and the monitor."
)


@dashboard_cli.command("counts")
@click.option("--period", "period_id", type=int, help="Only this period (default: all).")
@click.option("--repair", is_flag=True, help="Insert the deltas that correct any drift.")
@click.option("--compact", is_flag=True, help="Then fold the delta rows, one per group.")
def counts_command(period_id: int | None, repair: bool, compact: bool) -> None:
    """Print every group of the summary rows that differs from a recount.

    appraisal_count (period, OPD, state, predikat), and the monitor's progress_count
    and open_task_count (app.dashboard.progress_counts).
    """
    from app.dashboard import progress_counts, summary

    suffix = " (repaired)" if repair else ""
    found = summary.repair(period_id) if repair else summary.drift(period_id)
    for d in found:
        click.echo(
            f"period {d.period_id} opd {d.opd_id} {d.state} {d.predikat or '-'}: "
            f"summary {d.summary}, actual {d.actual}{suffix}"
        )
    more = progress_counts.repair(period_id) if repair else progress_counts.drift(period_id)
    for m in more:
        key = " ".join("-" if k is None else str(k) for k in m.key)
        click.echo(f"{m.table} {key}: summary {m.summary}, actual {m.actual}{suffix}")
    found = [*found, *more]
    if compact:
        before, after = summary.compact()
        more_before, more_after = progress_counts.compact()
        click.echo(f"compacted {before + more_before} rows into {after + more_after}")
    db.session.commit()
    verb = "repaired" if repair else "found"
    click.echo(f"{len(found)} group(s) drifted, {verb}" if found else "summary rows are exact")
    if found and not repair:
        raise SystemExit(1)
