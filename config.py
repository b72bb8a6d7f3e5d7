"""Configuration classes. The environment is read here and nowhere else."""

import os
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _database_url(default: str | None = None) -> str | None:
    """Read DATABASE_URL, making plain postgresql:// URLs use the psycopg 3 driver."""
    url = os.environ.get("DATABASE_URL", default)
    if url and url.startswith(("postgres://", "postgresql://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _host_list(value: str | None) -> list[str]:
    """A comma-separated list of host names, blanks dropped."""
    return [host.strip() for host in (value or "").split(",") if host.strip()]


_BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")


def _networks(text: str) -> tuple:
    """Comma-separated addresses or networks (CIDR) as ip_network objects."""
    import ipaddress

    return tuple(ipaddress.ip_network(part.strip()) for part in text.split(",") if part.strip())


def _engine_options(behind_pgbouncer: bool) -> dict:
    """Engine options; behind PgBouncer in transaction mode, no server-side prepared statements.

    psycopg 3 prepares a statement on the server after it ran five times; in
    transaction pooling the next transaction may land on another server
    connection, where that statement does not exist.
    """
    options = {"pool_pre_ping": True}
    if behind_pgbouncer:
        options["connect_args"] = {"prepare_threshold": None}
    return options


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = _engine_options(os.environ.get("PGBOUNCER_TRANSACTION_MODE") == "1")
    SQLALCHEMY_RECORD_QUERIES = False

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # "Keep me signed in" lasts at most this long, and only while its session record is valid.
    REMEMBER_COOKIE_DURATION = timedelta(days=int(os.environ.get("REMEMBER_DAYS", "30")))
    # Server-side sessions (UserSession): idle timeout and absolute lifetime.
    SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
    SESSION_MAX_HOURS = int(os.environ.get("SESSION_MAX_HOURS", "12"))
    # last_seen_at is written at most this often, not on every page.
    SESSION_TOUCH_SECONDS = 60
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (0: none).
    PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
    # Host names the app answers to; None accepts any (development, tests).
    TRUSTED_HOSTS = _host_list(os.environ.get("TRUSTED_HOSTS")) or None
    # Sent in production only (HTTPS).
    STRICT_TRANSPORT_SECURITY = None
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = ("id", "en")

    BOOTSTRAP_SERVE_LOCAL = True

    # argon2id; the library defaults follow RFC 9106's second recommendation.
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ARGON2_PARALLELISM = 4

    # Failed sign-ins slow down, they never lock: after LOGIN_FREE_FAILURES failures for an
    # account, the next attempt waits 2^(n - free) seconds (at most LOGIN_MAX_DELAY_SECONDS)
    # unless it comes from an address that has failed fewer than LOGIN_PAIR_FREE_FAILURES
    # times for that account. An address failing for many accounts slows down likewise.
    LOGIN_FREE_FAILURES = 5
    LOGIN_PAIR_FREE_FAILURES = 3
    LOGIN_ADDRESS_FREE_FAILURES = 20
    LOGIN_MAX_DELAY_SECONDS = 15 * 60
    # A counter whose last failure is older than this starts again from zero.
    LOGIN_FAILURE_MEMORY_HOURS = 24
    LOGIN_RATE_LIMIT = "30 per minute"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True

    PASSWORD_RESET_MAX_AGE = 3600

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_USE_SSL = os.environ.get("MAIL_USE_SSL", "0") == "1"
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "SIKAP <sikap@pemkomedan.go.id>")
    # Seconds to wait for the SMTP server before a batch counts as "server unreachable".
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "30"))
    # Emailed links are signed, bound to their recipient and expire after this many seconds.
    MAIL_LINK_MAX_AGE = int(os.environ.get("MAIL_LINK_MAX_AGE_DAYS", "60")) * 24 * 3600
    # A complainant's contact (pengaduan) is deleted this many days after the case closes.
    COMPLAINT_CONTACT_RETENTION_DAYS = int(os.environ.get("COMPLAINT_CONTACT_RETENTION_DAYS", "90"))
    # Development only: without MAIL_SERVER the worker delivers to the /dev/mail catch-all.
    DEV_MAILBOX = False

    OUTBOX_BATCH_SIZE = int(os.environ.get("OUTBOX_BATCH_SIZE", "100"))
    # A message the server refuses is retried with exponential backoff, dead after N attempts.
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
    OUTBOX_BACKOFF_SECONDS = 30
    OUTBOX_MAX_BACKOFF_SECONDS = 6 * 3600
    # A daily digest lists at most this many items; the rest are counted and left to the inbox.
    DIGEST_MAX_ITEMS = 100

    # The task queue (app.jobs): workers write a heartbeat this often; the jobs of a worker
    # silent for longer than JOBS_STALLED_AFTER_SECONDS are given to another worker.
    JOBS_HEARTBEAT_SECONDS = float(os.environ.get("JOBS_HEARTBEAT_SECONDS", "10"))
    JOBS_STALLED_AFTER_SECONDS = float(os.environ.get("JOBS_STALLED_AFTER_SECONDS", "60"))
    # SQLite only (no procrastinate there): run deferred tasks in-process after the commit.
    JOBS_INLINE = False
    # Employees per transaction (and per progress step) when a period is opened.
    PERIOD_OPEN_CHUNK_SIZE = int(os.environ.get("PERIOD_OPEN_CHUNK_SIZE", "2500"))

    # Take X-Request-ID from the proxy in front (when well-formed); else ids are made here.
    TRUST_REQUEST_ID = os.environ.get("TRUST_REQUEST_ID", "0") == "1"
    # Operations: one JSON line per request on stderr; who may scrape /metrics; whether
    # /readyz waits for a background worker's heartbeat.
    LOG_REQUESTS = os.environ.get("LOG_REQUESTS", "1") == "1"
    METRICS_ALLOWED_NETWORKS = _networks(
        os.environ.get("METRICS_ALLOWED_IPS", "127.0.0.1/32,::1/128")
    )
    READY_REQUIRES_WORKER = os.environ.get("READY_REQUIRES_WORKER", "1") == "1"

    # The public SKM form (app/feedback/public): submissions per client address, how long
    # a form stays valid (seconds), how many days back a service may be rated, and the
    # largest request it reads.
    SKM_RATE_LIMIT = os.environ.get("SKM_RATE_LIMIT", "10 per minute")
    SKM_FORM_TOKEN_MAX_AGE = int(os.environ.get("SKM_FORM_TOKEN_MAX_AGE", "7200"))
    SKM_SERVED_MAX_DAYS = int(os.environ.get("SKM_SERVED_MAX_DAYS", "90"))
    SKM_MAX_REQUEST_BYTES = 256 * 1024

    # Where emailed links point; the address users reach the app at (and the SKM posters' QR).
    BASE_URL = _BASE_URL
    WORKFLOW_DIR = BASE_DIR / "workflows"
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    # Bukti dukung files: outside static, served only through the app's permission check.
    EVIDENCE_DIR = Path(os.environ.get("EVIDENCE_DIR") or INSTANCE_DIR / "evidence")
    EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
    # Certificates of development actions and training (stored beside the bukti dukung).
    CERTIFICATE_MAX_BYTES = 5 * 1024 * 1024
    # Quotas: bukti dukung per IKI (files and links), stored bytes per appraisal, and
    # how often one user may have SIKAP render a PDF or an export.
    EVIDENCE_MAX_PER_IKI = int(os.environ.get("EVIDENCE_MAX_PER_IKI", "10"))
    EVIDENCE_MAX_BYTES_PER_APPRAISAL = (
        int(os.environ.get("EVIDENCE_MAX_MB_PER_APPRAISAL", "100")) * 1024 * 1024
    )
    RENDER_RATE_LIMIT = os.environ.get("RENDER_RATE_LIMIT", "10 per minute")
    # The public IKM pages (/ikm) keep their figures this long per process: a city-wide
    # year of responses is a second of summing, the same for every visitor. 0: off.
    SKM_PUBLIC_CACHE_SECONDS = int(os.environ.get("SKM_PUBLIC_CACHE_SECONDS", "300"))
    # Roster imports: checked before parsing; the upload page lifts MAX_CONTENT_LENGTH to this.
    ROSTER_MAX_BYTES = 50 * 1024 * 1024
    ROSTER_MAX_ROWS = 100_000
    # A checked file waits here (outside static) until it is applied, for this long.
    ROSTER_UPLOAD_DIR = Path(os.environ.get("ROSTER_UPLOAD_DIR") or INSTANCE_DIR / "roster")
    ROSTER_TOKEN_MAX_AGE = 3600
    # The PAdES signature on final documents (app/skp/document/signing.py): a PKCS#12
    # file with the key and certificate (the city's BSrE certificate in production).
    # With DOCUMENT_SIGNING_SELF_SIGNED a missing file is created with a self-signed one.
    DOCUMENT_SIGNING_P12 = os.environ.get("DOCUMENT_SIGNING_P12")
    DOCUMENT_SIGNING_PASSWORD = os.environ.get("DOCUMENT_SIGNING_PASSWORD")
    DOCUMENT_SIGNING_SELF_SIGNED = os.environ.get("DOCUMENT_SIGNING_SELF_SIGNED") == "1"


