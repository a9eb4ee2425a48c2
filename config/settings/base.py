"""Settings shared by every environment; each value that differs between machines comes from
the environment (django-environ), with defaults only where a default is safe."""

from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A local .env is a convenience for `make run`; production passes real environment variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "hiring",
    "sourcing",
    "sourcing.github",
    "interviews",
    "analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware: an API path without its trailing slash is served as the same
    # route (no redirect, which would drop a POST body, and no APPEND_SLASH error in DEBUG).
    "config.middleware.ApiOptionalSlashMiddleware",
    "django.middleware.common.CommonMiddleware",
    # After CommonMiddleware, so its APPEND_SLASH redirect still sees our 404s.
    "config.middleware.SiteErrorsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Who acts, through which channel, under which request id: read when events are recorded.
    "core.events.middleware.ActingMiddleware",
    # Idempotency-Key on every POST under /api/ (core.idempotency): after ActingMiddleware, so a
    # replayed answer carries X-Request-ID too; it authenticates with the API's own classes.
    "core.idempotency.middleware.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite in a file next to the code is the zero-setup default for `make run`;
# production and CI pass DATABASE_URL (postgres://...).
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")

LOGIN_URL = "interviewer-login"
LOGIN_REDIRECT_URL = "interviewer-home"
LOGOUT_REDIRECT_URL = "interviewer-login"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.HirebarAutoSchema",
    # No SearchFilter: no API view searches with it (the candidates' search is their FilterSet's),
    # and it documented a `search` that did nothing and refused a NUL in it naming no parameter.
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Hirebar API",
    "DESCRIPTION": (
        "Hiring pipeline and interview kits for ML teams. Authenticate with "
        "`Authorization: Token <key>` (see `manage.py create_api_token`)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from drf-spectacular-sidecar's static files, not a CDN: /api/docs/ works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Celery: without a broker the tasks run in-process (eagerly), so `make run` needs no Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Without a broker, in-process tasks run on a background thread (config.inprocess), so a request
# that starts a sourcing run returns at once and the admin shows its progress as it goes.
TASKS_IN_BACKGROUND = env.bool("TASKS_IN_BACKGROUND", default=True)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=30 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 60
# acks_late tasks are redelivered after the visibility timeout; it must outlast the longest task
# or a healthy long task would be started twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_TASK_TIME_LIMIT * 2}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}

# Redis is also where workers coordinate shared rate limits (sourcing); empty means
# "coordinate within this process only".
REDIS_URL = env(
    "REDIS_URL", default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith("redis") else ""
)
# Django's cache: per-process memory unless CACHE_URL names a shared one (redis://host:6379/2).
CACHES = {"default": env.cache_url_config(env("CACHE_URL", default="") or "locmemcache://")}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django configures its own "django" logger first, with a console handler of its own
        # (DEBUG only); left in place, every django.* line would print there and again through
        # the root handler above. Naming it here replaces its handlers: it propagates to root.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
    },
}

# --- sourcing ---
# arXiv endpoints are settings so tests (and a mirror) can point the real clients elsewhere.
ARXIV_API_URL = env("ARXIV_API_URL", default="https://export.arxiv.org/api/query")
ARXIV_OAI_URL = env("ARXIV_OAI_URL", default="https://oaipmh.arxiv.org/oai")
# arXiv's terms: one request every 3 seconds per client, i.e. across all our workers together.
ARXIV_MIN_REQUEST_INTERVAL = env.float("ARXIV_MIN_REQUEST_INTERVAL", default=3.0)
ARXIV_REQUEST_TIMEOUT = env.float("ARXIV_REQUEST_TIMEOUT", default=30.0)
ARXIV_MAX_ATTEMPTS = env.int("ARXIV_MAX_ATTEMPTS", default=5)
# Base of the exponential backoff between retries of one request (seconds, before jitter).
ARXIV_BACKOFF_BASE = env.float("ARXIV_BACKOFF_BASE", default=3.0)
# People a run keeps in memory across its batches (sourcing/people/cache.py), ~0.7 KB each: the
# default keeps an import under 300 MB of RSS; more is faster where memory allows.
SOURCING_PEOPLE_CACHE_SIZE = env.int("SOURCING_PEOPLE_CACHE_SIZE", default=60_000)
# Resident memory (MB) past which a run keeps fewer people, so a long import stays under 300 MB
# however large its file (0: no limit but the cache size). A batch adds ~40 MB at its peak.
SOURCING_MEMORY_BUDGET_MB = env.int("SOURCING_MEMORY_BUDGET_MB", default=240)
# Matching records a snapshot import commits at a time (two batches are in memory while one is
# written); 5,000 measured fastest on the benchmark.
SOURCING_SNAPSHOT_BATCH_SIZE = env.int("SOURCING_SNAPSHOT_BATCH_SIZE", default=5000)
# Snapshot files at least this big (bytes) import in two passes on PostgreSQL (papers and author
# mentions staged first, then people one blocking key at a time: cost linear in the file);
# smaller ones batch by batch, their people visible as each batch commits. Empty: never.
_two_pass = env("SOURCING_SNAPSHOT_TWO_PASS_BYTES", default=str(64 * 2**20)).strip()
if _two_pass and not _two_pass.isdigit():
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"SOURCING_SNAPSHOT_TWO_PASS_BYTES must be a whole number of bytes or empty; got "
        f"{_two_pass!r}."
    )
