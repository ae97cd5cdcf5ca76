"""Apex settings, read from the environment.

Every value comes from an environment variable with a strict parser: a bad
value stops start-up with a message that names the variable.
"""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from apex.logs import configure_structlog

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {raw!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} must be a comma-separated list and may not be empty.")
    return items


def env_log_level(name: str, default: str) -> str:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    level = raw.strip().upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ImproperlyConfigured(f"{name} must be DEBUG, INFO, WARNING, ERROR or CRITICAL; got {raw!r}.")
    return level


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for local development)."
        )
    SECRET_KEY = "django-insecure-apex-development-only"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
# The container's HEALTHCHECK calls /healthz on localhost; a Host header of
# localhost cannot point a link or an e-mail anywhere an attacker controls.
ALLOWED_HOSTS += [host for host in ("localhost", "127.0.0.1") if host not in ALLOWED_HOSTS]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS. Production (DEBUG off) gets the strict defaults; `make run` (DEBUG
# on) serves plain http, so there they default off. The proxy in front of
# the app terminates TLS and must set (not pass through) X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container healthcheck speaks plain http
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# No inline scripts or styles anywhere (htmx runs with allowEval off and its
# indicator styles in apex.css), so the policy needs no 'unsafe-*' source.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# Feature switch: the public sim-profile directory.
ENABLE_PUBLIC_PROFILES = env_bool("ENABLE_PUBLIC_PROFILES", True)
# Webhook deliveries to private, loopback or link-local addresses (a receiver on this machine or network).
WEBHOOK_PRIVATE_ADDRESSES = env_bool("WEBHOOK_PRIVATE_ADDRESSES", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the built-in widget templates, for FORM_RENDERER
    "django_htmx",
    "ninja",  # the API docs page served from static files (no CDN, no inline script)
    "template_partials",
    "allauth",
    "allauth.account",
    "csp",
    "profiles",
    "racing",
    "library",
    "sims",
    "ops",
    "advisor",
    "api",
]

MIDDLEWARE = [
    # First, so its log line times the whole stack and sees the final status.
    "apex.middleware.RequestLogMiddleware",
    # Before anything reads the body (the request id is already set).
    "apex.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "profiles.middleware.ActiveRacerMiddleware",
]

ROOT_URLCONF = "apex.urls"
WSGI_APPLICATION = "apex.wsgi.application"
ASGI_APPLICATION = "apex.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% load memo %}: the page header rendered once per process per set of values (apex/memo.py).
            "libraries": {"memo": "apex.memo"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "profiles.context_processors.racer_switcher",
                "apex.context_processors.features",
                "apex.context_processors.nav",
                "apex.context_processors.csrf_token_text",
            ],
        },
    },
]


# Forms render through templates/forms/ (see apex/forms.py).
FORM_RENDERER = "apex.forms.ApexFormRenderer"


def env_seconds(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds; got {raw!r}.") from None
    if value < 0:
        raise ImproperlyConfigured(f"{name} may not be negative; got {raw!r}.")
    return value


# A database that accepts connections and never answers must not hold a
# worker for gunicorn's whole timeout: connecting and each statement have
# their own deadline (0 turns the statement timeout off, e.g. for migrations).
DB_CONNECT_TIMEOUT = env_seconds("DB_CONNECT_TIMEOUT", 5)
DB_STATEMENT_TIMEOUT = env_seconds("DB_STATEMENT_TIMEOUT", 15)
# /healthz gives up on the database after this long and answers 503.
HEALTHZ_DATABASE_TIMEOUT = env_seconds("HEALTHZ_DATABASE_TIMEOUT", 2)
# Django's PostgreSQL connection pool (psycopg_pool), one per process.
DATABASE_POOL = env_bool("DATABASE_POOL", False)


def _postgres_options(config: dj_database_url.DBConfig) -> dict[str, object]:
    options: dict[str, object] = dict(config.get("OPTIONS", {}))
    options["connect_timeout"] = max(1, round(DB_CONNECT_TIMEOUT))  # libpq counts whole seconds
    # libpq's socket keepalives notice a server that went silent mid-query
    # (the statement timeout runs on the server, which may be what hung).
    options.setdefault("keepalives", 1)
    options.setdefault("keepalives_idle", 5)
    options.setdefault("keepalives_interval", 2)
    options.setdefault("keepalives_count", 3)
    if DB_STATEMENT_TIMEOUT:
        options["options"] = f"-c statement_timeout={round(DB_STATEMENT_TIMEOUT * 1000)}"
    if DATABASE_POOL:
        # It replaces persistent connections (Django refuses CONN_MAX_AGE with it).
        config["CONN_MAX_AGE"] = 0
        options["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN_SIZE", 2),
            "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10),
            # A request waits this long for a free connection, then fails cleanly.
            "timeout": env_seconds("DATABASE_POOL_TIMEOUT", 10.0),
        }
    return options