class DevelopmentConfig(Config):
    """Local development: SQLite under instance/, a fixed insecure key."""

    DEBUG = True
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    DEV_MAILBOX = True
    JOBS_INLINE = True
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'sikap.sqlite'}")
    # Jobs run in the web process after each commit here (JOBS_INLINE): no worker to wait for.
    READY_REQUIRES_WORKER = False
    DOCUMENT_SIGNING_P12 = os.environ.get("DOCUMENT_SIGNING_P12") or str(
        INSTANCE_DIR / "document-signing.p12"
    )
    DOCUMENT_SIGNING_SELF_SIGNED = True


class TestingConfig(Config):
    """Test runs; the database URL is given by the test fixtures."""

    TESTING = True
    SECRET_KEY = "test-only-not-secret"
    LOG_REQUESTS = False
    READY_REQUIRES_WORKER = False
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    # Cheap hashing in tests only.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1
    RATELIMIT_STORAGE_URI = "memory://"
    # Every request computes: the tests count the statements a page really needs.
    SKM_PUBLIC_CACHE_SECONDS = 0
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 1
    # One self-signed certificate per machine for every test process (made once, kept).
    DOCUMENT_SIGNING_P12 = str(Path(tempfile.gettempdir()) / "sikap-test-document-signing.p12")
    DOCUMENT_SIGNING_SELF_SIGNED = True


