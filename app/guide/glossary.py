"""The glossary of the domain's words (app/guide/glossary.yaml) and the term() helper.

`term('RHK')` in a template shows the word with its definition: an <abbr> that
can be focused, whose title is the definition for mouse users, described (by
aria-describedby) by a tooltip span that sikap.css shows on hover and focus.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from flask import g
from markupsafe import Markup, escape

from app.guide.content import DEFAULT_LANG

GLOSSARY = Path(__file__).parent / "glossary.yaml"


@dataclass(frozen=True)
class Term:
    key: str
    term: str
    long: str
    definitions: dict[str, str]
    see: str | None

    def definition(self, lang: str) -> str:
        return self.definitions.get(lang) or self.definitions[DEFAULT_LANG]

    @property
    def anchor(self) -> str:
        return "istilah-" + "-".join(self.key.lower().split())


def glossary() -> dict[str, Term]:
    """Every term by its key in lower case, in the file's (alphabetical) order."""
    return _load(GLOSSARY.stat().st_mtime_ns)


@lru_cache(maxsize=2)
def _load(_mtime: int) -> dict[str, Term]:
    entries = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))
    terms = {}
    for entry in entries:
        item = Term(
            key=entry["key"],
            term=entry.get("term", entry["key"]),
            long=entry.get("long", ""),
            definitions={"id": entry["id"], "en": entry.get("en", "")},
            see=entry.get("see"),
        )
        terms[item.key.lower()] = item
    return terms


def lookup(word: str) -> Term:
    """The term for `word` (any case); KeyError for a word the glossary lacks."""
    return glossary()[word.lower()]


def term(word: str, text: str | None = None, lang: str = DEFAULT_LANG) -> Markup:
    """`text` (default: the word) marked up with the glossary's definition of `word`."""
    item = lookup(word)
    # Unique per page: the same word may be marked up more than once.
    g.term_count = g.get("term_count", 0) + 1
    tip = f"term-tip-{g.term_count}"
    definition = item.definition(lang)
    if item.long:
        definition = f"{item.long}: {definition}"
    shown = text if text is not None else item.term
    return Markup(
        '<span class="term"><abbr title="{d}" tabindex="0" aria-describedby="{id}">{t}</abbr>'
        '<span class="term-tip" role="tooltip" id="{id}" aria-hidden="true">{d}</span></span>'
    ).format(d=escape(definition), id=tip, t=shown)