SOURCING_SNAPSHOT_TWO_PASS_BYTES = int(_two_pass) if _two_pass else None
# Days a failed or cancelled two-pass import keeps its staged author mentions (~1.5 GB for the
# whole arXiv) so that it can be resumed; beat's daily sweep drops them afterwards.
_stage_keep = env("SOURCING_STAGE_KEEP_DAYS", default="7").strip()
if not _stage_keep.isdigit():
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"SOURCING_STAGE_KEEP_DAYS must be a whole number of days (0 or more); got {_stage_keep!r}."
    )
SOURCING_STAGE_KEEP_DAYS = int(_stage_keep)
# Imports check the foreign keys of the rows they write set-wise (each referenced paper and
# person locked once) instead of by PostgreSQL's per-row triggers, where the database role may
# turn triggers off for a transaction (a superuser, or GRANT SET ON PARAMETER
# session_replication_role). Turn off when these tables carry triggers of your own (audit,
# change capture): set-wise, they would not fire for the import's rows.
SOURCING_SETWISE_FOREIGN_KEYS = env.bool("SOURCING_SETWISE_FOREIGN_KEYS", default=True)
# The second pass of a two-pass snapshot import decides every other chunk of keys in a forked
# helper process (sourcing.runs.helper): deciding is Python, which only a process spreads over
# another core. Off by default: on two cores, where PostgreSQL has the second, it made that
# pass 7-12 % faster for 70-130 MB more memory (docs/sourcing-arxiv.md).
SOURCING_SNAPSHOT_HELPER_PROCESS = env.bool("SOURCING_SNAPSHOT_HELPER_PROCESS", default=False)
# Author mentions the second pass decides and writes at a time (a chunk also holds the rest of
# its last name key, never split; two chunks are in memory per process while one is written).
SOURCING_SNAPSHOT_CHUNK_MENTIONS = env.int("SOURCING_SNAPSHOT_CHUNK_MENTIONS", default=20_000)
if SOURCING_SNAPSHOT_CHUNK_MENTIONS < 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SOURCING_SNAPSHOT_CHUNK_MENTIONS must be a whole number of mentions, 1 or more; got "
        f"{SOURCING_SNAPSHOT_CHUNK_MENTIONS}."
    )
from celery.schedules import crontab  # noqa: E402

ARXIV_OAI_SETS: list[str] = env.list("ARXIV_OAI_SETS", default=["cs", "stat"])
CELERY_BEAT_SCHEDULE.update(
    {
        "sourcing-arxiv-oai-nightly": {
            "task": "sourcing.schedules.harvest_arxiv_oai_nightly",
            # After arXiv's nightly announcement (~00:00 UTC) has reached OAI-PMH.
            "schedule": crontab(hour=3, minute=30),
            "options": {"expires": 60 * 60 * 6},
        },
        "sourcing-drop-stale-stage-tables": {
            "task": "sourcing.schedules.drop_stale_stage_tables",
            "schedule": crontab(hour=4, minute=45),
            "options": {"expires": 60 * 60 * 6},
        },
    }
)

