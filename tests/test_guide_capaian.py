"""The Panduan's capaian page: every worked example is computed again with app.skp.capaian.

The page's tables (capaian per IKI and the suggested hasil kerja rating) and the
sums written out in its prose are read from the Markdown source and checked
against the functions the app uses, so that the guide cannot drift from the
numbers on screen. Labels are compared with the app's own Indonesian labels.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from flask_babel import force_locale

from app.guide.content import CONTENT, library
from app.models.appraisal import RATING_LABELS
from app.skp import capaian as rules
from app.skp.pages import CAPAIAN_MISSING
from app.skp.plan.forms import DIRECTION_LABELS

PAGE = CONTENT / "aturan-capaian.md"
MARKS = {"di atas": "di_atas", "sesuai": "sesuai", "di bawah": "di_bawah"}
# The page writes sums as typeset: a times sign, a minus sign, an en dash for no value.
TIMES, MINUS, DASH = "\u00d7", "\u2212", "\u2013"
NONE = (DASH, "-", "")
NUMBER = r"\d[\d.]*(?:,\d+)?"


def number(text: str) -> Decimal | None:
    """An amount written the Indonesian way (1.254 or 104,50, with or without %)."""
    text = text.replace("%", "").strip()
    if text in NONE:
        return None
    return Decimal(text.replace(".", "").replace(",", "."))


def table_after(heading: str) -> list[list[str]]:
    """The cells of the first Markdown table after `heading`, header and rule left out."""
    source = PAGE.read_text(encoding="utf-8")
    rest = source[source.index(heading) :]
    rows = []
    for line in rest.splitlines():
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    return rows[2:]


@pytest.fixture
def indonesian(plain_app):
    with plain_app.test_request_context(), force_locale("id"):
        yield


def test_every_capaian_example_is_what_the_app_computes(indonesian):
    directions = {str(label): code for code, label in DIRECTION_LABELS.items()}
    reasons = {str(label): code for code, label in CAPAIAN_MISSING.items()}
    rows = table_after("### Contoh perhitungan capaian")
    seen_directions, seen_reasons = set(), set()
    for direction_label, target, realisasi, tolerance, expected in rows:
        direction = directions[direction_label]
        seen_directions.add(direction)
        if direction == "quality":
            got = rules.capaian(direction, None, None, mark=MARKS.get(realisasi))
        else:
            got = rules.capaian(
                direction, number(target), number(realisasi), tolerance=number(tolerance)
            )
        row = (direction_label, target, realisasi, tolerance, expected)
        if expected.startswith("—"):
            reason = re.fullmatch(r"— \((.+)\)", expected).group(1)
            assert got.missing == reasons[reason], row
            seen_reasons.add(got.missing)
        elif got.mark is not None:
            assert expected == RATING_LABELS[got.mark], row
        else:
            assert got.percent == number(expected), row
            assert expected.endswith(f",{int(got.percent * 100) % 100:02d} %"), row
    # Every direction and every reason for "no capaian" has its example.
    assert seen_directions == set(rules.DIRECTIONS)
    assert seen_reasons == set(CAPAIAN_MISSING)


def test_the_sums_written_in_the_text_are_the_apps(indonesian):
    text = PAGE.read_text(encoding="utf-8")
    ratios = re.findall(rf"({NUMBER}) / ({NUMBER}) {TIMES} 100 = ({NUMBER}) %", text)
    distances = re.findall(rf"100 {MINUS} ({NUMBER}) / ({NUMBER}) {TIMES} 100 = ({NUMBER}) %", text)
    assert len(ratios) >= 4 and len(distances) >= 1
    for top, bottom, result in ratios:
        if f"100 {MINUS} {top} / {bottom}" in text:
            continue  # an exact-target distance, checked below
        # a / b x 100 is "higher is better" with realisasi a and target b (and "lower is
        # better" with target a and realisasi b: the same ratio).
        assert rules.capaian("higher", number(bottom), number(top)).percent == number(result)
        assert rules.capaian("lower", number(top), number(bottom)).percent == number(result)
    for distance, target, result in distances:
        realisasi = number(target) + number(distance)
        got = rules.capaian("exact", number(target), realisasi, tolerance=Decimal(0))
        assert got.percent == number(result), (distance, target, result)


def test_every_suggested_rating_example_is_what_the_app_suggests(indonesian):
    rows = table_after("## Rating setiap RHK dan saran rating hasil kerja")
    assert len(rows) >= 6
    cases = set()
    for utama, tambahan, expected in rows:
        ratings = [("utama", MARKS[m.strip()]) for m in utama.split(",")]
        if tambahan not in NONE:
            ratings += [("tambahan", MARKS[m.strip()]) for m in tambahan.split(",")]
        suggested = rules.suggest_rating_hk(ratings)
        assert RATING_LABELS[suggested] == expected, (utama, tambahan, expected)
        cases.add(suggested)
    assert cases == {"di_atas", "sesuai", "di_bawah"}


def test_the_page_is_in_the_guide_and_explains_what_it_must(plain_app):
    section = library().get("aturan-capaian")
    assert section is not None and section.kind == "rule"
    text = str(section.html)
    for fact in ("toleransi", "alasan tertulis", "IKI UTAMA", "Umpan balik berkelanjutan",
                 "tidak dapat diubah", "ringkasan harian", "lampiran"):  # fmt: skip
        assert fact in text, fact
