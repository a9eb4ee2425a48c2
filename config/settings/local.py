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
