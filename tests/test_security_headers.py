"""Request ids, the Content-Security-Policy and the other security headers on every page."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

import config
from app import create_app
from app.extensions import db
from app.models import AuditEvent
from app.workflow.engine import fire
from tests.conftest import Browser
from tests.factories import PASSWORD, make_period
from tests.workflow_helpers import appraisal_in_state

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
SERVER_ID = re.compile(r"[0-9a-f]{32}")
ACCEPT = {"Accept": "text/html"}


@pytest.fixture
def skp(team):
    appraisal = appraisal_in_state(team, make_period(), "plan_review")
    db.session.commit()
    return appraisal


def _approve(browser, skp, request_id: str):
    """Approve the plan with the given X-Request-ID (raw, as a proxy or client sends it)."""
    return browser.post(
        f"/appraisals/{skp.id}/act/approve_plan",
        {"version": skp.version},
        environ_overrides={"HTTP_X_REQUEST_ID": request_id},
    )


def _audited_request_id(skp) -> str:
    return db.session.scalars(
        sa.select(AuditEvent.request_id).where(AuditEvent.appraisal_id == skp.id)
    ).one()


# --- item 6: the request id is made on the server --------------------------------------


@pytest.mark.parametrize(
    "offered",
    [
        "x" * 100,  # longer than the audit column
        "<script>alert(1)</script>",
        "abcdefgh\nforged-log-line",
        "abcdefgh\r\nX-Evil: 1",
        "1234567",  # too short
        "a" * 40,  # well-formed, but the proxy is not trusted
    ],
)
def test_a_request_id_from_the_client_is_ignored(team, skp, browser, offered):
    browser.login(team["kasi"].employee.nip)
    response = _approve(browser, skp, offered)
    assert response.status_code in (302, 303)
    made = response.headers["X-Request-ID"]
    assert SERVER_ID.fullmatch(made) and made != offered
    assert _audited_request_id(skp) == made


def test_a_trusted_proxys_well_formed_request_id_is_used(app, team, skp, browser, monkeypatch):
    monkeypatch.setitem(app.config, "TRUST_REQUEST_ID", True)
    browser.login(team["kasi"].employee.nip)
    response = _approve(browser, skp, "proxy-1a2b3c4d.e5_f6")
    assert response.status_code in (302, 303)
    assert response.headers["X-Request-ID"] == "proxy-1a2b3c4d.e5_f6"
    assert _audited_request_id(skp) == "proxy-1a2b3c4d.e5_f6"


@pytest.mark.parametrize("offered", ["x" * 65, "<b>bad-id</b>", "abcdefgh\nforged", ""])
def test_a_trusted_proxys_malformed_request_id_is_replaced(app, client, monkeypatch, offered):
    monkeypatch.setitem(app.config, "TRUST_REQUEST_ID", True)
    response = client.get("/login", environ_overrides={"HTTP_X_REQUEST_ID": offered})
    assert response.status_code == 200
    assert SERVER_ID.fullmatch(response.headers["X-Request-ID"])


# --- item 13: the Content-Security-Policy ----------------------------------------------

LINK = re.compile(r'href="(/[^"#]*)"')
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
# Pages whose GET is a download or a redirect away, not a page to look into.
NOT_PAGES = re.compile(r"\.(csv|xlsx|pdf)$|/evidence/|/logout")


def _assert_strict_csp(response, path: str) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives.get("script-src") == "'self'", path
    assert directives.get("default-src") == "'self'", path
    assert directives.get("object-src") == "'none'", path
    assert directives.get("base-uri") == "'none'", path
    assert directives.get("form-action") == "'self'", path
    assert directives.get("frame-ancestors") == "'none'", path
    assert "unsafe-inline" not in directives.get("style-src", ""), path
    assert "unsafe-eval" not in policy, path


def _crawl(browser, start: str = "/", limit: int = 80) -> dict[str, object]:
    """Every page reachable by links from `start` (GET only: GET never changes anything)."""
    seen, queue, pages = set(), [start], {}
    while queue and len(pages) < limit:
        path = queue.pop(0)
        if path in seen or NOT_PAGES.search(urlsplit(path).path):
            continue
        seen.add(path)
        response = browser.get(path, headers=ACCEPT)
        pages[path] = response
        if response.status_code == 200 and response.mimetype == "text/html":
            queue.extend(
                link.replace("&amp;", "&")
                for link in LINK.findall(response.get_data(as_text=True))
                if not link.startswith(("/static/", "/bootstrap/"))
            )
    return pages


@pytest.mark.parametrize("who", ["admin", "staf", "kasi"])
def test_every_page_has_a_strict_csp_and_no_inline_script(team, browser, who):
    period = make_period()
    appraisal_in_state(team, period, "draft")  # the staf's plan editor
    appraisal_in_state(team, period, "supervisor_review", "staf2")  # the kasi's review
    kasi_plan = appraisal_in_state(team, make_period(2027), "plan_review", "kasi")
    fire(kasi_plan, "approve_plan", team["kabid"], {})  # a mail in the outbox
    db.session.commit()
    browser.login(team[who].employee.nip)
    pages = _crawl(browser)
    assert len(pages) > 5
    for path, response in pages.items():
        assert response.status_code < 500, path
        _assert_strict_csp(response, path)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response.headers["Cache-Control"], path
        if response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            assert not INLINE_SCRIPT.search(html), path
            assert not EVENT_HANDLER.search(html), path


def test_the_plan_editor_and_the_review_load_their_scripts(team, browser):
    period = make_period()
    plan = appraisal_in_state(team, period, "draft")
    review = appraisal_in_state(team, period, "supervisor_review", "staf2")
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    assert "/static/js/plan.js" in browser.get(f"/appraisals/{plan.id}/plan").get_data(True)
    other = Browser(browser.client.application.test_client())
    other.login(team["kasi"].employee.nip)
    page = other.get(f"/appraisals/{review.id}/review").get_data(as_text=True)
    assert "/static/js/review.js" in page and 'id="predikat-labels"' in page
    for script in ("sikap.js", "plan.js", "review.js", "job.js"):
        response = browser.get(f"/static/js/{script}")
        response.close()
        assert response.status_code == 200
        assert response.mimetype in ("text/javascript", "application/javascript")


def test_the_mail_preview_may_use_the_mails_inline_styles_and_nothing_more(team, browser):
    appraisal = appraisal_in_state(team, make_period(), "supervisor_review")
    fire(appraisal, "return_review", team["kasi"], {"comment": "Lengkapi bukti."})
    db.session.commit()
    browser.login(team["admin"].employee.nip)
    outbox = browser.get("/admin/outbox?status=pending").get_data(as_text=True)
    message = re.search(r'href="(/admin/outbox/\d+)"', outbox).group(1)
    response = browser.get(message)
    assert "srcdoc=" in response.get_data(as_text=True)
    _assert_strict_csp(response, message)
    policy = response.headers["Content-Security-Policy"]
    assert "style-src-attr 'unsafe-inline'" in policy
    assert "style-src-attr" not in browser.get("/").headers["Content-Security-Policy"]


def test_the_printable_document_styles_itself_with_a_nonce(team, browser):
    appraisal = appraisal_in_state(team, make_period(), "final")
    db.session.commit()
    browser.login(team["staf"].employee.nip)
    response = browser.get(f"/appraisals/{appraisal.id}/document")
    assert response.status_code == 200
    nonce = re.search(r'<style nonce="([^"]+)">', response.get_data(as_text=True)).group(1)
    assert f"style-src 'self' 'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
    again = browser.get(f"/appraisals/{appraisal.id}/document")
    assert nonce not in again.headers["Content-Security-Policy"]  # a new one per response


TEMPLATE_FILES = sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("template", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_inline_script_or_event_handlers(template):
    source = template.read_text(encoding="utf-8")
    assert not INLINE_SCRIPT.search(source), "inline <script>: move it to app/static/js/"
    assert not EVENT_HANDLER.search(source), "on*= handler: use addEventListener in a script file"
    assert "javascript:" not in source.lower()
    if template.parent.name != "email":  # mail clients need inline styles; pages must not
        assert not STYLE_ATTRIBUTE.search(source), "style=: use a class in sikap.css"


# --- the production configuration -------------------------------------------------------


@pytest.fixture
def production(app, monkeypatch):
    """The app built with ProductionConfig on the test database, served over HTTPS."""
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setattr(
        config.ProductionConfig, "SQLALCHEMY_DATABASE_URI", app.config["SQLALCHEMY_DATABASE_URI"]
    )
    # The test client's Host is "localhost": the production host check must let it in.
    prod = create_app(config.ProductionConfig, TRUSTED_HOSTS=["localhost"])
    assert not prod.testing and not prod.debug
    yield prod
    with prod.app_context():
        db.session.remove()
        db.engine.dispose()


def test_production_pages_carry_the_security_headers(team, skp, production):
    client = production.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"  # behind the TLS-terminating proxy
    browser = Browser(client)
    pages = {"/login": False, "/reset": False, "/tidak-ada": False}
    for path, authenticated in pages.items():
        _assert_production_headers(browser.get(path), path, authenticated)
    # Over HTTPS Flask-WTF also checks that a form was sent from this site.
    signed_in = browser.post(
        "/login",
        {"login": team["staf"].employee.nip, "password": PASSWORD},
        headers={"Accept": "text/html", "Referer": "https://localhost/login"},
    )
    assert signed_in.status_code == 302
    for path in ("/", "/inbox", "/account", f"/appraisals/{skp.id}", f"/appraisals/{skp.id}/plan"):
        response = browser.get(path)
        assert response.status_code == 200, path
        _assert_production_headers(response, path, authenticated=True)
    static = browser.get("/static/sikap.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")  # assets stay cacheable


def _assert_production_headers(response, path: str, authenticated: bool) -> None:
    headers = response.headers
    _assert_strict_csp(response, path)
    assert headers["X-Content-Type-Options"] == "nosniff", path
    assert headers.get("X-Frame-Options") == "DENY" or "frame-ancestors 'none'" in headers.get(
        "Content-Security-Policy", ""
    )
    assert headers["Referrer-Policy"] in (
        "same-origin",
        "strict-origin-when-cross-origin",
        "no-referrer",
    )
    assert SERVER_ID.fullmatch(headers["X-Request-ID"]), path
    if authenticated:
        assert "no-store" in headers["Cache-Control"], path


@pytest.mark.parametrize("template", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_page_title_holds_markup(template):
    # The title block is text in <title>: a tag there shows as text in the browser's tab.
    source = template.read_text(encoding="utf-8")
    for title in re.findall(r"\{% block title %\}(.*?)\{% endblock %\}", source, flags=re.S):
        assert "<" not in title, f"markup in the title block: {title!r}"