# --- hiring API ---
# One OpenAPI component name per choice set: the stage choices appear on several fields (stage,
# to_stage, allowed_next_stages), and a field name such as "status" is shared between apps, whose
# enums would otherwise collide (a warning `check --deploy` fails on). Add entries here rather
# than replacing the dict.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "StageEnum": "hiring.models.Stage",
    "RejectionReasonEnum": "hiring.models.RejectionReason",
    "OpeningStatusEnum": "hiring.models.Opening.Status",
    "OpeningLevelEnum": "hiring.models.Opening.Level",
    "CandidateSourceEnum": "hiring.models.Candidate.Source",
    "NoticeStateEnum": "hiring.models.Candidate.NoticeState",
    "ConsentStateEnum": "hiring.models.Candidate.ConsentState",
    "RunStatusEnum": "core.runs.models.RunStatus",
}
# Drop-in replacements for DRF's token authentication and JSON parser, for every app's API: a
# NUL byte in the token header or JSON nested 100,000 deep is a 401/400 instead of a 500.
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "core.api.authentication.TokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = ["core.api.parsers.SafeJSONParser"]
# Keep each token's user and permissions in that cache between requests (core.api.credentials):
# the API then runs no query to authenticate. Only with a cache that every process serving the API
# or changing accounts shares; otherwise a revocation made in one process would go unseen in the
# others. Production turns it on and requires such a cache.
API_CREDENTIALS_CACHE = env.bool("API_CREDENTIALS_CACHE", default=False)

# --- interviews ---
from datetime import timedelta  # noqa: E402

# Take-home links stay open this long after the due time (submissions then are marked late).
INTERVIEWS_TAKEHOME_GRACE = timedelta(hours=env.int("INTERVIEWS_TAKEHOME_GRACE_HOURS", default=48))
INTERVIEWS_TAKEHOME_MAX_UPLOAD_BYTES = env.int(
    "INTERVIEWS_TAKEHOME_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024
)
INTERVIEWS_TAKEHOME_ALLOWED_EXTENSIONS: list[str] = env.list(
    "INTERVIEWS_TAKEHOME_ALLOWED_EXTENSIONS",
    default=[".zip", ".tar.gz", ".tgz", ".ipynb", ".py", ".pdf", ".md"],
)
CELERY_BEAT_SCHEDULE.update(
    {
        "interviews-expire-takehomes": {
            "task": "interviews.tasks.expire_takehomes",
            "schedule": 15 * 60,
            "options": {"expires": 14 * 60},
        },
    }
)

# --- sourcing: re-implementations ---
# Every upstream is a base URL so tests (and mirrors) point the real clients at a local replay.
GITHUB_API_URL = env("GITHUB_API_URL", default="https://api.github.com")
# Optional: unauthenticated GitHub allows 60 requests/hour (10 searches/minute); a token 5,000.
# Sent only when set, and only to GITHUB_API_URL.
GITHUB_TOKEN = env("GITHUB_TOKEN", default="")
GITHUB_TIMEOUT_SECONDS = env.float("GITHUB_TIMEOUT_SECONDS", default=20.0)
GITHUB_MAX_RETRIES = env.int("GITHUB_MAX_RETRIES", default=4)
# Longest single wait for a rate limit to reset; beyond it the run fails (resumable) instead.
GITHUB_MAX_WAIT_SECONDS = env.float("GITHUB_MAX_WAIT_SECONDS", default=15 * 60)
# Repositories read per search query (GitHub itself serves at most 1,000).
GITHUB_SEARCH_MAX_RESULTS = env.int("GITHUB_SEARCH_MAX_RESULTS", default=100)
# The Papers-with-Code successor catalogue: /api/v1/papers/{id}?include_resources=true
PAPER_CATALOGUE_ENABLED = env.bool("PAPER_CATALOGUE_ENABLED", default=True)
PAPER_CATALOGUE_URL = env("PAPER_CATALOGUE_URL", default="https://paperswithcode.co")
# Hugging Face paper pages: /api/papers/{id} (its githubRepo field)
HUGGINGFACE_PAPERS_ENABLED = env.bool("HUGGINGFACE_PAPERS_ENABLED", default=True)
HUGGINGFACE_PAPERS_URL = env("HUGGINGFACE_PAPERS_URL", default="https://huggingface.co")
# The beat refreshes papers whose last search is older than this, a batch at a time.
REIMPLEMENTATION_REFRESH_DAYS = env.int("REIMPLEMENTATION_REFRESH_DAYS", default=7)
REIMPLEMENTATION_REFRESH_BATCH = env.int("REIMPLEMENTATION_REFRESH_BATCH", default=20)
CELERY_BEAT_SCHEDULE.update(
    {
        "sourcing-github-refresh-implementations": {
            "task": "sourcing.github.schedules.implementations_refresh_due",
            "schedule": 6 * 60 * 60,
            "options": {"expires": 60 * 60},
        },
    }
)

# --- API idempotency (core.idempotency) ---
from django.core.exceptions import ImproperlyConfigured  # noqa: E402

