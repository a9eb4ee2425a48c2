"""Settings for the Celery worker that the real-worker test starts: the test settings, no eager
tasks, and a short visibility timeout so a message whose worker was SIGKILLed is redelivered
within seconds instead of an hour (unacked messages are swept every second)."""

from config.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
