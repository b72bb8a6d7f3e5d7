"""The layout's rules, checked: imports run one way, and the names the code needs exist.

The dependency order (README, Layout): base → models → org → outbox → workflow →
policy → features → app factory. A package may import from its own layer's
lower neighbours only; features may import each other, but never in a circle.
Imports inside functions count: a lazy import is still a dependency.
"""

import ast
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from app import create_app
from app.workflow.spec import WorkflowError
from config import TestingConfig

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"
WORKFLOWS = ROOT / "workflows"

LAYERS: list[set[str]] = [
    {
        "app.extensions",
        "app.files",
        "app.forms",
        "app.prepared",
        "app.security",
        "app.translations",
        "app.static",
    },
    {"app.models"},
    {"app.jobs"},
    {"app.org"},
    {"app.outbox"},
    {"app.workflow"},
    {"app.policy"},
    {
        "app.admin",
        "app.announcements",
        "app.appraisals",
        "app.auth",
        "app.dashboard",
        "app.exports",
        "app.feedback",
        "app.followup",
        "app.guide",
        "app.inbox",
        "app.main",
        "app.monitoring",
        "app.notifications",
        "app.ops",
        "app.overview",
        "app.pembinaan",
        "app.pk",
        "app.calibration",
        "app.cascade",
        "app.complaints",
        "app.periods",
        "app.pustaka",
        "app.roster",
        "app.seed",
        "app.skp",
    },
    {"app", "app.cli", "app.plugins"},
]
RANK = {name: rank for rank, layer in enumerate(LAYERS) for name in layer}


def unit(module: str) -> str:
    """The package a module belongs to for layering: app.skp.plan.views -> app.skp."""
    return ".".join(module.split(".")[:2])


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def imports_of(path: Path) -> set[str]:
    """Every app module the file imports, at the top or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                # `from app import policy` imports the module app.policy, not the package.
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if existing_unit(submodule, exact=True) else node.module)
    return {name for name in found if name == "app" or name.startswith("app.")}


def existing_unit(name: str, *, exact: bool = False) -> str | None:
    """The layer unit of an imported name, if it names a module or package of app/.

    `exact`: only if the whole name is a module or package (not an attribute of one).
    """
    parts = name.split(".")
    for end in range(len(parts), 0 if not exact else len(parts) - 1, -1):
        candidate = ROOT.joinpath(*parts[:end])
        if candidate.with_suffix(".py").is_file() or (candidate / "__init__.py").is_file():
            return unit(".".join(parts[:end])) if end > 1 else "app"
    return None


def dependency_graph() -> dict[str, set[str]]:
    edges: dict[str, set[str]] = defaultdict(set)
    for path in APP.rglob("*.py"):
        source = unit(module_name(path))
        for name in imports_of(path):
            target = existing_unit(name)
            if target is not None and target != source:
                edges[source].add(target)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in edges.get(node, ()):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in list(edges):
        if node not in index:
            visit(node)
    return found


def test_every_package_has_a_place_in_the_order():
    units = {unit(module_name(path)) for path in APP.rglob("*.py")}
    units |= {f"app.{p.name}" for p in APP.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert not units - set(RANK), "place these in LAYERS (and the README's layout)"


def test_no_import_cycle_between_packages():
    assert cycles(dependency_graph()) == []


def test_imports_run_one_way():
    against = [
        f"{source} imports {target}"
        for source, targets in dependency_graph().items()
        for target in targets
        if RANK[target] > RANK[source]
        or (RANK[target] == RANK[source] and len(LAYERS[RANK[source]]) == 1)
    ]
    assert against == []


def test_the_checker_sees_lazy_and_from_imports(tmp_path):
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from app import policy\n    import app.skp.rules\n")
    assert imports_of(source) >= {"app.policy", "app.skp.rules"}
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]


def test_the_engine_never_imports_a_feature():
    features = LAYERS[RANK["app.skp"]]
    assert not dependency_graph()["app.workflow"] & features


def _builds_audit_events(path: Path) -> bool:
    return any(
        isinstance(node, ast.Call) and getattr(node.func, "id", None) == "AuditEvent"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
    )


def test_audit_events_are_written_only_by_the_workflow_package():
    writers = sorted(
        str(path.relative_to(ROOT)) for path in APP.rglob("*.py") if _builds_audit_events(path)
    )
    assert writers == ["app/workflow/audit.py"]


@pytest.mark.parametrize(
    ("kind", "name", "replacement"),
    [
        ("state", "verification", "bkd_check"),
        ("state", "final", "done"),
        ("trigger", "file_objection", "lodge_objection"),
        ("trigger", "finalise", "close"),
    ],
)
def test_a_definition_without_a_name_the_code_uses_stops_the_app(tmp_path, kind, name, replacement):
    for path in WORKFLOWS.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    annual = tmp_path / "skp_annual.yaml"
    # Rename it everywhere in the file: the definition stays valid, only the name is gone.
    text = annual.read_text(encoding="utf-8")
    annual.write_text(
        text.replace(f" {name}\n", f" {replacement}\n").replace(f"{name}:\n", f"{replacement}:\n")
    )
    with pytest.raises(WorkflowError) as raised:
        create_app(TestingConfig, WORKFLOW_DIR=tmp_path)
    message = str(raised.value)
    assert str(annual) in message
    assert f"{kind} {name!r}" in message


def test_a_missing_definition_the_code_uses_stops_the_app(tmp_path):
    shutil.copy(WORKFLOWS / "skp_annual.yaml", tmp_path / "skp_annual.yaml")
    with pytest.raises(WorkflowError, match="skp_periodic"):
        create_app(TestingConfig, WORKFLOW_DIR=tmp_path)


def test_workflow_check_names_the_file_and_the_missing_name(tmp_path):
    from click.testing import CliRunner

    from app.cli import workflow_cli

    for path in WORKFLOWS.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    annual = tmp_path / "skp_annual.yaml"
    annual.write_text(annual.read_text(encoding="utf-8").replace("file_objection", "lodge"))
    result = CliRunner().invoke(workflow_cli, ["check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{annual}: trigger 'file_objection' is used by the code" in result.output


def _readme_layout() -> list[str]:
    """The paths listed in the README's layout block, one per line."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Layout\n", 1)[1]
    block = section.split("```", 2)[1]
    return [line.split()[0] for line in block.splitlines()[1:] if line.strip()]


def _tree() -> set[str]:
    """Every package of app/ at any depth, every module directly in app/, and the top level."""
    found = {
        "config.py",
        "wsgi.py",
        "workflows/",
        "templates/",
        "migrations/",
        "tests/",
        "bench/",
        "deploy/",
    }
    found |= {"app/translations/", "app/static/"}
    found |= {f"{path.parent.relative_to(ROOT)}/" for path in APP.rglob("__init__.py")} - {"app/"}
    found |= {f"app/{path.name}" for path in APP.glob("*.py")}
    return found


def test_the_readme_layout_lists_each_package_and_module_once():
    listed = _readme_layout()
    assert len(listed) == len(set(listed)), "a path is listed twice"
    assert set(listed) == _tree()
