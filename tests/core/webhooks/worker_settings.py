"""Settings of the Celery workers the webhook worker tests start: the test settings, no eager
tasks, and a short visibility timeout so the message of a SIGKILLed worker comes back within
seconds (the webhook timings come from the environment the test gives the worker)."""

from config.settings.test import *  # noqa: F403
from config.settings.test import env

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
# The test's own queue, so the worker's retries (countdown messages) come back to it.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
