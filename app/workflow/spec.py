"""Load and validate workflow definitions (workflows/*.yaml).

A definition is data only. Everything it names (states, roles, forms, guards) is
checked here; a definition that does not hold together is refused with its file,
line and the offending entry, at start-up and by `flask workflow check`.
"""

from __future__ import annotations

import string
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROLES = (
    "appraisee",
    "appraiser",
    "appraiser_superior",
    "verifikator_bkd",
    "pengelola_kinerja",
    "kepala_opd",
)
# The roles of a complaint (pengaduan) case: the head of the unit layanan (holder or
# Plt/Plh of its head position), the kepala OPD above it, and BKD's administrators.
COMPLAINT_ROLES = ("unit_head", "kepala_opd", "admin_bkd")
# The roles a definition may name, per subject kind (`subject:`, default appraisal).
# The roles of a pembinaan case: the employee, the atasan leading it, the kepala OPD
# who confirms its outcome, and BKD's administrators.
PEMBINAAN_ROLES = ("pegawai", "atasan", "kepala_opd", "admin_bkd")
SUBJECT_ROLES = {
    "appraisal": ROLES,
    "complaint": COMPLAINT_ROLES,
    "pembinaan": PEMBINAAN_ROLES,
}
DEFAULT_SUBJECT = "appraisal"
# Roles that step in but never hold a state's task.
NO_TASK_ROLES = ("pengelola_kinerja", "admin_bkd")
# Roles held by a group (claimed from the inbox): never part of a joint task.
GROUP_TASKS = ("verifikator_bkd",)
COMMENT_MODES = ("required", "optional", "none")
LANGUAGES = ("id", "en")

STATE_KEYS = {"label", "task", "due_days", "remind_before_days", "escalate_after_days", "final"}
TRANSITION_KEYS = {
    "trigger", "source", "dest", "label", "roles", "form", "guards", "effects", "comment",
    "notify", "done",
}  # fmt: skip
# What a `done` message may name: the appraisee, whoever holds the next task (the
# destination must have one) and the predikat (the destination must be final).
DONE_PLACEHOLDERS = ("employee", "holder", "predikat")
# A complaint's `done` message names nobody (the public respondent has no name here).
SUBJECT_PLACEHOLDERS = {"appraisal": DONE_PLACEHOLDERS, "complaint": (), "pembinaan": ()}
TOP_KEYS = {"name", "label", "subject", "initial", "states", "transitions"}


class WorkflowError(ValueError):
    """A definition that cannot be used; says where and what."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path, self.line, self.message = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class StateSpec:
    name: str
    label: dict[str, str]
    task: str | None
    due_days: int
    remind_before_days: int
    escalate_after_days: int
    final: bool
    line: int
    # Every role with a task at this state: one, or several for a joint step
    # (`task: [appraiser, appraisee]`), where each closes their own (see `joint`).
    tasks: tuple[str, ...] = ()

    @property
    def joint(self) -> bool:
        """A step with a task for each of several roles: a transition out of it fired by one
        of them closes only that role's task, and the state moves once the last is closed."""
        return len(self.tasks) > 1


@dataclass(frozen=True)
class TransitionSpec:
    trigger: str
    source: str
    dest: str
    label: dict[str, str]
    roles: tuple[str, ...]
    form: str
    guards: tuple[str, ...]
    comment: str
    notify: tuple[str, ...]
    line: int
    effects: tuple[str, ...] = ()
    # What happened, for the flash and the mail subject: {id, en}, see DONE_PLACEHOLDERS.
    done: dict[str, str] | None = None

    @property
    def comment_required(self) -> bool:
        return self.comment == "required"


