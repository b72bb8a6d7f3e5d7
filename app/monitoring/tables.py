"""The monitor's performance tables as rows of values: what the pages show and the exports write.

Numbers stay numbers (Decimal, int) so that the XLSX keeps them summable and the
CSV writes them in the reader's notation (app.exports.services); a missing
figure is an empty cell.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import lazy_gettext as _l

from app.models.appraisal import ORG_PREDIKAT_LABELS
from app.monitoring.kinerja import IndicatorLine, PerformanceRow
from app.monitoring.trends import TrendRow
from app.skp import scoring


def _predikat_headers() -> list[str]:
    return [scoring.PREDIKAT_LABELS[p] for p in scoring.PREDIKAT]


def _pattern(check: scoring.DistributionCheck | None) -> str:
    if check is None:
        return ""
    return str(_l("breaks the pattern")) if check.breaks else str(_l("within the pattern"))


def performance_table(rows: Iterable[PerformanceRow], whole: PerformanceRow, level: str) -> list:
    """Per OPD (level "opd") or per unit ("unit"), the whole last."""
    first = str(_l("OPD")) if level == "opd" else str(_l("Unit"))
    header = [
        first,
        str(_l("SKP")),
        str(_l("Final")),
        str(_l("Completion")) + " (%)",
        *_predikat_headers(),
        str(_l("Capaian kinerja organisasi")) + " (%)",
        str(_l("Organisation predikat")),
        str(_l("Pola distribusi")),
        str(_l("Units layanan")),
        "IKM",
        str(_l("Mutu")),
    ]
    table = [header]
    for row in [*rows, whole]:
        table.append(
            [
                row.label,
                row.total,
                row.final,
                row.completion,
                *(row.counts[p] for p in scoring.PREDIKAT),
                row.capaian,
                ORG_PREDIKAT_LABELS.get(row.org_predikat or "", ""),
                _pattern(row.check),
                row.service_units,
                row.ikm.ikm if row.ikm else None,
                row.ikm.grade if row.ikm else "",
            ]
        )
    return table


def indicator_table(lines: Iterable[IndicatorLine]) -> list:
    """The Perjanjian Kinerja's indicators: target, realisasi and capaian for the period."""
    table = [
        [
            str(_l("Sasaran")),
            str(_l("Indicator")),
            str(_l("Unit of measure")),
            str(_l("Target")),
            str(_l("Realisasi")),
            str(_l("Capaian")) + " (%)",
        ]
    ]
    for line in lines:
        table.append(
            [
                line.sasaran,
                line.text,
                line.unit,
                line.target,
                line.realisasi,
                line.capaian.percent,
            ]
        )
    return table


def trend_table(rows: Iterable[TrendRow]) -> list:
    """One line per period: completion, predikat counts, capaian and IKM."""
    header = [
        str(_l("Period")),
        str(_l("SKP")),
        str(_l("Final")),
        str(_l("Completion")) + " (%)",
        *_predikat_headers(),
        str(_l("Capaian kinerja organisasi")) + " (%)",
        "IKM",
        str(_l("Mutu")),
    ]
    table = [header]
    for row in rows:
        table.append(
            [
                row.label,
                row.total,
                row.final,
                row.completion,
                *(row.counts[p] for p in scoring.PREDIKAT),
                row.capaian,
                row.ikm.ikm if row.ikm else None,
                row.ikm.grade if row.ikm else "",
            ]
        )
    return table