class ProductionConfig(Config):
    """Production: PostgreSQL and a real secret are required."""

    # __Host- cookies: Secure, Path=/ and no Domain, so no other host can set or read them.
    SESSION_COOKIE_NAME = "__Host-sikap"
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_PATH = "/"
    REMEMBER_COOKIE_NAME = "__Host-sikap-remember"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_PATH = "/"
    PREFERRED_URL_SCHEME = "https"
    STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
    # Unknown Host headers are refused (400); by default only BASE_URL's host is served.
    TRUSTED_HOSTS = _host_list(os.environ.get("TRUSTED_HOSTS")) or [urlsplit(_BASE_URL).hostname]

    @classmethod
    def validate(cls) -> None:
        """Refuse to start without the settings production cannot guess."""
        missing = [
            name for name in ("SECRET_KEY", "SQLALCHEMY_DATABASE_URI") if not getattr(cls, name)
        ]
        if missing:
            names = ", ".join("DATABASE_URL" if m.startswith("SQLALCHEMY") else m for m in missing)
            raise RuntimeError(f"Production configuration is missing: {names}")
        certificate = cls.DOCUMENT_SIGNING_P12
        if certificate and not cls.DOCUMENT_SIGNING_SELF_SIGNED and not Path(certificate).is_file():
            raise RuntimeError(f"DOCUMENT_SIGNING_P12 names no file: {certificate}")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_env() -> type[Config]:
    """Pick the configuration class named by SIKAP_ENV; there is no default (fail closed)."""
    name = os.environ.get("SIKAP_ENV", "")
    if name not in CONFIGS:
        given = f"{name!r} is not one of them" if name else "it is not set"
        raise RuntimeError(
            f"Set SIKAP_ENV to one of {', '.join(CONFIGS)} ({given}); `make run` sets development"
        )
    return CONFIGS[name]
