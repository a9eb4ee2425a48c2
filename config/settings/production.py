"""Production: every secret comes from the environment and there is no default for it."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import env

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production.")
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

# One cache for every web worker, Celery process and manage.py run (Redis): the API keeps tokens'
# credentials there between requests (core.api.credentials), and a revocation made in one
# process must be seen by all the others on their next request.
_cache_url = env("CACHE_URL", default=REDIS_URL)  # noqa: F405
if not _cache_url.startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured(
        "CACHE_URL (or REDIS_URL) must name a Redis server shared by every process in production."
    )
CACHES = {"default": env.cache_url_config(_cache_url, backend="config.cache.RedisCache")}
API_CREDENTIALS_CACHE = env.bool("API_CREDENTIALS_CACHE", default=True)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}

# Webhook targets inside our network (loopback, private, link-local, metadata) are refused.
WEBHOOK_ALLOW_PRIVATE_TARGETS = False
