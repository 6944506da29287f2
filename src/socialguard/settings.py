"""Django settings, read from environment variables (see docs/configuration.md)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from socialguard import env as E

environ = os.environ
PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Everything socialguard writes (database, keys, mail holding reset links, evidence) is for this
# user only: files 0600, folders 0700, in every process that loads the settings.
os.umask(0o077)
DATA_DIR = E.private_data_dir(E.data_dir(environ, PROJECT_ROOT))

DEBUG = E.env_bool(environ, "SOCIALGUARD_DEBUG", False)
SECRET_KEY = E.secret_key(environ, DATA_DIR)
ALLOWED_HOSTS = E.env_list(environ, "SOCIALGUARD_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = E.env_list(environ, "SOCIALGUARD_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = environ.get("SOCIALGUARD_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Behind a TLS-terminating proxy, production turns these on (docs/configuration.md).
SECURE = E.env_bool(environ, "SOCIALGUARD_SECURE", False)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31_536_000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
if E.env_bool(environ, "SOCIALGUARD_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "socialguard.web.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # For its templates and static files: the API docs page serves Swagger UI from here, not a CDN.
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "socialguard.audit",
    "socialguard.identity",
    "socialguard.people",
    "socialguard.policies",
    "socialguard.accounts",
    "socialguard.incidents",
    "socialguard.content",
    "socialguard.consent",
    "socialguard.scheduling",
    "socialguard.web",
    "socialguard.monitoring",
    "socialguard.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "socialguard.web.security.SecurityHeadersMiddleware",
    # Unknown /api/ paths and methods answer the API's Problem JSON, not the site's pages.
    "socialguard.api.middleware.ApiProblemsMiddleware",
    # Refuses an oversized body from its Content-Length before reading it (web/limits.py).
    "socialguard.web.limits.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "socialguard.audit.middleware.AuditContextMiddleware",
    "socialguard.identity.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]
# Measuring only (benchmarks/scale.py): each response says how many SQL statements it ran.
if E.env_bool(environ, "SOCIALGUARD_QUERY_COUNT_HEADER", False):
    MIDDLEWARE.insert(0, "socialguard.web.querycount.QueryCountMiddleware")

ROOT_URLCONF = "socialguard.urls"
WSGI_APPLICATION = "socialguard.wsgi.application"
AUTH_USER_MODEL = "identity.User"
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "identity:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "socialguard.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        E.database_url(environ, DATA_DIR), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the task worker share one SQLite file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # A writer waits this long for another process's write (an import) before giving up.
        "timeout": E.sqlite_busy_timeout(environ),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, refusing a leaver from their leave date (identity/backends.py).
    "socialguard.identity.backends.SignInBackend",
]

# Lockout: after 5 failed sign-ins for one account from one address, or 20 from any addresses,
# wait 15 minutes (identity/lockout.py). Addresses are counted as sign-in matches them.
AXES_FAILURE_LIMIT = E.env_int(environ, "SOCIALGUARD_LOCKOUT_FAILURES", 5)
LOCKOUT_ACCOUNT_FAILURES = E.env_int(environ, "SOCIALGUARD_LOCKOUT_ACCOUNT_FAILURES", 20)
AXES_COOLOFF_TIME = E.env_int(environ, "SOCIALGUARD_LOCKOUT_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "socialguard.identity.lockout.username"
AXES_HANDLER = "socialguard.identity.lockout.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "socialguard.identity.views.locked_out"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = environ.get("SOCIALGUARD_TOTP_ISSUER", "socialguard")
# A privileged person's second factor counts for this long before a sensitive action asks again.
REAUTH_SECONDS = E.env_int(environ, "SOCIALGUARD_REAUTH_SECONDS", 15 * 60)

# Email: real SMTP when SOCIALGUARD_SMTP_HOST is set, else files under DATA_DIR/mail (demo).
SMTP_HOST = environ.get("SOCIALGUARD_SMTP_HOST", "")
if SMTP_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = SMTP_HOST
    EMAIL_PORT = E.env_int(environ, "SOCIALGUARD_SMTP_PORT", 587)
    EMAIL_HOST_USER = environ.get("SOCIALGUARD_SMTP_USER", "")
    EMAIL_HOST_PASSWORD = E.env_secret(environ, "SOCIALGUARD_SMTP_PASSWORD") or ""
    EMAIL_USE_TLS = E.env_bool(environ, "SOCIALGUARD_SMTP_STARTTLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = E.env_bool(environ, "SOCIALGUARD_SMTP_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = 20
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
DEFAULT_FROM_EMAIL = environ.get("SOCIALGUARD_FROM_EMAIL", "socialguard@localhost")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Reminder digests go out once a day from this local hour; line managers hear about a report's
# missing declaration once it has been owed this many days.
DIGEST_HOUR = E.env_int(environ, "SOCIALGUARD_DIGEST_HOUR", 7)
# Monitoring keeps raw items (posts about the organisation) only this many days (data protection).
MONITORING_RETENTION_DAYS = E.env_int(environ, "SOCIALGUARD_MONITORING_RETENTION_DAYS", 30)
DECLARATION_ESCALATION_DAYS = E.env_int(environ, "SOCIALGUARD_DECLARATION_ESCALATION_DAYS", 14)
# The credential vault's master key lives outside the database (docs/configuration.md). During a
# key rotation the previous key opens secrets not yet re-wrapped.
VAULT_KEY_SOURCE = E.vault_key_source(environ, DATA_DIR)  # named when the key does not open the vault
VAULT_KEY = E.vault_key(environ, DATA_DIR)
VAULT_PREVIOUS_KEY = E.env_secret(environ, "SOCIALGUARD_VAULT_PREVIOUS_KEY") or ""
# The audit trail is sealed with an HMAC key kept outside the database, and its head is written
# each day to an append-only file and emailed to the auditors (docs/configuration.md, audit/).
AUDIT_KEY = E.audit_key(environ, DATA_DIR)
AUDIT_CHECKPOINT_FILE = Path(
    environ.get("SOCIALGUARD_AUDIT_CHECKPOINT_FILE") or DATA_DIR / "audit-checkpoints.jsonl"
).expanduser()
AUDIT_CHECKPOINT_HOUR = E.env_int(environ, "SOCIALGUARD_AUDIT_CHECKPOINT_HOUR", 0)
AUDIT_FULL_VERIFICATION_HOUR = E.env_int(environ, "SOCIALGUARD_AUDIT_FULL_VERIFICATION_HOUR", 2)
# Dotted paths of callables taking one Checkpoint, called after each is written (e.g. a public post).
AUDIT_CHECKPOINT_PUBLISHERS = E.env_list(environ, "SOCIALGUARD_AUDIT_CHECKPOINT_PUBLISHERS", [])
# An organisation's own additions to the legislation register (same TOML format as the built-in one).
# Concerns and breaches: evidence file size limit, and retention per category (incidents/retention.py).
EVIDENCE_MAX_BYTES = E.env_int(environ, "SOCIALGUARD_EVIDENCE_MAX_MB", 10) * 1024 * 1024
CASE_RETENTION = environ.get("SOCIALGUARD_CASE_RETENTION", "")
LEGISLATION_FILE = environ.get("SOCIALGUARD_LEGISLATION_FILE", "")
# The organisation's rules pack (TOML over the base pack) when none is saved in the web (docs/rules.md).
RULES_PACK = environ.get("SOCIALGUARD_RULES_PACK", "")
# Personal accounts and data protection (privacy/retention.py, docs/data-protection.md).
PRIVACY_REVIEW_MONTHS = E.env_int(environ, "SOCIALGUARD_PRIVACY_REVIEW_MONTHS", 12)
RECRUITMENT_RETENTION_MONTHS = E.env_int(environ, "SOCIALGUARD_RECRUITMENT_RETENTION_MONTHS", 6)
PEOPLE_RETENTION = environ.get("SOCIALGUARD_PEOPLE_RETENTION", "")
SELF_CHECK_MAX_BYTES = E.env_int(environ, "SOCIALGUARD_SELF_CHECK_MAX_MB", 4) * 1024 * 1024

LANGUAGE_CODE = "en-gb"
TIME_ZONE = environ.get("SOCIALGUARD_TIME_ZONE", "Europe/London")
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request while it is missing
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    # Case evidence and signed consent forms (encrypted before they are stored), and post media:
    # owner-only directories by default; SOCIALGUARD_STORAGES_JSON may point either at an
    # S3-compatible store (docs/deploy.md, Files).
    "evidence": {
        "BACKEND": "socialguard.storage.backends.PrivateFileSystemStorage",
        "OPTIONS": {"root_setting": "DATA_DIR", "subdir": "evidence"},
    },
    "media": {
        "BACKEND": "socialguard.storage.backends.PrivateFileSystemStorage",
        "OPTIONS": {"root_setting": "MEDIA_ROOT", "subdir": "content-media"},
    },
    **E.storages(environ),
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded files (imports, evidence) live outside any web root and are served only by views.
MEDIA_ROOT = DATA_DIR / "files"
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Request bodies (web/limits.py): one uploaded file may be as large as an evidence file, and a
# whole request (several screenshots with a report) at most SOCIALGUARD_MAX_REQUEST_MB; larger
# ones are refused with 413 before they are read. Form fields and JSON bodies (e.g. posts sent
# to /api/v1/check) are held in memory, so they get far less.
UPLOAD_FILE_MAX_BYTES = EVIDENCE_MAX_BYTES
REQUEST_MAX_BYTES = max(
    E.env_int(environ, "SOCIALGUARD_MAX_REQUEST_MB", 32) * 1024 * 1024, UPLOAD_FILE_MAX_BYTES + 1024 * 1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "socialguard.web.limits.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A 403, 404 or 400 is one line, not a traceback (logs.py). On the handler, not a logger: a
    # logger's filters miss its children (django.security.DisallowedHost and the like).
    "filters": {"client_errors_one_line": {"()": "socialguard.logs.ClientErrorsWithoutTraceback"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["client_errors_one_line"],
        }
    },
    "root": {"handlers": ["console"], "level": environ.get("SOCIALGUARD_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
