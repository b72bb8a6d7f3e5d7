"""The Panduan's sections: Markdown files in app/guide/content with YAML front matter.

Each file is one section. `name.md` is the Indonesian text; `name.en.md`, where
present, the English one (otherwise English readers get the Indonesian with a
note). The front matter says what the section is about:

    ---
    title: Menyusun rencana SKP
    kind: step            # role | step | rule | example
    step: plan            # kind step: one of STEPS
    role: pegawai         # kind role: one of ROLES
    roles: [pegawai]      # who it concerns (shown as badges, used for the role pages)
    order: 10             # position in its list
    summary: One line for the index.
    ---

Files are read and rendered once per process and again only when one changes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from app.guide.markdown import render_markdown
from app.workflow.names import (
    DRAFT,
    FINAL,
    OBJECTION,
    PLAN_REVIEW,
    SELF_ASSESSMENT,
    SUPERVISOR_REVIEW,
    VERIFICATION,
)

CONTENT = Path(__file__).parent / "content"
DEFAULT_LANG = "id"

ROLES = {
    "pegawai": _l("Pegawai"),
    "pejabat_penilai": _l("Pejabat penilai (atasan)"),
    "atasan_pejabat_penilai": _l("Atasan pejabat penilai"),
    "verifikator_bkd": _l("BKD verifier"),
    "admin_bkd": _l("BKD administrator"),
    "kepala_opd": _l("Kepala OPD"),
}
# The workflow steps, one sub-package of app/skp each, in the order an SKP meets them.
STEPS = {
    "plan": _l("Drafting the plan"),
    "expectations": _l("Ekspektasi and plan approval"),
    "assessment": _l("Realisasi and bukti dukung"),
    "dialog": _l("Dialog kinerja"),
    "review": _l("Supervisor review"),
    "verification": _l("BKD verification"),
    "objection": _l("Keberatan"),
    "document": _l("Final and the document"),
}
KINDS = {
    "role": _l("By role"),
    "step": _l("By step"),
    "rule": _l("The rules"),
    "example": _l("Examples"),
}
FIELDS = {"title", "kind", "step", "role", "roles", "order", "summary"}

# The page a user is on names the step they need help with; other appraisal pages
# (the overview, the action form) go by the step the SKP is at.
ENDPOINT_STEPS = {
    "skp.plan": "plan",
    "skp.expectations": "expectations",
    "skp.realisasi": "assessment",
    "skp.dialog": "dialog",
    "skp.review": "review",
    "skp.verification": "verification",
    "skp.objection": "objection",
    "skp.document": "document",
}
STATE_STEPS = {
    DRAFT: "plan",
    PLAN_REVIEW: "expectations",
    SELF_ASSESSMENT: "assessment",
    SUPERVISOR_REVIEW: "review",
    VERIFICATION: "verification",
    FINAL: "document",
    OBJECTION: "objection",
}


class ContentError(ValueError):
    """A help file that does not hold together (reported with its name)."""


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    kind: str
    roles: tuple[str, ...]
    step: str | None
    role: str | None
    order: int
    summary: str
    html: Markup
    lang: str


@dataclass(frozen=True)
class Library:
    """Every section of one language, in display order, with lookups by step and role."""

    sections: tuple[Section, ...]

    def get(self, slug: str) -> Section | None:
        return next((s for s in self.sections if s.slug == slug), None)

    def of_kind(self, kind: str) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]

    def for_step(self, step: str) -> Section | None:
        return next((s for s in self.sections if s.kind == "step" and s.step == step), None)

    def for_role(self, role: str) -> Section | None:
        return next((s for s in self.sections if s.kind == "role" and s.role == role), None)

    def concerning(self, role: str) -> list[Section]:
        """The step, rule and example sections a role needs, in order."""
        return [s for s in self.sections if s.kind != "role" and role in s.roles]


def parse(path: Path, lang: str) -> Section:
    """One file as a Section; ContentError if its front matter is missing or wrong."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n") or "\n---\n" not in text[4:]:
        raise ContentError(f"{path.name}: no front matter between --- lines")
    head, body = text[4:].split("\n---\n", 1)
    meta = yaml.safe_load(head) or {}
    unknown = set(meta) - FIELDS
    if unknown:
        raise ContentError(f"{path.name}: unknown keys {sorted(unknown)}")
    kind = meta.get("kind")
    if kind not in KINDS:
        raise ContentError(f"{path.name}: kind must be one of {sorted(KINDS)}")
    if kind == "step" and meta.get("step") not in STEPS:
        raise ContentError(f"{path.name}: step must be one of {list(STEPS)}")
    if kind == "role" and meta.get("role") not in ROLES:
        raise ContentError(f"{path.name}: role must be one of {list(ROLES)}")
    roles = tuple(meta.get("roles") or ([meta["role"]] if kind == "role" else ()))
    if not roles or set(roles) - set(ROLES):
        raise ContentError(f"{path.name}: roles must name some of {list(ROLES)}")
    if not meta.get("title") or not body.strip():
        raise ContentError(f"{path.name}: a title and a text are required")
    return Section(
        slug=path.name.split(".", 1)[0],
        title=str(meta["title"]),
        kind=kind,
        roles=roles,
        step=meta.get("step"),
        role=meta.get("role"),
        order=int(meta.get("order", 100)),
        summary=str(meta.get("summary", "")),
        html=render_markdown(body),
        lang=lang,
    )


def library(lang: str = DEFAULT_LANG) -> Library:
    """The sections in `lang`, each falling back to Indonesian where not translated."""
    return _build(_stamp(), lang)


# The folder is looked at again at most this often: the SKP page asks for its
# step's section on every view, and listing and stat-ing some 40 files each time
# cost more than the rest of the question.
STAMP_SECONDS = 2.0
_last_stamp: list = [float("-inf"), ()]


def _stamp() -> tuple[tuple[str, int], ...]:
    """Name and mtime of each file: the library is rebuilt when one is added, removed or changed."""
    now = time.monotonic()
    if now - _last_stamp[0] >= STAMP_SECONDS:
        files = sorted(CONTENT.glob("*.md"))
        _last_stamp[:] = [now, tuple((p.name, p.stat().st_mtime_ns) for p in files)]
    return _last_stamp[1]


@lru_cache(maxsize=8)
def _build(stamp: tuple[tuple[str, int], ...], lang: str) -> Library:
    sections = []
    for name, _mtime in stamp:
        slug, _, rest = name.partition(".")
        if rest != "md":
            continue  # a translation; picked up beside its Indonesian file
        translated = CONTENT / f"{slug}.{lang}.md"
        if lang != DEFAULT_LANG and translated.is_file():
            sections.append(parse(translated, lang))
        else:
            sections.append(parse(CONTENT / name, DEFAULT_LANG))
    kinds = list(KINDS)
    sections.sort(key=lambda s: (kinds.index(s.kind), s.order, s.slug))
    return Library(tuple(sections))


def step_for(endpoint: str | None, state: str | None) -> str | None:
    """The workflow step a page is about: by the page itself, else by the SKP's state."""
    return ENDPOINT_STEPS.get(endpoint or "") or STATE_STEPS.get(state or "")
