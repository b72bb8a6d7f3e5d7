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


@pytest.mark.parametrize("value", [None, "", "prod", "Development"])
def test_without_a_known_sikap_env_the_app_refuses_to_start(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("SIKAP_ENV", raising=False)
    else:
        monkeypatch.setenv("SIKAP_ENV", value)
    with pytest.raises(RuntimeError, match="SIKAP_ENV"):
        config.config_from_env()
    with pytest.raises(RuntimeError, match="SIKAP_ENV"):
        create_app()


@pytest.mark.parametrize("value", ["development", "testing", "production"])
def test_sikap_env_names_the_configuration(monkeypatch, value):
    monkeypatch.setenv("SIKAP_ENV", value)
    assert config.config_from_env() is config.CONFIGS[value]


@pytest.fixture
def production(monkeypatch, tmp_path):
    """The production configuration with the two settings it cannot guess."""
    monkeypatch.setattr(config.ProductionConfig, "SECRET_KEY", "s3cret")
    monkeypatch.setattr(
        config.ProductionConfig, "SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path / 'p.sqlite'}"
    )
    monkeypatch.setattr(config.ProductionConfig, "BASE_URL", "https://sikap.pemkomedan.go.id")
    monkeypatch.setattr(
        config.ProductionConfig, "TRUSTED_HOSTS", ["sikap.pemkomedan.go.id", "sikap.internal"]
    )
    return create_app(config.ProductionConfig)


def test_production_refuses_unknown_hosts(production):
    client = production.test_client()
    hostile = client.get("/login", base_url="https://evil.example")
    assert hostile.status_code == 400
    assert client.get("/login", base_url="https://sikap.pemkomedan.go.id").status_code == 200
    assert client.get("/login", base_url="https://sikap.internal:8443").status_code == 200


def test_production_trusts_by_default_only_the_host_of_base_url(monkeypatch):
    monkeypatch.setenv("BASE_URL", "https://sikap.pemkomedan.go.id/")
    monkeypatch.delenv("TRUSTED_HOSTS", raising=False)
    import importlib

    fresh = importlib.reload(config)
    try:
        assert fresh.ProductionConfig.TRUSTED_HOSTS == ["sikap.pemkomedan.go.id"]
        assert fresh.DevelopmentConfig.TRUSTED_HOSTS is None
        monkeypatch.setenv("TRUSTED_HOSTS", "sikap.pemkomedan.go.id, sikap.internal ,")
        fresh = importlib.reload(config)
        assert fresh.ProductionConfig.TRUSTED_HOSTS == ["sikap.pemkomedan.go.id", "sikap.internal"]
    finally:
        monkeypatch.undo()
        importlib.reload(config)


def test_production_cookies_have_the_host_prefix_and_hsts_is_sent(production):
    client = production.test_client()
    response = client.get("/login", base_url="https://sikap.pemkomedan.go.id")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    (cookie,) = response.headers.getlist("Set-Cookie")
    assert cookie.startswith("__Host-sikap=")
    attributes = [part.strip() for part in cookie.split(";")[1:]]
    assert "Secure" in attributes and "Path=/" in attributes and "HttpOnly" in attributes
    assert not any(part.lower().startswith("domain=") for part in attributes)
    assert production.config["REMEMBER_COOKIE_NAME"] == "__Host-sikap-remember"
    assert production.config["REMEMBER_COOKIE_SECURE"] is True
    assert production.config["REMEMBER_COOKIE_PATH"] == "/"
    assert production.config.get("REMEMBER_COOKIE_DOMAIN") is None


def test_no_hsts_outside_production(plain_app):
    response = plain_app.test_client().get("/login")
    assert "Strict-Transport-Security" not in response.headers