@dataclass(frozen=True)
class WorkflowSpec:
    name: str
    label: dict[str, str]
    initial: str
    states: dict[str, StateSpec]
    transitions: tuple[TransitionSpec, ...]
    path: str
    by_source: dict[str, dict[str, TransitionSpec]] = field(default_factory=dict, compare=False)
    # The kind of subject it runs on (app.workflow.subjects): "appraisal" or "complaint".
    subject: str = DEFAULT_SUBJECT

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles of its subject kind, in the order the engine tries them."""
        return SUBJECT_ROLES[self.subject]

    def transition(self, source: str, trigger: str) -> TransitionSpec | None:
        return self.by_source.get(source, {}).get(trigger)

    def transitions_from(self, source: str) -> list[TransitionSpec]:
        return list(self.by_source.get(source, {}).values())

    @property
    def triggers(self) -> list[str]:
        return sorted({t.trigger for t in self.transitions})


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers each mapping's line and refuses duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
            )
        seen.add(key)
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    # Where each key stands, so that a state is reported at its name, not its body.
    mapping["__keys__"] = {loader.construct_object(k): k.start_mark.line + 1 for k, _ in node.value}
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line(data) -> int | None:
    return data.get("__line__") if isinstance(data, dict) else None


class _Checker:
    """Builds a WorkflowSpec from parsed YAML, raising WorkflowError at the first problem."""

    def __init__(self, path: Path, forms: set[str], guards: set[str], effects: set[str]):
        self.path, self.forms, self.guards, self.effects = path, forms, guards, effects
        self.subject = DEFAULT_SUBJECT

    @property
    def roles(self) -> tuple[str, ...]:
        return SUBJECT_ROLES[self.subject]

    def fail(self, data, message: str, line: int | None = None):
        raise WorkflowError(self.path, line or _line(data), message)

    def keys(self, data, allowed: set[str], what: str) -> None:
        if not isinstance(data, dict):
            self.fail(data, f"{what} must be a mapping")
        unknown = sorted(set(data) - allowed - {"__line__", "__keys__"})
        if unknown:
            self.fail(data, f"{what}: unknown key {unknown[0]!r}")

    def label(self, data, owner: str) -> dict[str, str]:
        label = data.get("label")
        if not isinstance(label, dict) or any(
            not isinstance(label.get(lang), str) or not label[lang].strip() for lang in LANGUAGES
        ):
            self.fail(data, f"{owner}: label needs non-empty 'id' and 'en' texts")
        return {lang: label[lang] for lang in LANGUAGES}

    def done(self, data, owner: str, dest: StateSpec) -> dict[str, str]:
        messages = data["done"]
        if not isinstance(messages, dict) or any(
            not isinstance(messages.get(lang), str) or not messages[lang].strip()
            for lang in LANGUAGES
        ):
            self.fail(data, f"{owner}: done needs non-empty 'id' and 'en' texts")
        unknown = sorted(set(messages) - set(LANGUAGES) - {"__line__", "__keys__"})
        if unknown:
            self.fail(data, f"{owner}: done: unknown language {unknown[0]!r}")
        for lang in LANGUAGES:
            try:
                names = {
                    n for _, n, _, _ in string.Formatter().parse(messages[lang]) if n is not None
                }
            except ValueError as error:
                self.fail(data, f"{owner}: done ({lang}): {error}")
            allowed = SUBJECT_PLACEHOLDERS[self.subject]
            for name in sorted(names):
                if name not in allowed:
                    known = ", ".join("{" + p + "}" for p in allowed) or "none"
                    self.fail(data, f"{owner}: done ({lang}): unknown {{{name}}} (known: {known})")
                if name == "holder" and (dest.final or dest.task is None or dest.joint):
                    self.fail(
                        data, f"{owner}: done ({lang}): {{holder}} but {dest.name!r} has no task"
                    )
                if name == "predikat" and not dest.final:
                    self.fail(
                        data, f"{owner}: done ({lang}): {{predikat}} but {dest.name!r} is not final"
                    )
        return {lang: messages[lang] for lang in LANGUAGES}

    def days(self, data, key: str, owner: str, default: int = 0) -> int:
        value = data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.fail(data, f"{owner}: {key} must be a whole number of days, 0 or more")
        return value

    def name_list(self, data, key: str, owner: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(data, f"{owner}: {key} must be a list of names")
        return tuple(value)

    def state(self, name, data, line: int) -> StateSpec:
        owner = f"state {name!r}"
        if isinstance(data, dict):
            data = {**data, "__line__": line}
        self.keys(data, STATE_KEYS, owner)
        final = data.get("final", False)
        if not isinstance(final, bool):
            self.fail(data, f"{owner}: final must be true or false")
        task = data.get("task")
        if final and task is not None:
            self.fail(data, f"{owner}: a final state has no task")
        tasks = tuple(task) if isinstance(task, list) else (task,)
        if not final:
            for role in tasks or (None,):
                # The pengelola kinerja steps in on a plan (BKD's administrator reopens a
                # complaint); a task is never theirs.
                if role not in self.roles or role in NO_TASK_ROLES:
                    self.fail(data, f"{owner}: unknown role {role!r} for task")
            if len(tasks) > 1 and (len(set(tasks)) < len(tasks) or set(tasks) & set(GROUP_TASKS)):
                self.fail(data, f"{owner}: a joint task names distinct personal roles")
        return StateSpec(
            name=name,
            label=self.label(data, owner),
            task=None if final else tasks[0],
            tasks=() if final else tasks,
            due_days=self.days(data, "due_days", owner),
            remind_before_days=self.days(data, "remind_before_days", owner),
            escalate_after_days=self.days(data, "escalate_after_days", owner),
            final=final,
            line=line,
        )

    def transition(self, data, states: dict[str, StateSpec], index: int) -> TransitionSpec:
        trigger = data.get("trigger") if isinstance(data, dict) else None
        owner = f"transition {trigger!r}" if trigger else f"transition #{index + 1}"
        self.keys(data, TRANSITION_KEYS, owner)
        if not isinstance(trigger, str) or not trigger.isidentifier():
            self.fail(data, f"{owner}: trigger must be a name")
        for end in ("source", "dest"):
            if data.get(end) not in states:
                self.fail(data, f"{owner}: unknown state {data.get(end)!r} as {end}")
        roles = self.name_list(data, "roles", owner)
        if not roles:
            self.fail(data, f"{owner}: roles must name who may fire it")
        for role in roles + self.name_list(data, "notify", owner):
            if role not in self.roles:
                self.fail(data, f"{owner}: unknown role {role!r}")
        if data.get("form") not in self.forms:
            self.fail(data, f"{owner}: unknown form {data.get('form')!r}")
        guards = self.name_list(data, "guards", owner)
        for guard in guards:
            if guard not in self.guards:
                self.fail(data, f"{owner}: unknown guard {guard!r}")
        effects = self.name_list(data, "effects", owner)
        for name in effects:
            if name not in self.effects:
                self.fail(data, f"{owner}: unknown effect {name!r}")
        done = self.done(data, owner, states[data["dest"]]) if "done" in data else None
        comment = data.get("comment", "optional")
        if comment not in COMMENT_MODES:
            self.fail(data, f"{owner}: comment must be one of {', '.join(COMMENT_MODES)}")
        return TransitionSpec(
            trigger=trigger,
            source=data["source"],
            dest=data["dest"],
            label=self.label(data, owner),
            roles=roles,
            form=data["form"],
            guards=guards,
            comment=comment,
            notify=self.name_list(data, "notify", owner),
            line=_line(data),
            effects=effects,
            done=done,
        )

    def build(self, data) -> WorkflowSpec:
        self.keys(data, TOP_KEYS, "definition")
        name = data.get("name")
        if not isinstance(name, str) or not name.isidentifier():
            self.fail(data, "definition: name must be a name")
        if name != self.path.stem:
            self.fail(data, f"definition: name {name!r} must match the file name")
        label = self.label(data, "definition")
        subject = data.get("subject", DEFAULT_SUBJECT)
        if subject not in SUBJECT_ROLES:
            known = ", ".join(SUBJECT_ROLES)
            self.fail(data, f"definition: unknown subject {subject!r} (known: {known})")
        self.subject = subject
        raw_states = data.get("states")
        if not isinstance(raw_states, dict) or len(raw_states) <= 1:
            self.fail(data, "definition: states must be a mapping of at least one state")
        lines = raw_states["__keys__"]
        states = {
            key: self.state(key, value, lines[key])
            for key, value in raw_states.items()
            if key not in ("__line__", "__keys__")
        }
        if data.get("initial") not in states:
            self.fail(data, f"definition: unknown state {data.get('initial')!r} as initial")
        raw_transitions = data.get("transitions")
        if not isinstance(raw_transitions, list) or not raw_transitions:
            self.fail(data, "definition: transitions must be a list")
        transitions = tuple(
            self.transition(item, states, i) for i, item in enumerate(raw_transitions)
        )
        by_source: dict[str, dict[str, TransitionSpec]] = {}
        for t in transitions:
            if t.trigger in by_source.setdefault(t.source, {}):
                self.fail(
                    None, f"transition {t.trigger!r}: second transition from {t.source!r}", t.line
                )
            by_source[t.source][t.trigger] = t
        self.reachability(states, data["initial"], by_source)
        return WorkflowSpec(
            name, label, data["initial"], states, transitions, str(self.path), by_source, subject
        )

    def reachability(self, states, initial, by_source) -> None:
        for state in states.values():
            if not state.final and not by_source.get(state.name):
                self.fail(None, f"state {state.name!r}: not final and has no way out", state.line)
        seen, queue = {initial}, deque([initial])
        while queue:
            for t in by_source.get(queue.popleft(), {}).values():
                if t.dest not in seen:
                    seen.add(t.dest)
                    queue.append(t.dest)
        for state in states.values():
            if state.name not in seen:
                self.fail(None, f"state {state.name!r}: unreachable from {initial!r}", state.line)


def load_spec(
    path: Path, forms: set[str], guards: set[str], effects: set[str] | None = None
) -> WorkflowSpec:
    """Parse and validate one definition file against the known forms, guards and effects."""
    try:
        # _LineLoader is a yaml.SafeLoader that also records line numbers.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # nosec B506
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        raise WorkflowError(path, mark.line + 1 if mark else None, error.problem) from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise WorkflowError(path, None, f"not readable as YAML: {error}") from None
    if not isinstance(data, dict):
        raise WorkflowError(path, 1, "definition must be a mapping")
    return _Checker(path, forms, guards, effects or set()).build(data)


def load_all(
    directory: Path, forms: set[str], guards: set[str], effects: set[str] | None = None
) -> dict[str, WorkflowSpec]:
    """Every *.yaml definition in `directory`, by name."""
    files = sorted(Path(directory).glob("*.yaml"))
    if not files:
        raise WorkflowError(directory, None, "no workflow definitions found")
    return {spec.name: spec for spec in (load_spec(f, forms, guards, effects) for f in files)}
