"""The Panduan, the glossary and term(), and the tour's seen flag, over HTTP."""

import re
from pathlib import Path

import pytest

from app.extensions import db
from app.guide.content import CONTENT, ROLES, STEPS, ContentError, library, parse
from app.guide.glossary import glossary, lookup
from app.guide.markdown import render_markdown
from app.models import Account
from tests.factories import make_period
from tests.workflow_helpers import appraisal_in_state

GUIDE_LINK = re.compile(r'<a href="([^"]+)" data-guide-link>')


def test_every_content_file_loads(plain_app):
    sections = library().sections
    assert len(sections) == len(list(CONTENT.glob("*.md")))
    assert len({s.slug for s in sections}) == len(sections)
    for section in sections:
        assert section.title and str(section.html).strip()


@pytest.mark.parametrize("step", list(STEPS))
def test_every_workflow_step_has_a_section(plain_app, step):
    section = library().for_step(step)
    assert section is not None, f"no Panduan section for step {step}"
    assert "<h2>" in section.html  # what it is for, what to do, the rules


@pytest.mark.parametrize("role", list(ROLES))
def test_every_role_has_a_section_and_the_sections_it_needs(plain_app, role):
    assert library().for_role(role) is not None, f"no Panduan section for role {role}"
    assert library().concerning(role), f"no step or rule concerns {role}"


def test_the_worked_examples_show_a_good_and_a_weak_rhk_for_each_job(plain_app):
    for slug, job in (
        ("contoh-tenaga-kesehatan", "Perawat"),
        ("contoh-guru", "Guru"),
        ("contoh-pengadministrasi-perkantoran", "surat"),
    ):
        text = str(library().get(slug).html)
        assert job in text
        assert "Contoh yang baik" in text and "Mengapa lemah" in text


def test_the_rules_are_stated(plain_app):
    text = " ".join(str(s.html) for s in library().of_kind("rule"))
    for fact in ("Kurang/Misconduct", "Penerima Layanan", "Berorientasi Pelayanan",
                 "SE MenPANRB 3/2023", "akhir\nJanuari"):  # fmt: skip
        assert fact in text, fact
    assert "14 hari" in str(library().for_step("objection").html)


def test_every_internal_link_of_the_guide_leads_to_a_section(plain_app):
    slugs = {s.slug for s in library().sections}
    for section in library().sections:
        for target in re.findall(r'href="([^"]+)"', str(section.html)):
            assert target in slugs, f"{section.slug} links to {target}"
    assert {t.see for t in glossary().values() if t.see} <= slugs


