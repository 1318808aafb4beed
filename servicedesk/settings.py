"""Settings for servicedesk, all read from the environment (django-environ).

Profiles: the default is the embedded development/demo profile (SQLite file in
the project folder, eager Celery when no REDIS_URL). `DJANGO_PROFILE=production`
turns on every deployment safeguard; `manage.py check --deploy` is then clean.
"""
import ipaddress
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

PROFILE = env.str("DJANGO_PROFILE", default="development")
PRODUCTION = PROFILE == "production"

# Under the production profile DEBUG is always off, whatever DEBUG=… says: an error page never shows settings or
# code to a visitor (docs/deployment.md, DJANGO_PROFILE).
DEBUG = False if PRODUCTION else env.bool("DEBUG", default=True)
if PRODUCTION:
    SECRET_KEY = env.str("SECRET_KEY")  # no default: refuse to start without one
else:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_celery_beat",
    "simple_history",
    "import_export",
    "axes",
    "servicedesk",
    "penalties",
    "billing",
    "callbacks",
    "dispatch",
    "receivables",
    "bonuses",
    "reports",
    # the client's own page (signed links, no account): above reports, below the workspace
    "portal",
    # outgoing messages (the outbox): directly above the core, told about events by its signals
    "messaging",
    # the top floor (docs/developers.md): the home page, to-dos and menus; the demo department
    "workspace",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "servicedesk.memo.RequestMemoMiddleware",  # a request reads a date's rule parameters once (servicedesk/params.py)
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy on every page, every profile (CONTENT_SECURITY_POLICY)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "servicedesk.auth.sessions.SessionPolicyMiddleware",  # sign out everywhere; a technician's week-long sliding session
    "servicedesk.language.PreferredLanguageMiddleware",  # rule 7: a signed-in person's preferred language
    "servicedesk.middleware.RefuseNulMiddleware",  # ?x=%00 → 400 naming x, never a 500 from PostgreSQL
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last (django-axes): maps a lockout to servicedesk.auth.lockout_response
]

# --- page sessions (servicedesk/auth/sessions.py): field staff (technician, team lead) stay signed in for a
# working week after their last request, the expiry pushed forward at most hourly; other roles keep Django's
# SESSION_COOKIE_AGE (two weeks from the last change). "Sign out everywhere" is on /core/sessions/.
TECHNICIAN_SESSION_AGE = env.int("TECHNICIAN_SESSION_DAYS", default=7) * 24 * 3600
SESSION_REFRESH_INTERVAL = env.int("SESSION_REFRESH_SECONDS", default=3600)

# --- login lockout (django-axes, against password guessing): AXES_FAILURE_LIMIT failed logins of one username
# from one address lock that pair for AXES_COOLOFF_MINUTES, on the login page and on POST /api/auth/token/.
AUTHENTICATION_BACKENDS = ["servicedesk.auth.LockoutBackend", "servicedesk.auth.ActiveStaffBackend"]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "servicedesk.auth.lockout_response"
AXES_VERBOSE = False
# The client's address for the lockout, the API throttles and the client links: servicedesk/network.py.
# X-Forwarded-For is believed only from these proxies (IPs or CIDRs; nginx on the same host: 127.0.0.1,::1).
TRUSTED_PROXIES = [p.strip() for p in env.list("TRUSTED_PROXIES", default=[]) if p.strip()]
AXES_CLIENT_IP_CALLABLE = "servicedesk.network.client_address"
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from None

