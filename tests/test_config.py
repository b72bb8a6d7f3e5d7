"""Configuration: production refuses to start without what it cannot guess."""

import pytest

import config
from app import create_app


@pytest.mark.parametrize(
    ("secret", "url", "missing"),
    [
        (None, "postgresql+psycopg://sikap@db/sikap", "SECRET_KEY"),
        ("s3cret", None, "DATABASE_URL"),
        (None, None, "SECRET_KEY, DATABASE_URL"),
    ],
)
def test_production_refuses_to_start_without_secret_or_database(monkeypatch, secret, url, missing):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", secret)
    monkeypatch.setattr(config.ProductionConfig, "SQLALCHEMY_DATABASE_URI", url)
    with pytest.raises(RuntimeError, match=f"missing: {missing}$"):
        create_app(config.ProductionConfig)


def test_production_cookies_are_secure(monkeypatch):
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "s3cret")
    monkeypatch.setattr(
        config.ProductionConfig, "SQLALCHEMY_DATABASE_URI", "postgresql+psycopg://sikap@db/sikap"
    )
    app = create_app(config.ProductionConfig)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["ARGON2_MEMORY_COST"] >= 65536


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.sqlite", "sqlite:///x.sqlite"),
    ],
)
def test_database_url_uses_psycopg3(monkeypatch, given, expected):
    monkeypatch.setenv("DATABASE_URL", given)
    assert config._database_url() == expected


def test_development_defaults_to_sqlite_under_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config._database_url(f"sqlite:///{config.INSTANCE_DIR / 'sikap.sqlite'}").endswith(
        "instance/sikap.sqlite"
    )
