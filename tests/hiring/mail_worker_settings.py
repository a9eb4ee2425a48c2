"""Settings of the Celery worker the e-mail worker test starts: the webhook workers' settings
(no eager tasks, the test's own queue) with the real SMTP backend, pointed by the environment
at the test's server."""

from config.settings.base import env
from tests.core.webhooks.worker_settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = env.int("TEST_SMTP_PORT")
EMAIL_TIMEOUT = 5.0
