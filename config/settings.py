"""Django settings for Kompass: 12-factor, everything secret or host-specific comes from the environment.

Environment variables:
  DATABASE_URL      default sqlite:///var/kompass.sqlite3 (the embedded default database)
  SECRET_KEY        required unless DEBUG is on
  DEBUG             "1"/"true" for development (make run sets it)
  ALLOWED_HOSTS     comma-separated, default "127.0.0.1,localhost"
  EMAIL_URL-style settings: EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD,
                    EMAIL_USE_TLS, DEFAULT_FROM_EMAIL (console backend by default)
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KOMPASS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


if os.path.basename(sys.argv[0]) in ("pytest", "py.test") or "pytest" in sys.modules:
    os.environ.setdefault("KOMPASS_TESTING", "1")  # a plain `pytest` gets test settings, as `make test` does

DEBUG = env_bool("DEBUG")
def _secret_key() -> str:
    """SECRET_KEY from the environment; otherwise a random key generated once into var/secret_key (mode 0600),
    so that an installation works without setup and never runs with a key known to anybody else."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    if os.environ.get("KOMPASS_TESTING"):
        return "insecure-test-key-only-used-by-the-test-suite"  # noqa: S105
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(key)
        return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "kompass.core.admin_apps.KompassAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "ninja",
    "rules.apps.AutodiscoverRulesConfig",
    "kompass.core",
    "kompass.audit",
    "kompass.accounts",
    "kompass.strategy",
    "kompass.organisations",
    "kompass.measures",
    "kompass.portal",
    "kompass.lottery",
    "kompass.jobs",
    "kompass.lifecycle",
    "kompass.monitoring",
    "kompass.participation",
    "kompass.opendata",
    "django_tasks",
    "django_tasks_db",
    "kompass.ops",
]

MIDDLEWARE = [
    "kompass.ops.middleware.OpsMiddleware",  # request id, request log, metrics (outermost)
    "kompass.ops.edgecache.EdgeCacheMiddleware",  # stores anonymous pages for nginx (EDGE_CACHE_URL, ADR 0043)
    "django.middleware.security.SecurityMiddleware",
    "kompass.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kompass.ops.pagecache.PageCacheMiddleware",  # anonymous pages from the shared cache (after Locale)
    "kompass.ops.xaccel.XAccelRedirectMiddleware",
    "django.middleware.common.CommonMiddleware",
    "kompass.opendata.middleware.OpenDataConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kompass.core.middleware.DeniedWriteMiddleware",  # a denied write: 403, never a login redirect (ADR 0037)
    "kompass.core.hardening.InputSanityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kompass" / "portal" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kompass.portal.context_processors.portal",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
# --- Database (issue 12). CONN_MAX_AGE keeps connections per worker; behind PgBouncer in transaction mode set
# DB_PGBOUNCER=1 (no server-side cursors, no prepared statements); DB_POOL=1 uses Django's psycopg pool instead
# (DB_POOL_MIN_SIZE/DB_POOL_MAX_SIZE per process, CONN_MAX_AGE must then be 0). docs/operations.md: sizing.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'kompass.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _db_options = DATABASES["default"].setdefault("OPTIONS", {})
    _db_options.setdefault("connect_timeout", int(os.environ.get("DB_CONNECT_TIMEOUT", "5")))
    if env_bool("DB_PGBOUNCER"):
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        _db_options["prepare_threshold"] = None  # PgBouncer < 1.21 in transaction mode: no prepared statements
    if env_bool("DB_POOL"):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        _db_options["pool"] = {"min_size": int(os.environ.get("DB_POOL_MIN_SIZE", "1")),
                               "max_size": int(os.environ.get("DB_POOL_MAX_SIZE", "4")),
                               "timeout": float(os.environ.get("DB_POOL_TIMEOUT", "10"))}
# PgBouncer's admin console (its pseudo-database "pgbouncer", a user of its stats_users), read by the metrics page
# for the pool's gauges (kompass_pgbouncer_*); empty: not read. E.g. postgresql://kompass_stats@127.0.0.1:6432/pgbouncer
KOMPASS_PGBOUNCER_ADMIN_URL = os.environ.get("PGBOUNCER_ADMIN_URL", "")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if not os.environ.get("KOMPASS_TESTING"):
        # WAL lets the task worker write while the server reads. Tests skip it: a test database recreated
        # next to stale -wal/-shm files of an interrupted run fails with "disk I/O error".
        DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-kompass.sqlite3")}

# Worker processes per app server (gunicorn's standard variable; deploy/gunicorn.conf.py reads the same one).
WEB_CONCURRENCY = int(os.environ.get("WEB_CONCURRENCY", "1"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

# Login throttling per account across all addresses (ADR 0031, 0036): after LOGIN_FAILURE_LIMIT failed attempts
# (forgotten LOGIN_FAILURE_WINDOW_SECONDS after the last one) the account is locked; each further lock-out lasts
# twice as long as the one before, from LOGIN_LOCKOUT_BASE_SECONDS up to LOGIN_LOCKOUT_MAX_SECONDS. The lock-out
# count is forgotten after LOGIN_LOCKOUT_RESET_SECONDS without a lock-out, or at the next successful login.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))
LOGIN_LOCKOUT_BASE_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_BASE_SECONDS", "60"))
LOGIN_LOCKOUT_MAX_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_MAX_SECONDS", "3600"))
LOGIN_LOCKOUT_RESET_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_RESET_SECONDS", "86400"))

# django-axes (ADR 0031): failures per account across all addresses, lock-out with growing backoff, answered 429;
# kompass.accounts.throttle adds the atomic gate that parallel guesses cannot pass. Client addresses come from
# X-Forwarded-For only when BEHIND_PROXY is set (kompass.core.clientip, django-ipware).
BEHIND_PROXY = env_bool("BEHIND_PROXY")
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "1"))
INSTALLED_APPS += ["axes"]
MIDDLEWARE += ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = ["kompass.accounts.throttle.RequestAxesBackend", *AUTHENTICATION_BACKENDS]
AXES_FAILURE_LIMIT = "kompass.accounts.throttle.failure_limit"
AXES_COOLOFF_TIME = "kompass.accounts.throttle.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_LOCKOUT_CALLABLE = "kompass.accounts.throttle.axes_lockout_response"
AXES_USERNAME_CALLABLE = "kompass.accounts.throttle.axes_username"
AXES_VERBOSE = False
AXES_DISABLE_ACCESS_LOG = True  # no log of successful logins (data minimisation)
AXES_USE_ATTEMPT_EXPIRATION = True  # failed attempts expire with the lock-out window
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if BEHIND_PROXY else ("REMOTE_ADDR",)
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT if BEHIND_PROXY else None
# W006 asks to lock per IP as well; the lock is per account on purpose (it holds across all addresses, and one
# city office behind a NAT must not lock itself out). Per-IP limits are kompass.core.ratelimit's job.
SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "axes.W006"]

