"""pytest. SQLite unless DATABASE_URL is set; eager Celery unless CELERY_BROKER_URL is set."""

from config.settings.base import *  # noqa: F403
from config.settings.base import env

SECRET_KEY = "test-only-not-a-secret"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
# Tests run tasks in-process by default; the real-worker tests start their own worker on Redis.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
# ... in the calling thread, so a test sees a run's outcome when the request that started it
# returns (tests of the background thread turn it on).
TASKS_IN_BACKGROUND = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# One process (the live server is a thread of it), so per-process memory is a shared cache here.
API_CREDENTIALS_CACHE = env.bool("API_CREDENTIALS_CACHE", default=True)
# Tests' receivers listen on 127.0.0.1 (the SSRF tests turn this off to see production's rules).
WEBHOOK_ALLOW_PRIVATE_TARGETS = True
