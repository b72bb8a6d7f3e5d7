"""Admin pages: which role reaches which page, and what they refuse."""

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Account, Employee, OutboxMessage
from tests.factories import make_account, make_employee, make_opd, make_position


@pytest.fixture
def people(app):
    """A pegawai, a kepala OPD, a BKD verifier and a BKD admin, each with an account."""
    opd = make_opd()
    head = make_position(opd, "Kepala Dinas Kesehatan", "jpt")
    staff = make_position(opd, "Pengadministrasi Umum", "pelaksana", head)
    bkd = make_opd("BKPSDM", "Badan Kepegawaian", "badan")
    bkd_staff = make_position(bkd, "Analis SDM Aparatur", "fungsional")
    return {
        "pegawai": make_account(make_employee("Pegawai", staff)),
        "kepala_opd": make_account(make_employee("Kepala", head)),
        "verifikator": make_account(
            make_employee("Verifikator", bkd_staff), roles=("verifikator_bkd",)
        ),
        "admin": make_account(make_employee("Admin", bkd_staff), roles=("admin_bkd",)),
        "target": make_employee("Target", staff, email="target@pemkomedan.go.id"),
    }


def _pages(people):
    target = people["target"]
    account = people["pegawai"]
    return {
        "employees": ("GET", "/admin/employees", {}),
        "employee": ("GET", f"/admin/employees/{target.id}", {}),
        "new_employee": ("GET", "/admin/employees/new", {}),
        "create_account": ("POST", f"/admin/employees/{target.id}/account", {}),
        "deactivate": ("POST", f"/admin/accounts/{account.id}/deactivate", {}),
        "grant_role": ("POST", f"/admin/accounts/{account.id}/roles", {"role": "verifikator_bkd"}),
        "revoke_role": ("POST", f"/admin/accounts/{account.id}/roles/admin_bkd/revoke", {}),
    }


# page -> roles that reach it; everyone else gets 403 (anonymous: the sign-in page)
ACCESS = {
    "employees": {"verifikator", "admin"},
    "employee": {"verifikator", "admin"},
    "new_employee": {"admin"},
    "create_account": {"admin"},
    "deactivate": {"admin"},
    "grant_role": {"admin"},
    "revoke_role": {"admin"},
}


@pytest.mark.parametrize("page", sorted(ACCESS))
@pytest.mark.parametrize("who", ["anonymous", "pegawai", "kepala_opd", "verifikator", "admin"])
def test_role_reaches_admin_page_or_gets_403(people, browser, who, page):
    if who != "anonymous":
        browser.login(people[who].employee.nip)
    method, url, data = _pages(people)[page]
    response = browser.get(url) if method == "GET" else browser.post(url, data)
    if who == "anonymous":
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    elif who in ACCESS[page]:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403
        assert "Akses ditolak" in response.get_data(as_text=True)


def test_search_employees_by_nip_prefix_and_name(people, browser):
    browser.login(people["admin"].employee.nip)
    by_name = browser.get("/admin/employees?q=targ").get_data(as_text=True)
    assert "Target" in by_name and "Verifikator" not in by_name
    nip = people["target"].nip
    by_nip = browser.get(f"/admin/employees?q={nip}").get_data(as_text=True)
    assert f'/admin/employees/{people["target"].id}"' in by_nip
    assert f'/admin/employees/{people["pegawai"].employee.id}"' not in by_nip


def _employee_form(position_id=0, **overrides):
    data = {
        "nip": "199001012015031002",
        "name": "Dewi Lestari Harahap, S.E.",
        "pangkat_golongan": "Penata (III/c)",
        "status": "PNS",
        "email": "dewi.harahap@pemkomedan.go.id",
        "phone": "081234567890",
        "position_id": position_id,
    }
    data.update(overrides)
    return data