if os.environ.get("KOMPASS_TESTING"):
    # Tests create many users; a fast hash keeps the suite quick. Never used outside tests.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Cache (issue 12). `default` is the cache shared by all workers and app servers (page cache, rate limits,
# login throttling). CACHE_URL: empty or locmem:// = per process (one worker only), redis://host:port/db =
# Django's RedisCache (kompass.ops.redis_cache: a miss, never an error, while Redis is down), db:// = Django's
# DatabaseCache in the table kompass_cache (created after migrate).
_cache_url = os.environ.get("CACHE_URL", "")
if _cache_url.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {"default": {"BACKEND": "kompass.ops.redis_cache.ResilientRedisCache", "LOCATION": _cache_url,
                          "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "kompass"),
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1,
                                      "retry_on_timeout": True, "health_check_interval": 15}}}
elif _cache_url.startswith("db://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                          "LOCATION": _cache_url[len("db://"):].strip("/") or "kompass_cache"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Anonymous page cache lifetime in seconds (0 switches it off); invalidated on every committed write. On by
# default only with a shared cache: with a per-process cache another process (a second worker, the task worker)
# could not invalidate it. Off in the test suite (tests read response.context; tests/ops switch it on).
_shared_cache = not CACHES["default"]["BACKEND"].endswith(("LocMemCache", "DummyCache"))
KOMPASS_PAGE_CACHE_SECONDS = int(os.environ.get(
    "PAGE_CACHE_SECONDS", "60" if _shared_cache and not os.environ.get("KOMPASS_TESTING") else "0"))
# How much longer an entry is kept after its fresh time: one request re-renders it, the others meanwhile get this
# copy of the same generation (never after a write; ADR 0088). 0 = every request after the fresh time renders.
KOMPASS_PAGE_CACHE_GRACE_SECONDS = int(os.environ.get("PAGE_CACHE_GRACE_SECONDS", "300"))

# --- Logged-in and token paths (issue 12, ADR 0044; helper "speed"). Shared fragments (measure page content for
# accounts without rights on the measure, idea list, catalogue) are cached under the page cache's invalidation
# generation (kompass.core.fragments): on with a shared cache, like the page cache; FRAGMENT_CACHE_SECONDS=0 off.
# With a shared cache, sessions are read from it and written through to the database (cached_db).
KOMPASS_FRAGMENT_CACHE_SECONDS = int(os.environ.get(
    "FRAGMENT_CACHE_SECONDS", "60" if _shared_cache and not os.environ.get("KOMPASS_TESTING") else "0"))
if _shared_cache and env_bool("SESSION_CACHE", default=True):
    SESSION_ENGINE = "kompass.accounts.sessions"
KOMPASS_SESSION_CACHE_SECONDS = int(os.environ.get("SESSION_CACHE_SECONDS", "600"))
# --- end of the logged-in paths block

# Edge cache (ADR 0043): nginx answers anonymous pages from memcached, the app servers fill it and every committed
# write flushes it. EDGE_CACHE_URL=memcached://host:port[,host:port] (every server gets every page; set it for app
# servers, task workers and management commands alike). Needs the shared cache above for its generation; off
# (empty) in the embedded default.
_edge_url = os.environ.get("EDGE_CACHE_URL", "")
KOMPASS_EDGE_CACHE_SERVERS = [part.strip() for part in _edge_url.removeprefix("memcached://").split(",")
                              if part.strip()] if _shared_cache else []
KOMPASS_EDGE_CACHE_SECONDS = int(os.environ.get("EDGE_CACHE_SECONDS", "60"))

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "kompass" / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# --- Media storage (issue 12): the local filesystem by default; S3-compatible object storage through
# django-storages when MEDIA_STORAGE=s3 (bucket AWS_STORAGE_BUCKET_NAME, endpoint AWS_S3_ENDPOINT_URL,
# credentials AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY from the environment). Private files stay on their own
# storage (lifecycle.models.PrivateStorage) and are served only through permission-checked views.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
if os.environ.get("MEDIA_STORAGE", "").lower() == "s3":
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", "kompass-media"),
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "default_acl": None, "querystring_auth": True, "file_overwrite": False,
        "location": os.environ.get("AWS_LOCATION", "media"),
    }}
