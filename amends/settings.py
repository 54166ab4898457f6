"""Amends settings: one file, environment variables only (README "Configuration").

Two profiles. `development` (the default) runs on a fresh clone with nothing but Python:
SQLite under var/, secrets generated into var/ on first use. `production`
(AMENDS_ENV=production) refuses to start without explicit secrets and refuses DEBUG.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from amends.core.env import (
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
    generated_secret,
    random_token,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("AMENDS_VAR_DIR", str(BASE_DIR / "var")))

AMENDS_ENV = env_str("AMENDS_ENV", "development")
if AMENDS_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"AMENDS_ENV must be 'development' or 'production'; got {AMENDS_ENV!r}."
    )
PRODUCTION = AMENDS_ENV == "production"

DEBUG = env_bool("AMENDS_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("AMENDS_DEBUG must be off when AMENDS_ENV=production.")

# Demo mode (`make run`) relaxes second-factor enrolment and shows a banner saying so.
DEMO_MODE = env_bool("AMENDS_DEMO", False)
if PRODUCTION and DEMO_MODE:
    raise ImproperlyConfigured("AMENDS_DEMO must be off when AMENDS_ENV=production.")


def _required_secret(name: str, var_file: str, generate: Callable[[], str]) -> str:
    """An explicit secret in production; a secret generated into var/ otherwise."""
    value = env_secret(name)
    if value is not None:
        return value
    if PRODUCTION:
        raise ImproperlyConfigured(
            f"{name} (or {name}_FILE) must be set when AMENDS_ENV=production; "
            "see README 'Running in production'."
        )
    return generated_secret(VAR_DIR / var_file, generate)


def _new_fernet_key() -> str:
    return Fernet.generate_key().decode("ascii")


SECRET_KEY = _required_secret("AMENDS_SECRET_KEY", "secret_key", random_token)
# Field encryption keys are separate from SECRET_KEY (DESIGN §4): comma-separated Fernet keys,
# the first encrypts, all decrypt. Rotation: put a new key first, run rotate_encryption_keys,
# then drop the old one.
ENCRYPTION_KEYS = [
    key.strip()
    for key in _required_secret("AMENDS_ENCRYPTION_KEYS", "encryption_keys", _new_fernet_key).split(
        ","
    )
    if key.strip()
]
# Blind indexes (keyed hashes for exact-match search on encrypted values) have their own key.
BLIND_INDEX_KEY = _required_secret("AMENDS_BLIND_INDEX_KEY", "blind_index_key", random_token)


def _refuse_weak_production_secrets() -> None:
    """gunicorn runs no system checks, so production checks its secrets here, at start."""
    problems = []
    if len(SECRET_KEY) < 50:
        problems.append("AMENDS_SECRET_KEY must be at least 50 characters.")
    if len(BLIND_INDEX_KEY) < 32:
        problems.append("AMENDS_BLIND_INDEX_KEY must be at least 32 characters.")
    for position, key in enumerate(ENCRYPTION_KEYS, start=1):
        try:
            Fernet(key.encode("ascii"))
        except (ValueError, UnicodeEncodeError):
            problems.append(f"AMENDS_ENCRYPTION_KEYS: key {position} is not a Fernet key.")
    if problems:
        raise ImproperlyConfigured(" ".join(problems))


if PRODUCTION:
    _refuse_weak_production_secrets()

# Phone numbers written without a country code are read as numbers of this region (ISO
# 3166 code) before they are blind-indexed, so "07700 900123" finds "+44 7700 900123".
PHONE_REGION = env_str("AMENDS_PHONE_REGION", "GB").upper()
# Video meetings: a private room on this service unless a programme sets its own (for
# example a self-hosted Jitsi). Room names are unguessable; the service sees no names.
AMENDS_VIDEO_BASE_URL = env_str("AMENDS_VIDEO_BASE_URL", "https://meet.jit.si/")

ALLOWED_HOSTS = env_list(
    "AMENDS_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("AMENDS_ALLOWED_HOSTS must be set when AMENDS_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("AMENDS_CSRF_TRUSTED_ORIGINS")
# How many reverse proxies in front of Amends append to X-Forwarded-For; 0 means the
# header is ignored and the connection's own address is the client's.
TRUSTED_PROXY_COUNT = env_int("AMENDS_TRUSTED_PROXY_COUNT", 0, minimum=0)
SITE_URL = env_str("AMENDS_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
if PRODUCTION and not env_str("AMENDS_SITE_URL").startswith("https://"):
    raise ImproperlyConfigured(
        "AMENDS_SITE_URL must be set to the https:// address people use when "
        "AMENDS_ENV=production: links in e-mails are built from it."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_htmx",
    "django_filters",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "amends.core",
    "amends.crypto",
    "amends.audit",
    "amends.accounts",
    "amends.programmes",
    "amends.people",
    "amends.referrals",
    "amends.cases",
    "amends.assessments",
    "amends.consent",
    "amends.safety",
    "amends.facilitators",
    "amends.tasks",
    "amends.meetings",
    "amends.exchanges",
    "amends.agreements",
    "amends.followups",
    "amends.support",
    "amends.dashboard",
    "amends.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "amends.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "amends.core.middleware.SessionKeepAliveMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "amends.core.middleware.NoStoreWhenSignedInMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "amends.accounts.middleware.RequireSecondFactorMiddleware",
    "amends.audit.middleware.RefusalAuditMiddleware",
    # Axes must come last: it turns a lockout raised by the backend into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "amends.urls"
WSGI_APPLICATION = "amends.wsgi.application"

# The JSON API (DESIGN §5, §6): the signed-in session (second factor included) and the
# same policies as the pages; JSON only (the browsable API's pages would break the CSP);
# one error shape (amends.api.errors); keyset pages.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "amends.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Amends API",
    "DESCRIPTION": (
        "Read-only access to the cases you work on and your work list, under the same "
        "permission rules as the pages. No personal data is served."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "amends" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "amends.accounts.context_processors.shell",
            ],
        },
    },
]

# --- database ----------------------------------------------------------------------------
_SQLITE_OPTIONS = {
    # IMMEDIATE takes the write lock when a transaction starts, so two writers queue
    # instead of one failing with "database is locked" halfway through.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        "PRAGMA busy_timeout=20000;"
    ),
}
_database_url = env_str("DATABASE_URL")
if PRODUCTION and not _database_url:
    raise ImproperlyConfigured(
        "DATABASE_URL must be set when AMENDS_ENV=production (PostgreSQL; see README)."
    )
if _database_url:
    _database = environ.Env.db_url_config(_database_url)
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _database = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "amends.sqlite3")}
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database["OPTIONS"] = {**_SQLITE_OPTIONS, **_database.get("OPTIONS", {})}
    # Tests use a file too: an in-memory database has no WAL and locks differently from
    # the real thing, which hides exactly the concurrency bugs worth catching.
    # One file per test process, so two suites running side by side (a developer's and
    # CI's, or parallel workers) never share a database.
    _database["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
elif _database["ENGINE"] in {"django.db.backends.postgresql", "django.db.backends.postgis"}:
    _database.setdefault("CONN_MAX_AGE", env_int("AMENDS_DB_CONN_MAX_AGE", 60, minimum=0))
    _database["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: Amends runs short, indexed queries, and PostgreSQL's cost
    # estimate starts the JIT for some of them (the roster's summary: 46 ms compiling a
    # query that runs in 18). A setting of the session, so a DBA's server-wide choice
    # elsewhere is untouched; AMENDS_DB_JIT=1 leaves it to the server.
    if not env_bool("AMENDS_DB_JIT", False):
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
    _database["TEST"] = {"NAME": f"test_{_database['NAME']}_{os.getpid()}"}
_database["ATOMIC_REQUESTS"] = False
DATABASES = {"default": _database}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- accounts, sign-in, second factor, lockout ------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses a locked-out account or address before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "amends.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# Accounts are created by administrators, who vouch for the address; there is no sign-up.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("AMENDS_REAUTHENTICATION_SECONDS", 300, minimum=30)
# django-axes locks accounts and addresses (after AXES_FAILURE_LIMIT failures, wrong
# second-factor codes included). allauth's own limit also throttles second-factor codes;
# it is set looser than axes so that for passwords axes decides, with one clear message.
ACCOUNT_RATE_LIMITS = {"login_failed": "30/m/ip,10/300s/key"}
MFA_ADAPTER = "amends.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Amends"
MFA_FORMS = {"authenticate": "amends.accounts.forms.SecondFactorForm"}

AXES_FAILURE_LIMIT = env_int("AMENDS_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AMENDS_LOCKOUT_MINUTES", 30, minimum=1))
# Two independent counters: one per account and one per address.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "amends.accounts.lockout.username_from_request"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# The same address the audit log records, so lockouts and the log agree about who it was.
AXES_CLIENT_IP_CALLABLE = "amends.core.middleware.client_address"
AXES_VERBOSE = False

# Idle sessions end: activity pushes the end forward (at most once a minute, by
# SessionKeepAliveMiddleware, so a page view is not a database write) and it runs out
# after the configured idle time; closing the browser ends it too.
SESSION_IDLE_MINUTES = env_int("AMENDS_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- security headers -------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("AMENDS_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("AMENDS_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The header only allows submission to the browsers' preload list; nothing is submitted.
    SECURE_HSTS_PRELOAD = env_bool("AMENDS_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("AMENDS_BEHIND_PROXY", False):
        if not TRUSTED_PROXY_COUNT:
            # Every visitor would share the proxy's address, and one person's failed
            # sign-ins would lock out everyone.
            raise ImproperlyConfigured(
                "AMENDS_BEHIND_PROXY needs AMENDS_TRUSTED_PROXY_COUNT (usually 1)."
            )
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- language ---------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("AMENDS_TIME_ZONE", "Europe/London")
USE_TZ = True

# --- static files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "amends" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production, whitenoise serves straight from the source folders (no collectstatic);
# it still expects STATIC_ROOT to exist.
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "uploads"

# --- background work and e-mail ---------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if DEMO_MODE:
    # `make run` is one process with no worker beside it: jobs run at once, so the demo's
    # e-mails appear in its terminal as the banner promises.
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# Django 6.1's MAILERS (the EMAIL_* settings are deprecated).
_email_host = env_str("AMENDS_EMAIL_HOST")
if _email_host:
    _email_starttls = env_bool("AMENDS_EMAIL_STARTTLS", True)
    _email_ssl = env_bool("AMENDS_EMAIL_SSL", False)
    if _email_starttls and _email_ssl:
        raise ImproperlyConfigured("Set AMENDS_EMAIL_STARTTLS or AMENDS_EMAIL_SSL, not both.")
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": env_int("AMENDS_EMAIL_PORT", 587, minimum=1),
                "username": env_str("AMENDS_EMAIL_USER"),
                "password": env_secret("AMENDS_EMAIL_PASSWORD") or "",
                "use_tls": _email_starttls,
                "use_ssl": _email_ssl,
                "timeout": env_int("AMENDS_EMAIL_TIMEOUT", 20, minimum=1),
            },
        }
    }
elif PRODUCTION:
    raise ImproperlyConfigured("AMENDS_EMAIL_HOST must be set when AMENDS_ENV=production.")
else:
    # Development and demo: messages are printed, never sent.
    MAILERS = {"default": {"BACKEND": "amends.core.mail.ReadableConsoleBackend"}}
DEFAULT_FROM_EMAIL = env_str("AMENDS_EMAIL_FROM", "Amends <amends@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("AMENDS_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
