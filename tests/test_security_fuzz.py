"""Hostile text into every text field of every form: never a 500, never markup, never half-saved.

Each form is read from its page as a browser would (its fields and their current
values), its text fields are filled with values drawn by hypothesis (unicode with
RTL marks, emoji and combining marks, up to 1 MB, NUL and other control bytes,
markup, SQL-ish strings, numbers with separators), and it is posted. Then:

- the answer is not a 500;
- no markup from the values appears unescaped in the answer (or in the page it
  redirects to);
- either the form was saved (a redirect) and every field reads back as what was
  sent (surrounding white space aside), or it was refused and nothing changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.extensions import db
from app.models import Appraisal, AuditEvent, DialogNote, Employee, Evidence
from app.models.types import utcnow
from app.skp.numbers import NotANumber, parse_number
from app.workflow.engine import engine
from app.workflow.tasks import close_open_task, open_task
from tests import factories
from tests.security_org import snapshot
from tests.workflow_helpers import appraisal_in_state

MARK = "sikapxss"
MARKUP = [
    f"<script>{MARK}()</script>",
    f'"><{MARK} a=1>',
    f"' {MARK}='1",
    f'" {MARK}="1',
    f"</textarea><{MARK}>",
    f"<img src=x onerror={MARK}>",
]
HOSTILE = [
    *MARKUP,
    "\x00",
    "a\x00b",
    "\x01\x08\x1b[31m",
    "Robert'); DROP TABLE employee;--",
    "1' OR '1'='1",
    "%s%s%n%x",
    "{{7*7}}${7*7}",
    "1.234.567,89",
    "1,234,567.89",
    "-0,5",
    "1e308",
    "\u0661\u0662\u0663\u0664",  # Arabic-Indic digits
    "\u202e\u06af\u0632\u0627\u0631\u0634\u202c",  # RTL override around Persian
    "\u0645\u0631\u062d\u0628\u0627",  # Arabic, written as escapes for the linter
    "שלום",
    "😀👍🏽🇮🇩",
    "e\u0301\u0301\u0301\u0301",
    "Z\u0351\u0357\u036b\u0344",
    "\ufeff\u200b\u200d",
    "\r\n\t",
    "../../etc/passwd",
    "\\",
]
UNSAFE = re.compile(rf"<\s*/?\s*(?:script>{MARK}|{MARK})|['\"] ?{MARK}=|onerror={MARK}>")


def _long(n: int) -> str:
    return ("Laporan <b>" + MARK + "</b> é ")[: n % 20 or 1] * (n // 12 + 1)


TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=8)), max_size=5).map("".join),
    st.sampled_from([1001, 2001, 5001, 64_000, 1_000_000]).map(lambda n: _long(n)[:n]),
)
SETTINGS = settings(
    max_examples=12,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
TEXT_INPUTS = {"text", "email", "tel", "url", "search", "password", None}


class FormReader(HTMLParser):
    """The fields of the forms of a page: {action: {name: value}} and which are text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: dict[str, dict[str, str]] = {}
        self.text_fields: dict[str, set[str]] = {}
        self._action = self._owner = None
        self._ids: dict = {}
        self._textarea = self._select = None
        self._first_option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._action = a.get("action") or ""
            self._ids[a.get("id")] = self._action
            self.forms.setdefault(self._action, {})
            self.text_fields.setdefault(self._action, set())
            return
        owner = self._ids.get(a["form"]) if a.get("form") else self._action
        if owner is None or not a.get("name"):
            if tag == "option" and self._select:
                self._option(a)
            return
        self._owner = owner
        fields = self.forms[owner]
        if tag == "input":
            kind = a.get("type")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields[a["name"]] = a.get("value", "y")
            elif kind not in ("submit", "button", "file"):
                fields[a["name"]] = a.get("value") or ""
                if kind in TEXT_INPUTS:
                    self.text_fields[owner].add(a["name"])
        elif tag == "textarea":
            self._textarea = a["name"]
            fields[self._textarea] = ""
            self.text_fields[owner].add(self._textarea)
        elif tag == "select":
            self._select, self._first_option = a["name"], True

    def _option(self, a):
        fields = self.forms[self._owner]
        if self._first_option or "selected" in a:
            fields[self._select] = a.get("value", "")
            self._first_option = False

    def handle_data(self, data):
        if self._textarea:
            self.forms[self._owner][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._action = None
        elif tag == "textarea" and self._textarea:
            value = self.forms[self._owner][self._textarea]
            # WTForms writes a newline after <textarea>, which HTML drops.
            self.forms[self._owner][self._textarea] = re.sub(r"^\r?\n", "", value)
            self._textarea = None
        elif tag == "select":
            self._select = None


def read_form(browser, page: str, action: str) -> tuple[dict[str, str], set[str]]:
    response = browser.get(page)
    assert response.status_code == 200, page
    reader = FormReader()
    reader.feed(response.get_data(as_text=True))
    for form_action, fields in reader.forms.items():
        if (form_action.split("#")[0] or page) == action:
            return fields, reader.text_fields[form_action]
    raise AssertionError(f"no form posting to {action} on {page}")


@dataclass
class Case:
    """A form: who fills it, on which page, posting where; how to read what was stored."""

    who: str
    page: Callable[[dict], str]
    action: Callable[[dict], str] | None = None
    fields: tuple[str, ...] | None = None  # None: every text field of the form
    stored: Callable[[dict], dict] | None = None  # None: the form as the page shows it again
    reset: Callable[[dict], None] | None = None  # put the object back after a save
    extra: dict | Callable[[dict], dict] = field(default_factory=dict)
    same: Callable[[object, str], bool] | None = None  # stored vs sent, when not text
    writes_when_refused: bool = False  # a failed sign-in is counted, by design
    method: str = "POST"


def force_state(appraisal_id: int, state: str) -> None:
    appraisal = db.session.get(Appraisal, appraisal_id)
    spec = engine().spec(appraisal.workflow)
    appraisal.state = state
    db.session.flush()
    close_open_task(appraisal, None, utcnow())
    open_task(appraisal, spec.states[state], utcnow())
    db.session.commit()


def fresh_final(o: dict) -> None:
    """An objection is filed once: the next example gets another final appraisal of staf."""
    o["year"] = o.get("year", 2040) + 1
    period = factories.make_period(year=o["year"])
    o["final"] = appraisal_in_state(o["team"], period, "final", "staf").id
    db.session.commit()


def last_comment(o: dict) -> dict:
    comment = db.session.scalar(sa.select(AuditEvent.comment).order_by(AuditEvent.id.desc()))
    return {"comment": comment}


def last_note(o: dict) -> dict:
    body = db.session.scalar(sa.select(DialogNote.body).order_by(DialogNote.id.desc()))
    return {"body": body}


def last_link(o: dict) -> dict:
    return {"url": db.session.scalar(sa.select(Evidence.url).order_by(Evidence.id.desc()))}


def new_employee(o: dict) -> dict:
    row = db.session.execute(
        sa.select(Employee.nip, Employee.name, Employee.pangkat_golongan, Employee.email)
        .add_columns(Employee.phone)
        .order_by(Employee.id.desc())
    ).first()
    return dict(row._mapping)


def realisasi(o: dict) -> dict:
    value = db.session.scalar(
        sa.text("SELECT realisasi_value FROM iki WHERE id = :i"), {"i": o["iki"]}
    )
    return {f"iki_{o['iki']}": value}


def same_number(stored, sent: str) -> bool:
    # The pages speak Indonesian by default: read the text as the app read it. The raw
    # SELECT gives SQLite's float, PostgreSQL's Decimal: compare their decimal text.
    try:
        parsed = parse_number(sent.strip(), "id")
        if parsed is None or stored is None:
            return parsed is stored
        return Decimal(str(stored)) == parsed
    except NotANumber:
        return False


def appraisal_page(step: str, path: str) -> Callable[[dict], str]:
    return lambda o: f"/appraisals/{o[step]}{path}"


CASES = {
    # The number IKI's text target is not used (nor kept): its number target is the realisasi's.
    "plan": Case(
        "staf",
        appraisal_page("draft", "/plan"),
        fields=("rhks-0-text", "rhks-0-ikis-0-text", "rhks-0-ikis-0-target_unit"),
    ),
    "realisasi": Case(
        "staf", appraisal_page("self_assessment", "/realisasi"), stored=realisasi, same=same_number
    ),
    "evidence_link": Case(
        "staf",
        appraisal_page("self_assessment", "/realisasi"),
        action=lambda o: f"/appraisals/{o['self_assessment']}/iki/{o['iki']}/evidence/link",
        stored=last_link,
    ),
    "dialog": Case("staf", appraisal_page("self_assessment", "/dialog"), stored=last_note),
    "expectations": Case("kasi", appraisal_page("plan_review", "/expectations")),
    "review": Case("kasi", appraisal_page("supervisor_review", "/review")),
    "return_plan": Case(
        "kasi",
        appraisal_page("plan_review", "/act/return_plan"),
        stored=last_comment,
        reset=lambda o: force_state(o["plan_review"], "plan_review"),
    ),
    "file_objection": Case(
        "staf",
        appraisal_page("final", "/act/file_objection"),
        stored=last_comment,
        reset=lambda o: fresh_final(o),
    ),
    "decide_objection": Case(
        "kabid",
        appraisal_page("objection", "/objection"),
        stored=last_comment,
        reset=lambda o: force_state(o["objection"], "objection"),
    ),
    "employee": Case("admin", lambda o: "/admin/employees/new", stored=new_employee),
    # A Pustaka IKI entry (its jabatan list is normalised, one name per line: not fuzzed here).
    "pustaka_entry": Case(
        "admin",
        lambda o: f"/admin/pustaka-iki/{o['library_entry']}",
        fields=("rhk_text", "iki_text", "unit", "measurement", "evidence"),
    ),
    "period": Case("admin", lambda o: f"/admin/periods/{o['period']}/edit"),
    "extension": Case(
        "admin",
        lambda o: f"/admin/periods/{o['period']}/extensions",
        stored=lambda o: {},
    ),
    "password": Case("staf2", lambda o: "/account", stored=lambda o: {}),
    "login": Case(None, lambda o: "/login", stored=lambda o: {}, writes_when_refused=True),
    "request_reset": Case(None, lambda o: "/reset", stored=lambda o: {}),
    "mail_preferences": Case("staf", lambda o: "/account/mail", fields=("mail_mode",)),
    "language": Case(
        "staf",
        lambda o: "/",
        action=lambda o: "/language",
        fields=("lang", "next"),
        stored=lambda o: {},
    ),
    "employee_search": Case(
        "admin", lambda o: "/admin/employees", fields=("q",), stored=lambda o: {}, method="GET"
    ),
    # The public SKM form, with every answer chosen and marked as a complaint (so that the
    # contact is kept): the comment and the contact are the hostile text.
    "skm_public": Case(
        None,
        lambda o: f"/umpan-balik/{o['skm_code']}",
        fields=("comment", "contact_name", "contact_email", "contact_phone"),
        stored=lambda o: last_skm_response(),
        extra=lambda o: o["skm_answers"],
    ),
}


def last_skm_response() -> dict:
    from app.models import SkmContact, SkmResponse

    response = db.session.scalars(sa.select(SkmResponse).order_by(SkmResponse.id.desc())).first()
    if response is None:
        return {}
    contact = db.session.get(SkmContact, response.id)
    return {
        "comment": response.comment,
        "contact_name": contact and contact.name,
        "contact_email": contact and contact.email,
        "contact_phone": contact and contact.phone,
    }


@pytest.fixture
def setting(app, browser, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "100000 per minute")
    monkeypatch.setitem(app.config, "SKM_RATE_LIMIT", "100000 per minute")
    team = factories.make_team()
    o = {"team": team}
    from tests.skm_helpers import answers, make_service_unit

    service_unit = make_service_unit(team["opd"])
    o["skm_code"] = service_unit.code
    o["skm_answers"] = answers(service_unit, is_complaint="y")
    for name in ("comment", "website"):
        del o["skm_answers"][name]
    # An employee has one appraisal per period: one period per step.
    steps = ("draft", "plan_review", "self_assessment", "supervisor_review", "final", "objection")
    for year, step in enumerate(steps, start=2020):
        period = factories.make_period(year=year)
        o[step] = appraisal_in_state(team, period, step, "staf").id
    o["period"] = period.id
    from app.models import LibraryEntry

    entry = LibraryEntry(
        code="KES-001", function="kesehatan", jabatan="Perawat", rhk_text="Asuhan keperawatan",
        iki_text="Jumlah pasien", aspect="kuantitas", unit="pasien", direction="higher",
        measurement="Register", evidence="Register pasien", target_min=100, status="approved",
    )  # fmt: skip
    db.session.add(entry)
    db.session.flush()
    o["library_entry"] = entry.id
    o["iki"] = db.session.scalar(
        sa.text(
            "SELECT iki.id FROM iki JOIN rhk ON rhk.id = iki.rhk_id WHERE rhk.appraisal_id = :a"
        ),
        {"a": o["self_assessment"]},
    )
    db.session.commit()
    return o


def _assert_safe(page: str, where: str) -> None:
    match = UNSAFE.search(page)
    assert match is None, (
        f"unescaped markup in {where}: …{page[max(0, match.start() - 80) : match.end() + 80]}…"
    )


def _same(stored, sent: str) -> bool:
    stored = "" if stored is None else str(stored)
    return stored in (sent, sent.strip())


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_text_in_every_field(setting, browser, name):
    case = CASES[name]
    o = setting
    if case.who:
        assert browser.login(o["team"][case.who].employee.nip).status_code == 302
    page = case.page(o)
    action = case.action(o) if case.action else page
    _fields, text_fields = read_form(browser, page, action)
    names = sorted(case.fields or text_fields - {"csrf_token", "next"})
    assert names, f"no text field on {page}"

    def stored() -> dict:
        if case.stored is not None:
            return case.stored(o)
        current, _text = read_form(browser, page, action)
        return {name: current.get(name) for name in names}

    @SETTINGS
    @given(drawn=st.fixed_dictionaries({n: st.one_of(st.none(), TEXT) for n in names}))
    def post_hostile(drawn):
        values = {key: value for key, value in drawn.items() if value is not None}
        page = case.page(o)
        action = case.action(o) if case.action else page
        current, _text = read_form(browser, page, action)  # a fresh token and version
        before_rows, before = snapshot(), stored()
        if case.method == "GET":
            response = browser.get(action, query_string=current | values)
        else:
            extra = case.extra(o) if callable(case.extra) else case.extra
            response = browser.post(action, current | values | extra)
        body = response.get_data(as_text=True)
        assert response.status_code < 500, f"{response.status_code} for {values!r}"
        _assert_safe(body, action)
        if response.status_code in (302, 303):
            location = response.headers["Location"]
            if "/login" not in location:
                _assert_safe(browser.get(location).get_data(as_text=True), location)
        after = stored()
        changed = after != before
        if not case.writes_when_refused:
            changed = changed or snapshot() != before_rows
        try:
            # Saved: every field reads back as sent. Refused: nothing changed (changed is False).
            for key, sent in values.items():
                if changed and key in after:
                    same = case.same or _same
                    assert same(after[key], sent), f"{key}: stored {after[key]!r}, sent {sent!r}"
        finally:
            if changed and case.reset:
                case.reset(o)

    post_hostile()