# The site's public address (https://kompass.example, no trailing slash): used wherever an absolute link is built
# (kompass.core.urls.absolute_url): emails, digests, candidate source links, open-data feeds. Empty: the request's
# host, or a relative link where there is no request. KOMPASS_PUBLIC_URL is the older name, still read.
KOMPASS_SITE_URL = (os.environ.get("KOMPASS_SITE_URL") or os.environ.get("KOMPASS_PUBLIC_URL", "")).rstrip("/")
# nginx sends protected files itself when this prefix is set (deploy/nginx/kompass.conf: location /_protected/).
KOMPASS_X_ACCEL_REDIRECT = os.environ.get("X_ACCEL_REDIRECT", "")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Email: console backend unless configured.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kompass@localhost")

# Security headers (secure by default; HTTPS-only settings switch on outside DEBUG unless told otherwise).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
HTTPS_ONLY = env_bool("HTTPS_ONLY", default=not DEBUG and not os.environ.get("KOMPASS_TESTING"))
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = 31536000 if HTTPS_ONLY else 0
# Production (docs/deployment in README): HTTPS_ONLY=1 redirects to HTTPS (except the health check);
# HSTS_INCLUDE_SUBDOMAINS / HSTS_PRELOAD are commitments for the whole host name, so they are opt-in.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=HTTPS_ONLY)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
# Idea maps: district outlines by default; MAP_TILE_URL ("https://tiles.example/{z}/{x}/{y}.png") adds background
# tiles from a tile server the operator chooses (ADR 0072). There is no default: no third party is contacted.
KOMPASS_MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")
_TILE_ORIGIN = "/".join(KOMPASS_MAP_TILE_URL.split("/")[:3]) if KOMPASS_MAP_TILE_URL.startswith("https://") else ""
CONTENT_SECURITY_POLICY = (
    f"default-src 'self'; img-src 'self' data:{' ' + _TILE_ORIGIN if _TILE_ORIGIN else ''}; style-src 'self'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# --- Logging (issue 12): JSON lines on stdout with a request id (LOG_FORMAT=json, the default outside DEBUG) or
# plain text (LOG_FORMAT=text). One `kompass.request` line per request unless REQUEST_LOG=0.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG or os.environ.get("KOMPASS_TESTING") else "json")
KOMPASS_REQUEST_LOG = env_bool("REQUEST_LOG", default=not os.environ.get("KOMPASS_TESTING"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "kompass.ops.requestid.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "kompass.ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout",
                             "formatter": "json" if LOG_FORMAT == "json" else "text", "filters": ["request_id"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {"kompass.request": {"level": "INFO"}},
}
# /metrics answers loopback only, or any address with `Authorization: Bearer $METRICS_TOKEN`.
KOMPASS_METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")

# Background tasks (django-tasks, the backport of Django 6's Tasks API). Production and `make run` use the
# database backend with a worker (`kompass db_worker`); tests run tasks immediately.
TASKS = {"default": {"BACKEND": os.environ.get("TASKS_BACKEND") or (
    "django_tasks.backends.immediate.ImmediateBackend" if os.environ.get("KOMPASS_TESTING")
    else "django_tasks_db.DatabaseBackend")}}

# Background jobs (ADR 0016): a running job's worker touches its heartbeat every JOB_HEARTBEAT_SECONDS; a job
# without one for JOB_LEASE_SECONDS is marked failed by the sweep (heartbeats, each job start, `kompass jobs_sweep`).
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "10"))
JOB_LEASE_SECONDS = int(os.environ.get("JOB_LEASE_SECONDS", "120"))
# Finished jobs and task runs are deleted this many days after they ended (`kompass purge_jobs`, daily; at least 1).
KOMPASS_JOB_RETENTION_DAYS = int(os.environ.get("JOB_RETENTION_DAYS", "30"))

# Kompass
KOMPASS_CATALOGUE_PAGE_SIZE = 20
KOMPASS_API_PAGE_SIZE_MAX = 100
