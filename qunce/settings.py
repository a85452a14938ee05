"""Qunce settings: one module, every value from the environment (see .env.example)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DEVELOPMENT_SECRET_KEY = "qunce-development-only-key-never-use-in-production"


def env(name, default=""):
    """A value from the environment, or from the file named by NAME_FILE (for secrets)."""
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def envbool(name, default):
    value = env(name, "")
    if value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name, default):
    value = env(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def envlist(name, default):
    value = env(name, "")
    return [item.strip() for item in value.split(",") if item.strip()] if value else default


# "development" serves plain HTTP on localhost; "production" turns on every HTTPS protection and
# refuses to start without a real secret key.
QUNCE_ENV = env("QUNCE_ENV", "development")
if QUNCE_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("QUNCE_ENV must be 'development' or 'production'")
PRODUCTION = QUNCE_ENV == "production"

SECRET_KEY = env("SECRET_KEY", "" if PRODUCTION else DEVELOPMENT_SECRET_KEY)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured("Set SECRET_KEY (or SECRET_KEY_FILE) in production")

DEBUG = envbool("DEBUG", False)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "django_htmx",
    "treebeard",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # CAS sign-in: its session ↔ ticket table is what single logout needs.
    "django_cas_ng",
    "qunce.core",
    "qunce.accounts",
    "qunce.org",
    "qunce.codes",
    "qunce.consents",
    "qunce.talents",
    "qunce.ledger",
    "qunce.care",
    "qunce.assistance",
    "qunce.counselling",
    "qunce.supplies",
    "qunce.health",
    "qunce.notices",
    "qunce.articles",
    "qunce.proposals",
    "qunce.teaching",
    "qunce.reports",
    "qunce.pledges",
    "qunce.rights",
    "qunce.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "qunce.core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "qunce.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session has given its second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "qunce.accounts.middleware.SessionLifetimeMiddleware",
    "qunce.accounts.middleware.IdleExpiryRenewalMiddleware",
    "qunce.accounts.middleware.ForcedPasswordChangeMiddleware",
    "qunce.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "qunce.core.middleware.NoStoreMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Turns django-ratelimit's refusal into RATELIMIT_VIEW's 429 page.
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks, so it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "qunce.urls"
WSGI_APPLICATION = "qunce.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "qunce" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "qunce.context_processors.roles",
            ],
        },
    },
]

DATA_DIR = Path(env("QUNCE_DATA_DIR", str(BASE_DIR / "var")))
# Where the ledger's chain head is exported daily, outside the database (a signed file each).
LEDGER_HEAD_DIR = Path(env("LEDGER_HEAD_DIR", str(DATA_DIR / "ledger-heads")))
if not env("DATABASE_URL"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'qunce.sqlite3'}"),
        # A kept connection is checked before each request, so that after a database restart
        # the process reconnects instead of failing until it is restarted itself.
        conn_health_checks=True,
    )
}
# PostgreSQL's connections are kept (a new one costs more than a check-in, and the check-in's
# prepared statements live with it); SQLite's cost nothing to open.
DATABASES["default"]["CONN_MAX_AGE"] = envint(
    "DATABASE_CONN_MAX_AGE",
    600 if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" else 0,
)
# The few statements of every peak request are prepared once per connection
# (qunce/core/prepared.py); the ORM's client-bound statements are never prepared. Behind a
# pooler in transaction mode without prepared-statement support set this to "off".
if (
    DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    and env("DATABASE_PREPARED_STATEMENTS", "on") != "off"
):
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers queue for the lock instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
    # Tests use a file too: SQLite's shared in-memory database refuses concurrent writers at
    # once ("table is locked") instead of queueing them, and the concurrency tests need queueing.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
# Read replicas (PostgreSQL streaming replicas of the primary), comma-separated URLs: reports,
# dashboards and exports read from them (qunce/core/replicas.py); everything else uses the
# primary. In tests a replica mirrors the primary's test database.
DATABASE_REPLICA_URLS = envlist("DATABASE_REPLICA_URLS", [])
for number, replica_url in enumerate(DATABASE_REPLICA_URLS, start=1):
    replica = dj_database_url.parse(replica_url, conn_health_checks=True)
    replica["CONN_MAX_AGE"] = DATABASES["default"]["CONN_MAX_AGE"]
    # A replica that does not answer is given up on in seconds, not after TCP's two minutes.
    replica["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "connect_timeout": 3,
        **replica.get("OPTIONS", {}),
    }
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica_{number}"] = replica
DATABASE_ROUTERS = ["qunce.core.replicas.ReplicaRouter"] if DATABASE_REPLICA_URLS else []
if DATABASE_REPLICA_URLS:
    # Someone who writes reads from the primary for a while (read-your-writes).
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "qunce.core.replicas.ReadYourWritesMiddleware",
    )
# A replica further behind than this is left out (reads go to the primary) until it catches up.
REPLICA_MAX_LAG_SECONDS = envint("REPLICA_MAX_LAG_SECONDS", 10)
# After someone writes, their reads stay on the primary this long, so they see their change:
# never shorter than the lag a replica may have.
REPLICA_STICKY_SECONDS = max(envint("REPLICA_STICKY_SECONDS", 15), REPLICA_MAX_LAG_SECONDS)
# How long a process takes a replica's health (answering, its lag) as known before asking again.
REPLICA_CHECK_SECONDS = envint("REPLICA_CHECK_SECONDS", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) serve PostgreSQL's dashboards; SQLite builds them without the extra
# columns, which is all the embedded default needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

REDIS_URL = env("REDIS_URL", "")
if PRODUCTION and not REDIS_URL:
    # Without a shared cache every web process keeps its own rate limits (a public form, the
    # token-failure budget, the two-factor code) and its own sessions' cache.
    raise ImproperlyConfigured(
        "Set REDIS_URL in production: limits must be shared by every process"
    )
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "qunce.core.cache.KeptClientRedisCache", "LOCATION": REDIS_URL}
    }
    # Sessions must outlive any one web process: in Redis, written through to the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background work on Django's task API. The embedded default keeps the queue in the database
# (`manage.py db_worker` runs it, no other server); production sets TASK_BACKEND=rq to run the
# same tasks on RQ workers over Redis (`manage.py rqworker default notifications --job-class
# django_tasks_rq.Job --with-scheduler`), on as many machines as it likes.
TASK_BACKEND = env("TASK_BACKEND", "database")
TASK_QUEUES = ["default", "notifications"]
if TASK_BACKEND not in ("database", "rq"):
    raise ImproperlyConfigured("TASK_BACKEND is either database or rq")
if TASK_BACKEND == "rq" and not (env("RQ_URL") or REDIS_URL):
    raise ImproperlyConfigured("TASK_BACKEND=rq needs RQ_URL or REDIS_URL")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_rq.RQBackend"
            if TASK_BACKEND == "rq"
            else "django_tasks_db.DatabaseBackend"
        ),
        "QUEUES": TASK_QUEUES,
    }
}
RQ_QUEUES = {
    name: {"URL": env("RQ_URL", REDIS_URL or "redis://127.0.0.1:6379/0")} for name in TASK_QUEUES
}
# Pauses before the 2nd, 3rd, … attempt at a notification that failed (seconds); after the last
# the delivery is marked failed.
DELIVERY_RETRY_DELAYS = [60, 300, 1800, 7200]
# The periodic jobs: name → (cron expression in Asia/Shanghai, task). `manage.py run_scheduler`
# enqueues each due time once, however many schedulers run; each job is idempotent besides.
PERIODIC_TASKS = {
    "dispatch-deliveries": ("* * * * *", "qunce.core.tasks.dispatch_deliveries"),
    "checkin-reminders": ("*/5 * * * *", "qunce.health.tasks.send_checkin_reminders"),
    "help-request-reminders": ("0 * * * *", "qunce.assistance.tasks.remind_help_requests"),
    "notice-report-reminders": ("0 9 * * *", "qunce.notices.tasks.remind_notice_reports"),
    "stale-profile-reminders": ("30 9 * * 1", "qunce.talents.tasks.remind_stale_profiles"),
    "stalled-family-needs": ("0 10 * * *", "qunce.care.tasks.remind_stalled_family_needs"),
    "purge-ended-sessions": ("20 2 * * *", "qunce.accounts.tasks.purge_ended_sessions"),
    "checkin-partitions": ("25 2 * * *", "qunce.health.tasks.prepare_checkin_partitions"),
    "checkin-statistics": ("*/10 * * * *", "qunce.health.tasks.refresh_checkin_statistics"),
    "dashboard-counts": ("* * * * *", "qunce.health.tasks.keep_dashboard_counts"),
    "purge-health-records": ("30 2 * * *", "qunce.health.tasks.purge_health_records"),
    "purge-counselling": ("40 2 * * *", "qunce.counselling.tasks.purge_counselling"),
    "purge-import-uploads": ("50 2 * * *", "qunce.talents.tasks.purge_import_uploads"),
    "build-match-index": ("0 3 * * *", "qunce.assistance.tasks.build_match_index"),
    "export-ledger-head": ("0 3 * * *", "qunce.ledger.tasks.export_ledger_head"),
    "verify-ledger": ("30 3 * * *", "qunce.ledger.tasks.verify_ledger"),
    "prune-task-results": ("45 3 * * *", "qunce.core.tasks.prune_task_results"),
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Only answers a CAS ticket (authenticate(ticket=…, service=…)); a password never reaches it.
    "qunce.accounts.campus_login.CampusCASBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# A session ends after 30 idle minutes (the expiry and the cookie are renewed at most once a
# minute, IdleExpiryRenewalMiddleware) and, whatever the activity, 12 hours after login
# (SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_RENEWAL_SECONDS = 60
SESSION_ABSOLUTE_LIFETIME = timedelta(seconds=envint("SESSION_ABSOLUTE_SECONDS", 12 * 3600))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Administrators (org and unit admins, Django staff) give a second factor after their password:
# a TOTP authenticator, or one of ten one-time recovery codes. Required (set up at the next
# sign-in) in production; elsewhere an administrator may set one up on the 两步验证 page.
TWO_FACTOR_REQUIRED = envbool("TWO_FACTOR_REQUIRED", PRODUCTION)
OTP_TOTP_ISSUER = "群策 Qunce"

# Repeated failed logins: django-axes locks the (username, address) pair.
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_WHITELIST_CALLABLE = "qunce.accounts.campus_login.axes_leaves_cas_tickets_alone"
# Behind nginx every request comes from the proxy's address: with TRUSTED_PROXY_COUNT set, the
# client address is read from X-Forwarded-For (django-ipware); without it that header, which any
# client can forge, is ignored.
AXES_IPWARE_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
# A proxy that rewrites the Host header passes the original in X-Forwarded-Host: read it only
# when a proxy is declared, so the CAS service URL and the OIDC redirect URI are the public ones.
USE_X_FORWARDED_HOST = AXES_IPWARE_PROXY_COUNT > 0
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Campus sign-in (统一身份认证). Each way shows its button on the login page only when set up.
# An identity signs in as the person whose 工号 it carries (the CAS user id, or the attribute /
# claim named here); an identity whose 工号 is in no one's record is refused, and no roles ever
# come from the identity provider.
CAS_SERVER_URL = env("CAS_SERVER_URL").rstrip("/") + "/" if env("CAS_SERVER_URL") else ""
CAS_VERSION = env("CAS_VERSION", "3")
CAS_STAFF_NO_ATTRIBUTE = env("CAS_STAFF_NO_ATTRIBUTE")  # empty: the CAS user id is the 工号
CAS_LOGIN_LABEL = env("CAS_LOGIN_LABEL", "统一身份认证登录")
# django-cas-ng: the service URL carries `next`, which must stay on this site; attributes and
# names never overwrite the account; the CAS server is asked to sign out too (single logout).
CAS_CHECK_NEXT = True
CAS_STORE_NEXT = False
CAS_CREATE_USER = False
CAS_LOGOUT_COMPLETELY = True
CAS_IGNORE_REFERER = True
CAS_REDIRECT_URL = "/"
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
CAS_RETRY_LOGIN = False

OIDC_DISCOVERY_URL = env("OIDC_DISCOVERY_URL")
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET")
OIDC_STAFF_NO_CLAIM = env("OIDC_STAFF_NO_CLAIM", "preferred_username")
OIDC_SCOPES = env("OIDC_SCOPES", "openid profile")
OIDC_LOGIN_LABEL = env("OIDC_LOGIN_LABEL", "OpenID Connect 登录")
IDENTITY_PROVIDER_TIMEOUT_SECONDS = envint("IDENTITY_PROVIDER_TIMEOUT_SECONDS", 10)

# With campus sign-in in place, staff can be kept from signing in with a password: accounts of
# people in the registry then must use it; outside requesters' accounts and superusers (the
# break-glass accounts) keep their passwords.
PASSWORD_LOGIN_FOR_STAFF = envbool("PASSWORD_LOGIN_FOR_STAFF", True)
# Campus sign-in answers one address may bring back (each ticket costs a call to the CAS server).
CAMPUS_LOGIN_RATE = env("CAMPUS_LOGIN_RATE", "60/m")

# Roles come from Qunce's own grants. Only where a campus keeps a role in its identity service
# (a counselling centre's staff list, say) may a claim or CAS attribute carry it: the values
# named here are then granted at each campus sign-in, and taken away when the identity no
# longer carries them. Administrators' roles are never taken from outside.
IDENTITY_ROLE_CLAIM = env("IDENTITY_ROLE_CLAIM")
IDENTITY_ROLE_MAP = dict(
    item.split(":", 1) for item in envlist("IDENTITY_ROLE_MAP", []) if ":" in item
)
IDENTITY_MAPPABLE_ROLES = {"counsellor", "counselling_coordinator"}
if not set(IDENTITY_ROLE_MAP.values()) <= IDENTITY_MAPPABLE_ROLES:
    raise ImproperlyConfigured(
        "IDENTITY_ROLE_MAP may only give counsellor or counselling_coordinator, as value:role"
    )

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "qunce" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Only production collects static files; elsewhere they are served from the source tree.
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles"))) if PRODUCTION else None
STATICFILES_DIRS = [BASE_DIR / "qunce" / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
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
# Outside production the app serves its own static files straight from the source tree.
WHITENOISE_USE_FINDERS = not PRODUCTION

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "qunce@localhost")
# Links in e-mail and group-robot messages are made absolute with this address.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Counselling content is encrypted with this Fernet key (python -c "from cryptography.fernet
# import Fernet; print(Fernet.generate_key().decode())"). Required in production.
COUNSELLING_KEY = env("COUNSELLING_KEY", "")
if PRODUCTION and not COUNSELLING_KEY:
    raise ImproperlyConfigured("Set COUNSELLING_KEY (or COUNSELLING_KEY_FILE) in production")
# Comma-separated, newest first (the first encrypts, all decrypt: see qunce/core/crypto.py). A
# malformed key must stop the start, not the first counselling request.
for _key in filter(None, (part.strip() for part in COUNSELLING_KEY.split(","))):
    from cryptography.fernet import Fernet

    try:
        Fernet(_key)
    except ValueError as exc:
        raise ImproperlyConfigured(
            "COUNSELLING_KEY is not a Fernet key (32 url-safe base64-encoded bytes)"
        ) from exc
# Backups (manage.py backup / restore / restore_drill) are encrypted with this Fernet key; keep
# a copy of it away from the backups. Required in production; elsewhere derived from SECRET_KEY.
BACKUP_KEY = env("BACKUP_KEY", "")
# Where pg_dump and pg_restore are, if not on the PATH (they must be as new as the server).
PG_BIN_DIR = env("PG_BIN_DIR", "")
# Shown at once to anyone whose counselling request signals danger.
CRISIS_HOTLINES = [
    ("全国心理援助热线", "12356"),
    ("希望24热线（全国心理危机干预）", "400-161-9995"),
    ("遇到紧急危险", "110 / 120"),
]

# Text messages to requesters without an account: a class with send(mobile, text).
SMS_BACKEND = env("SMS_BACKEND", "qunce.core.delivery.LogSmsBackend")

# Public forms are limited per address (and help requests per mobile number, in the service).
PUBLIC_FORM_RATE = env("PUBLIC_FORM_RATE", "10/h")
# A requester's own links (tracking, counselling status), per address, pages and API together.
PUBLIC_LINK_RATE = env("PUBLIC_LINK_RATE", "120/h")
# Unknown API tokens per address before the address is refused for the rest of the window.
TOKEN_FAILURE_RATE = env("TOKEN_FAILURE_RATE", "20/m")
RATELIMIT_VIEW = "qunce.core.views.rate_limited"

NINJA_PAGINATION_PER_PAGE = 50

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # A line per task started and finished is for debugging a worker, not for every day.
    "loggers": {
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": env("TASK_LOG_LEVEL", "WARNING")},
    },
}

# Group robots post only to the platforms' own webhook hosts, so the robot form cannot make the
# server send requests into the campus network.
ROBOT_WEBHOOK_HOSTS = envlist("ROBOT_WEBHOOK_HOSTS", ["qyapi.weixin.qq.com", "oapi.dingtalk.com"])

# Browser policy. Scripts only from this site's own files (no inline scripts or handlers, so an
# injected <script> or onerror= does nothing); styles may be inline, as ECharts and htmx set
# them. Django's defaults already send X-Frame-Options: DENY, nosniff and
# Referrer-Policy: same-origin; HSTS is on in production (above).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# The largest request body accepted at all (several 20 MB attachments fit); a larger one is a
# 413 before any of it is read, rather than gigabytes streamed to disk for a form error.
MAX_REQUEST_BYTES = envint("MAX_REQUEST_BYTES", 64 * 1024 * 1024)