ROOT_URLCONF = "workspace.urls"  # the top app includes every app's pages and API
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
                "servicedesk.context_processors.staff",
                "workspace.context_processors.navigation",
            ],
        },
    },
]
WSGI_APPLICATION = "servicedesk.wsgi.application"
ASGI_APPLICATION = "servicedesk.asgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A database connection costs ~10 ms of CPU to open (most of it in PostgreSQL) against < 1 ms on a kept one: keep it
# for a minute on a server database, checked before reuse so a restarted database costs one retry, not an error.
# SQLite (the embedded demo) opens in microseconds. With PgBouncer in transaction mode set CONN_MAX_AGE=0 instead.
_SERVER_DB = not DATABASES["default"]["ENGINE"].endswith("sqlite3")
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60 if _SERVER_DB else 0))
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=_SERVER_DB))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Passwords (servicedesk/hashers.py): Argon2id in production, with the older algorithms kept so that their hashes
# still verify and are re-hashed at the next login. Development, the demo and the tests hash with PBKDF2 at fewer
# iterations: a login there answers at once. (Only one hasher per algorithm name may be listed: Django keeps the
# last one of a name.)
PASSWORD_HASHERS = [
    "servicedesk.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if not PRODUCTION:
    PASSWORD_HASHERS = [
        "servicedesk.hashers.DevelopmentPBKDF2PasswordHasher",
        *(h for h in PASSWORD_HASHERS if h != "django.contrib.auth.hashers.PBKDF2PasswordHasher"),
    ]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Chinese first (docs/developers.md rule 7). Our own msgids are Chinese; the English
# catalogue in locale/en translates them.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "servicedesk" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "media/"
# Uploads are never public: views that check the viewer serve them (servicedesk.uploads.protected_file). Behind
# nginx set this to its `internal` location (deploy/nginx-servicedesk.conf) and nginx sends the file.
MEDIA_X_ACCEL_REDIRECT = env.str("MEDIA_X_ACCEL_REDIRECT", default="")
# Where uploads are kept (docs/scaling.md): "filesystem" (MEDIA_ROOT, the default) or "s3", an S3-compatible store
# through django-storages (`pip install -e '.[s3]'`): a private bucket; a permitted viewer is redirected to a signed
# URL that expires after MEDIA_S3_URL_SECONDS.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="filesystem")
MEDIA_SIGNED_REDIRECT = False
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("MEDIA_S3_BUCKET"),
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("MEDIA_S3_PREFIX", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env.int("MEDIA_S3_URL_SECONDS", default=60),
            "signature_version": env.str("MEDIA_S3_SIGNATURE_VERSION", default="s3v4"),
            "file_overwrite": False,
        },
    }
    MEDIA_SIGNED_REDIRECT = True
elif MEDIA_STORAGE != "filesystem":
    from django.core.exceptions import ImproperlyConfigured  # noqa: E402

    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'filesystem' or 's3', not {MEDIA_STORAGE!r}")
# Photos and documents on a work order (servicedesk/attachments.py). Operating limits of the server, not rules of the
# department: settings, not rule parameters. A photo is kept downscaled to ATTACHMENT_IMAGE_MAX_SIDE pixels on its
# longest side (the per-order total counts what is kept); deploy/nginx-servicedesk.conf lets such a request through.
ATTACHMENT_MAX_FILE_MB = env.int("ATTACHMENT_MAX_FILE_MB", default=15)  # one uploaded file, before downscaling
ATTACHMENT_MAX_FILES_PER_UPLOAD = env.int("ATTACHMENT_MAX_FILES_PER_UPLOAD", default=10)
ATTACHMENT_MAX_PER_ORDER = env.int("ATTACHMENT_MAX_PER_ORDER", default=40)  # current (not removed) files of one order
ATTACHMENT_MAX_ORDER_MB = env.int("ATTACHMENT_MAX_ORDER_MB", default=80)  # kept bytes of one order
ATTACHMENT_IMAGE_MAX_SIDE = env.int("ATTACHMENT_IMAGE_MAX_SIDE", default=2000)
ATTACHMENT_THUMB_SIDE = 320
ATTACHMENT_PDF_MAX_PAGES = env.int("ATTACHMENT_PDF_MAX_PAGES", default=50)
# Uploaded workbooks (servicedesk/spreadsheets.py, the one bounded reader of the master-data and finance imports):
# the work is bounded, not only the bytes. Data rows of one file (finance's rule parameter may set fewer), distinct
# texts (shared strings, counted before openpyxl loads them), blank rows read, columns looked at per row.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
IMPORT_MAX_SHARED_STRINGS = env.int("IMPORT_MAX_SHARED_STRINGS", default=300_000)
IMPORT_MAX_BLANK_ROWS = env.int("IMPORT_MAX_BLANK_ROWS", default=10_000)
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=200)
# Django keeps an upload over this size in a temporary file instead of memory
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Content-Security-Policy (django-csp; docs/deployment.md "Content-Security-Policy") ---
# In every profile, so tests and the browser journeys see a violation as a console error. Scripts only from our own
# origin (the vendored htmx, ECharts, signature_pad and the apps' static JS): no inline <script>, no on…= attributes,
# no javascript: URLs, no eval (htmx's allowEval is off, templates/base.html) — tests/test_csp.py checks the templates.
# Inline style attributes stay allowed (style-src 'unsafe-inline'): they cannot run code. data: images are the drawn
# signatures (an SVG data URL) and the icons inside the admin's and Swagger UI's stylesheets.
# CSP_EXTRA_IMG_SRC: further origins images may come from, e.g. the S3 endpoint a signed media URL redirects to.
_csp_img_src = ["'self'", "data:", *env.list("CSP_EXTRA_IMG_SRC", default=[])]
if MEDIA_STORAGE == "s3" and env.str("MEDIA_S3_ENDPOINT_URL", default=""):
    from urllib.parse import urlsplit  # noqa: E402

    _s3 = urlsplit(env.str("MEDIA_S3_ENDPOINT_URL"))
    _csp_img_src.append(f"{_s3.scheme}://{_s3.netloc}")
    _csp_img_src.append(f"{_s3.scheme}://*.{_s3.netloc}")  # virtual-hosted bucket addresses
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": _csp_img_src,
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        **({"report-uri": [env.str("CSP_REPORT_URI")]} if env.str("CSP_REPORT_URI", default="") else {}),
    },
}