def _database_from_url(url: str, name: str) -> dj_database_url.DBConfig:
    try:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
    except Exception as exc:  # dj-database-url raises several types
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from None
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        if config["NAME"] not in ("", ":memory:") and not os.path.isabs(config["NAME"]):
            config["NAME"] = str(BASE_DIR / config["NAME"])
        # WAL lets readers and a writer work together; IMMEDIATE makes a
        # second writer wait for the lock (busy timeout) instead of failing
        # half-way through its transaction.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif engine == "django.db.backends.postgresql":
        config["OPTIONS"] = _postgres_options(config)
    else:
        raise ImproperlyConfigured(f"{name} must point at SQLite or PostgreSQL; got engine {engine!r}.")
    return config


DATABASES = {
    "default": _database_from_url(os.environ.get("DATABASE_URL", "sqlite:///db.sqlite3"), "DATABASE_URL")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "profiles.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
# Every account confirms its e-mail address before it can log in. That is
# what lets sign-up give the same answer ("check your e-mail") whether the
# address is taken or not, the e-mail saying which it was, and password reset
# likewise (allauth's enumeration prevention): without it a taken address
# could only be refused on the page, which tells anyone it has an account.
# The confirmation is a link, not a code: it works from any device, for
# three days; opened in the browser that signed up (within 15 minutes) it
# logs the racer straight in, elsewhere it leads to the log-in page.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_TIMEOUT = 15 * 60
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3  # the e-mails and pages say so
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Apex: "
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_FORMS = {"login": "profiles.forms.LoginForm", "signup": "profiles.forms.SignupForm"}
# Floods: allauth counts attempts per address. Failed log-ins are counted
# by profiles/login_limits.py instead of allauth's "login_failed" (which
# locks an account for everyone after five wrong passwords from anywhere).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "",
    "signup": "20/h/ip",
    # One confirmation (or "you already have an account") e-mail to an
    # address in 3 minutes, "send the e-mail again" included; the page says so.
    "confirm_email": "1/3m/key",
}
# Behind a proxy every request comes from the proxy's address: count the
# proxies you run so the client's own address is rate-limited.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)


def _cache_from_url(url: str) -> dict[str, Any]:
    scheme, _, rest = url.partition("://")
    backends = {
        "locmem": "django.core.cache.backends.locmem.LocMemCache",
        "db": "django.core.cache.backends.db.DatabaseCache",
        "redis": "apex.redis_cache.RedisCache",
    }
    if scheme not in backends or (scheme == "db" and not rest):
        raise ImproperlyConfigured(f"CACHE_URL must be locmem://, db://<table> or redis://...; got {url!r}.")
    if scheme != "redis":
        return {"BACKEND": backends[scheme], "LOCATION": rest or "apex"}
    return {
        "BACKEND": backends[scheme],
        "LOCATION": url,
        # A Redis that stops answering fails a request in seconds, not a worker timeout.
        "OPTIONS": {
            "socket_connect_timeout": env_seconds("CACHE_CONNECT_TIMEOUT", 2),
            "socket_timeout": env_seconds("CACHE_TIMEOUT", 2),
        },
        "KEY_PREFIX": "apex",
    }


# Rate-limit and log-in counters, the public-page cache and its generations,
# the library's filter choices. Per process by default (one process works as
# is); with several processes or servers set CACHE_URL=redis://host:6379/0 so
# they count together and see each other's changes at once.
CACHES = {"default": _cache_from_url(os.environ.get("CACHE_URL", "locmem://apex"))}

# Request bodies: anything larger than REQUEST_MAX_BYTES is refused (413)
# before it is read, except on the upload pages, which allow UPLOAD_MAX_BYTES
# (the theory library's 20 MB files plus the form around them; a timing
# export's form checks its own 2 MB).
REQUEST_MAX_BYTES = env_int("REQUEST_MAX_BYTES", 1024 * 1024)
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 21 * 1024 * 1024)
UPLOAD_PATHS = [
    r"^/theory/upload/$",
    r"^/admin/advisor/theorydocument/(add|[0-9]+/change)/$",
    r"^/race-days/[0-9]+/laps/import/$",
]

# Public pages (directory, search, profiles, library) for visitors without
# cookies are served from the cache for this long (0 turns it off).
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 30)

# Sign-up cannot finish without its e-mail. The console backend (the
# default) prints every e-mail to the log, right for development; a site
# whose racers must receive them sets an SMTP server.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Apex <noreply@apex.local>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on: STARTTLS or TLS from the start."
    )
# A mail server that does not answer fails the sign-up in seconds, not a worker timeout.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)

# Sessions are rows in the database; with Redis they are read through it
# (cached_db: written to both, so a Redis restart logs nobody out). A
# per-process cache would let one process serve a session another has ended.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if CACHES["default"]["BACKEND"].endswith("RedisCache")
    else "django.contrib.sessions.backends.db"
)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", "") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Every record is one JSON line on stderr (apex/logs.py): the app's own, and
# Django's and allauth's through the root logger. "django" and "django.server"
# are named here so Django's plain-text default handlers for them are dropped.
LOG_LEVEL = env_log_level("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "apex.logs.json_formatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # One line per request (apex.middleware).
        "apex.request": {"level": env_log_level("REQUEST_LOG_LEVEL", "INFO")},
    },
}
configure_structlog()
