"""Beat keeps the forecast's pooled rates warm, so no request pays for reading the whole history."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import cache

from analytics.forecast.selectors import _POOLED_CACHE_KEY, POOLED_CACHE_SECONDS
from analytics.schedules import refresh_pooled_rates
from config.celery import app

pytestmark = pytest.mark.django_db


def test_beat_refreshes_the_pooled_rates_before_they_expire():
    entry = settings.CELERY_BEAT_SCHEDULE["analytics-refresh-pooled-rates"]
    assert entry["task"] in app.tasks
    assert entry["schedule"] < POOLED_CACHE_SECONDS
    cache.delete(_POOLED_CACHE_KEY)

    refresh_pooled_rates.delay()

    assert cache.get(_POOLED_CACHE_KEY) is not None