# --- REST API (API reference /api/docs/) ---
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # token first: a refused or expired token answers 401 with WWW-Authenticate, so a client knows to log in again
        "servicedesk.auth.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["servicedesk.auth.AnonThrottle", "servicedesk.auth.UserThrottle"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["servicedesk.filters.SafeFilterBackend"],  # date/time filters never 500
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "servicedesk.api_errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
}
# Throttles (against guessing and flooding): per client address for anonymous requests and the token endpoint,
# per user otherwise.
# Counted in the default cache: set CACHE_URL=redis://… when several gunicorn workers serve.
API_THROTTLE_ENABLED = env.bool("API_THROTTLE_ENABLED", default=True)
API_THROTTLE_RATES = {
    "anon": env.str("API_THROTTLE_ANON", default="120/min"),
    "user": env.str("API_THROTTLE_USER", default="3000/min"),
    "login": env.str("API_THROTTLE_LOGIN", default="30/min"),
}
API_TOKEN_TTL = timedelta(hours=env.int("API_TOKEN_TTL_HOURS", default=7 * 24))  # then POST /api/auth/token/ again
# The shared cache of the limits above and the client-link counters (servicedesk/cache.py). Production: Redis
# (CACHE_URL=redis://…/1, Django's RedisCache wrapped so that Redis down degrades instead of answering 500: reads
# miss, limits fail open, the token login refuses with "try again later"). The default, per-process memory, counts
# per gunicorn worker: development and tests only.
CACHE_TIMEOUT_SECONDS = env.float("CACHE_TIMEOUT_SECONDS", default=0.5)  # connect and read timeout of Redis


def _cache(url: str) -> dict:
    config = environ.Env.cache_url_config(url)
    if url.split(":", 1)[0] in ("redis", "rediss", "rediscache"):
        config["BACKEND"] = "servicedesk.cache.DegradingRedisCache"
        options = config.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", CACHE_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", CACHE_TIMEOUT_SECONDS)
    return config


CACHES = {"default": _cache(env.str("CACHE_URL", default="locmemcache://"))}

# The schema and its docs: public in development, login required in production unless API_DOCS_PUBLIC=1.
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=not PRODUCTION)

