"""All settings, read from environment variables (docs/configuration.md lists them)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

django_stubs_ext.monkeypatch()  # lets ModelForm[...], ModelAdmin[...] be subscripted at run time

PACKAGE_DIR = Path(__file__).resolve().parent.parent
# A source checkout keeps var/ at the repository root, whatever the working directory; an installed
# package keeps it under the working directory unless S4C_BASE_DIR or S4C_VAR_DIR say otherwise.
_CHECKOUT = PACKAGE_DIR.parent.parent
BASE_DIR = Path(
    os.environ.get("S4C_BASE_DIR", _CHECKOUT if (_CHECKOUT / "pyproject.toml").exists() else Path.cwd())
).resolve()
VAR_DIR = Path(os.environ.get("S4C_VAR_DIR", BASE_DIR / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a random key kept in var/secret_key (created once, mode 0600)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = Path(os.environ.get("SECRET_KEY_FILE", VAR_DIR / "secret_key"))
    if key_file.exists():
        return key_file.read_text().strip()
    import secrets

    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_htmx",
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "skills4cities.core",
    "skills4cities.accounts",
    "skills4cities.esco",
    "skills4cities.frameworks",
    "skills4cities.curriculum",
    "skills4cities.assessments",
    "skills4cities.learning",
    "skills4cities.exams",
    "skills4cities.portfolio",
    "skills4cities.validation",
    "skills4cities.certification",
    "skills4cities.credentials",
    "skills4cities.matching",
    "skills4cities.api",
    "skills4cities.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "skills4cities.core.middleware.RejectNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "skills4cities.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "skills4cities.urls"
WSGI_APPLICATION = "skills4cities.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "skills4cities.core.context_processors.platform",
            ],
        },
    },
]

# Database: DATABASE_URL selects PostgreSQL (or anything dj-database-url understands);
# otherwise SQLite under var/.
_default_sqlite = f"sqlite:///{VAR_DIR / 'skills4cities.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _default_sqlite),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
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
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "optional")
ACCOUNT_ADAPTER = "skills4cities.accounts.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Self sign-up is optional: off by default on a real deployment, on for the demo.
SIGNUP_OPEN = env_bool("SIGNUP_OPEN", True)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Skills4Cities <noreply@localhost>")

# Internationalisation
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("bg", _("Bulgarian")),
    ("ro", _("Romanian")),
    ("el", _("Greek")),
    ("es", _("Spanish")),
    ("de", _("German")),
]
LANGUAGE_CODES = [code for code, _name in LANGUAGES]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# European day-month-year dates for English too (Django's "en" formats are American).
FORMAT_MODULE_PATH = ["skills4cities.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Brussels")
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = tuple(LANGUAGE_CODES)
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Security
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("SECURE_PROXY_SSL", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

REST_FRAMEWORK = {
    # Token first, so that an unauthenticated request gets 401 with a WWW-Authenticate header, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "skills4cities.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "skills4cities.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_VERSIONING_CLASS": None,
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "user": "600/min"},
}
SPECTACULAR_SETTINGS = {
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "skills4cities.api.schema.document_malformed_requests",
    ],
    "TITLE": "Skills4Cities API",
    "DESCRIPTION": "Read and manage the Skills4Cities competencies framework and the platform's records.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # Two enums of fields called "kind": keep the statements' name stable and give the diff's its own.
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "skills4cities.frameworks.enums.StatementKind",
        "DiffItemKindEnum": "skills4cities.frameworks.diff.KINDS",
        "FrameworkStatusEnum": "skills4cities.frameworks.enums.FrameworkStatus",
        "PathStatusEnum": "skills4cities.learning.enums.PathStatus",
        "ModuleStatusEnum": "skills4cities.learning.enums.ModuleStatus",
    },
}

SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(  # type: ignore[attr-defined]
    {
        "ExamKindEnum": "skills4cities.exams.enums.ExamKind",
        "AttemptStateEnum": "skills4cities.exams.enums.AttemptState",
        "ItemTypeEnum": "skills4cities.exams.enums.ItemType",
        "StartableKindEnum": "skills4cities.exams.enums.StartableKind",
    }
)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Background work (docs/adr/0008-background-tasks.md): a queue in the database, run by `skills4cities db_worker`.
# TASKS_BACKEND=immediate runs each task inside the request that enqueues it (one process, no worker).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_TASKS_BACKEND = os.environ.get("TASKS_BACKEND") or "database"
if _TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {_TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_TASKS_BACKEND]}}
# A running import that has shown no sign of life for this long is marked failed (its worker died).
FRAMEWORK_IMPORT_STALE_SECONDS = int(os.environ.get("FRAMEWORK_IMPORT_STALE_SECONDS", "600"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

ESCO_ATTRIBUTION = "This service uses the ESCO classification of the European Commission."

# Framework files larger than this are refused by the import (command, page and API) before they are read.
FRAMEWORK_IMPORT_MAX_BYTES = int(os.environ.get("FRAMEWORK_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))

# How a learner's current level per element is derived from the separate evidence streams
# (assessments/rules.py, docs/adr/0009): decisive kinds win, else the fallback kinds, raised by floor kinds.
# CURRENT_LEVEL_RULE in the environment replaces it with a JSON object of the same shape.
CURRENT_LEVEL_RULE = {
    "decisive": ["assessor_decision", "prior_learning"],
    "floor": ["test_result"],
    "fallback": ["self_rating"],
}
if os.environ.get("CURRENT_LEVEL_RULE"):
    import json

    CURRENT_LEVEL_RULE = json.loads(os.environ["CURRENT_LEVEL_RULE"])

# Evidence streams kept by other apps: dotted paths of callables (user) -> EvidenceStream, which the
# gap analysis and the current-level rule read next to the self-ratings (docs/adr/0009).
EVIDENCE_STREAMS: list[str] = []
EVIDENCE_STREAMS.append("skills4cities.validation.selectors.assessor_evidence_stream")
EVIDENCE_STREAMS.append("skills4cities.exams.selectors.exam_evidence_stream")

# Evidence portfolio (docs/adr/0012): uploads larger than this are refused before they are stored; files live
# in private storage (never under MEDIA_URL) and are served only by views that check access.
PORTFOLIO_MAX_UPLOAD_BYTES = int(os.environ.get("PORTFOLIO_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
PORTFOLIO_STORAGE_ROOT = Path(os.environ.get("PORTFOLIO_STORAGE_ROOT", MEDIA_ROOT / "private" / "portfolio"))

# Validation decisions (docs/adr/0012-validation-workflow.md). second_assessor: "always" (a second assessor
# must be assigned and judge every element), "on_disagreement" (default: when one is assigned, they judge
# too, and where they disagree with the first assessor, their judgement stands), "never" (the first
# assessor's judgement always stands; a second assessor's judgement is advisory).
VALIDATION_RULES = {
    "second_assessor": os.environ.get("VALIDATION_SECOND_ASSESSOR", "on_disagreement"),
}

# Text to competences (docs/matching.md). Embeddings of candidate texts are cached here (keyed by a hash of the
# texts and the model). ESCO_SKILL_SUGGESTER names the factory of the ESCO suggestions in the framework editor
# (empty: the lexical suggester of esco/suggest.py). MATCHING_UPLOAD_MAX_BYTES caps uploaded texts and PDFs.
MATCHING_CACHE_DIR = Path(os.environ.get("MATCHING_CACHE_DIR", VAR_DIR / "cache" / "matching"))
MATCHING_LABEL_PRIORS = os.environ.get("MATCHING_LABEL_PRIORS", "")
ESCO_SKILL_SUGGESTER = os.environ.get("ESCO_SKILL_SUGGESTER", "skills4cities.matching.tasks.engine_suggester")
MATCHING_UPLOAD_MAX_BYTES = int(os.environ.get("MATCHING_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
# A matching index build (run by the task worker) without a sign of life for this long is taken as dead: the next
# request that needs the index enqueues a new build. A failed build is retried after the same delay.
MATCHING_INDEX_STALE_SECONDS = int(os.environ.get("MATCHING_INDEX_STALE_SECONDS", "180"))
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(  # type: ignore[attr-defined]
    {
        "EvidenceItemKindEnum": "skills4cities.portfolio.enums.EvidenceItemKind",
        "ValidationStateEnum": "skills4cities.validation.enums.RequestState",
        "RubricOutcomeEnum": "skills4cities.validation.enums.Outcome",
        "JudgementStageEnum": "skills4cities.validation.enums.JudgementStage",
    }
)

# Verifiable credentials (docs/credentials.md). The issuer is did:web of SITE_URL unless CREDENTIALS_DID names
# one; CREDENTIALS_USE_DID_KEY=1 signs with did:key instead (local development only: nothing to publish).
CREDENTIALS_DID = os.environ.get("CREDENTIALS_DID", "")
CREDENTIALS_USE_DID_KEY = os.environ.get("CREDENTIALS_USE_DID_KEY", "0") == "1"
CREDENTIALS_ISSUER_NAME = os.environ.get("CREDENTIALS_ISSUER_NAME", "Skills4Cities")
# Key-encryption keys of the signing keys' private halves: comma-separated Fernet keys, the first encrypts, all
# decrypt (rotation: docs/credentials.md). Empty: one derived from SECRET_KEY, for development only (check --deploy
# warns, credentials.W001).
CREDENTIALS_KEY_ENCRYPTION_KEYS = env_list("CREDENTIALS_KEY_ENCRYPTION_KEYS", [])
# Verification attempts per client address (REMOTE_ADDR) and window, counted in CACHES["default"]: POSTs to
# /verify/ and POST /api/v1/verify/, each with its own count. DRF's rate format: "30/m", "100/h".
CREDENTIALS_VERIFY_RATE = os.environ.get("CREDENTIALS_VERIFY_RATE", "30/m")
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(  # type: ignore[attr-defined]
    {
        "CredentialKindEnum": "skills4cities.credentials.enums.CredentialKind",
        "VerificationStateEnum": "skills4cities.credentials.enums.VerificationState",
    }
)

# Certification rules (docs/certification.md): the share of a course's hours a learner must attend for an
# attendance certificate, and the years of experience a trainer needs to be accredited.
CERTIFICATION_ATTENDANCE_MIN_SHARE = float(os.environ.get("CERTIFICATION_ATTENDANCE_MIN_SHARE", "0.8"))
CERTIFICATION_TRAINER_MIN_EXPERIENCE_YEARS = int(os.environ.get("CERTIFICATION_TRAINER_MIN_EXPERIENCE_YEARS", "3"))
CERTIFICATION_RENEWAL_WINDOW_MONTHS = int(os.environ.get("CERTIFICATION_RENEWAL_WINDOW_MONTHS", "3"))
