"""Every route for every role on own and foreign objects; CSRF on every state-changing route.

The table ROUTES has one entry per endpoint of `app.url_map` (static files aside);
a new route without an entry fails `test_every_route_has_an_entry`. An entry names
the objects the route is tried on (URL, and for a POST its form data) and, per
method, the answer each subject gets on each object, in the order of the objects:

  200, 302, 303, ...   allowed; a 3xx must not lead to the sign-in page
  400, 422             allowed, and the empty or minimal form was refused on its fields
  LOGIN                a 302 to the sign-in page (anonymous)
  403                  refused: the page exists for this person, the action is not theirs
  404                  refused without revealing that the object exists

The app refuses with 404 whenever the person may not see the appraisal (or the
object) at all, and with 403 when they may see it but not do this. Subjects are
those of tests.security_org.SUBJECTS; objects "own"/"colleague"/"other" are the
appraisals of staf, of staf2 (same OPD and appraiser) and of staf_b (another OPD).

POSTs carry a valid CSRF token and empty or minimal data. The whole table runs in
one test per database, on one organisation; refusals are checked first, so that
an allowed request that changes something cannot hide a refusal after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Appraisal, Employee
from tests.conftest import Browser
from tests.security_org import SUBJECTS, WHOSE, build_org, snapshot

LOGIN = "login"
REFUSED = {LOGIN, 403, 404}
ORDER = tuple(SUBJECTS)


@dataclass(frozen=True)
class Obj:
    """One object a route is tried on: its URL, and the form data of a POST."""

    url: Callable[[dict], str]
    data: Callable[[dict], dict] = field(default=lambda o: {})


def cells(**rows) -> dict[str, tuple]:
    """Expectations per subject; a single code stands for every object."""
    return {s: rows[s] if isinstance(rows[s], tuple) else (rows[s],) for s in ORDER}


def visible(code, **overrides) -> dict[str, tuple]:
    """Who may see an appraisal (own, colleague, other): `code` for them, 404 for the rest."""
    rows = {
        "anonymous": (LOGIN, LOGIN, LOGIN),
        "pegawai": (code, 404, 404),
        "atasan": (code, code, 404),
        "atasan_pp": (code, code, 404),
        "verifikator": (code, code, code),
        "admin": (code, code, code),
        "kepala_opd": (code, code, 404),
        "kepala_lain": (404, 404, code),
    }
    rows.update(overrides)
    return cells(**rows)


def only(default=403, anonymous=LOGIN, **allowed) -> dict[str, tuple]:
    """A page for some roles (whatever the object): `default` for the others."""
    rows = dict.fromkeys(ORDER, default) | {"anonymous": anonymous} | allowed
    return cells(**rows)


def everyone(code, anonymous=None) -> dict[str, tuple]:
    return only(default=code, anonymous=code if anonymous is None else anonymous)


def appraisals(step: str, path: str = "") -> list[Obj]:
    return [Obj(lambda o, w=w: f"/appraisals/{o['appraisal'][step, w]}{path}") for w in WHOSE]


def skp_pages(step: str, path: str) -> list[Obj]:
    """The SKP pages under /skp/<id> of each appraisal at `step`."""
    return [Obj(lambda o, w=w: f"/skp/{o['appraisal'][step, w]}{path}") for w in WHOSE]


def version(o: dict, step: str, whose: str) -> int:
    return db.session.scalar(
        sa.select(Appraisal.version).where(Appraisal.id == o["appraisal"][step, whose])
    )


def act(step: str, trigger: str) -> list[Obj]:
    """The action form; POSTed with the version seen and a comment, so that fire() decides."""
    return [
        Obj(
            lambda o, w=w: f"/appraisals/{o['appraisal'][step, w]}/act/{trigger}",
            lambda o, w=w: {"version": version(o, step, w), "comment": "Mohon diperbaiki."},
        )
        for w in WHOSE
    ]


def per_iki(action: str) -> list[Obj]:
    return [
        Obj(
            lambda o, w=w: (
                f"/appraisals/{o['appraisal']['self_assessment', w]}"
                f"/iki/{o['iki'][w]}/evidence/{action}"
            )
        )
        for w in WHOSE
    ]


def iki_thread() -> list[Obj]:
    return [
        Obj(
            lambda o, w=w: (
                f"/appraisals/{o['appraisal']['self_assessment', w]}/iki/{o['iki'][w]}/feedback"
            )
        )
        for w in WHOSE
    ]


def evidence(suffix: str = "") -> list[Obj]:
    return [
        Obj(
            lambda o, w=w: (
                f"/appraisals/{o['appraisal']['self_assessment', w]}"
                f"/evidence/{o['evidence'][w]}{suffix}"
            )
        )
        for w in WHOSE
    ]


def url(template: str) -> list[Obj]:
    return [Obj(lambda o: template.format(**o))]


def urls(*templates: str) -> list[Obj]:
    return [Obj(lambda o, t=t: t.format(**o)) for t in templates]


def _employee_id(nip: str) -> int:
    return db.session.scalar(sa.select(Employee.id).where(Employee.nip == nip))


VERIFICATION = "verification"
PERIOD_V = "{period[verification]}"

# endpoint -> (objects, {method: expectations})
ROUTES: dict[str, tuple[list[Obj], dict[str, dict[str, tuple]]]] = {
    # --- public and personal pages -------------------------------------------------------
    "ops.healthz": (url("/healthz"), {"GET": everyone(200)}),
    # SKP saya and SKP tim: every signed-in person sees their own (an empty team for most).
    "overview.mine": (url("/my-skp"), {"GET": only(default=200)}),
    "overview.team": (url("/team-skp"), {"GET": only(default=200)}),
    # The Panduan is for everyone signed in.
    "guide.index": (url("/panduan/"), {"GET": only(default=200)}),
    "guide.glossary": (url("/panduan/glosarium"), {"GET": only(default=200)}),
    "guide.section": (url("/panduan/aturan-predikat"), {"GET": only(default=200)}),
    "guide.tour_seen": (url("/panduan/tur/dilihat"), {"POST": only(default=204)}),
    # Announcements: admin BKD manages them; a recipient (DINKES here) marks one read.
    "announcements.index": (url("/admin/announcements"), {"GET": only(admin=200)}),
    "announcements.new": (
        url("/admin/announcements/new"),
        {"GET": only(admin=200), "POST": only(admin=422)},
    ),
    "announcements.reach": (
        url("/admin/announcements/{announcement}"),
        {"GET": only(admin=200)},
    ),
    "announcements.mark_read": (
        url("/announcements/{announcement}/read"),
        {"POST": only(default=404, pegawai=302, atasan=302, atasan_pp=302, kepala_opd=302)},
    ),
    # The Pustaka IKI: admin BKD curates it (BKD sees usage); a kepala OPD proposes entries.
    "pustaka.index": (url("/admin/pustaka-iki"), {"GET": only(admin=200)}),
    "pustaka.new": (
        url("/admin/pustaka-iki/new"),
        {"GET": only(admin=200), "POST": only(admin=422)},
    ),
    "pustaka.edit": (
        url("/admin/pustaka-iki/{library_entry}"),
        {"GET": only(admin=200), "POST": only(admin=422)},
    ),
    "pustaka.review": (url("/admin/pustaka-iki/{library_entry}/review"), {"POST": only(admin=422)}),
    # No version posted: a bad request, nothing retired.
    "pustaka.retire": (url("/admin/pustaka-iki/{library_entry}/retire"), {"POST": only(admin=400)}),
    "pustaka.export": (url("/admin/pustaka-iki/export.xlsx"), {"GET": only(admin=200)}),
    "pustaka.import_": (
        url("/admin/pustaka-iki/import"),
        {"GET": only(admin=200), "POST": only(admin=422)},
    ),
    "pustaka.report": (
        url("/admin/pustaka-iki/report"),
        {"GET": only(admin=200, verifikator=200)},
    ),
    # Every head of an OPD (BKD's staff here hold its top position, with no parent).
    "pustaka.propose": (
        url("/pustaka-iki/usulan"),
        {
            # Only who heads an OPD proposes (BKD's verifiers and admin report to its kepala).
            "GET": only(kepala_opd=200, kepala_lain=200),
            "POST": only(kepala_opd=422, kepala_lain=422),
        },
    ),
    # Unit layanan (SKM): admin BKD for every OPD, a kepala OPD for their own (kepala_lain
    # heads OPD B and may list its units, but not touch OPD A's). Empty posts: refused on
    # their fields (422), or a jenis layanan / comment left as it was with a message (303).
    "service_units.index": (
        urls("/unit-layanan", "/unit-layanan?opd={opd_a}"),
        {"GET": only(admin=200, kepala_opd=200, kepala_lain=(200, 403))},
    ),
    "service_units.new": (
        url("/unit-layanan/baru?opd={opd_a}"),
        {
            "GET": only(admin=200, kepala_opd=200),
            "POST": only(admin=422, kepala_opd=422),
        },
    ),
    "service_units.edit": (
        url("/unit-layanan/{service_unit}"),
        {"GET": only(admin=200, kepala_opd=200), "POST": only(admin=422, kepala_opd=422)},
    ),
    "service_units.add_kind": (
        url("/unit-layanan/{service_unit}/jenis-layanan"),
        {"POST": only(admin=422, kepala_opd=422)},
    ),
    "service_units.edit_kind": (
        url("/unit-layanan/{service_unit}/jenis-layanan/{service_kind}"),
        {"POST": only(admin=303, kepala_opd=303)},
    ),
    "service_units.poster": (
        url("/unit-layanan/{service_unit}/poster.pdf"),
        {"GET": only(admin=200, kepala_opd=200)},
    ),
    "service_units.opd_posters": (
        url("/unit-layanan/opd/{opd_a}/poster.pdf"),
        {"GET": only(admin=200, kepala_opd=200)},
    ),
    "service_units.comments": (
        url("/unit-layanan/{service_unit}/komentar"),
        {"GET": only(admin=200, kepala_opd=200)},
    ),
    "service_units.hide_comment": (
        url("/unit-layanan/komentar/{skm_response}/sembunyikan"),
        {"POST": only(admin=303, kepala_opd=303)},
    ),
    "service_units.unhide_comment": (
        url("/unit-layanan/komentar/{skm_response}/tampilkan"),
        {"POST": only(admin=303, kepala_opd=303)},
    ),
    # The public SKM form: no account; an empty post is refused on its fields.
    "skm_public.form": (
        url("/umpan-balik/{service_unit_code}"),
        {"GET": everyone(200), "POST": everyone(422)},
    ),
    "skm_public.thanks": (
        url("/umpan-balik/{service_unit_code}/terima-kasih"),
        {"GET": everyone(200)},
    ),
    # Readiness answers everyone (load balancers); the test database has no worker beating.
    "ops.readyz": (url("/readyz"), {"GET": everyone(200)}),
    # The test client comes from 127.0.0.1, an address allowed to scrape by default.
    "ops.metrics": (url("/metrics"), {"GET": everyone(200)}),
    "main.index": (url("/"), {"GET": only(default=200)}),
    "auth.login": (
        url("/login"),
        # Signed in: back to the home page; anonymous: the form (refused on its fields).
        {"GET": everyone(302, anonymous=200), "POST": everyone(302, anonymous=200)},
    ),
    "auth.logout": (url("/logout"), {"POST": everyone(LOGIN)}),
    "auth.request_reset": (url("/reset"), {"GET": everyone(200), "POST": everyone(200)}),
    "auth.reset": (url("/reset/not-a-token"), {"GET": everyone(302), "POST": everyone(302)}),
    "auth.language": (url("/language"), {"POST": everyone(302)}),
    "auth.account": (url("/account"), {"GET": only(default=200), "POST": only(default=200)}),
    "auth.end_session": (
        # Own other session, then someone else's: not found.
        [
            Obj(lambda o: "/account/sessions/{}/end".format(o["session"].get(o["me"], "x"))),
            Obj(lambda o: "/account/sessions/{}/end".format(o["session"]["staf2"])),
        ],
        {"POST": only(default=(302, 404))},
    ),
    "auth.end_other_sessions": (
        url("/account/sessions/end-others"),
        {"POST": only(default=302)},
    ),
    "auth.sign_out_everywhere": (url("/account/sign-out-everywhere"), {"POST": everyone(LOGIN)}),
    "notifications.preferences": (
        # Nothing chosen: the current choice is kept and saved again.
        url("/account/mail"),
        {"GET": only(default=200), "POST": only(default=302)},
    ),
    "notifications.follow": (
        # A link mailed to staf: only staf may follow it.
        [Obj(lambda o: f"/appraisals/{o['appraisal']['draft', 'own']}/from-mail/{o['link']}")],
        {"GET": only(pegawai=302)},
    ),
    "notifications.dev_mail": (url("/dev/mail"), {"GET": everyone(404)}),
    "notifications.dev_message": (url("/dev/mail/{message}"), {"GET": everyone(404)}),
    "inbox.index": (url("/inbox"), {"GET": only(default=200)}),
    "inbox.claim": (
        # An open group task, one claimed by another verifier, a personal task.
        urls(
            "/inbox/{task_open}/claim",
            "/inbox/{task_theirs}/claim",
            "/inbox/{task_personal}/claim",
        ),
        {"POST": only(default=(403, 403, 404), verifikator=(302, 302, 404))},
    ),
    "inbox.release": (
        # A task the verifier claimed, one another verifier claimed, a personal task.
        urls(
            "/inbox/{task_mine}/release",
            "/inbox/{task_theirs}/release",
            "/inbox/{task_personal}/release",
        ),
        {"POST": only(default=(403, 403, 404), verifikator=(302, 403, 404))},
    ),
    # The old progress page leads to the viewer's monitor (or refuses, as the monitor does).
    "dashboard.index": (
        urls("/dashboard", "/dashboard?opd={opd_a}"),
        {
            "GET": only(
                pegawai=(403, 404),
                atasan=(302, 404),
                atasan_pp=(302, 404),
                verifikator=302,
                admin=302,
                kepala_opd=302,
                kepala_lain=(302, 404),
            )
        },
    ),
    # The monitor (issue 15): the city for BKD, an OPD for its kepala, a team for its atasan.
    "monitoring.index": (
        url("/monitor"),
        {
            "GET": only(
                atasan=302,
                atasan_pp=302,
                verifikator=200,
                admin=200,
                kepala_opd=302,
                kepala_lain=302,
            )
        },
    ),
    "monitoring.opd": (
        urls("/monitor/opd/{opd_a}", "/monitor/opd/{opd_b}?live=1"),
        {
            "GET": only(
                default=404,
                verifikator=200,
                admin=200,
                kepala_opd=(200, 404),
                kepala_lain=(404, 200),
            )
        },
    ),
    "monitoring.team": (
        [
            Obj(lambda o: f"/monitor/team/{_employee_id(o['nip']['kasi'])}?format=csv"),
            Obj(lambda o: f"/monitor/team/{_employee_id(o['nip']['kasi_b'])}"),
        ],
        {
            "GET": only(
                default=404,
                atasan=(200, 404),
                verifikator=200,
                admin=200,
                kepala_opd=(200, 404),
                kepala_lain=(404, 200),
            )
        },
    ),
    "monitoring.list": (
        urls("/monitor/list", "/monitor/list?opd={opd_b}&format=xlsx"),
        {
            "GET": only(
                pegawai=(403, 404),
                atasan=(200, 404),
                atasan_pp=(200, 404),
                verifikator=200,
                admin=200,
                kepala_opd=(200, 404),
                kepala_lain=200,
            )
        },
    ),
    # Bottlenecks (issue 15): the city's watchers see the city, a kepala OPD their OPD (another
    # OPD: 404); admin BKD reminds anyone, the kepala OPD those of their OPD, the verifier
    # only watches. The reminder goes to kasi (staf's appraiser) about the plan_review period.
    "monitoring.bottlenecks": (
        urls("/monitor/bottlenecks", "/monitor/bottlenecks?opd={opd_a}"),
        {"GET": only(verifikator=200, admin=200, kepala_opd=200, kepala_lain=(200, 404))},
    ),
    "monitoring.bottlenecks_export": (
        urls("/monitor/bottlenecks.csv?opd={opd_a}", "/monitor/bottlenecks.xlsx"),
        {"GET": only(verifikator=200, admin=200, kepala_opd=200, kepala_lain=(404, 200))},
    ),
    "monitoring.remind": (
        [
            Obj(
                lambda o: f"/monitor/bottlenecks/{_employee_id(o['nip']['kasi'])}/remind",
                lambda o: {"period": o["period"]["plan_review"], "opd": o["opd_a"]},
            )
        ],
        # Sent by the first allowed, refused as too soon for the second: a message either way.
        {"POST": only(verifikator=403, admin=303, kepala_opd=303, kepala_lain=404)},
    ),
    "exports.index": (
        url("/exports/"),
        {"GET": only(verifikator=200, admin=200, kepala_opd=200, kepala_lain=200)},
    ),
    "exports.recap": (
        url("/exports/recap.csv?period=" + PERIOD_V + "&opd={opd_a}"),
        {"GET": only(verifikator=200, admin=200, kepala_opd=200, kepala_lain=403)},
    ),
    "exports.distribution": (
        # Each kepala OPD sees the distribution of their own OPD only (filtered, not refused).
        urls(
            "/exports/distribution?period=" + PERIOD_V,
            "/exports/distribution.xlsx?period=" + PERIOD_V,
        ),
        {"GET": only(verifikator=200, admin=200, kepala_opd=200, kepala_lain=200)},
    ),
    # --- the monitor's performance pages (issue 15) -----------------------------------------
    # The city's watchers see the city and any OPD; a kepala OPD their own (without ?opd=
    # their OPD), another OPD is 404; the others watch nothing (403).
    "monitoring.performance": (
        urls("/monitor/kinerja", "/monitor/kinerja?opd={opd_a}"),
        {"GET": only(verifikator=200, admin=200, kepala_opd=200, kepala_lain=(200, 404))},
    ),
    "monitoring.trends": (
        urls("/monitor/kinerja/tren", "/monitor/kinerja/tren?opd={opd_a}"),
        {"GET": only(verifikator=200, admin=200, kepala_opd=200, kepala_lain=(200, 404))},
    ),
    "monitoring.performance_export": (
        urls(
            "/monitor/kinerja/kinerja.csv?opd={opd_a}",
            "/monitor/kinerja/tahunan.xlsx?opd={opd_a}",
        ),
        {"GET": only(verifikator=200, admin=200, kepala_opd=200, kepala_lain=404)},
    ),
    # Everyone's own trend; the public page names nobody and needs no account.
    "monitoring.my_trend": (url("/my-skp/tren"), {"GET": only(default=200)}),
    "monitoring.public": (url("/kinerja"), {"GET": everyone(200)}),
    # --- the SKM: public IKM pages, survey reports ------------------------------------------
    "transparency.city": (url("/ikm"), {"GET": everyone(200)}),
    "transparency.unit": (urls("/ikm/PKM-A", "/ikm/NONE"), {"GET": everyone((200, 404))}),
    # Every signed-in person sees the units whose reports they may read (often none).
    "skm_reports.index": (url("/skm/ikm?periode=2026-tw1"), {"GET": only(default=200)}),
    **{
        endpoint: (
            urls(
                "/skm/ikm/{service_unit_a}/" + path + "?periode=2026",
                "/skm/ikm/{service_unit_b}/" + path + "?periode=2026",
            ),
            # Admin BKD every unit; the kepala OPD their OPD's; the unit head (kasi) theirs.
            {
                "GET": only(
                    admin=200, kepala_opd=(200, 403), atasan=(200, 403), kepala_lain=(403, 200)
                )
            },
        )
        for endpoint, path in (
            ("skm_reports.report_pdf", "laporan.pdf"),
            ("skm_reports.responses", "responden.xlsx"),
        )
    },
    # --- the appraisal and its steps -----------------------------------------------------
    "appraisals.detail": (appraisals("draft"), {"GET": visible(200)}),
    "appraisals.act": (
        # Appraisals of their own (in plan_review), so that returning one changes no other row.
        act("act", "return_plan"),
        {
            # Whoever may see the SKP but not take the step is sent back to it.
            "GET": visible(302, atasan=(200, 200, 404)),
            "POST": visible(403, atasan=(302, 302, 404)),
        },
    ),
    # A complaint of DINKES (received): its unit head is the atasan (kasi); the kepala OPD
    # and BKD see it; the kepala of another OPD is refused (403), like everyone else.
    "complaints.index": (
        url("/pengaduan/"),
        {"GET": only(atasan=200, verifikator=200, admin=200, kepala_opd=200, kepala_lain=200)},
    ),
    "complaints.show": (
        url("/pengaduan/{complaint}"),
        {"GET": only(atasan=200, verifikator=200, admin=200, kepala_opd=200)},
    ),
    "complaints.act": (
        # POSTed with the version and no answer: the unit head's form is refused on its field.
        [
            Obj(
                lambda o: f"/pengaduan/{o['complaint']}/act/answer_complaint",
                lambda o: {"version": 1},
            )
        ],
        {
            "GET": only(atasan=200, verifikator=302, admin=302, kepala_opd=302),
            "POST": only(atasan=422),
        },
    ),
    # A pembinaan case is personal: its employee, its atasan (the kasi), the kepala of its
    # OPD and admin BKD see it; anyone else is told nothing (404).
    "pembinaan.index": (url("/pembinaan/"), {"GET": everyone(200, anonymous=LOGIN)}),
    "pembinaan.show": (
        [Obj(lambda o, w=w: f"/pembinaan/{o['pembinaan'][w]}") for w in WHOSE],
        {
            "GET": cells(
                anonymous=(LOGIN, LOGIN, LOGIN),
                pegawai=(200, 404, 404),
                atasan=(200, 200, 404),
                atasan_pp=(404, 404, 404),
                verifikator=(404, 404, 404),
                admin=(200, 200, 200),
                kepala_opd=(200, 200, 404),
                kepala_lain=(404, 404, 200),
            )
        },
    ),
    "pembinaan.act": (
        # POSTed with the version and no plan: the atasan's form is refused on its field.
        [
            Obj(
                lambda o: f"/pembinaan/{o['pembinaan']['own']}/act/submit_pembinaan_plan",
                lambda o: {"version": 1},
            )
        ],
        {
            "GET": only(default=404, pegawai=302, atasan=200, admin=302, kepala_opd=302),
            "POST": only(default=404, pegawai=403, atasan=422, admin=403, kepala_opd=403),
        },
    ),
    "appraisals.reassign": (
        # The permission is checked before the appraisal is even loaded.
        appraisals("draft", "/reassign"),
        {"POST": only(admin=302)},
    ),
    "skp.plan": (
        appraisals("draft", "/plan"),
        {"GET": visible(200), "POST": visible(403, pegawai=(422, 404, 404))},
    ),
    "skp.copy_plan": (
        appraisals("draft", "/plan/copy"),
        {"POST": visible(403, pegawai=(400, 404, 404))},
    ),
    "skp.expectations": (
        appraisals("plan_review", "/expectations"),
        {"GET": visible(200), "POST": visible(403, atasan=(422, 422, 404))},
    ),
    # The matriks peran hasil of an SKP: seen by whoever sees the SKP, edited by its owner
    # (the atasan of the staff it lists); the minimal POST names no cell (refused, 422).
    "cascade.matrix_page": (
        appraisals("self_assessment", "/matriks"),
        {"GET": visible(200), "POST": visible(403, pegawai=(422, 404, 404))},
    ),
    # Clearing a cell that is not there tells the owner so (302) and no one else anything.
    "cascade.remove_cell": (
        appraisals("self_assessment", "/matriks/999999/hapus"),
        {"POST": visible(403, pegawai=(302, 404, 404))},
    ),
    # A tim kerja's RHK, given in the matriks peran hasil by its owner; OPD A has a team in
    # that period, so the owner's minimal POST is refused on its fields (422).
    "cascade.assign_team_page": (
        appraisals("self_assessment", "/matriks/tim"),
        {"POST": visible(403, pegawai=(422, 404, 404))},
    ),
    "cascade.remove_team": (
        appraisals("self_assessment", "/matriks/tim/999999/hapus"),
        {"POST": visible(403, pegawai=(302, 404, 404))},
    ),
    # Tim kerja: formed and edited by the kepala OPD (their own OPD's) and admin BKD; the
    # team's lead and members (staf leads OPD A's team, staf2 is in it) read it.
    "cascade.teams": (
        url("/tim-kerja"),
        {"GET": only(admin=200, kepala_opd=200, kepala_lain=200)},
    ),
    "cascade.new_team": (
        url("/tim-kerja/baru?opd={opd_a}&period=" + PERIOD_V),
        {"GET": only(admin=200, kepala_opd=200), "POST": only(admin=422, kepala_opd=422)},
    ),
    "cascade.team": (
        url("/tim-kerja/{tim_kerja}"),
        {
            "GET": only(admin=200, kepala_opd=200, pegawai=200),
            "POST": only(admin=422, kepala_opd=422),
        },
    ),
    "cascade.coverage": (
        url("/kaskade"),
        {"GET": only(verifikator=200, admin=200, kepala_opd=200, kepala_lain=200)},
    ),
    # Calibration: the kepala OPD of the OPD asks; BKD looks; nobody else.
    "calibration.index": (
        url("/kalibrasi"),
        {"GET": only(verifikator=200, admin=200, kepala_opd=200, kepala_lain=200)},
    ),
    "calibration.ask": (
        url("/kalibrasi/" + PERIOD_V + "/{opd_a}"),
        {"POST": only(kepala_opd=422)},
    ),
    "calibration.sign": (
        url("/kalibrasi/" + PERIOD_V + "/{opd_a}/penetapan"),
        {"POST": only(kepala_opd=422)},
    ),
    # No penetapan exists in the matrix's organisation: 404 for all who may look, and the rest.
    "calibration.penetapan_pdf": (
        url("/kalibrasi/penetapan/999999.pdf"),
        {"GET": only(default=404)},
    ),
    # The Perjanjian Kinerja: read by BKD and the kepala OPD, written by admin BKD and the
    # OPD's own kepala; a minimal POST is incomplete (422) or names no indicator (404).
    "pk.index": (
        url("/pk"),
        {"GET": only(verifikator=200, admin=200, kepala_opd=200, kepala_lain=200)},
    ),
    "pk.new_sasaran": (
        url("/pk/{opd_a}/2026/sasaran"),
        {"POST": only(admin=422, kepala_opd=422)},
    ),
    "pk.new_indikator": (
        url("/pk/{opd_a}/2026/indikator"),
        {"POST": only(admin=422, kepala_opd=422)},
    ),
    # Another OPD's kepala may not record it; the minimal POST names no quarter (422).
    "pk.realisasi": (
        url("/pk/indikator/{pk_indikator}/realisasi"),
        {"POST": only(admin=422, kepala_opd=422)},
    ),
    "pk.link": (url("/pk/{opd_a}/2026/tautan"), {"POST": only(admin=422, kepala_opd=422)}),
    # The PK's figure becomes the OPD's capaian: admin BKD (or the pimpinan above the OPD).
    "pk.apply": (url("/pk/{opd_a}/2026/terapkan"), {"POST": only(admin=422)}),
    "skp.dialog": (
        appraisals("self_assessment", "/dialog"),
        {
            "GET": visible(200),
            "POST": visible(403, pegawai=(422, 404, 404), atasan=(422, 422, 404)),
        },
    ),
    "skp.realisasi": (appraisals("self_assessment", "/realisasi"), {"GET": visible(200)}),
    # Umpan balik berkelanjutan: read by all who see the SKP; the atasan and the pegawai post.
    "skp.iki_feedback": (
        iki_thread(),
        {
            "GET": visible(200),
            "POST": visible(403, pegawai=(422, 404, 404), atasan=(422, 422, 404)),
        },
    ),
    "skp.record_realisasi": (
        appraisals("self_assessment", "/realisasi"),
        {"POST": visible(403, pegawai=(422, 404, 404))},
    ),
    "skp.add_evidence_file": (per_iki("file"), {"POST": visible(403, pegawai=(422, 404, 404))}),
    "skp.add_evidence_link": (per_iki("link"), {"POST": visible(403, pegawai=(422, 404, 404))}),
    "skp.withdraw_evidence": (
        evidence("/remove"),
        {"POST": visible(403, pegawai=(400, 404, 404))},
    ),
    # Files and documents are not behind the sign-in page: 404 to whoever may not see them.
    "skp.download_evidence": (
        evidence(),
        {"GET": visible(200, anonymous=(404, 404, 404))},
    ),
    "skp.document": (
        appraisals("final", "/document"),
        {"GET": visible(200, anonymous=(404, 404, 404))},
    ),
    "skp.document_pdf": (
        appraisals("final", "/document.pdf"),
        {"GET": visible(200, anonymous=(404, 404, 404))},
    ),
    # The signing certificate is no secret, but it is served to signed-in users only.
    "skp.signing_certificate": (url("/documents/certificate.pem"), {"GET": only(default=200)}),
    "skp.peer_survey": (
        # Only the appraiser asks and reads; the minimal POST chooses nobody (refused, 422).
        appraisals("self_assessment", "/peer-survey"),
        {"GET": visible(403, atasan=(200, 200, 404)), "POST": visible(403, atasan=(422, 422, 404))},
    ),
    "skp.peer_answer": (
        # Only an invited colleague with an open invite: staf (pegawai), kabid and kadis.
        url("/peer-surveys/{peer_survey}/answer"),
        {
            "GET": only(404, pegawai=200, atasan_pp=200, kepala_opd=200),
            "POST": only(404, pegawai=422, atasan_pp=422, kepala_opd=422),
        },
    ),
    "skp.review": (
        appraisals("supervisor_review", "/review"),
        {"GET": visible(403, atasan=(200, 200, 404)), "POST": visible(403, atasan=(422, 422, 404))},
    ),
    # The rencana pengembangan (issue 16): everyone who sees the SKP reads it; the appraiser
    # records needs and actions at review; no plan exists here, so no item is found.
    "development.plan": (
        skp_pages("supervisor_review", "/pengembangan"),
        {"GET": visible(200)},
    ),
    "development.add_need_view": (
        skp_pages("supervisor_review", "/pengembangan/kebutuhan"),
        {"POST": visible(403, atasan=(422, 422, 404))},
    ),
    "development.add_action_view": (
        skp_pages("supervisor_review", "/pengembangan/aksi"),
        {"POST": visible(403, atasan=(422, 422, 404))},
    ),
    "development.remove": (
        skp_pages("supervisor_review", "/pengembangan/need/999999/hapus"),
        {"POST": visible(403, atasan=(303, 303, 404))},
    ),
    # Without a plan there is nothing to answer: the appraisee is told so.
    "development.answer": (
        skp_pages("supervisor_review", "/pengembangan/jawaban"),
        {"POST": visible(403, pegawai=(303, 404, 404))},
    ),
    # The appraisee and the appraiser record progress; no such action here: told so.
    "development.done": (
        skp_pages("supervisor_review", "/pengembangan/aksi/999999/selesai"),
        {"POST": visible(403, pegawai=(303, 404, 404), atasan=(303, 303, 404))},
    ),
    "development.certificate": (
        skp_pages("supervisor_review", "/pengembangan/aksi/999999/sertifikat"),
        {"GET": visible(404)},
    ),
    # Training and sosialisasi events: admin BKD; the sosialisasi table for BKD.
    "training.index": (url("/pelatihan"), {"GET": only(admin=200)}),
    "training.new": (url("/pelatihan/baru"), {"GET": only(admin=200), "POST": only(admin=422)}),
    "training.event": (url("/pelatihan/{training_event}"), {"GET": only(admin=200)}),
    "training.mark": (url("/pelatihan/{training_event}/hadir"), {"POST": only(admin=422)}),
    "training.import_dry_run": (
        url("/pelatihan/{training_event}/impor"),
        {"POST": only(admin=422)},
    ),
    # No NIPs posted: a bad request, nothing marked.
    "training.import_apply": (
        url("/pelatihan/{training_event}/impor/terapkan"),
        {"POST": only(admin=400)},
    ),
    "training.upload_certificate": (
        url("/pelatihan/{training_event}/peserta/{training_attendance}/sertifikat"),
        {"POST": only(admin=422)},
    ),
    # No certificate stored yet: not found for admin and the attendee; the others refused alike.
    "training.certificate": (
        url("/pelatihan/{training_event}/peserta/{training_attendance}/sertifikat"),
        {"GET": only(default=404)},
    ),
    "training.sosialisasi": (
        url("/pelatihan/sosialisasi"),
        {"GET": only(admin=200, verifikator=200)},
    ),
    "development.mine": (url("/pengembangan"), {"GET": only(default=200)}),
    # Kepala OPD see their own OPD's JP coverage; BKD every OPD's.
    "development.coverage": (
        url("/pengembangan/opd"),
        {"GET": only(admin=200, verifikator=200, kepala_opd=200, kepala_lain=200)},
    ),
    "development.needs": (
        url("/pengembangan/kebutuhan"),
        {"GET": only(admin=200, verifikator=200)},
    ),
    "development.needs_export": (
        url("/pengembangan/kebutuhan.csv"),
        {"GET": only(admin=200, verifikator=200)},
    ),
    "skp.verification": (
        appraisals(VERIFICATION, "/verification"),
        {"GET": visible(403, verifikator=(200, 200, 200))},
    ),
    "skp.objection": (
        appraisals("objection", "/objection"),
        {
            # kepala_lain heads OPD B: the atasan of kasi_b, staf_b's appraiser.
            "GET": visible(403, atasan_pp=(200, 200, 404), kepala_lain=(404, 404, 200)),
            "POST": visible(403, atasan_pp=(422, 422, 404), kepala_lain=(404, 404, 422)),
        },
    ),
    "skp.verification_index": (
        url("/verification"),
        {"GET": only(verifikator=200, admin=200)},
    ),
    "skp.verification_opd": (
        url("/verification/" + PERIOD_V + "/opd/{opd_a}"),
        {"GET": only(verifikator=200, admin=200)},
    ),
    "skp.verification_finalise": (
        url("/verification/" + PERIOD_V + "/opd/{opd_a}/finalise"),
        {"POST": only(verifikator=422)},
    ),
    # Capaian kinerja organisasi: staff read their own OPD's, BKD every OPD's; the
    # pimpinan above (nobody here holds the parent of OPD A's head) or admin BKD sets one.
    "skp.org_achievements": (
        url("/org-achievement?opd={opd_a}"),
        {"GET": only(default=200, kepala_lain=403)},
    ),
    "skp.org_achievement_edit": (
        url("/org-achievement/" + PERIOD_V + "/{opd_a}/0"),
        {"GET": only(admin=200), "POST": only(admin=422)},
    ),
    # The table capaian -> organisation predikat: published to all staff, edited by admin BKD.
    "skp.org_predikat_table": (url("/org-predikat-table"), {"GET": everyone(200, LOGIN)}),
    "skp.org_predikat_table_edit": (
        url("/admin/org-predikat-table"),
        {"GET": only(admin=200), "POST": only(admin=422)},
    ),
    # --- administration (admin BKD; the employee pages also for verifiers) ----------------
    "admin.appraiser_rules": (
        url("/admin/appraiser-rules"),
        {"GET": only(admin=200), "POST": only(admin=422)},
    ),
    # Pengelola kinerja: BKD for any OPD, the kepala OPD for their own.
    "admin.operators": (
        url("/admin/pengelola-kinerja?opd={opd_a}"),
        {"GET": only(admin=200, kepala_opd=200), "POST": only(admin=422, kepala_opd=422)},
    ),
    # The operator's list: nobody in this organisation is a pengelola kinerja.
    "admin.operator_drafts": (url("/admin/pengelola-kinerja/drafts"), {"GET": only()}),
    "admin.remove_operator": (
        url("/admin/pengelola-kinerja/{opd_a}/remove"),
        {"POST": only(admin=400, kepala_opd=400)},
    ),
    "admin.employees": (url("/admin/employees"), {"GET": only(verifikator=200, admin=200)}),
    "admin.employee": (
        url("/admin/employees/{employee}"),
        {"GET": only(verifikator=200, admin=200)},
    ),
    "admin.new_employee": (
        url("/admin/employees/new"),
        {"GET": only(admin=200), "POST": only(admin=200)},
    ),
    "admin.create_account": (
        url("/admin/employees/{employee}/account"),
        {"POST": only(admin=302)},
    ),
    "admin.set_enabled": (
        url("/admin/accounts/{account}/deactivate"),
        {"POST": only(admin=302)},
    ),
    "admin.grant_role": (url("/admin/accounts/{account}/roles"), {"POST": only(admin=302)}),
    "admin.revoke_role": (
        url("/admin/accounts/{account}/roles/verifikator_bkd/revoke"),
        {"POST": only(admin=302)},
    ),
    # Mid-year moves: a mutasi with a new SKP segment; planning exclusions (admin BKD).
    "admin.start_segment_view": (
        url("/admin/employees/{employee}/segment"),
        {"POST": only(admin=302)},
    ),
    "admin.exclusions": (
        url("/admin/exclusions"),
        {"GET": only(admin=200), "POST": only(admin=200)},
    ),
    "admin.delete_exclusion": (
        url("/admin/exclusions/{exclusion}/delete"),
        {"POST": only(admin=302)},
    ),
    "periods.index": (url("/admin/periods/"), {"GET": only(admin=200)}),
    "periods.new": (url("/admin/periods/new"), {"GET": only(admin=200), "POST": only(admin=200)}),
    "periods.edit": (
        url("/admin/periods/{spare_period}/edit"),
        {"GET": only(admin=200), "POST": only(admin=200)},
    ),
    "periods.open_period": (
        # A closed period: the admin is told it cannot be opened.
        url("/admin/periods/{closed_period}/open"),
        {"GET": only(admin=200), "POST": only(admin=200)},
    ),
    "periods.close": (
        url("/admin/periods/{spare_period}/close"),
        {"GET": only(admin=200), "POST": only(admin=302)},
    ),
    # Reopening needs a reason: the matrix posts none, so the admin is asked for it.
    "periods.reopen": (
        url("/admin/periods/{closed_period}/reopen"),
        {"POST": only(admin=422)},
    ),
    "periods.job": (url("/admin/periods/jobs/{job}"), {"GET": only(admin=200)}),
    "periods.job_status": (url("/admin/periods/jobs/{job}.json"), {"GET": only(admin=200)}),
    "periods.extensions": (
        url("/admin/periods/{spare_period}/extensions"),
        {"GET": only(admin=200), "POST": only(admin=200)},
    ),
    "roster.index": (url("/admin/roster/"), {"GET": only(admin=200), "POST": only(admin=200)}),
    "roster.apply": (url("/admin/roster/apply"), {"POST": only(admin=302)}),
    "roster.template": (url("/admin/roster/template.csv"), {"GET": only(admin=200)}),
    "notifications.outbox_index": (url("/admin/outbox"), {"GET": only(admin=200)}),
    "notifications.outbox_message": (url("/admin/outbox/{message}"), {"GET": only(admin=200)}),
    "notifications.outbox_requeue": (
        url("/admin/outbox/{message}/requeue"),
        {"POST": only(admin=302)},
    ),
    # --- talent mapping and the consequences of a predikat (issue 16) ----------------------
    # BKD and the pimpinan daerah read every OPD and the city; a kepala OPD their own OPD;
    # nobody else (404: the page is not theirs at all). Admin BKD alone sets the tables.
    "talent.index": (
        urls("/talenta/", "/talenta/?opd={opd_a}"),
        {"GET": only(404, verifikator=200, admin=200, kepala_opd=200, kepala_lain=(200, 404))},
    ),
    "talent.succession": (
        urls("/talenta/suksesi", "/talenta/suksesi?opd={opd_a}"),
        {"GET": only(404, verifikator=200, admin=200, kepala_opd=200, kepala_lain=(200, 404))},
    ),
    "talent.export": (
        urls("/talenta/ekspor.csv?opd={opd_a}", "/talenta/ekspor.xlsx"),
        {"GET": only(404, verifikator=200, admin=200, kepala_opd=200, kepala_lain=(404, 200))},
    ),
    "talent.import_scores": (
        url("/talenta/impor"),
        {"GET": only(admin=200), "POST": only(admin=200)},
    ),
    "talent.thresholds": (
        url("/talenta/ambang"),
        {"GET": only(admin=200), "POST": only(admin=200)},
    ),
    "consequences.promotion": (
        url("/konsekuensi/kenaikan-pangkat?opd={opd_a}"),
        {"GET": only(404, verifikator=200, admin=200, kepala_opd=200)},
    ),
    "consequences.rewards": (
        url("/konsekuensi/penghargaan?opd={opd_a}"),
        {"GET": only(404, verifikator=200, admin=200, kepala_opd=200)},
    ),
    "consequences.tpp": (
        url("/konsekuensi/tpp?opd={opd_a}"),
        {"GET": only(404, verifikator=200, admin=200, kepala_opd=200)},
    ),
    "consequences.tpp_export": (
        url("/konsekuensi/tpp.xlsx?opd={opd_a}&month=3"),
        {"GET": only(404, verifikator=200, admin=200, kepala_opd=200)},
    ),
    "consequences.tpp_table": (
        url("/konsekuensi/tabel-tpp"),
        {"GET": only(admin=200), "POST": only(admin=200)},
    ),
    "consequences.credits": (
        url("/konsekuensi/angka-kredit?opd={opd_a}"),
        {"GET": only(404, verifikator=200, admin=200, kepala_opd=200)},
    ),
    "consequences.employee_credits": (
        # An analis SDM (a jabatan fungsional) of BKD without an account: BKD reads it.
        url("/konsekuensi/angka-kredit/{employee}"),
        {"GET": only(404, verifikator=200, admin=200)},
    ),
    "notifications.outbox_requeue_dead": (
        url("/admin/outbox/requeue-dead"),
        {"POST": only(admin=302)},
    ),
}

SKIPPED_ENDPOINTS = {"static", "bootstrap.static"}
# These end the session they are sent with: the subject signs in afresh afterwards.
SESSION_ENDING = {"auth.logout", "auth.sign_out_everywhere"}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint not in SKIPPED_ENDPOINTS:
            yield rule, (rule.methods or set()) - {"HEAD", "OPTIONS"}


def test_every_route_has_an_entry(plain_app):
    """A new route (or method) without an expectation fails here."""
    endpoints = {rule.endpoint for rule, _methods in _rules(plain_app)}
    assert set(ROUTES) == endpoints
    for rule, methods in _rules(plain_app):
        objects, tables = ROUTES[rule.endpoint]
        assert methods == set(tables), f"{rule.rule}: methods {methods} vs table {set(tables)}"
        for method, table in tables.items():
            assert set(table) == set(ORDER)
            for subject, row in table.items():
                assert len(row) in (1, len(objects)), (rule.endpoint, method, subject)


def _outcome(response) -> int | str:
    if response.status_code == 302 and "/login" in response.headers.get("Location", ""):
        return LOGIN
    return response.status_code


@pytest.fixture
def org(app, tmp_path, monkeypatch):
    # Hundreds of sign-ins and auth posts from one address: lift the per-IP budget.
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "100000 per minute")
    monkeypatch.setitem(app.config, "SKM_RATE_LIMIT", "100000 per minute")
    # Each role fetches every PDF (documents, penetapan, posters, SKM reports): more than a
    # person's render quota in a minute. The quota has its own test (test_quotas.py).
    monkeypatch.setitem(app.config, "RENDER_RATE_LIMIT", "100000 per minute")
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", tmp_path / "evidence")
    return build_org(tmp_path / "evidence")


class Subjects:
    """One signed-in browser per subject, signed in again after a session-ending request."""

    def __init__(self, app, org):
        self.app, self.org, self.browsers = app, org, {}

    def __call__(self, subject: str) -> Browser:
        if subject not in self.browsers:
            browser = Browser(self.app.test_client())
            key = SUBJECTS[subject]
            if key is not None:
                assert browser.login(self.org["nip"][key]).status_code == 302, subject
            self.browsers[subject] = browser
        return self.browsers[subject]

    def forget(self, subject: str) -> None:
        self.browsers.pop(subject, None)


def _cases():
    """(endpoint, method, subject, object index, expected): refusals first, sign-outs last."""
    cases = []
    for endpoint, (objects, tables) in ROUTES.items():
        for method, table in tables.items():
            for subject in ORDER:
                row = table[subject]
                for index in range(len(objects)):
                    expected = row[0] if len(row) == 1 else row[index]
                    cases.append((endpoint, method, subject, index, expected))
    return sorted(cases, key=lambda case: (case[0] in SESSION_ENDING, case[4] not in REFUSED))


def test_route_role_matrix(app, org):
    subjects = Subjects(app, org)
    wrong = []
    for endpoint, method, subject, index, expected in _cases():
        obj = ROUTES[endpoint][0][index]
        browser = subjects(subject)
        context = org | {"me": SUBJECTS[subject]}
        target = obj.url(context)
        if method == "GET":
            response = browser.get(target)
        else:
            response = browser.post(target, obj.data(context))
        got = _outcome(response)
        response.close()
        if endpoint in SESSION_ENDING:
            subjects.forget(subject)
        if got != expected:
            wrong.append(f"{method} {target} ({endpoint}) as {subject}: {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)


# --- CSRF ----------------------------------------------------------------------------------


def _writer(endpoint: str, tables: dict) -> tuple[str, str]:
    """A method that writes, and a subject allowed to use it on the first object."""
    for method in sorted(WRITE_METHODS & set(tables)):
        if endpoint in SESSION_ENDING:  # answered with the sign-in page, for everyone
            return method, "pegawai"
        for subject in ORDER:
            if tables[method][subject][0] not in REFUSED:
                return method, subject
    raise AssertionError("no subject may post here")


def test_every_state_changing_route_refuses_a_missing_or_foreign_csrf_token(app, org):
    subjects = Subjects(app, org)
    stranger = Browser(app.test_client())
    stranger.login(org["nip"]["staf2"])
    foreign_token = stranger.csrf_token("/account")
    checked, wrong = 0, []
    for endpoint, (objects, tables) in ROUTES.items():
        if not WRITE_METHODS & set(tables):
            continue
        method, subject = _writer(endpoint, tables)
        browser = subjects(subject)
        context = org | {"me": SUBJECTS[subject]}
        target, data = objects[0].url(context), objects[0].data(context)
        for label, token in (("no token", None), ("another session's token", foreign_token)):
            before = snapshot()
            sent = data | ({"csrf_token": token} if token else {})
            response = browser.client.open(
                target, method=method, data=sent, headers={"Accept": "text/html"}
            )
            page = response.get_data(as_text=True)
            if response.status_code != 400 or "Formulir kedaluwarsa" not in page:
                wrong.append(f"{method} {target} as {subject}, {label}: {response.status_code}")
            if snapshot() != before:
                wrong.append(f"{method} {target} as {subject}, {label}: data changed")
            checked += 1
    assert checked >= 2 * 30  # every state-changing route, twice
    assert not wrong, "\n".join(wrong)
