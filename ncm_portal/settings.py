"""Settings for NCM Portal, read from the environment.

Defaults give the embedded mode: SQLite under ``var/``, Celery tasks run in-process,
e-mail written as files under ``var/mail/``. Production sets ``DATABASE_URL``,
``REDIS_URL``, ``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
# A local .env (not committed) may hold the same variables; the real environment wins.
# `make run` writes one with DJANGO_DEBUG=1 so that manage.py works in this checkout.
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
VAR_DIR = Path(env.str("NCM_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode"  # noqa: S105

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "guardian",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "coordination",
    "nip_lifecycle",
    "inventories",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "ncm_portal.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "coordination.accounts.two_factor.RequireTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ncm_portal.urls"
WSGI_APPLICATION = "ncm_portal.wsgi.application"
ASGI_APPLICATION = "ncm_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ncm_portal.context_processors.portal",
            ],
            # |bdi and |isolate for user-provided names, in every template (ncm_portal/bidi.py);
            # {% url %} reverses an address written in full once (ncm_portal/urltag.py).
            "builtins": ["ncm_portal.bidi", "ncm_portal.urltag"],
            # {% can "app.what" %}: the permission functions the views enforce.
            "libraries": {"permissions": "ncm_portal.templatetags.permissions"},
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ncm_portal.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker ----------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ncm",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Added to the nice level of each Celery worker process (ncm_portal/celery.py): background work
# yields the CPU to the web processes. 0 leaves the priority as it is.
NCM_WORKER_NICE = env.int("NCM_WORKER_NICE", default=10)

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "coordination.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in while its username and address are locked out (django-axes).
    "axes.backends.AxesStandaloneBackend",
    # Django's and django-guardian's backends, answering with fewer queries per page.
    "coordination.auth_backends.PortalModelBackend",
    "coordination.auth_backends.PortalObjectPermissionBackend",
]
# guardian looks for its own backend by name; the portal's subclass of it is hooked above.
SILENCED_SYSTEM_CHECKS = ["guardian.W001"]
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous has no permissions
GUARDIAN_MONKEY_PATCH_USER = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "coordination:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# How long the link in an invitation to sign in stays valid (it works once).
INVITATION_DAYS = env.int("NCM_INVITATION_DAYS", default=5)
# Two-step sign-in (django-otp) for the secretariat and administrators: the name authenticator
# apps show next to the codes, and how long the code page waits after the password.
OTP_TOTP_ISSUER = env.str("NCM_OTP_ISSUER", default="NCM Portal")
NCM_OTP_PENDING_SECONDS = 300

# --- Languages and time ------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),  # written right to left: base.html switches to Bootstrap's RTL sheet
    ("zh-hans", _("Simplified Chinese")),  # catalogue in locale/zh_Hans; PDFs embed Noto Sans SC
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_TZ = True
CELERY_TIMEZONE = TIME_ZONE

# --- Files -------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Hashed, compressed files after collectstatic; plain files while developing or testing.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("DJANGO_STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# The PDF font (static/vendor/noto-sans-sc, 10 MB) is read from disk by the PDF renderer and never
# served to browsers: collectstatic need not spend minutes compressing it.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf"]
# Uploads and rendered files on local disk (MEDIA_ROOT, the default) or, with
# NCM_MEDIA_STORAGE=s3, in a bucket of any S3-compatible store (django-storages). Either way they
# are read only through the portal's own views, which check who may see them: the bucket stays
# private and the portal never hands out its addresses.
NCM_MEDIA_STORAGE = env.str("NCM_MEDIA_STORAGE", default="local")
if NCM_MEDIA_STORAGE == "s3":
    if not env.str("AWS_STORAGE_BUCKET_NAME", default=""):
        raise ImproperlyConfigured("NCM_MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("AWS_LOCATION", default=""),
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            "signature_version": "s3v4",
            "default_acl": None,  # objects inherit the bucket's (private) policy
            "querystring_auth": True,  # any address ever made is signed and expires
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
elif NCM_MEDIA_STORAGE != "local":
    raise ImproperlyConfigured("NCM_MEDIA_STORAGE must be 'local' or 's3'.")
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Letters (designations, invitations, terms of reference) are PDFs, office documents or scans.
LETTER_MAX_BYTES = env.int("NCM_LETTER_MAX_BYTES", default=20 * 1024 * 1024)
# The document library: largest file and accepted types.
# Datasets (customs extracts, monitoring results): a million-row CSV is about 150 MB.
NCM_DATASET_MAX_BYTES = env.int("NCM_DATASET_MAX_BYTES", default=512 * 1024 * 1024)
# A workbook's sheet is read whole (a CSV file a batch at a time): the largest sheet, unpacked.
# 256 MB is about 375,000 customs lines and some 400 MB of the worker's memory.
NCM_WORKBOOK_SHEET_MAX_BYTES = env.int("NCM_WORKBOOK_SHEET_MAX_BYTES", default=256 * 1024 * 1024)
NCM_DOCUMENT_MAX_BYTES = env.int("NCM_DOCUMENT_MAX_BYTES", default=50 * 1024 * 1024)
NCM_DOCUMENT_EXTENSIONS = env.list(
    "NCM_DOCUMENT_EXTENSIONS",
    default=[
        "pdf",
        "doc",
        "docx",
        "odt",
        "rtf",
        "txt",
        "xls",
        "xlsx",
        "ods",
        "csv",
        "ppt",
        "pptx",
        "odp",
        "jpg",
        "jpeg",
        "png",
        "zip",
    ],
)

# --- E-mail ------------------------------------------------------------------------------------
# EMAIL_URL such as smtp+tls://user:password@mail.example.org:587 or consolemail://;
# without it, each message is written as a file under var/mail/.
EMAIL_FILE_PATH = VAR_DIR / "mail"
_email = env.email_url("EMAIL_URL", default="filemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="NCM Portal <no-reply@ncm.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security ----------------------------------------------------------------------------------
# Behind HTTPS (the default when debug is off) cookies are secure and HSTS is sent.
HTTPS = env.bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probed over plain HTTP from inside the network
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if env.bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Sessions are kept in the database and read through the cache (Redis when configured), so a
# page does not query the session table on every request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
X_FRAME_OPTIONS = "DENY"
# Content Security Policy (django-csp): every script, style, font and image comes from the portal
# itself; no inline script or style runs, no other site is contacted, no page may frame it.
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
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Login throttling (django-axes): after NCM_LOGIN_FAILURE_LIMIT wrong passwords for one e-mail
# address from one client address, that pair is refused for NCM_LOGIN_COOLOFF_MINUTES. Counting
# the pair, not the address alone, keeps a ministry's shared office address usable for everyone
# else. The client address is REMOTE_ADDR; the header NCM_CLIENT_IP_HEADER is believed only on
# connections from NCM_TRUSTED_PROXIES (see ncm_portal/security.py).
AXES_FAILURE_LIMIT = env.int("NCM_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("NCM_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ncm_portal.security.locked_out"
AXES_CLIENT_IP_CALLABLE = "ncm_portal.security.client_ip"
AXES_USERNAME_CALLABLE = "ncm_portal.security.username"
AXES_USERNAME_FORM_FIELD = "username"  # the sign-in form's field, which holds the e-mail address
AXES_VERBOSE = False
NCM_TRUSTED_PROXIES = env.list("NCM_TRUSTED_PROXIES", default=[])
NCM_CLIENT_IP_HEADER = env.str("NCM_CLIENT_IP_HEADER", default="X-Forwarded-For")
# Guesses at one account from many addresses: after NCM_LOGIN_ACCOUNT_FREE_FAILURES wrong
# passwords (since its last sign-in, within a day) each further attempt waits 2, 4, 8... seconds
# after the last one, never more than NCM_LOGIN_ACCOUNT_MAX_DELAY_SECONDS: slowed, never locked,
# so nobody can keep a colleague out. Its owner is told by e-mail at NCM_LOGIN_NOTIFY_AFTER.
NCM_LOGIN_ACCOUNT_FREE_FAILURES = env.int("NCM_LOGIN_ACCOUNT_FREE_FAILURES", default=5)
NCM_LOGIN_ACCOUNT_MAX_DELAY_SECONDS = env.int("NCM_LOGIN_ACCOUNT_MAX_DELAY_SECONDS", default=300)
NCM_LOGIN_NOTIFY_AFTER = env.int("NCM_LOGIN_NOTIFY_AFTER", default=10)
# One address trying many accounts: at most this many wrong passwords per hour, all accounts.
NCM_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("NCM_LOGIN_ADDRESS_FAILURE_LIMIT", default=30)
# Password reset e-mails: per account and per client address, each per hour.
NCM_PASSWORD_RESET_ACCOUNT_LIMIT = env.int("NCM_PASSWORD_RESET_ACCOUNT_LIMIT", default=3)
NCM_PASSWORD_RESET_ADDRESS_LIMIT = env.int("NCM_PASSWORD_RESET_ADDRESS_LIMIT", default=10)
# Two-step sign-in is required of administrators and the secretariat: after their password they
# reach only enrolment until it is done.
NCM_REQUIRE_TWO_FACTOR = env.bool("NCM_REQUIRE_TWO_FACTOR", default=not DEBUG)

# --- Forms -------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Portal ------------------------------------------------------------------------------------
# Used in links inside e-mails.
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000")
NCM_COUNTRY_NAME = env.str("NCM_COUNTRY_NAME", default="Republic of Veridia")
# The Party's two-letter code in the datasets it uploads (its exports and imports of wastes).
NCM_COUNTRY_CODE = env.str("NCM_COUNTRY_CODE", default="VR")
# Designations ending within this many days are flagged on dashboards and registry pages.
NCM_DESIGNATION_ENDING_WARNING_DAYS = env.int("NCM_DESIGNATION_ENDING_WARNING_DAYS", default=60)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
