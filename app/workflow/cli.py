"""`flask workflow check|draw` and `flask audit verify`.

`workflow` is registered as a Flask plugin command (pyproject entry point), so it
runs without building the app: the app refuses to start on a broken definition,
and this is the command that says which line is wrong.
"""

import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from app.workflow.registry import load_definition, load_definitions
from app.workflow.spec import WorkflowError


@click.group("workflow", help="Check and draw the workflow definitions.")
def workflow_cli() -> None:
    pass


def _default_dir() -> Path:
    from config import Config

    return Path(Config.WORKFLOW_DIR)


@workflow_cli.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=True, path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Validate definitions (default: every file in workflows/); exit 1 on the first error."""
    files: list[Path] = []
    for path in paths or (_default_dir(),):
        files += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    failed = False
    for file in files:
        try:
            spec = load_definition(file)
        except WorkflowError as error:
            click.echo(f"error: {error}", err=True)
            failed = True
        else:
            click.echo(
                f"ok: {file} ({len(spec.states)} states, {len(spec.transitions)} transitions)"
            )
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

    specs = load_definitions(_default_dir())
    if name not in specs:
        raise click.BadParameter(f"unknown workflow {name!r}; known: {', '.join(specs)}")
    click.echo(render_svg(specs[name], current=state, locale="id"))


audit_cli = AppGroup("audit", help="The audit trail.")


@audit_cli.command("verify")
def verify() -> None:
    """Check every appraisal's hash chain; name the first broken event."""
    from app.workflow.audit import verify_chains

    checked, broken = verify_chains()
    if broken:
        click.echo(
            f"BROKEN: event {broken.event_id} (appraisal {broken.appraisal_id}, "
            f"#{broken.seq}): {broken.reason}; {checked} events verified before it",
            err=True,
        )
        sys.exit(1)
    click.echo(f"ok: {checked} events verified")
