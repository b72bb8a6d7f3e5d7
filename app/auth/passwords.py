"""Password hashing with argon2id (parameters from the app configuration) and the rules
a new password must meet (ASVS V6: length, not common, not personal)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

if TYPE_CHECKING:
    from flask_babel import LazyString

    from app.models import Account


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches the stored hash."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def burn_verification(password: str) -> None:
    """Spend the time of one verification, so unknown accounts answer as slowly as known ones."""
    verify_password(_dummy_hash(), password)


_DUMMY: dict[tuple, str] = {}


def _dummy_hash() -> str:
    hasher = _hasher()
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _DUMMY:
        _DUMMY[key] = hasher.hash("not-a-real-password")
    return _DUMMY[key]


# The 10,000 most common passwords, most common first: the head of Django 5.2's
# django/contrib/auth/common-passwords.txt.gz (BSD licence; Royce Williams' list),
# taken from the wheel on PyPI. Compared case-insensitively.
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
MIN_LENGTH = 12
MAX_LENGTH = 128


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased."""
    text = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def _personal_words(account: Account) -> list[str]:
    employee = account.employee
    words = [employee.nip or ""]
    if employee.email:
        local = employee.email.split("@", 1)[0].lower()
        words += [employee.email.lower(), local]
    name = (employee.name or "").lower()
    words += [part for part in re.split(r"[^\w]+", name) if len(part) >= 3]
    words.append(re.sub(r"[^\w]+", "", name))
    return [word for word in words if len(word) >= 3]


def password_problem(password: str, account: Account) -> LazyString | None:
    """Why `password` may not be used by `account` (common, or contains its NIP, name or
    email), else None. Length is checked by the form."""
    value = password.lower()
    if value in common_passwords() or value.strip() in common_passwords():
        return _l("This password is too common. Choose one that is harder to guess.")
    if any(word in value for word in _personal_words(account)):
        return _l("The password must not contain your NIP, name or email.")
    return None
