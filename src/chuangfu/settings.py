"""Project settings, read from the environment with safe development defaults.

Production (``CHUANGFU_ENV=production``) refuses to start without a real ``SECRET_KEY``
and ``CHUANGFU_DATA_KEY``; see docs/operations.md for every variable.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CHUANGFU_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

ENV = os.environ.get("CHUANGFU_ENV", "development")
PRODUCTION = ENV == "production"
DEBUG = os.environ.get("DEBUG", "0" if PRODUCTION else "1") == "1"
if PRODUCTION and DEBUG:
    # Debug pages show settings, every URL pattern and local variables (personal data included).
    raise ImproperlyConfigured("生产环境不能开启 DEBUG，请删除 DEBUG 或设为 0。 DEBUG must be off in production.")

_DEV_SECRET = "dev-insecure-chuangfu-secret-key-change-me-in-production-0123456789"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET)
if PRODUCTION and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("生产环境必须设置 SECRET_KEY（至少 50 个字符）。 SECRET_KEY must be set in production.")

# Key for personal data at rest (Fernet, urlsafe base64, 32 bytes) and for the keyed lookup hash.
# Development generates one on first run into var/ (git-ignored); production must set it.
DATA_KEY = os.environ.get("CHUANGFU_DATA_KEY", "")
if PRODUCTION and not DATA_KEY:
    raise ImproperlyConfigured("生产环境必须设置 CHUANGFU_DATA_KEY。 CHUANGFU_DATA_KEY must be set in production.")
if DATA_KEY:
    from cryptography.fernet import Fernet

    try:
        Fernet(DATA_KEY)
    except ValueError:
        raise ImproperlyConfigured(
            "CHUANGFU_DATA_KEY 格式不正确：应为 Fernet 密钥（32 字节，URL 安全的 base64）。"
            " CHUANGFU_DATA_KEY must be a Fernet key (32 url-safe base64-encoded bytes)."
        ) from None

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "" if PRODUCTION else "*").split(",") if h]
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "生产环境必须设置 ALLOWED_HOSTS（逗号分隔的域名）。 ALLOWED_HOSTS must be set in production."
    )
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_htmx",
    "huey.contrib.djhuey",
    "chuangfu.core",
    "chuangfu.registry",
    "chuangfu.desk",
    "chuangfu.activities",
    "chuangfu.policies",
    "chuangfu.subsidies",
    "chuangfu.governance",
    "chuangfu.ecosystem",
    "chuangfu.portal",
    "chuangfu.indicators",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "chuangfu.core.sealed_query.SealedQueryMiddleware",  # identifiers never in a URL (core/sealed_query.py)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "chuangfu.core.middleware.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "chuangfu.core.roles.AccessMiddleware",
    "chuangfu.core.request_scope.ScopeMiddleware",  # town-owned models read within a declared scope (core/scopes.py)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "chuangfu.core.middleware.AuditContextMiddleware",
    "axes.middleware.AxesMiddleware",
    "chuangfu.core.web.DomainErrorMiddleware",  # NotFound → 404, DomainError → the user's message
]

ROOT_URLCONF = "chuangfu.urls"
# One field template and Bootstrap classes by widget type for every form (core/rendering.py).
FORM_RENDERER = "chuangfu.core.rendering.FormRenderer"
WSGI_APPLICATION = "chuangfu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "chuangfu.core.context_processors.navigation",
                "chuangfu.core.context_processors.accessibility",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "chuangfu.sqlite3"
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "chuangfu.core.db.sqlite3",
            "NAME": SQLITE_PATH,
            # Keep connections between requests: reconnecting costs the PRAGMAs and schema parse, and
            # closing the last connection checkpoints the WAL (measured ~20 ms a request under gunicorn).
            "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "60")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA mmap_size=134217728; PRAGMA cache_size=-64000;"
                ),
            },
            # ":memory:" rather than None: pytest-xdist then leaves the name alone (each worker has its own).
            "TEST": {"NAME": os.environ.get("CHUANGFU_TEST_SQLITE") or ":memory:"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- task queue (huey): embedded SQLite file by default, Redis when REDIS_URL is set --------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": os.environ.get("CHUANGFU_QUEUE_NAME", "chuangfu"),
        "url": REDIS_URL,
        "immediate": False,
        "consumer": {"workers": int(os.environ.get("CHUANGFU_WORKERS", "2")), "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "chuangfu",
        "filename": str(VAR_DIR / "queue.sqlite3"),
        "immediate": False,
        "consumer": {"workers": int(os.environ.get("CHUANGFU_WORKERS", "2")), "worker_type": "thread"},
    }

# The nightly full match is split by jurisdiction into parts of about this many subjects, one queue
# task each (policies.services.match_split), when the registry is larger; 0: one process matches all.
POLICIES_MATCH_PART_SUBJECTS = int(os.environ.get("CHUANGFU_MATCH_PART_SUBJECTS", "0"))

# --- auth --------------------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "chuangfu.core.authentication.UsernameOrMobileBackend",  # username or verified mobile
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "chuangfu.core.passwords.CharacterClassValidator"},
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "chuangfu.core.authentication.axes_username"  # mobile and username: one count
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username"]  # a typed mobile must not sit in the attempt's stored form data
# Django's database sessions, the row read in one plain statement (core/sessions.py).
SESSION_ENGINE = "chuangfu.core.sessions"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Not on every request: SessionRefreshMiddleware pushes the expiry forward at most every
# SESSION_REFRESH_SECONDS, so 8 hours without a request still end the session (decisions.md §9).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = int(os.environ.get("SESSION_REFRESH_SECONDS", "300"))

# --- i18n ------------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files ----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request otherwise
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": os.environ.get("CHUANGFU_FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# What an import may unpack to (an .xlsx is a zip of XML) and how many rows it may have: checked
# before a cell is read (core.imports.check_file).
IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("CHUANGFU_IMPORT_MAX_UNPACKED_MB", "100")) * 1024 * 1024
IMPORT_MAX_ROWS = int(os.environ.get("CHUANGFU_IMPORT_MAX_ROWS", "100000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- notifications ------------------------------------------------------------------------------
# Development backends write messages (verification codes included) to the log or keep them in
# memory: production must name a real gateway (core.checks also imports it at start).
DEVELOPMENT_SMS_BACKENDS = frozenset(
    {"chuangfu.core.notifications.sms.LogSmsBackend", "chuangfu.core.notifications.sms.LocmemSmsBackend"}
)
SMS_BACKEND = os.environ.get(
    "CHUANGFU_SMS_BACKEND", "" if PRODUCTION else "chuangfu.core.notifications.sms.LogSmsBackend"
)
if PRODUCTION and (not SMS_BACKEND or SMS_BACKEND in DEVELOPMENT_SMS_BACKENDS):
    raise ImproperlyConfigured(
        "生产环境必须在 CHUANGFU_SMS_BACKEND 中设置真实的短信网关，不能使用开发用的短信后端（会把验证码写进日志）。"
        " CHUANGFU_SMS_BACKEND must name a real SMS gateway in production, not a development backend."
    )
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "chuangfu.core.notifications.email.LogEmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "chuangfu@localhost")
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated), e.g.
# "127.0.0.1,10.0.0.0/8". Empty: the client address is REMOTE_ADDR (core.clientip).
TRUSTED_PROXIES = [p.strip() for p in os.environ.get("CHUANGFU_TRUSTED_PROXIES", "").split(",") if p.strip()]
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"CHUANGFU_TRUSTED_PROXIES: “{_proxy}” 不是 IP 地址或网段 (not an address or network)"
        ) from None
# Where the site is served (e.g. https://cf.tangzhen.gov.cn): every link in an SMS or e-mail is made absolute
# with it (core.notifications.absolute_url). `chuangfu serve` sets it to the address it serves.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")

# --- security (production) --------------------------------------------------------------------
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "jieba": {"level": "WARNING"},  # its handler is removed in CoreConfig.ready: each line once
        # run_huey adds its own handler to "huey" unless it has one: give it ours, so each line prints once
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Lockout is per account (a town office shares one public address, so locking by address
# would lock out every colleague); axes warns about that choice, which is deliberate.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
