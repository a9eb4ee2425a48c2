"""`make run`: a developer's or recruiter's own machine. Never used in production."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A fixed key is acceptable only here: this settings module refuses nothing and serves loopback.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-a-secret")

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A sourcing run writes on the background thread (config.inprocess) while the admin writes
    # too; SQLite has one writer at a time, so wait for a batch's commit rather than fail.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 30  # noqa: F405

# make run: receivers on this machine (a script on 127.0.0.1) are the point of trying webhooks.
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=True)

# make run: each e-mail is written to a file under var/mail/ (one per message, raw MIME with its
# .ics), for a recruiter to open, unless EMAIL_URL names a real server.
if not env("EMAIL_URL", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = BASE_DIR / "var" / "mail"  # noqa: F405
