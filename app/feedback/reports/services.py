"""What a unit's survey report shows, read with a fixed number of grouped queries."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.feedback.ikm import SKM_ELEMENTS, IkmResult, SampleCheck, sample_check
from app.feedback.index import ELEMENT_LABELS, SkmPeriod, Sums, sums_by_opd, sums_by_unit
from app.feedback.reports.labels import (
    AGE_BANDS,
    EDUCATION_LABELS,
    GENDER_LABELS,
    OCCUPATION_LABELS,
)
from app.models import Opd, ServiceKind, ServiceUnit, SkmResponse
from app.policy import skm_report_scope

COMMENTS_SHOWN = 500  # the PDF prints the latest; the XLSX has every one
WEAKEST_SHOWN = 3


@dataclass(frozen=True)
class UnitRow:
    """A unit layanan and its index for the period (None without a response)."""

    unit: ServiceUnit
    result: IkmResult | None
    sample: SampleCheck | None


def visible_units(account, period: SkmPeriod) -> tuple[list[UnitRow], dict[int, IkmResult]]:
    """The units whose reports the account may read, with their IKM for the period, and
    the IKM of each of their OPDs; three statements, whatever the number of responses."""
    scope = skm_report_scope(account)
    if scope is None:
        return [], {}
    units = list(
        db.session.scalars(
            sa.select(ServiceUnit)
            .join(Opd, Opd.id == ServiceUnit.opd_id)
            .where(scope)
            .options(sa.orm.contains_eager(ServiceUnit.opd))
            .order_by(Opd.name, ServiceUnit.name)
        )
    )
    sums = sums_by_unit(period, [u.id for u in units])
    rows = []
    for unit in units:
        unit_sums = sums.get(unit.id, Sums())
        check = sample_check(unit.yearly_users, period.months, unit_sums.respondents)
        rows.append(UnitRow(unit, unit_sums.result, check))
    opd_ids = {u.opd_id for u in units}
    by_opd = sums_by_opd(period, opd_ids) if opd_ids else {}
    return rows, {opd_id: s.result for opd_id, s in by_opd.items() if s.result}


def _in(unit: ServiceUnit, period: SkmPeriod) -> list:
    return [
        SkmResponse.service_unit_id == unit.id,
        SkmResponse.served_on.between(period.start, period.end),
    ]


def _counts(column, unit: ServiceUnit, period: SkmPeriod) -> dict:
    rows = db.session.execute(
        sa.select(column, sa.func.count()).where(*_in(unit, period)).group_by(column)
    )
    return {key: int(count) for key, count in rows}


def _age_band() -> sa.ColumnElement[int]:
    return sa.case(
        *((SkmResponse.age <= high, index) for index, (_low, high, _label) in enumerate(AGE_BANDS)),
        else_=len(AGE_BANDS) - 1,
    )


def profile(unit: ServiceUnit, period: SkmPeriod) -> dict[str, list[tuple[str, int]]]:
    """The respondents by gender, age band, education and occupation (four GROUP BYs)."""
    genders = _counts(SkmResponse.gender, unit, period)
    ages = _counts(_age_band(), unit, period)
    education = _counts(SkmResponse.education, unit, period)
    occupation = _counts(SkmResponse.occupation, unit, period)
    return {
        "gender": [(str(label), genders.get(key, 0)) for key, label in GENDER_LABELS.items()],
        "age": [(str(band[2]), ages.get(i, 0)) for i, band in enumerate(AGE_BANDS)],
        "education": [
            (str(label), education.get(key, 0)) for key, label in EDUCATION_LABELS.items()
        ],
        "occupation": [
            (str(label), occupation.get(key, 0)) for key, label in OCCUPATION_LABELS.items()
        ],
    }


def visible_comments(unit: ServiceUnit, period: SkmPeriod, limit: int | None = None):
    """(served_on, service name, comment) of the comments not hidden, newest first."""
    statement = (
        sa.select(SkmResponse.served_on, ServiceKind.name, SkmResponse.comment)
        .outerjoin(ServiceKind, ServiceKind.id == SkmResponse.service_kind_id)
        .where(
            *_in(unit, period),
            SkmResponse.comment.is_not(None),
            SkmResponse.comment != "",
            SkmResponse.comment_hidden_at.is_(None),
        )
        .order_by(SkmResponse.served_on.desc(), SkmResponse.id.desc())
    )
    if limit is not None:
        statement = statement.limit(limit)
    return db.session.execute(statement).all()


def elements(result: IkmResult | None) -> list[dict]:
    """The nine elements with their NRR and their weighted NRR (NRR x 1/9)."""
    return [
        {
            "code": f"U{i + 1}",
            "label": str(ELEMENT_LABELS[key]),
            "nrr": result.nrr[i] if result else None,
        }
        for i, key in enumerate(SKM_ELEMENTS)
    ]


def report_context(unit: ServiceUnit, period: SkmPeriod) -> dict:
    """Everything the PDF report shows (seven statements)."""
    sums = sums_by_unit(period, [unit.id]).get(unit.id, Sums())
    result = sums.result
    rows = elements(result)
    weakest = sorted(rows, key=lambda r: r["nrr"])[:WEAKEST_SHOWN] if result else []
    comments = visible_comments(unit, period, COMMENTS_SHOWN + 1)
    return {
        "unit": unit,
        "period": period,
        "result": result,
        "sample": sample_check(unit.yearly_users, period.months, sums.respondents),
        "elements": rows,
        "weakest": weakest,
        "profile": profile(unit, period) if result else None,
        "comments": comments[:COMMENTS_SHOWN],
        "more_comments": len(comments) > COMMENTS_SHOWN,
    }