# How long an Idempotency-Key (and the answer it replays) is kept; beat purges older ones every
# hour. The API promises clients at least 24 hours (docs/api.md), so less is refused at start.
MIN_IDEMPOTENCY_KEY_TTL_HOURS = 24
_idempotency_ttl = env("IDEMPOTENCY_KEY_TTL_HOURS", default="24")
try:
    IDEMPOTENCY_KEY_TTL_HOURS = int(_idempotency_ttl)
except ValueError:
    IDEMPOTENCY_KEY_TTL_HOURS = 0
if IDEMPOTENCY_KEY_TTL_HOURS < MIN_IDEMPOTENCY_KEY_TTL_HOURS:
    raise ImproperlyConfigured(
        f"IDEMPOTENCY_KEY_TTL_HOURS must be a whole number of hours, at least 24 (the API "
        f"promises clients their keys for 24 hours); got {_idempotency_ttl!r}."
    )
CELERY_BEAT_SCHEDULE.update(
    {
        "core-purge-idempotency-keys": {
            "task": "core.schedules.purge_idempotency_keys",
            "schedule": 60 * 60,
            "options": {"expires": 50 * 60},
        },
    }
)

# --- webhooks (core.webhooks) ---
# Seconds to connect and to wait for each read of a receiver's answer; a receiver that hangs is
# cut off after this and the attempt counts as failed.
WEBHOOK_TIMEOUT_SECONDS = env.float("WEBHOOK_TIMEOUT_SECONDS", default=10.0)
# How long an attempt holds its delivery: longer than any attempt can take (the task's time
# limit is derived from it), so only a dead worker's delivery is taken over, after this.
WEBHOOK_LEASE_SECONDS = env.int("WEBHOOK_LEASE_SECONDS", default=120)
# Attempts per delivery, and the backoff between them: base * 3^(n-1), capped, ±20% jitter.
# The defaults make ten attempts over 26 to 40 hours, the first retry within a minute.
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=10)
WEBHOOK_RETRY_BASE_SECONDS = env.float("WEBHOOK_RETRY_BASE_SECONDS", default=30.0)
WEBHOOK_RETRY_CAP_SECONDS = env.float("WEBHOOK_RETRY_CAP_SECONDS", default=12 * 60 * 60.0)
# An endpoint whose every attempt failed for this long is disabled.
WEBHOOK_DISABLE_AFTER_HOURS = env.float("WEBHOOK_DISABLE_AFTER_HOURS", default=24.0)
# How long the previous secret keeps signing beside the new one after a rotation.
WEBHOOK_SECRET_ROTATION_HOURS = env.float("WEBHOOK_SECRET_ROTATION_HOURS", default=24.0)
# The sweeper sends a due delivery again when no message for it was sent this recently.
WEBHOOK_REQUEUE_AFTER_SECONDS = env.int("WEBHOOK_REQUEUE_AFTER_SECONDS", default=120)
WEBHOOK_SWEEP_SECONDS = env.int("WEBHOOK_SWEEP_SECONDS", default=30)
# Loopback, private and link-local targets: refused unless this is on (local and test settings
# turn it on; production refuses them whatever the environment says). Metadata addresses are
# refused always.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False)
CELERY_BEAT_SCHEDULE.update(
    {
        "core-sweep-webhook-deliveries": {
            "task": "core.schedules.sweep_webhook_deliveries",
            "schedule": WEBHOOK_SWEEP_SECONDS,
            "options": {"expires": WEBHOOK_SWEEP_SECONDS},
        },
    }
)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["WebhookDeliveryStatusEnum"] = (  # type: ignore[index]
    "core.webhooks.models.DeliveryStatus"
)

# --- analytics ---
# The forecast's pooled rates are recomputed every 5 minutes; they are cached for 10
# (analytics.forecast.selectors.POOLED_CACHE_SECONDS), so with beat running they never go cold.
CELERY_BEAT_SCHEDULE.update(
    {
        "analytics-refresh-pooled-rates": {
            "task": "analytics.schedules.refresh_pooled_rates",
            "schedule": 5 * 60,
            "options": {"expires": 4 * 60},
        },
    }
)

# --- data protection (hiring.services.notices / suppression / retention; docs/privacy.md) ---
# Key of the suppression list's hashes (HMAC-SHA256). Changing it makes every stored hash
# unrecognisable, so set it once, from a secret store; by default derived from SECRET_KEY.
HIREBAR_SUPPRESSION_KEY = env("HIREBAR_SUPPRESSION_KEY", default="")


def _whole_number(name: str, default: str, *, minimum: int) -> int:
    """A whole-number setting, or a clear start-up error naming it (never a silent default)."""
    raw = env(name, default=default)
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of at least {minimum}; got {raw!r}."
        )
    return value


