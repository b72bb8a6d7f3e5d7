"""Page templates translate with the catalogue bound once per render, with the same results."""

import flask_babel
import pytest
from flask import render_template_string

from app.extensions import db


def test_a_page_looks_its_catalogue_up_once_not_per_message(team, browser, monkeypatch):
    browser.login(team["kasi"].employee.nip)
    lookups = []
    original = flask_babel.get_translations

    def counting():
        lookups.append(1)
        return original()

    monkeypatch.setattr(flask_babel, "get_translations", counting)
    page = browser.get("/").get_data(as_text=True)
    assert "Beranda" in page and "Kotak tugas" in page  # Home, Inbox: still Indonesian
    # One per render_template; Flask-Babel's own callables looked it up for each `_()`.
    assert len(lookups) <= 3, len(lookups)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ _('Inbox') }}", "Kotak tugas"),
        ("{{ _('Welcome, %(name)s', name='<b>') }}", "&lt;b&gt;"),
        ("{{ _('100%% sure') }}", "100% sure"),
        ("{{ ngettext('%(num)d note', '%(num)d notes', 2) }}", "2"),
        ("{% trans %}Inbox{% endtrans %}", "Kotak tugas"),
    ],
)
def test_bound_gettext_behaves_as_jinja_newstyle(app, source, expected):
    with app.test_request_context("/"):
        rendered = render_template_string(source)
        db.session.remove()
    assert expected in rendered
    assert "<b>" not in rendered