SPECTACULAR_SETTINGS = {
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"]
    if API_DOCS_PUBLIC
    else ["rest_framework.permissions.IsAuthenticated"],
    "TITLE": "servicedesk API",
    "DESCRIPTION": "After-sales / IT field-service department API. The rules behind it: docs/rules.md in the repository.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ClientKindEnum": "servicedesk.choices.ClientKind",
        "LineKindEnum": "billing.choices.LineKind",
        "WorkOrderStatusEnum": "servicedesk.choices.WorkOrderStatus",
        "ChargeStatusEnum": "billing.choices.ChargeStatus",
        "ChargeDecisionEnum": "billing.choices.Decision",
        "DismissalDecisionEnum": "penalties.choices.FlagDecision",
        "WorkOrderChannelEnum": "servicedesk.choices.Channel",
        "ComplaintChannelEnum": "callbacks.choices.ComplaintChannel",
        "ComplaintCauseEnum": "callbacks.choices.ComplaintCause",
        "NotPersonCauseEnum": "callbacks.choices.NOT_PERSON_CAUSE_CHOICES",
        "OverdueCauseEnum": "receivables.choices.OverdueCause.values",  # documented inline by enum_field: values only
    },
}

# --- Celery ---
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Each app adds its scans here (see servicedesk/beat.py); the embedded runner
# of `manage.py rundemo` reads the same table.
from servicedesk.beat import BEAT_SCHEDULE as CELERY_BEAT_SCHEDULE  # noqa: E402

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="servicedesk@localhost")

# Outgoing messages (messaging/, docs/deployment.md "Message channels"): robots' webhooks, the SMS provider's
# credentials, per-channel rate limits (messages a minute) and the retry policy of the outbox.
# An SLA deadline this many minutes ahead: its technician is warned once (0: no warning)
SLA_WARNING_MINUTES = env.int("SLA_WARNING_MINUTES", default=15)
# the site's address as people outside reach it (links in messages: "https://desk.example.com"); blank: relative links
SITE_URL = env.str("SITE_URL", default="")
MESSAGING_WECOM_WEBHOOK_URL = env.str("MESSAGING_WECOM_WEBHOOK_URL", default="")
MESSAGING_DINGTALK_WEBHOOK_URL = env.str("MESSAGING_DINGTALK_WEBHOOK_URL", default="")
MESSAGING_DINGTALK_SECRET = env.str("MESSAGING_DINGTALK_SECRET", default="")
MESSAGING_SMS_ENDPOINT = env.str("MESSAGING_SMS_ENDPOINT", default="https://dysmsapi.aliyuncs.com/")
MESSAGING_SMS_REGION = env.str("MESSAGING_SMS_REGION", default="cn-hangzhou")
MESSAGING_SMS_ACCESS_KEY_ID = env.str("MESSAGING_SMS_ACCESS_KEY_ID", default="")
MESSAGING_SMS_ACCESS_KEY_SECRET = env.str("MESSAGING_SMS_ACCESS_KEY_SECRET", default="")
MESSAGING_SMS_SIGN_NAME = env.str("MESSAGING_SMS_SIGN_NAME", default="")
# "dispatched=SMS_123,on_the_way=SMS_124,…": the provider-approved TemplateCode of each message template
MESSAGING_SMS_TEMPLATE_CODES = env.dict("MESSAGING_SMS_TEMPLATE_CODES", default={})
MESSAGING_RATE_PER_MINUTE = {
    "email": env.int("MESSAGING_RATE_EMAIL", default=60),
    "wecom": env.int("MESSAGING_RATE_WECOM", default=20),  # WeCom's robots accept 20 a minute
    "dingtalk": env.int("MESSAGING_RATE_DINGTALK", default=20),  # DingTalk's likewise
    "sms": env.int("MESSAGING_RATE_SMS", default=30),
}
MESSAGING_MAX_ATTEMPTS = env.int("MESSAGING_MAX_ATTEMPTS", default=10)
MESSAGING_BACKOFF_SECONDS = env.int("MESSAGING_BACKOFF_SECONDS", default=60)  # doubled after each failed attempt
MESSAGING_BACKOFF_MAX_SECONDS = env.int("MESSAGING_BACKOFF_MAX_SECONDS", default=3600)
MESSAGING_HTTP_TIMEOUT = env.float("MESSAGING_HTTP_TIMEOUT", default=10.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"
