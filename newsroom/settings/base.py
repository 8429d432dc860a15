"""Settings shared by every environment. Values come from environment variables."""

import datetime as dt
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import cache_from_url, env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
DEBUG = env_bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "editorial.admin_config.NewsroomAdminConfig",  # django.contrib.admin, project site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # Newsroom's layers, bottom up (see README "Layout"; `make lint` checks the contract).
    "core",
    "entities",
    "articles",
    "mentions",
    "search",
    "workflow",
    "website",
    "editorial",
]

MIDDLEWARE = [
    # Outermost: CSP and the other headers on every HTML response, error pages included.
    "core.middleware.SecurityHeadersMiddleware",
    # Refuses an oversized body before any other middleware or view reads it.
    "core.middleware.RequestBodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): did this session give its second factor?
    "django_otp.middleware.OTPMiddleware",
    "editorial.two_factor.TwoFactorGateMiddleware",
    "core.zone.NewsroomTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.PublicCachingMiddleware",
    # Turns a login that django-axes refused into the lockout answer (core.lockout).
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out username and address before any password is
# checked, for every path that calls authenticate() (admin login, API token login).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "website.context_processors.site",
            ],
        },
    },
]

# SQLite is the embedded default; DATABASE_URL=postgres://… selects PostgreSQL (psycopg 3).
SQLITE_PATH = BASE_DIR / env_str("SQLITE_NAME", "db.sqlite3")
# Health checks: a connection kept across requests is tested before reuse, so the first
# request after a database restart reconnects instead of failing on the dead socket.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # An unreachable server is noticed in seconds (a 503), not after the OS's TCP timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
# While the database is unreachable, requests answer 503 with this Retry-After (core.errors).
NEWSROOM_RETRY_AFTER_SECONDS = env_int("NEWSROOM_RETRY_AFTER_SECONDS", 10)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers: WAL lets readers run beside the writer, IMMEDIATE takes the write
    # lock when a transaction starts (no lock upgrade deadlocks), and the timeout makes
    # a writer wait its turn instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }

# "pages" holds rendered article and entity pages (website.page_cache), per process by
# default; NEWSROOM_PAGE_CACHE=0 turns that cache off.
CACHES = {
    "default": cache_from_url(env_str("CACHE_URL", "locmem://")),
    "pages": cache_from_url(env_str("PAGE_CACHE_URL", "locmem://")),
}
if CACHES["pages"]["BACKEND"].endswith("LocMemCache"):
    CACHES["pages"] |= {"LOCATION": "pages", "OPTIONS": {"MAX_ENTRIES": 2000}}
# "counters" holds the API throttles' request counts. Every worker must see the same
# counts, or n workers allow n times the rate: production keeps them in Redis when
# CACHE_URL is Redis, else in the database (db://); see production.py.
CACHES["counters"] = cache_from_url(
    env_str("NEWSROOM_COUNTER_CACHE_URL", env_str("CACHE_URL", "locmem://"))
)
if CACHES["counters"]["BACKEND"].endswith("LocMemCache"):
    CACHES["counters"]["LOCATION"] = "counters"
NEWSROOM_PAGE_CACHE = env_bool("NEWSROOM_PAGE_CACHE", True)
# After a Redis error, a process serves without that cache for this long before trying it
# again (core.cache): pages render from the database, throttles and lockouts fail open.
NEWSROOM_CACHE_RETRY_SECONDS = env_int("NEWSROOM_CACHE_RETRY_SECONDS", 5)
# A ceiling on how long a page is kept: changes come through the public version, and
# scheduled publications and embargoes end a page's life at their exact second.
NEWSROOM_PAGE_CACHE_SECONDS = 3600
# Part of every page's key: set it per deploy when PAGE_CACHE_URL is shared between
# releases (Redis), so that pages rendered by the old templates are not served.
NEWSROOM_RELEASE = env_str("NEWSROOM_RELEASE", "")

