"""The pola distribusi beside the appraiser while rating: their team's and the unit's.

Each panel holds the predikat already given in the group, leaving out the SKP
being rated, and the bounds of the group's organisation predikat; the page adds
the predikat the appraiser is choosing (here on render, in review.js as they
choose), so the rule a choice would break is shown before they save. The server
checks the distribution again at BKD verification, as before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.models import Appraisal
from app.skp import scoring
from app.skp.orgkinerja.services import capaian_of, scope_counts, scope_of, unit_of_position


@dataclass(frozen=True)
class Panel:
    """One group the appraiser's choice counts in, and the bounds it must keep."""

    key: str
    title: str
    org_predikat: str | None
    # Predikat -> count in the group without the SKP being rated.
    counts: dict[str, int]

    @property
    def rules(self) -> tuple[scoring.DistributionRule, ...]:
        return scoring.POLA_DISTRIBUSI.get(self.org_predikat or "", ())

    def check(self, chosen: str | None) -> scoring.DistributionCheck | None:
        """The group's distribution with the chosen predikat added; None without bounds."""
        if not self.org_predikat:
            return None
        counts = dict(self.counts)
        if chosen in counts:
            counts[chosen] += 1
        return scoring.check_distribution(self.org_predikat, counts)


def review_panels(appraisal: Appraisal, team: dict[str | None, int]) -> list[Panel]:
    """The team's and the unit's panels for the review page of `appraisal`.

    `team` is the appraiser's team count (review.skm.team_and_service_units),
    which includes this SKP's stored predikat: it is taken out here.
    """
    # Without any capaian in the OPD the appraisee's unit does not matter (no bounds).
    has_capaian = appraisal.opd_id is not None and capaian_of(appraisal.opd_id, appraisal.period_id)
    scope = scope_of(appraisal, unit_of_position(appraisal.position_id) if has_capaian else None)
    if scope is None:
        return []
    team_counts = {key: team.get(key, 0) for key in scoring.PREDIKAT}
    if appraisal.predikat in team_counts and team_counts[appraisal.predikat] > 0:
        team_counts[appraisal.predikat] -= 1
    return [
        Panel("team", str(_l("Your team")), scope.org_predikat, team_counts),
        Panel(
            "unit",
            scope.name,
            scope.org_predikat,
            # Without an organisation predikat there are no bounds to count against.
            scope_counts(scope, appraisal.period_id, without=appraisal.id)
            if scope.org_predikat
            else dict.fromkeys(scoring.PREDIKAT, 0),
        ),
    ]


def panels_json(panels: list[Panel]) -> str:
    """What review.js needs: each panel's counts and rules (the texts are on the page)."""
    return json.dumps(
        [
            {
                "key": panel.key,
                "counts": panel.counts,
                "rules": [
                    {"group": list(rule.group), "kind": rule.kind, "percent": rule.percent}
                    for rule in panel.rules
                ],
            }
            for panel in panels
        ]
    )


def group_text(rule: scoring.DistributionRule) -> str:
    """The employee predikat a rule counts, in words ("Kurang or Butuh Perbaikan")."""
    return f" {_l('or')} ".join(scoring.PREDIKAT_LABELS[key] for key in rule.group)


def rule_text(rule: scoring.DistributionRule) -> str:
    """A rule in words, as the pages word it (templates/skp/verification_macros.html)."""
    group = group_text(rule)
    if rule.kind == scoring.AT_MOST:
        return str(_l("%(group)s: at most %(percent)d%%", group=group, percent=rule.percent))
    if rule.kind == scoring.AT_LEAST:
        return str(_l("%(group)s: at least %(percent)d%%", group=group, percent=rule.percent))
    if rule.kind == scoring.AT_LEAST_ONE:
        return str(_l("at least one %(group)s", group=group))
    return str(_l("no %(group)s", group=group))