def test_admin_adds_an_employee(people, browser):
    browser.login(people["admin"].employee.nip)
    response = browser.post("/admin/employees/new", _employee_form())
    assert response.status_code == 302
    employee = db.session.scalars(
        sa.select(Employee).where(Employee.nip == "199001012015031002")
    ).one()
    assert employee.name == "Dewi Lestari Harahap, S.E."


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nip": "12345"}, "NIP harus tepat 18 digit."),
        (
            {"nip": "199002302015031002"},
            "Tanggal lahir pada NIP (digit 1-8) bukan tanggal yang sah.",
        ),
        ({"nip": "199001012015031003".replace("1003", "3003")}, "Digit ke-15 NIP"),
        ({"nip": "duplicate"}, "NIP ini sudah terdaftar."),
        ({"email": "TARGET@pemkomedan.go.id"}, "Email ini sudah dipakai pegawai lain."),
        ({"email": "bukan-email"}, "Isi alamat email yang valid."),
        ({"name": ""}, "Isi nama."),
        ({"name": "x" * 201}, "Isian tidak boleh lebih dari 200 karakter."),
        ({"status": "HONORER"}, "Pilihan tidak valid."),
        ({"position_id": "abc"}, "Pilihan tidak valid."),
    ],
)
def test_bad_employee_input_is_refused_on_the_field(people, browser, overrides, message):
    if overrides.get("nip") == "duplicate":
        overrides = {"nip": people["target"].nip}
    before = db.session.scalar(sa.select(sa.func.count(Employee.id)))
    browser.login(people["admin"].employee.nip)
    response = browser.post("/admin/employees/new", _employee_form(**overrides))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "invalid-feedback" in page
    assert message in page
    assert db.session.scalar(sa.select(sa.func.count(Employee.id))) == before


def test_opening_an_account_queues_a_set_password_mail(people, browser):
    browser.login(people["admin"].employee.nip)
    target = people["target"]
    browser.post(f"/admin/employees/{target.id}/account")
    account = db.session.scalars(sa.select(Account).where(Account.employee_id == target.id)).one()
    message = db.session.scalars(sa.select(OutboxMessage)).one()
    assert message.recipient == "target@pemkomedan.go.id"
    assert message.subject == "Akun SIKAP Anda"
    assert "/reset/" in message.body_text
    assert account.is_enabled


def test_account_without_email_is_refused_with_a_message(people, browser):
    people["target"].email = None
    browser.login(people["admin"].employee.nip)
    response = browser.post(
        f"/admin/employees/{people['target'].id}/account", follow_redirects=True
    )
    assert "belum memiliki alamat email" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Account.id))) == 4


def test_deactivating_an_account_ends_its_sessions(people, browser, new_browser):
    victim = new_browser()
    victim.login(people["pegawai"].employee.nip)
    assert victim.get("/").status_code == 200
    browser.login(people["admin"].employee.nip)
    browser.post(f"/admin/accounts/{people['pegawai'].id}/deactivate")
    assert victim.get("/").status_code == 302
    assert victim.login(people["pegawai"].employee.nip).status_code == 200  # refused


def test_granted_role_opens_pages_and_revoking_closes_them(people, browser, new_browser):
    pegawai = new_browser()
    pegawai.login(people["pegawai"].employee.nip)
    assert pegawai.get("/admin/employees").status_code == 403
    browser.login(people["admin"].employee.nip)
    browser.post(f"/admin/accounts/{people['pegawai'].id}/roles", {"role": "verifikator_bkd"})
    assert pegawai.get("/admin/employees").status_code == 200
    browser.post(f"/admin/accounts/{people['pegawai'].id}/roles/verifikator_bkd/revoke")
    assert pegawai.get("/admin/employees").status_code == 403


def test_unknown_role_cannot_be_granted(people, browser):
    browser.login(people["admin"].employee.nip)
    browser.post(f"/admin/accounts/{people['pegawai'].id}/roles", {"role": "superuser"})
    db.session.refresh(people["pegawai"])
    assert people["pegawai"].granted_roles == set()


def test_admin_cannot_lock_themselves_out(people, browser):
    admin = people["admin"]
    browser.login(admin.employee.nip)
    browser.post(f"/admin/accounts/{admin.id}/roles/admin_bkd/revoke")
    browser.post(f"/admin/accounts/{admin.id}/deactivate")
    db.session.refresh(admin)
    assert "admin_bkd" in admin.granted_roles
    assert admin.is_enabled


def test_kepala_opd_is_derived_from_the_top_position(people):
    from app.policy import KEPALA_OPD, roles_of_account

    assert KEPALA_OPD in roles_of_account(people["kepala_opd"])
    assert KEPALA_OPD not in roles_of_account(people["pegawai"])
