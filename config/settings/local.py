"""`make run`: a developer's or recruiter's own machine. Never used in production."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A fixed key is acceptable only here: this settings module refuses nothing and serves loopback.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-a-secret")