# Every request body, API and admin alike: a longer one is refused with 413 before it is
# read. 1 MiB is some 150,000 words of article text; Django's form-data cap follows it.
NEWSROOM_MAX_REQUEST_BYTES = env_int("NEWSROOM_MAX_REQUEST_BYTES", 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = NEWSROOM_MAX_REQUEST_BYTES

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"  # storage and server time; readers and editors see NEWSROOM_TIME_ZONE.
NEWSROOM_TIME_ZONE = env_str("NEWSROOM_TIME_ZONE", "Europe/Vilnius")

# Languages an article may be written in (BCP 47 primary tags).
ARTICLE_LANGUAGES = [
    ("en", "English"),
    ("be", "Belarusian"),
    ("uk", "Ukrainian"),
    ("ru", "Russian"),
    ("lt", "Lithuanian"),
    ("pl", "Polish"),
]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGIN_URL = "admin:login"

NEWSROOM_SITE_NAME = env_str("NEWSROOM_SITE_NAME", "Newsroom")
NEWSROOM_SITE_URL = env_str("NEWSROOM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# How many reverse proxies stand in front of the app (nginx, a load balancer, a CDN…). The
# client's address for throttles and login lockouts is the one the outermost of them saw:
# the n-th X-Forwarded-For entry from the right. 0 (the default): REMOTE_ADDR, and
# X-Forwarded-For is ignored, since any client can write it. See core.clients.
NEWSROOM_TRUSTED_PROXIES = env_int("NEWSROOM_TRUSTED_PROXIES", 0)
if NEWSROOM_TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("NEWSROOM_TRUSTED_PROXIES must be 0 or more.")

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.ActiveTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "api.http.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.BoundedJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.AnonymousThrottle"],
    # Our throttles key on core.clients.client_address; DRF's own helpers agree with it.
    "NUM_PROXIES": NEWSROOM_TRUSTED_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.http.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# Anonymous API requests per client address (DRF rate syntax: "<n>/<second|minute|hour|day>").
# Over the limit: 429 with Retry-After. Authenticated newsroom tools are not throttled.
NEWSROOM_API_ANON_RATE = env_str("NEWSROOM_API_ANON_RATE", "120/minute")
# JSON request bodies nested deeper than this are refused with 400 (a ninjs document is
# about six levels deep); unbounded nesting exhausted Python's recursion limit.
NEWSROOM_API_JSON_MAX_DEPTH = 32

# Login lockout (django-axes), for the admin and the API token login alike. Policy: after
# NEWSROOM_LOGIN_MAX_FAILURES failures for one username from one client address, that pair
# is refused (429 with Retry-After), even with the right password, for
# NEWSROOM_LOGIN_LOCKOUT_MINUTES. The lock is per username *and* address, so an attacker
# elsewhere cannot lock the rightful user out; failures during the lock do not extend it,
# so it always ends; a success clears the count. Superusers can lift a lock early in the
# admin (Axes › Access attempts) or with `manage.py axes_reset_username USERNAME`.
# The database handler keeps the counts in a table every worker and host shares (and that
# survives a restart), with no extra service; the cache handler would need Redis.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env_int("NEWSROOM_LOGIN_MAX_FAILURES", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("NEWSROOM_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"
# The client address: the same function as the throttles, so X-Forwarded-For counts only
# behind NEWSROOM_TRUSTED_PROXIES proxies. It takes precedence over axes' ipware lookup;
# the ipware settings below say the same thing for anyone reading axes' documentation.
AXES_CLIENT_IP_CALLABLE = "core.clients.client_address"
AXES_IPWARE_PROXY_COUNT = NEWSROOM_TRUSTED_PROXIES
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if NEWSROOM_TRUSTED_PROXIES else ("REMOTE_ADDR",)
)
AXES_VERBOSE = False

# Two-factor authentication (django-otp, TOTP authenticator apps): any staff user may turn
# it on (admin › Two-factor authentication); then signing in, in the admin and at the API's
# token login (field `otp`), takes a code. NEWSROOM_REQUIRE_2FA_FOR_EDITORS=1 makes it
# compulsory for editors (anyone who may publish, superusers included): until they set it
# up they reach only the set-up page, and they get no API token.
NEWSROOM_REQUIRE_2FA_FOR_EDITORS = env_bool("NEWSROOM_REQUIRE_2FA_FOR_EDITORS", False)
OTP_TOTP_ISSUER = env_str("NEWSROOM_SITE_NAME", "Newsroom")

# API tokens (django-rest-knox, model workflow.ApiToken): one per client, with a name, only
# a SHA-512 digest stored, expiring NEWSROOM_API_TOKEN_DAYS after login (no silent renewal:
# a tool logs in again). They end on logout, revocation, password change and deactivation.
NEWSROOM_API_TOKEN_DAYS = env_int("NEWSROOM_API_TOKEN_DAYS", 90)
if NEWSROOM_API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("NEWSROOM_API_TOKEN_DAYS must be 1 or more.")
KNOX_TOKEN_MODEL = "workflow.ApiToken"
# knox's own migrations create its default token table even when the model is swapped out
# (and PostgreSQL's flush then trips over its foreign key): our model replaces it, so knox
# has no migrations here.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    "TOKEN_TTL": dt.timedelta(days=NEWSROOM_API_TOKEN_DAYS),
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
    # Recognisable in a leaked log or repository (secret scanners key on prefixes).
    "TOKEN_PREFIX": "nrt_",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom API",
    "DESCRIPTION": (
        "Published articles, people, organizations, events and places, as JSON or IPTC ninjs "
        "2.2, and an authenticated editorial API for newsroom tools. Anonymous clients are "
        "limited to NEWSROOM_API_ANON_RATE requests (default 120 per minute) per address; "
        "over it the API answers 429 with Retry-After."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No call to swagger.io's validator: the docs page talks to this origin only (CSP).
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets used by several fields get one name each in the schema.
    "ENUM_NAME_OVERRIDES": {
        "EntityKindEnum": "entities.models.EntityKind",
        "CorrectionKindEnum": "articles.models.CorrectionKind",
        "PrecisionEnum": "core.dates.PRECISION_CHOICES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.http.add_error_responses",
    ],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
# Serve static files through WhiteNoise from the app finders in debug and tests, where
# collectstatic has not run; production serves the collected, compressed files.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
