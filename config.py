"""Settings, all read from the environment.

`APP_ENV` picks the class: development (default), test or production. Production refuses to
start without a real SECRET_KEY.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _instance_dir() -> Path:
    """Where the SQLite database lives: AFTALEHJUL_INSTANCE_DIR if set, else `instance/` in the
    checkout, or, when installed from the wheel, in the working directory (never inside
    site-packages)."""
    configured = os.environ.get("AFTALEHJUL_INSTANCE_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    if (BASE_DIR / "pyproject.toml").is_file():  # a checkout, or an editable install of one
        return BASE_DIR / "instance"
    return Path.cwd() / "instance"


INSTANCE_DIR = _instance_dir()


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Let people write postgres:// or postgresql:// and still get the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


# The key development runs with when none is set; production refuses to start with it.
DEV_SECRET_KEY = "dev-only-not-secret"


class Config:
    APP_ENV = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'aftalehjul.db'}")
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Sessions and cookies.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    PERMANENT_SESSION_LIFETIME = int(os.environ.get("SESSION_LIFETIME_SECONDS", 8 * 3600))
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead; a long form must not expire
    # A create form must bring back the one-time token its page carried (forms/base.py).
    CREATE_TOKEN_REQUIRED = True
    PROXY_FIX = _bool("PROXY_FIX", False)

    # Login throttling: failures within the window before we refuse further attempts.
    LOGIN_WINDOW_SECONDS = int(os.environ.get("LOGIN_WINDOW_SECONDS", 15 * 60))
    LOGIN_MAX_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5))
    LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", 20))

    # "Glemt adgangskode": requests within the window per e-mail address and per client address
    # before no more e-mails are sent (the page answers the same either way).
    RESET_WINDOW_SECONDS = int(os.environ.get("RESET_WINDOW_SECONDS", 3600))
    RESET_MAX_PER_ACCOUNT = int(os.environ.get("RESET_MAX_PER_ACCOUNT", 3))
    RESET_MAX_PER_ADDRESS = int(os.environ.get("RESET_MAX_PER_ADDRESS", 10))

    # Signed links.
    INVITATION_MAX_AGE_SECONDS = int(os.environ.get("INVITATION_MAX_AGE_SECONDS", 7 * 24 * 3600))
    RESET_MAX_AGE_SECONDS = int(os.environ.get("RESET_MAX_AGE_SECONDS", 3600))

    # Uploads (webapp/uploads.py): one file's limit, and the whole request's a little above it
    # (the form's text travels with the file); a larger request answers 413 in Danish.
    UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
    MAX_CONTENT_LENGTH = UPLOAD_MAX_BYTES + 2 * 1024 * 1024
    # How long a consultation party's personal link (external parties) stays valid.
    CONSULTATION_LINK_MAX_AGE_SECONDS = int(
        os.environ.get("CONSULTATION_LINK_MAX_AGE_SECONDS", 365 * 24 * 3600))

    # Language and time.
    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"
    DISPLAY_TIMEZONE = "Europe/Copenhagen"
    # A fixed "now" (ISO 8601) for demos and tests; empty means the real clock.
    FIXED_NOW = os.environ.get("AFTALEHJUL_NOW", "")

    # E-mail.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Aftalehjul <no-reply@aftalehjul.example>"
    )
    MAIL_TIMEOUT_SECONDS = float(os.environ.get("MAIL_TIMEOUT_SECONDS", 10))
    # How long a sender holds the one message it is sending before another may take it over
    # (never less than one send can take; see mail.sending_lease).
    MAIL_SENDING_LEASE_SECONDS = float(os.environ.get("MAIL_SENDING_LEASE_SECONDS", 120))
    # Development: write e-mails to the log instead of an SMTP server unless one is configured.
    MAIL_SUPPRESS_SEND = _bool("MAIL_SUPPRESS_SEND", "MAIL_SERVER" not in os.environ)
    # Reminders missed by more than this during downtime are logged as skipped, not sent late.
    REMINDER_GRACE_HOURS = int(os.environ.get("REMINDER_GRACE_HOURS", 24))
    # Absolute base for links in e-mails (no request there).
    BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:5000")


class DevelopmentConfig(Config):
    APP_ENV = "development"


class TestConfig(Config):
    APP_ENV = "test"
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("TEST_DATABASE_URL", "sqlite:///:memory:")
    )
    MAIL_SUPPRESS_SEND = True
    FIXED_NOW = ""
    # Tests post forms without tokens; tests/test_security.py switches CSRF on to prove it works.
    WTF_CSRF_ENABLED = False
    # Likewise the create forms' one-time token; tests/test_create_once.py switches it on.
    CREATE_TOKEN_REQUIRED = False
    SERVER_NAME = None
    # Argon2 at full cost makes a suite of hundreds of logins slow; tests use the cheapest.
    ARGON2_TEST_PARAMETERS = True


class ProductionConfig(Config):
    APP_ENV = "production"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def get_config(name: str | None = None) -> type[Config]:
    name = name or os.environ.get("APP_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"Unknown APP_ENV {name!r}; use one of {', '.join(CONFIGS)}") from None
