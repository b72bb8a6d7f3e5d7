"""Which library entries fit a jabatan: pure functions over names, no database.

A position's name carries its jenjang ("Perawat Ahli Pertama", "Pranata Komputer
Terampil") and often its unit ("Kepala Seksi Pelayanan Primer"). An entry names
the jabatan it fits without jenjang ("Perawat", "Kepala Seksi"). Both are
normalised (case, punctuation, jenjang words dropped) and compared as whole
words: the same name fits best, then a name the position's starts with, then a
name found inside it ("Lurah" in "Plt. Lurah Padang Bulan"). A substring inside
a word never matches ("Bidan" does not fit "Kepala Bidang").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

# Jenjang jabatan fungsional, and the acting prefixes, which say nothing about the duties.
JENJANG = (
    "ahli pertama", "ahli muda", "ahli madya", "ahli utama",
    "pemula", "terampil", "mahir", "penyelia",
    "plt", "plh",
)  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+")
_JENJANG = re.compile(r"\b(?:" + "|".join(re.escape(j) for j in JENJANG) + r")\b")

EXACT, PREFIX, CONTAINS = 3, 2, 1


class Entry(Protocol):
    jabatan: str
    function: str


E = TypeVar("E", bound=Entry)


def normalise(name: str) -> str:
    """Lower case, words only, jenjang and acting prefixes dropped: 'perawat'."""
    text = " ".join(_WORD.findall((name or "").lower()))
    return " ".join(_JENJANG.sub(" ", text).split())


def names_of(jabatan: str) -> list[str]:
    """The normalised jabatan names of an entry (one per line, or separated by ';')."""
    parts = re.split(r"[\n;]", jabatan or "")
    return [n for n in (normalise(p) for p in parts) if n]


def fit(position_name: str, jabatan: str) -> int:
    """How well an entry's jabatan fit a position: EXACT, PREFIX, CONTAINS or 0."""
    position = normalise(position_name)
    if not position:
        return 0
    best = 0
    padded = f" {position} "
    for name in names_of(jabatan):
        if name == position:
            return EXACT
        if position.startswith(name + " "):
            best = max(best, PREFIX)
        elif f" {name} " in padded:
            best = max(best, CONTAINS)
    return best


def for_jabatan(position_name: str | None, entries: Iterable[E]) -> list[E]:
    """The entries that fit the position, best fit first (then in the order given)."""
    scored = [(fit(position_name or "", e.jabatan), i, e) for i, e in enumerate(entries)]
    return [e for score, _i, e in sorted(scored, key=lambda s: (-s[0], s[1])) if score]


def others_by_function(
    mine: Sequence[E], entries: Iterable[E], functions: Sequence[str]
) -> list[E]:
    """The entries that do not fit: the functions of those that do first, then the rest.

    Within that, the library's order of functions (`functions`) and the order given.
    """
    taken = {id(e) for e in mine}
    near = {e.function for e in mine}
    rank = {name: i for i, name in enumerate(functions)}
    rest = [(i, e) for i, e in enumerate(entries) if id(e) not in taken]
    rest.sort(key=lambda p: (p[1].function not in near, rank.get(p[1].function, 99), p[0]))
    return [e for _i, e in rest]
