"""Request ids and the security headers on every response (OWASP ASVS 5.0, level 2)."""

from __future__ import annotations

import re
import secrets
import uuid

from flask import Response, current_app, g, has_request_context, request

# A proxy's request id is used only when TRUST_REQUEST_ID is on and it looks like one:
# it goes into the hash-chained audit trail (a 64-character column) and into the logs.
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{8,64}")

# Scripts and styles come from this site only (no inline script, no CDN); nothing may
# frame a page, and forms post back here. Bootstrap needs no inline styles: its scripts
# change styles through the CSSOM, which the policy does not restrict.
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Served by Flask's static views: cacheable, no personal data.
STATIC_ENDPOINTS = frozenset({"static", "bootstrap.static"})


def new_request_id() -> str:
    """This request's id: the trusted proxy's when well-formed, else one made here."""
    offered = request.headers.get("X-Request-ID", "")
    if current_app.config.get("TRUST_REQUEST_ID") and REQUEST_ID_RE.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def csp_nonce() -> str:
    """A per-response nonce for the rare `<style>` element a standalone page needs."""
    if not has_request_context():
        return ""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def allow_inline_style_attributes() -> str:
    """Let this page's style attributes apply (for the mail preview); returns ''.

    A sandboxed `srcdoc` frame inherits the page's policy, and emails carry their
    styles in attributes. `style-src-attr` admits attributes only: no `<style>`
    element, no selectors, and still no script.
    """
    if has_request_context():
        g.csp_style_attributes = True
    return ""


def content_security_policy() -> str:
    policy = dict(CSP)
    if "csp_nonce" in g:
        policy["style-src"] += f" 'nonce-{g.csp_nonce}'"
    if g.get("csp_style_attributes"):
        policy["style-src-attr"] = "'unsafe-inline'"
    return "; ".join(f"{name} {value}" for name, value in policy.items())


def set_security_headers(response: Response) -> Response:
    """Add the security headers; pages (not static files) are never stored by a cache."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint not in STATIC_ENDPOINTS and "no-store" not in headers.get(
        "Cache-Control", ""
    ):
        # Pages carry personal data and CSRF tokens: no shared (or browser) cache keeps them.
        headers["Cache-Control"] = "no-store"
    headers["X-Request-ID"] = g.get("request_id", "")
    hsts = current_app.config.get("STRICT_TRANSPORT_SECURITY")
    if hsts:
        headers["Strict-Transport-Security"] = hsts
    return response
