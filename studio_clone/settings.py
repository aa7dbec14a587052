"""One env-driven settings module.

The embedded default (no environment at all) is SQLite plus the in-memory channel layer, so
that the quick start needs nothing but Python. `DATABASE_URL` and `REDIS_URL` switch to
PostgreSQL and channels-redis, the production path; `DEBUG=false`, `SECRET_KEY` and
`HTTPS=true` make `manage.py check --deploy` pass (README, "Production").
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / ".data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-dev-key-only-for-the-embedded-default"  # noqa: S105
# Old keys still accepted for signatures (sessions, password resets) while a new one rolls out.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "editor",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outside every middleware that may answer on its own (a disallowed host's 400, the
    # request size limit's 413 and 400 pages), so that no page of the site can be framed.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # First of the project's own, so that every /v2/ answer carries it, refusals included.
    "editor.api.request_id.RequestIdMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the session and user are known (lazily, nothing is read for them), so that the
    # "too large" page shows who is signed in; before anything reads the body (CSRF reads
    # it only in process_view, once every middleware has let the request through).
    "editor.api.limits.RequestSizeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "studio_clone.urls"
WSGI_APPLICATION = "studio_clone.wsgi.application"
ASGI_APPLICATION = "studio_clone.asgi.application"

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
                "editor.context_processors.account",
            ],
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_POOL", not DATABASES["default"]["CONN_MAX_AGE"]
):
    # Under ASGI every request runs in a thread of its own, so Django's persistent
    # connections (CONN_MAX_AGE) would never be reused; Django's docs advise the driver's
    # pool instead. Each process keeps up to DATABASE_POOL_MAX connections open and lends
    # one to a request until it ends, instead of connecting anew for every request.
    DATABASES["default"]["OPTIONS"] = {
        "pool": {"min_size": 1, "max_size": int(os.environ.get("DATABASE_POOL_MAX", "8"))}
    }
    # A pooled connection is checked as it is lent: one whose backend is gone (PostgreSQL
    # restarted or failed over, the backend terminated) is replaced instead of failing the
    # request it was lent to, a webhook whose message Twilio does not resend
    # (tests/test_server_lost_database.py). The check looks at the socket, no query
    # (studio_clone/db_probe.py): Django's own would cost a round trip per request.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    from studio_clone import db_probe

    db_probe.install()
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARE", True
):
    # Server-side parameters, and a statement run 5 times on a connection is prepared: the
    # API's few hot statements (its key, its flow, a list page, an execution's rows) are then
    # parsed and planned once per pooled connection instead of on every request, which was
    # most of PostgreSQL's CPU per request (bench/RESULTS.md, B6). Off behind a pooler that
    # cannot keep prepared statements (PgBouncer in transaction mode before 1.21).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True, prepare_threshold=5
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves a web process and a worker at once: WAL lets readers and
    # a writer overlap, IMMEDIATE transactions queue writers instead of failing them, and a
    # 64 MB page cache keeps a 2,000-widget flow's rows in memory while it is stored.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; "
            "PRAGMA wal_autocheckpoint=10000;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # The durability tests run the server and the worker as separate processes on the test
    # database, so it must be a file they can open, not SQLite's default in-memory one. The
    # pid keeps concurrent test runs apart (pytest-xdist adds its own _gwN suffix too).
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"studio-clone-test-{os.getpid()}.sqlite3")
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# How many flow-websocket messages of one process may do database work at once, each in a
# thread of its own with its own connection (editor/consumers/runs.py): keep it below
# DATABASE_POOL_MAX, which HTTP's thread draws on too.
WEBSOCKET_DATABASE_THREADS = int(os.environ.get("WEBSOCKET_DATABASE_THREADS", "4"))
# Seconds a flow socket goes on without asking again whether its session still signs its user
# in; signing out, a password change and deactivation are announced at once
# (editor/consumers/sessions.py).
WEBSOCKET_SESSION_RECHECK = float(os.environ.get("WEBSOCKET_SESSION_RECHECK", "5"))

REDIS_URL = os.environ.get("REDIS_URL", "")
# redis-py 8 gives every read a 5 s timeout by default: exactly as long as channels-redis's
# blocking pop (BZPOPMIN) waits for a message. On a busy server the timeout wins the race
# and the consumer that was receiving dies with TimeoutError, dropping its websocket (seen
# in bench B3; channels-redis issue 422). Reads must outwait the pop, with room for a busy
# event loop; not by much, since a consumer whose socket has closed can be left waiting on
# a read until this timeout ends it (uvicorn waits for those at shutdown).
REDIS_SOCKET_TIMEOUT = 10.0
# redis-py 8 also caps an asyncio connection pool at 100 connections by default, and a
# pool at its cap raises MaxConnectionsError at once instead of waiting: with more than 100
# channel-layer calls in flight in one process (every consumer's group_add, send and
# receive), consumers died and their websockets dropped (bench B3, opening 2,000 test
# panels on a loaded box). Redis itself accepts 10,000 clients by default.
REDIS_MAX_CONNECTIONS = int(os.environ.get("REDIS_MAX_CONNECTIONS", "2000"))
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "studio_clone.channel_layer.RedisChannelLayer",  # channels-redis's
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": REDIS_SOCKET_TIMEOUT,
                        "max_connections": REDIS_MAX_CONNECTIONS,
                    }
                ]
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Timeouts are tasks in the same database as the executions they wake, enqueued in the same
# transaction; `manage.py worker` runs them (editor/management/commands/worker.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The HTTP widgets refuse loopback and private addresses; tests and local development may
# allow loopback (never private networks).
OUTBOUND_ALLOW_LOOPBACK = env_bool("OUTBOUND_ALLOW_LOOPBACK", False)

# Twilio (docs/channels.md). The public URL that Twilio requests, up to this app's root
# (scheme and host, plus any path prefix a proxy strips): webhook signatures cover it, and
# the voice verbs' callback URLs start with it. Empty: the URL each request arrived at.
TWILIO_WEBHOOK_BASE_URL = os.environ.get("TWILIO_WEBHOOK_BASE_URL", "").rstrip("/")
# Twilio's APIs, overridable for regional or private deployments and for tests.
TWILIO_API_BASE = os.environ.get("TWILIO_API_BASE", "https://api.twilio.com")
TWILIO_CONVERSATIONS_BASE = os.environ.get(
    "TWILIO_CONVERSATIONS_BASE", "https://conversations.twilio.com"
)
TWILIO_STUDIO_BASE = os.environ.get("TWILIO_STUDIO_BASE", "https://studio.twilio.com")
TWILIO_TASKROUTER_BASE = os.environ.get("TWILIO_TASKROUTER_BASE", "https://taskrouter.twilio.com")
TWILIO_FLEX_API_BASE = os.environ.get("TWILIO_FLEX_API_BASE", "https://flex-api.twilio.com")
# The Media Content Service, where media of a Conversations message is uploaded first.
TWILIO_MEDIA_BASE = os.environ.get("TWILIO_MEDIA_BASE", "https://mcs.twilio.com")
TWILIO_HTTP_TIMEOUT = float(os.environ.get("TWILIO_HTTP_TIMEOUT", "10"))
# The TaskRouter workspace of Send to Flex on messaging (its widget names only the workflow).
TWILIO_TASKROUTER_WORKSPACE_SID = os.environ.get("TWILIO_TASKROUTER_WORKSPACE_SID", "")
# Keys that encrypt stored secrets (editor/crypto.py): comma-separated, the first encrypts,
# all decrypt. Unset: derived from SECRET_KEY and SECRET_KEY_FALLBACKS.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
WHITENOISE_USE_FINDERS = True
# Serve straight from the static folders unless collectstatic has been run for production.
WHITENOISE_AUTOREFRESH = env_bool("WHITENOISE_AUTOREFRESH", not STATIC_ROOT.exists())

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "flow_list"
LOGOUT_REDIRECT_URL = "login"

# Anyone may create an account on the embedded default (it serves 127.0.0.1); a production
# site (DEBUG off) is invitation-only unless SIGNUP_ENABLED says otherwise. An invitation
# link lets its holder sign up either way.
SIGNUP_ENABLED = env_bool("SIGNUP_ENABLED", DEBUG)
# Where the site is reached, for links made without a request (manage.py add_member).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Mail (password resets, invitations): printed on the console unless EMAIL_HOST names an
# SMTP server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Studio <studio@localhost>")

# Bad input: Studio definitions are ~0.3 MB at 1,000 widgets, so 1 MiB is generous.
MAX_REQUEST_BYTES = 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_REQUEST_BYTES

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# HTTPS. Off in the embedded default, which serves plain http://127.0.0.1. HTTPS=true says
# the site is served only over HTTPS: plain http is redirected, browsers are told to stick
# to https (HSTS) and cookies travel only over TLS.
HTTPS = env_bool("HTTPS", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
# Load balancers probe the app directly, often over plain http: /healthz answers them there.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
# Both reach beyond this host (every subdomain; browsers' built-in preload list, which is
# slow to leave), so they are the operator's call and off unless asked for. Django's deploy
# check warns about them regardless; while they are off that warning is a decision taken,
# not an oversight, so it is silenced.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
# Cookies are secure whenever the site is served over HTTPS, and with DEBUG off too, so that
# a production site behind a TLS proxy never sends a session cookie in clear text.
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS or not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind a proxy that terminates TLS, Django sees plain http unless the server (daphne or
# uvicorn with --proxy-headers) or this header tells it otherwise. Trust the header only
# when the proxy sets it and strips it from clients, or anyone can claim https.
PROXY_SSL_HEADER = os.environ.get("PROXY_SSL_HEADER", "").strip()
if PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + PROXY_SSL_HEADER.upper().replace("-", "_"), "https")
# Django's defaults, stated because the deploy check relies on them.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "editor.api.auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "editor.api.forms.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # DRF's negotiation, with a fast path for the Accept headers clients send.
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "editor.api.negotiation.ApiNegotiation",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "EXCEPTION_HANDLER": "editor.api.errors.twilio_exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Studio clone REST API",
    "DESCRIPTION": "Twilio Studio REST API v2, compatible with the official Twilio SDKs.",
    "VERSION": "2.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and Redoc from our own static files (drf-spectacular-sidecar), not a CDN:
    # the docs work offline and the site loads no third-party script.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI would otherwise send the schema's URL to its public validator service.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    # Groups named for what they are ("Studio v2", "Canvas editor"), not "v2" and "api";
    # every operation's summary and description from one table (editor/api/operations.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "editor.api.schema_tags.name_tags",
        "editor.api.operations.describe_operations",
        "editor.api.schema_errors.document_errors",
    ],
    # Docstrings are written for the code's readers (and a mixin's would describe every view
    # inheriting it); the docs' descriptions are editor/api/operations.py's.
    "DISABLE_DOCSTRING_DESCRIPTIONS": True,
}

# Everything goes to one console handler, on the root logger. Django's default config also
# gives the "django" logger a console handler of its own (with DEBUG on) while letting it
# propagate to the root, which printed every runserver request line twice; so "django"
# gets no handler here. runserver's access log ("HTTP GET /path 200") is kept at INFO, and
# django.request's "Not Found: /path" warnings are left out because that line already says
# it (5xx errors, with their tracebacks, still reach the log).
LOG_LEVEL = os.environ.get("LOG_LEVEL", "WARNING").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "django.channels.server": {"level": "INFO"},
        "django.request": {"level": "ERROR"},
    },
}
