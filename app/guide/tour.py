"""The short first-sign-in tour: its steps per role (app/guide/tour.yaml) and the seen flag."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from app.guide.content import DEFAULT_LANG
from app.models import Account
from app.models.types import utcnow

TOUR = Path(__file__).parent / "tour.yaml"
EVERYONE = "semua"


@dataclass(frozen=True)
class TourStep:
    title: str
    body: str


@dataclass(frozen=True)
class Tour:
    steps: tuple[TourStep, ...]
    # Opened by itself (never shown to this account before) rather than replayed.
    auto: bool


def tour_for(account: Account, roles: set[str], lang: str, *, replay: bool) -> Tour | None:
    """The tour for an account with these global roles, if it is due or asked for."""
    if not replay and account.tour_seen_at is not None:
        return None
    steps = tuple(
        TourStep(step["title"].get(lang) or step["title"][DEFAULT_LANG],
                 step["body"].get(lang) or step["body"][DEFAULT_LANG])
        for step in _steps(TOUR.stat().st_mtime_ns)
        if EVERYONE in step["roles"] or roles & set(step["roles"])
    )  # fmt: skip
    return Tour(steps, auto=not replay)


@lru_cache(maxsize=2)
def _steps(_mtime: int) -> list[dict]:
    return yaml.safe_load(TOUR.read_text(encoding="utf-8"))["steps"]


def mark_tour_seen(account: Account) -> None:
    """Remember that the account has been shown the tour (the first time only)."""
    if account.tour_seen_at is None:
        account.tour_seen_at = utcnow()