def test_markdown_escapes_html_and_keeps_styles_out():
    source = "<script>alert(1)</script>\n\n[x](javascript:alert(1))\n\n"
    html = str(render_markdown(source + "| a | b |\n|:--|--:|\n| 1 | 2 |"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert "style=" not in html
    assert 'class="text-end"' in html and '<div class="table-responsive">' in html


def test_a_file_without_front_matter_or_with_an_unknown_step_is_refused(tmp_path):
    bare = tmp_path / "bare.md"
    bare.write_text("# Judul\n", encoding="utf-8")
    with pytest.raises(ContentError, match="front matter"):
        parse(bare, "id")
    wrong = tmp_path / "wrong.md"
    wrong.write_text("---\ntitle: X\nkind: step\nstep: nope\nroles: [pegawai]\n---\nTeks\n")
    with pytest.raises(ContentError, match="step must be one of"):
        parse(wrong, "id")


def test_the_guide_pages_open_for_every_signed_in_user(team, browser):
    browser.login(team["staf"].employee.nip)
    index = browser.get("/panduan/").get_data(as_text=True)
    for section in library().sections:
        assert f'href="/panduan/{section.slug}"' in index
    page = browser.get("/panduan/langkah-rencana")
    assert page.status_code == 200
    assert "Menyusun rencana SKP" in page.get_data(as_text=True)
    assert browser.get("/panduan/tidak-ada").status_code == 404


def test_the_guide_asks_the_signed_out_to_sign_in(client):
    for path in ("/panduan/", "/panduan/langkah-rencana", "/panduan/glosarium"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.location


def test_english_readers_get_the_indonesian_text_with_a_note(team, browser):
    account = db.session.get(Account, team["staf"].id)
    account.locale = "en"
    browser.login(team["staf"].employee.nip)
    page = browser.get("/panduan/langkah-rencana").get_data(as_text=True)
    assert "available in Bahasa Indonesia only" in page
    assert "Menyusun rencana SKP" in page


@pytest.mark.parametrize(
    ("state", "who", "path", "slug"),
    [
        ("draft", "staf", "/appraisals/{id}/plan", "langkah-rencana"),
        ("plan_review", "kasi", "/appraisals/{id}/expectations", "langkah-ekspektasi"),
        ("self_assessment", "staf", "/appraisals/{id}/realisasi", "langkah-realisasi"),
        ("supervisor_review", "kasi", "/appraisals/{id}/review", "langkah-penilaian"),
        ("verification", "verifikator", "/appraisals/{id}/verification", "langkah-verifikasi"),
        ("self_assessment", "staf", "/appraisals/{id}/dialog", "langkah-dialog"),
        ("final", "kabid", "/appraisals/{id}", "langkah-dokumen"),
        ("plan_review", "kasi", "/appraisals/{id}", "langkah-ekspektasi"),
    ],
)
def test_a_form_page_links_to_the_guide_section_of_its_step(team, browser, state, who, path, slug):
    appraisal = appraisal_in_state(team, make_period(), state)
    browser.login(team[who].employee.nip)
    page = browser.get(path.format(id=appraisal.id))
    assert page.status_code == 200
    assert GUIDE_LINK.findall(page.get_data(as_text=True)) == [f"/panduan/{slug}"]


def test_the_glossary_page_lists_every_term_with_its_definition(team, browser):
    browser.login(team["staf"].employee.nip)
    page = browser.get("/panduan/glosarium").get_data(as_text=True)
    for item in glossary().values():
        assert f'id="{item.anchor}"' in page
    assert "Rencana Hasil Kerja" in page
    assert lookup("rhk").definition("id") in page


def test_a_term_renders_with_its_definition_accessibly(team, browser):
    appraisal = appraisal_in_state(team, make_period(), "supervisor_review")
    browser.login(team["kasi"].employee.nip)
    page = browser.get(f"/appraisals/{appraisal.id}/review").get_data(as_text=True)
    definition = lookup("Predikat").definition("id")
    match = re.search(
        r'<abbr title="([^"]+)" tabindex="0" aria-describedby="(term-tip-\d+)">Predikat</abbr>',
        page,
    )
    assert match, "the predikat label is not marked up as a term"
    assert definition in match.group(1).replace("&#39;", "'")
    tip = re.search(rf'id="{match.group(2)}"[^>]*>([^<]+)<', page)
    assert tip and definition in tip.group(1).replace("&#39;", "'")
    ids = re.findall(r'id="(term-tip-\d+)"', page)
    assert len(ids) == len(set(ids))  # each tooltip its own id


def test_the_tour_shows_until_it_is_marked_seen_then_only_on_replay(team, browser):
    account = db.session.get(Account, team["staf"].id)
    account.tour_seen_at = None
    browser.login(team["staf"].employee.nip)
    assert 'id="tour"' in browser.get("/").get_data(as_text=True)
    assert 'data-tour-auto="1"' in browser.get("/").get_data(as_text=True)
    assert browser.post("/panduan/tur/dilihat", token_from="/").status_code == 204
    assert 'id="tour"' not in browser.get("/").get_data(as_text=True)
    replay = browser.get("/?tour=1").get_data(as_text=True)
    assert 'id="tour"' in replay and 'data-tour-auto=""' in replay
    db.session.expire_all()
    assert db.session.get(Account, team["staf"].id).tour_seen_at is not None


def test_the_tour_has_steps_for_the_users_roles(team, browser):
    for key in ("staf", "verifikator"):
        db.session.get(Account, team[key].id).tour_seen_at = None
    browser.login(team["verifikator"].employee.nip)
    assert "Verifikasi" in browser.get("/").get_data(as_text=True).split('id="tour"')[1]
    browser.logout()
    browser.login(team["staf"].employee.nip)
    tour = browser.get("/").get_data(as_text=True).split('id="tour"')[1]
    assert "Kotak tugas" in tour and "verifikator BKD" not in tour


def test_marking_the_tour_seen_needs_the_csrf_token(team, browser):
    browser.login(team["staf"].employee.nip)
    assert browser.client.post("/panduan/tur/dilihat").status_code == 400


def test_the_content_files_ship_with_the_package():
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text()
    assert '"guide/content/*.md"' in pyproject and '"guide/*.yaml"' in pyproject
