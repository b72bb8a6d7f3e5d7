"""Who appraises whom: the appraiser rule per position kind and level, and its resolution.

The sources (what each default below rests on):

- PermenPANRB 6/2022 Pasal 1 (as PermenPANRB 8/2021 before it): the pejabat
  penilai kinerja is the employee's atasan langsung, at the lowest a pejabat
  pengawas (or an official given that authority by delegation).
- The same, and the instansi circulars that apply it (e.g. the SE table "Pejabat
  Penilai Kinerja PNS dan Atasan Pejabat Penilai"): the atasan pejabat penilai is
  the atasan langsung of the pejabat penilai. At the top of an instansi the table
  names the same official twice (JPT Utama: "Menteri yang mengoordinasikan" for
  both): whoever heads the instansi appraises and also decides the keberatan.
- In a kabupaten/kota the JPT (the sekda, and the JPT pratama heading an OPD)
  work under the kepala daerah, who is the Pejabat Pembina Kepegawaian: the
  kepala daerah (wali kota) is their pejabat penilai and, being the top, also
  their atasan pejabat penilai (issue 18; the SE table's pattern for the top).
  No source we could read names the governor for a city's sekda; we chose the
  wali kota, and BKD can change it on /admin/appraiser-rules.
- PP 30/2019 Pasal 59: a keberatan goes to the atasan pejabat penilai, who asks
  both sides for explanations and decides; the decision is final.
- Jabatan fungsional: no source we found tables the appraiser by JF jenjang; each
  jenjang starts with the general rule (the nearest atasan who is at least
  pengawas) and BKD can set another per jenjang (e.g. ahli madya: at least
  administrator, as PermenPANRB 17/2021 equalises administrator with ahli madya).
- Plt/Plh: an acting holder acts for the position (BKN: the Plt/Plh carries out
  the penilaian of the position's subordinates); a vacant position passes upward.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import sqlalchemy as sa
from flask import g, has_request_context

from app.extensions import db
from app.models import AppraiserRule
from app.models.org import KEPALA_DAERAH
from app.models.rules import ATASAN_METHODS, PENILAI_METHODS

SEKDA_LEVEL = "sekda"
# The rank of a position kind for "at least pengawas" and the like.
KIND_RANK = {
    "pelaksana": 0,
    "fungsional": 0,
    "pengawas": 1,
    "administrator": 2,
    "jpt": 3,
    KEPALA_DAERAH: 4,
}
WALK_MIN_RANK = {"direct": 0, "min_pengawas": 1, "min_administrator": 2, "min_jpt": 3}
SPECIAL_METHODS = ("sekda", "kepala_daerah")
assert set(WALK_MIN_RANK) | set(SPECIAL_METHODS) == set(PENILAI_METHODS)


# A position's level when none is recorded, read from its name: a JF's name carries its
# jenjang ("Perawat Ahli Madya", "Pranata Komputer Terampil"), the sekda's is fixed.
# Tried in order (the ahli jenjang before the shorter words).
NAME_LEVELS: tuple[tuple[str, str, str], ...] = (
    ("jpt", "sekretaris daerah", "sekda"),
    ("fungsional", "ahli utama", "ahli_utama"),
    ("fungsional", "ahli madya", "ahli_madya"),
    ("fungsional", "ahli muda", "ahli_muda"),
    ("fungsional", "ahli pertama", "ahli_pertama"),
    ("fungsional", "penyelia", "penyelia"),
    ("fungsional", "mahir", "mahir"),
    ("fungsional", "terampil", "terampil"),
    ("fungsional", "pemula", "pemula"),
)
DEFAULT_LEVEL = {"jpt": "pratama"}


def level_of(kind: str | None, level: str | None, name: str | None) -> str:
    """The level a rule is looked up by: the recorded one, else read from the name."""
    if level:
        return level
    lowered = (name or "").lower()
    for for_kind, words, found in NAME_LEVELS:
        if kind == for_kind and words in lowered:
            return found
    return DEFAULT_LEVEL.get(kind or "", "")


def level_expression(position) -> sa.ColumnElement[str]:
    """`level_of` in SQL, for queries that join the rules or look for the sekda."""
    lowered = sa.func.lower(position.name)
    whens = [
        (sa.and_(position.kind == kind, lowered.like(f"%{words}%")), found)
        for kind, words, found in NAME_LEVELS
    ]
    whens += [(position.kind == kind, found) for kind, found in DEFAULT_LEVEL.items()]
    return sa.func.coalesce(position.level, sa.case(*whens, else_=""))


def is_sekda(position) -> sa.ColumnElement[bool]:
    """`level_expression(position) == SEKDA_LEVEL`, read cheaply: a scan of every position
    compares two columns and reads the name only of a JPT without a recorded level
    (the whole CASE for each of a city's positions cost 2.5 ms on every Beranda)."""
    kind, words, found = NAME_LEVELS[0]
    assert found == SEKDA_LEVEL  # the first CASE branch, so no earlier one can win
    return sa.or_(
        position.level == SEKDA_LEVEL,
        sa.and_(
            position.level.is_(None),
            position.kind == kind,
            sa.func.lower(position.name).like(f"%{words}%"),
        ),
    )


@dataclass(frozen=True)
class Rule:
    penilai: str
    atasan_penilai: str


# The default table: (position kind, level or "") -> rule. "" is the whole kind.
_JPT = Rule("kepala_daerah", "kepala_daerah")
_GENERAL = Rule("min_pengawas", "atasan_of_penilai")
DEFAULT_RULES: dict[tuple[str, str], Rule] = {
    ("jpt", ""): _JPT,
    ("jpt", "sekda"): _JPT,
    ("jpt", "pratama"): _JPT,
    ("administrator", ""): _GENERAL,
    ("pengawas", ""): _GENERAL,
    ("pelaksana", ""): _GENERAL,
    ("fungsional", ""): _GENERAL,
    **{
        ("fungsional", level): _GENERAL
        for level in (
            "pemula",
            "terampil",
            "mahir",
            "penyelia",
            "ahli_pertama",
            "ahli_muda",
            "ahli_madya",
            "ahli_utama",
        )
    },
}
# A kind with no rule at all (the kepala daerah): the nearest holder above, if any.
FALLBACK = Rule("direct", "atasan_of_penilai")

# Why nobody could be found, for the lists BKD sees before opening a period.
NO_ATASAN = "no_atasan"  # no holder up the tree who satisfies the rule
NO_KEPALA_DAERAH = "no_kepala_daerah"  # the rule names the kepala daerah; none in SIKAP
NO_SEKDA = "no_sekda"
REASONS = (NO_ATASAN, NO_KEPALA_DAERAH, NO_SEKDA)


def _per_request(key: str, compute: Callable):
    if not has_request_context():
        return compute()
    cache = g.setdefault("appraiser_rules_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def forget_rules() -> None:
    """Drop the request's copy of the table (after BKD changed it)."""
    if has_request_context():
        g.pop("appraiser_rules_cache", None)


def load_rules() -> dict[tuple[str, str], Rule]:
    """The default table overlaid with BKD's rows, one query per request."""

    def compute() -> dict[tuple[str, str], Rule]:
        found = dict(DEFAULT_RULES)
        for kind, level, penilai, atasan in db.session.execute(
            sa.select(
                AppraiserRule.position_kind,
                AppraiserRule.level,
                AppraiserRule.penilai,
                AppraiserRule.atasan_penilai,
            )
        ):
            if penilai in PENILAI_METHODS and atasan in ATASAN_METHODS:
                found[(kind, level or "")] = Rule(penilai, atasan)
        return found

    return _per_request("rules", compute)


def rule_for(rules: dict[tuple[str, str], Rule], kind: str | None, level: str | None) -> Rule:
    """The rule of a position: its kind and level, else its kind, else the fallback."""
    if kind is None:
        return FALLBACK
    return rules.get((kind, level or "")) or rules.get((kind, "")) or FALLBACK


@dataclass(frozen=True)
class Found:
    """Who was found, in which position, and in what capacity (None, "plt", "plh")."""

    employee_id: int
    position_id: int
    acting: str | None


@dataclass(frozen=True)
class Resolution:
    found: Found | None
    reason: str | None = None  # one of REASONS when nobody was found


class OrgGraph(Protocol):
    """What the resolver needs to know of the organisation on one date."""

    def parent_of(self, position_id: int) -> int | None: ...

    def kind_level(self, position_id: int) -> tuple[str | None, str | None]: ...

    def holders_of(self, position_id: int) -> Sequence[tuple[int, str | None]]: ...

    def special_positions(self, method: str) -> Sequence[int]: ...

    def rule_of(self, position_id: int) -> Rule: ...


MAX_DEPTH = 32


def _first_holder(graph: OrgGraph, positions: Sequence[int], employee_id: int) -> Found | None:
    for position_id in positions:
        for holder_id, acting in graph.holders_of(position_id):
            if holder_id != employee_id:  # nobody appraises themselves
                return Found(holder_id, position_id, acting)
    return None


def by_method(
    graph: OrgGraph, employee_id: int, position_id: int | None, method: str
) -> Resolution:
    """Apply one method of the rule table for the employee holding `position_id`."""
    if method in SPECIAL_METHODS:
        found = _first_holder(graph, graph.special_positions(method), employee_id)
        reason = NO_KEPALA_DAERAH if method == "kepala_daerah" else NO_SEKDA
        return Resolution(found, None if found else reason)
    min_rank = WALK_MIN_RANK[method]
    current = graph.parent_of(position_id) if position_id is not None else None
    depth = 0
    # A vacant position (or one whose holder does not qualify) passes upward.
    while current is not None and depth < MAX_DEPTH:
        kind, _level = graph.kind_level(current)
        if KIND_RANK.get(kind, 0) >= min_rank:
            found = _first_holder(graph, [current], employee_id)
            if found is not None:
                return Resolution(found)
        current = graph.parent_of(current)
        depth += 1
    return Resolution(None, NO_ATASAN)


def resolve_penilai(graph: OrgGraph, employee_id: int, position_id: int | None) -> Resolution:
    """The pejabat penilai kinerja of the employee holding `position_id`, by the rule."""
    if position_id is None:
        return Resolution(None, NO_ATASAN)
    return by_method(graph, employee_id, position_id, graph.rule_of(position_id).penilai)


def resolve_atasan_penilai(
    graph: OrgGraph,
    employee_id: int,
    position_id: int | None,
    penilai: Found | None,
    penilai_position_id: int | None = None,
) -> Resolution:
    """The atasan pejabat penilai of the employee, given their pejabat penilai.

    atasan_of_penilai: the pejabat penilai's own pejabat penilai, by the rule of
    the pejabat penilai's position (`penilai_position_id`, else the one they were
    found in).
    """
    if position_id is None or penilai is None:
        return Resolution(None, NO_ATASAN)
    method = graph.rule_of(position_id).atasan_penilai
    if method == "same_as_penilai":
        return Resolution(penilai)
    if method in SPECIAL_METHODS:
        return by_method(graph, employee_id, position_id, method)
    return resolve_penilai(graph, penilai.employee_id, penilai_position_id or penilai.position_id)


def rule_from_rows(
    kind: str | None,
    level: str | None,
    exact: tuple[str | None, str | None],
    whole_kind: tuple[str | None, str | None],
) -> Rule:
    """The rule of one position from BKD's rows for its kind and level and for its kind.

    The same precedence as `rule_for` over `load_rules()`: BKD's row for the
    level, the default for the level, BKD's row for the kind, the kind's default.
    """
    if kind is None:
        return FALLBACK
    level = level or ""
    if exact[0] in PENILAI_METHODS and exact[1] in ATASAN_METHODS:
        return Rule(*exact)
    if (kind, level) in DEFAULT_RULES:
        return DEFAULT_RULES[(kind, level)]
    if whole_kind[0] in PENILAI_METHODS and whole_kind[1] in ATASAN_METHODS:
        return Rule(*whole_kind)
    return DEFAULT_RULES.get((kind, ""), FALLBACK)