# People whose applications all closed (rejected or withdrawn) are erased this many months after
# the last one closed, unless they consented to stay in the talent pool.
HIREBAR_RETENTION_CLOSED_MONTHS = _whole_number("HIREBAR_RETENTION_CLOSED_MONTHS", "12", minimum=1)
# Sourced people who were never contacted (no application past "sourced") are erased this many
# months after they were sourced: a lead nobody acted on is not kept forever.
HIREBAR_RETENTION_SOURCED_MONTHS = _whole_number("HIREBAR_RETENTION_SOURCED_MONTHS", "6", minimum=1)
# The daily notice task sends a pending Art. 14 notice this many days before it is due (0: only
# once due), when the person has an address; the rest are listed as due in the admin.
HIREBAR_NOTICE_SEND_AHEAD_DAYS = _whole_number("HIREBAR_NOTICE_SEND_AHEAD_DAYS", "7", minimum=0)
CELERY_BEAT_SCHEDULE.update(
    {
        "hiring-send-due-notices": {
            "task": "hiring.schedules.notices_send_due",
            "schedule": 24 * 60 * 60,
            "options": {"expires": 12 * 60 * 60},
        },
        "hiring-apply-retention": {
            "task": "hiring.schedules.retention_apply",
            "schedule": 24 * 60 * 60,
            "options": {"expires": 12 * 60 * 60},
        },
    }
)

# --- e-mail to candidates and interviewers (hiring.services.messages) ---
# EMAIL_URL picks the backend: smtp://user:password@host:25, smtp+tls://... (STARTTLS, port 587)
# or smtp+ssl://... (TLS from the start, port 465). Django's own default, an SMTP server on this
# machine, when unset; local settings write files instead, tests keep messages in memory.
_email = env.email_url("EMAIL_URL", default="smtp://localhost:25")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL", False))
# Seconds for connecting and for each answer of the SMTP server: a server that hangs fails the
# attempt (retried later) instead of holding a worker.
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=10.0)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Hirebar <hiring@localhost>")
SERVER_EMAIL = env("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# Absolute links in e-mails (take-home links, interviewers' pages) start with this.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Who holds candidates' data (the GDPR controller) and where people write about it: named in
# the privacy notice and signed under candidate e-mails.
HIREBAR_CONTROLLER_NAME = env("HIREBAR_CONTROLLER_NAME", default="Hirebar")  # "We are ..."
HIREBAR_PRIVACY_CONTACT = env(
    "HIREBAR_PRIVACY_CONTACT", default=DEFAULT_FROM_EMAIL.rpartition("<")[2].rstrip(">")
)
# Attempts per message before it waits for a recruiter's retry, and the backoff between them:
# base * 4^(n-1), capped, ±20% jitter (defaults: 1, 4, 16 and 60 minutes).
MAIL_MAX_ATTEMPTS = env.int("MAIL_MAX_ATTEMPTS", default=5)
MAIL_RETRY_BASE_SECONDS = env.float("MAIL_RETRY_BASE_SECONDS", default=60.0)
MAIL_RETRY_CAP_SECONDS = env.float("MAIL_RETRY_CAP_SECONDS", default=60 * 60.0)
# How long an attempt holds its message: longer than any send can take (connect, TLS, a few
# SMTP commands, each up to EMAIL_TIMEOUT), so only a dead worker's message is taken over.
MAIL_LEASE_SECONDS = env.int("MAIL_LEASE_SECONDS", default=max(60, int(EMAIL_TIMEOUT * 8)))
# The sweeper resends an unsent message due for this long that no task has taken.
MAIL_REQUEUE_AFTER_SECONDS = env.int("MAIL_REQUEUE_AFTER_SECONDS", default=120)
MAIL_SWEEP_SECONDS = env.int("MAIL_SWEEP_SECONDS", default=60)
CELERY_BEAT_SCHEDULE.update(
    {
        "hiring-sweep-messages": {
            "task": "hiring.schedules.sweep_messages",
            "schedule": MAIL_SWEEP_SECONDS,
            "options": {"expires": MAIL_SWEEP_SECONDS},
        },
    }
)
_message_enums = {
    "MessageStatusEnum": "hiring.models.Message.Status",
    "MessageRecipientKindEnum": "hiring.models.Message.RecipientKind",
    "MessageTemplateKeyEnum": "hiring.models.MessageTemplate.Key",
}
for _name, _path in _message_enums.items():
    SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"][_name] = _path  # type: ignore[index]
